"""Deleting one's own account: profile, notes and sessions go at once; the other side keeps
their entries, with this party shown as "a deleted user"; after the daily purge nothing of the
account is left in the database file or the search index."""

import random
from datetime import date

from auth.models import User
from extensions import db
from referrals.models import Interaction, Person
from referrals.trust import store as trust_store
from tests.conftest import PASSWORD, login, post
from tests.erasure.test_delete_person import _files_holding, _marker

PROFILE = ("headline", "title", "organisation", "location", "skills", "summary")


def test_deleted_account_leaves_the_other_sides_history_and_nothing_of_its_own(app, make,
                                                                               runner):
    rng = random.Random(41)
    values = {f: _marker(rng) for f in PROFILE}
    name, local = _marker(rng), _marker(rng)
    candidate = make.user("candidate", name=name, email=f"{local}@example.com",
                          visibility="recruiters", **values)
    recruiter = make.user("recruiter")
    rel = make.connect(recruiter, candidate)
    theirs_note, mine_note, mine_private = _marker(rng), _marker(rng), _marker(rng)
    kept = make.log(recruiter, rel, kind="advice", direction="i_gave", day=date(2023, 3, 1),
                    note=theirs_note, confirm_by=candidate)
    gone = make.log(candidate, rel, kind="referral", direction="i_gave", day=date(2024, 3, 1),
                    note=mine_note, private_note=mine_private, confirm_by=recruiter)
    markers = [name, local, *values.values(), mine_note, mine_private]
    ids = {"candidate": candidate.id, "person": candidate.person.id, "rel": rel.id,
           "kept": kept.id, "gone": gone.id}
    browser, other = app.test_client(), app.test_client()
    login(browser, candidate.email)
    login(other, recruiter.email)
    assert name in other.get("/search/", query_string={"q": values["skills"]}).get_data(
        as_text=True)
    assert all(_files_holding(app, [name, values["summary"]]).values())

    refused = post(browser, "/account/delete", {"password": "wrong one", "understood": "y"},
                   token_from="/account/delete")
    assert refused.status_code == 400 and "That is not your password." in refused.get_data(
        as_text=True)
    response = post(browser, "/account/delete", {"password": PASSWORD, "understood": "y"},
                    token_from="/account/delete")
    assert response.status_code == 302
    assert browser.get("/people/me").status_code == 302  # signed out, for good
    assert post(app.test_client(), "/login", {"email": f"{local}@example.com",
                                              "password": PASSWORD},
                token_from="/login").status_code == 400
    page = other.get(f"/relationships/{ids['rel']}").get_data(as_text=True)
    assert "a deleted user" in page and theirs_note in page
    assert not [m for m in markers if m in page]
    assert db.session.get(Interaction, ids["gone"]) is None
    assert db.session.get(Interaction, ids["kept"]) is not None
    rel_row = db.session.get(Interaction, ids["kept"]).rel
    stored = (rel_row.trust_ledger, rel_row.trust_summary)
    trust_store.rebuild(rel_row)
    assert (rel_row.trust_ledger, rel_row.trust_summary) == stored
    assert db.session.get(Person, ids["person"]).name == "a deleted user"
    assert db.session.get(User, ids["candidate"]).is_disabled
    search = other.get("/search/", query_string={"q": values["skills"]}).get_data(as_text=True)
    assert "0 people" in search
    exported = other.get("/export/data.json").get_data(as_text=True)
    assert "a deleted user" in exported and not [m for m in markers if m in exported]

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    left = {m: files for m, files in _files_holding(app, markers).items() if files}
    assert not left, left
