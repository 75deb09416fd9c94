"""A retried form writes once: the one-time submission token of every create form.

A request killed after its commit leaves a write the browser never saw acknowledged; the
browser (or the person, pressing the button again) sends the same form again. These tests send
the same token twice and count what was written. The concurrent case, two identical POSTs at
once on several workers, is in tests/test_retried_posts.py.
"""

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from extensions import db, utcnow
from referrals import submissions
from referrals.imports.models import ImportBatch
from referrals.models import Interaction, Person
from referrals.openings.models import Opening, OpeningDecision
from referrals.submissions import ALREADY_SENT, Submission
from tests.conftest import login, post
from tests.referrals.openings.test_openings import _open, _world

SUBMISSION = re.compile(r'<input[^>]*name="submission_token"[^>]*value="([^"]+)"')


def token_on(http, path: str, after: str = "") -> str:
    """The submission token of the (first) form on a page, after the text `after`."""
    page = http.get(path).get_data(as_text=True)
    return SUBMISSION.search(page, page.index(after) if after else 0).group(1)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _pair(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    http = app.test_client()
    login(http, recruiter.email)
    return recruiter, candidate, rel, http


ENTRY = {"occurred_on": "3 Mar 2024", "kind": "call", "direction": "mutual", "note": "Catch-up"}


def test_a_retried_log_form_logs_one_entry_and_answers_as_the_first_did(app, make):
    _recruiter, _candidate, rel, http = _pair(app, make)
    form = {**ENTRY, "submission_token": token_on(http, f"/relationships/{rel.id}")}
    first = post(http, f"/relationships/{rel.id}/interactions", form)
    again = post(http, f"/relationships/{rel.id}/interactions", form)
    assert first.status_code == 302
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert count(Interaction) == 1
    page = http.get(again.headers["Location"]).get_data(as_text=True)
    assert ALREADY_SENT in page and page.count("Catch-up") == 1


def test_each_rendering_of_the_form_is_a_new_submission(app, make):
    _recruiter, _candidate, rel, http = _pair(app, make)
    for _ in range(2):
        form = {**ENTRY, "submission_token": token_on(http, f"/relationships/{rel.id}")}
        assert post(http, f"/relationships/{rel.id}/interactions", form).status_code == 302
    assert count(Interaction) == 2


def test_a_form_without_a_token_still_works_as_before(app, make):
    _recruiter, _candidate, rel, http = _pair(app, make)
    for token in (None, "", "not a token!", "x" * 200):
        form = ENTRY if token is None else {**ENTRY, "submission_token": token}
        assert post(http, f"/relationships/{rel.id}/interactions", form).status_code == 302
    assert count(Interaction) == 4  # old pages and scripts: not idempotent, never refused
    assert count(Submission) == 0


def test_a_refused_form_keeps_its_token_for_the_corrected_one(app, make):
    _recruiter, _candidate, rel, http = _pair(app, make)
    token = token_on(http, f"/relationships/{rel.id}")
    refused = post(http, f"/relationships/{rel.id}/interactions",
                   {**ENTRY, "occurred_on": "31 Feb 2024", "submission_token": token})
    assert refused.status_code == 400
    assert SUBMISSION.search(refused.get_data(as_text=True)).group(1) == token
    fixed = post(http, f"/relationships/{rel.id}/interactions",
                 {**ENTRY, "submission_token": token})
    assert fixed.status_code == 302 and count(Interaction) == 1
    assert ALREADY_SENT not in http.get(fixed.headers["Location"]).get_data(as_text=True)


def test_the_same_token_from_another_user_is_their_own_submission(app, make):
    recruiter, candidate, rel, http = _pair(app, make)
    token = token_on(http, f"/relationships/{rel.id}")
    other = app.test_client()
    login(other, candidate.email)
    for client in (http, other, http, other):
        post(client, f"/relationships/{rel.id}/interactions", {**ENTRY, "submission_token": token})
    assert count(Interaction) == 2


def test_confirm_and_dispute_sent_twice_answer_as_the_first_time(app, make):
    recruiter, candidate, rel, http = _pair(app, make)
    first, second = make.log(candidate, rel), make.log(candidate, rel)
    token = token_on(http, f"/relationships/{rel.id}", "/confirm")
    confirmed = [post(http, f"/relationships/interactions/{first.id}/confirm",
                      {"submission_token": token}) for _ in range(2)]
    assert [r.status_code for r in confirmed] == [302, 302]
    token = token_on(http, f"/relationships/{rel.id}", "/dispute")
    disputed = [post(http, f"/relationships/interactions/{second.id}/dispute",
                     {"reason": "It was a call", "submission_token": token}) for _ in range(2)]
    assert [r.status_code for r in disputed] == [302, 302]
    assert disputed[0].headers["Location"] == disputed[1].headers["Location"]
    assert ALREADY_SENT in http.get(disputed[1].headers["Location"]).get_data(as_text=True)


def test_a_retried_recommendation_is_sent_once(app, make):
    recruiter, client, _perfect, near, _engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    path = f"{opening_url}/people/{near.person.id}/recommend"
    token = token_on(http, opening_url, f'action="{path}"')
    before = count(Interaction)
    vouch = "I have known them for years."
    answers = [post(http, path, {"submission_token": token, "vouch": vouch})
               for _ in range(2)]
    assert [r.status_code for r in answers] == [302, 302]
    assert count(Interaction) == before + 2  # one referral, in both histories
    assert count(OpeningDecision) == 1


def test_retried_new_contact_and_new_opening_are_created_once(app, make):
    recruiter, client, *_ = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    people = count(Person)
    form = {"name": "Ann Once", "role": "candidate",
            "submission_token": token_on(http, "/people/new")}
    answers = [post(http, "/people/new", form) for _ in range(2)]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(Person) == people + 1
    form = {"client_id": client.person.id, "title": "Head of Pay",
            "submission_token": token_on(http, "/openings/new")}
    answers = [post(http, "/openings/new", form) for _ in range(2)]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(Opening) == 1


def test_a_retried_import_imports_once(app, make):
    recruiter = make.user("recruiter")
    http = app.test_client()
    login(http, recruiter.email)
    from tests.imports.test_import_batches import FILE, _batch_id, upload

    batch_id = _batch_id(upload(http, FILE))
    token = token_on(http, f"/network/import/{batch_id}", 'id="import-form"')
    answers = [post(http, f"/network/import/{batch_id}/import",
                    {"role": "candidate", "submission_token": token}) for _ in range(2)]
    assert [r.status_code for r in answers] == [302, 302]
    assert db.session.get(ImportBatch, batch_id).added == 3
    assert count(Person) == 1 + 3


def test_a_request_killed_after_its_commit_is_not_written_twice(app, make, monkeypatch):
    """The first POST commits its write and dies before its answer is kept: the retry finds
    the write, writes nothing, and takes the person back to the page they were on."""
    _recruiter, _candidate, rel, http = _pair(app, make)
    form = {**ENTRY, "submission_token": token_on(http, f"/relationships/{rel.id}")}
    monkeypatch.setattr(submissions, "_record", lambda *_: None)  # the worker was killed here
    post(http, f"/relationships/{rel.id}/interactions", form)
    monkeypatch.undo()
    db.session.execute(update(Submission).values(created_at=utcnow() - timedelta(minutes=1)))
    page = f"http://localhost/relationships/{rel.id}"
    again = post(http, f"/relationships/{rel.id}/interactions", form,
                 headers={"Referer": page})
    assert again.status_code == 303 and again.headers["Location"] == f"/relationships/{rel.id}"
    assert count(Interaction) == 1
    assert ALREADY_SENT in http.get(again.headers["Location"]).get_data(as_text=True)


def test_tokens_older_than_a_day_are_pruned(app, make):
    _recruiter, _candidate, rel, http = _pair(app, make)
    for _ in range(3):
        form = {**ENTRY, "submission_token": token_on(http, f"/relationships/{rel.id}")}
        post(http, f"/relationships/{rel.id}/interactions", form)
    db.session.execute(update(Submission).where(Submission.id < 3).values(
        created_at=utcnow() - submissions.KEEP_FOR - timedelta(minutes=1)))
    assert submissions.prune() == 2
    db.session.commit()
    assert count(Submission) == 1


def test_deleting_an_account_deletes_its_tokens(app, make):
    from referrals.erasure.accounts import delete_account

    recruiter, _candidate, rel, http = _pair(app, make)
    form = {**ENTRY, "submission_token": token_on(http, f"/relationships/{rel.id}")}
    post(http, f"/relationships/{rel.id}/interactions", form)
    assert count(Submission) == 1
    delete_account(db.session.get(type(recruiter), recruiter.id))
    assert count(Submission) == 0
