"""Importing through the pages: preview writes nothing to the network, import writes it (with
the first contact in each history), undo takes it back, and search follows."""

import json
import re
from datetime import date, timedelta

import sqlalchemy as sa

from extensions import db, utcnow
from referrals.access import relationship_between
from referrals.imports.models import ImportBatch
from referrals.models import Interaction, Person, Relationship
from referrals.trust import store as trust_store
from tests.conftest import database_rows, login, post
from tests.imports import samples

FILE = samples.linkedin([
    ("Ada", "Lovelace", "https://www.linkedin.com/in/ada", "", "Analytical Engines",
     "Head of People", "22 Dec 2025"),
    ("Grace", "Hopper", "https://www.linkedin.com/in/grace", "grace@navy.example", "Navy",
     "Talent Partner", "08 Jan 2018"),
    ("Alan", "Turing", "https://www.linkedin.com/in/alan", "alan@bletchley.example", "",
     "", "01 Jun 2020"),
    ("<script>alert(1)</script>", "", "", "", "", "", "01 Jun 2020"),
    ("Bad", "Mail", "", "not-an-email", "", "", "01 Jun 2020"),
])


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def upload(client, data: bytes, name: str = "Connections.csv"):
    """Send a file through the upload form."""
    from io import BytesIO

    return post(client, "/network/import", {"file": (BytesIO(data), name)},
                token_from="/network/import", content_type="multipart/form-data")


def _batch_id(response) -> int:
    return int(re.search(r"/network/import/(\d+)$", response.headers["Location"]).group(1))


def _people_named(*names) -> list[str]:
    return sorted(db.session.scalars(sa.select(Person.name).where(Person.name.in_(names))))


def _search(client, q) -> str:
    return client.get("/search/", query_string={"q": q}).get_data(as_text=True)


def test_preview_shows_what_would_happen_and_writes_nothing_to_the_network(app, make):
    recruiter = make.user("recruiter")
    make.contact(recruiter, "Grace B. Hopper", email="grace@navy.example")
    client = _signed_in(app, recruiter)
    before = database_rows()
    response = upload(client, FILE)
    assert response.status_code == 302
    written = {n for n in database_rows() if database_rows()[n] != before[n]}
    assert written == {"import_batches"}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>2</strong> to add" in page and "<strong>1</strong> already in" in page
    assert "Already in your network: the same e-mail." in page
    assert "names are plain text" in page and "&#39;not-an-email&#39; is not an e-mail" in page
    assert "<script>alert(1)</script>" not in page


def test_import_adds_merges_and_logs_first_contact_then_undo_takes_it_back(app, make):
    recruiter = make.user("recruiter")
    kept = make.contact(recruiter, "Grace B. Hopper", email="grace@navy.example")
    client = _signed_in(app, recruiter)
    batch_id = _batch_id(upload(client, FILE))
    page = client.get(f"/network/import/{batch_id}").get_data(as_text=True)
    line = re.search(r'name="choice-(\d+)"', page).group(1)
    response = post(client, f"/network/import/{batch_id}/import",
                    {f"choice-{line}": "merge", "role": "candidate"},
                    token_from=f"/network/import/{batch_id}")
    assert response.status_code == 302
    assert "2 added, 1 merged, 0 skipped, 2 refused" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert _people_named("Ada Lovelace", "Alan Turing") == ["Ada Lovelace", "Alan Turing"]
    db.session.refresh(kept)
    assert (kept.organisation, kept.title) == ("Navy", "Talent Partner")  # filled in, not lost
    ada = db.session.scalar(sa.select(Person).where(Person.name == "Ada Lovelace"))
    rel = relationship_between(recruiter.person.id, ada.id)
    (first,) = rel.interactions
    assert (first.occurred_on, first.kind, first.status, first.logged_by_id) == (
        date(2025, 12, 22), "check_in", "pending", recruiter.person.id)
    grace_rel = relationship_between(recruiter.person.id, kept.id)
    assert [i.occurred_on for i in grace_rel.interactions] == [date(2018, 1, 8)]
    for r in (rel, grace_rel):  # the stored ledger equals a recompute from the history
        stored = (r.trust_ledger, r.trust_summary)
        trust_store.rebuild(r)
        assert (r.trust_ledger, r.trust_summary) == stored
    assert 'href="/people/%d"' % ada.id in _search(client, "lovelace")

    response = post(client, f"/network/import/{batch_id}/undo", {},
                    token_from="/network/import")
    assert response.status_code == 302
    assert "2 removed, 1 restored" in client.get("/network/import").get_data(as_text=True)
    assert _people_named("Ada Lovelace", "Alan Turing") == []
    db.session.refresh(kept)
    assert (kept.organisation, kept.title, kept.email) == ("", "", "grace@navy.example")
    assert db.session.scalars(sa.select(Interaction).where(
        Interaction.relationship_id == grace_rel.id)).all() == []
    assert db.session.scalar(sa.select(sa.func.count(Relationship.id))) == 1
    assert "0 people" in _search(client, "lovelace")
    assert db.session.get(ImportBatch, batch_id).status == "undone"


def test_skip_leaves_the_match_alone_and_add_keeps_a_second_record(app, make):
    recruiter = make.user("recruiter")
    make.contact(recruiter, "Grace B. Hopper", email="grace@navy.example")
    client = _signed_in(app, recruiter)
    for choice, records in (("skip", 1), ("add", 2)):
        batch_id = _batch_id(upload(client, FILE))
        line = re.search(r'name="choice-(\d+)"', client.get(
            f"/network/import/{batch_id}").get_data(as_text=True)).group(1)
        post(client, f"/network/import/{batch_id}/import", {f"choice-{line}": choice,
                                                            "role": "client"},
             token_from=f"/network/import/{batch_id}")
        graces = db.session.scalars(sa.select(Person).where(
            Person.email == "grace@navy.example")).all()
        assert len(graces) == records
        post(client, f"/network/import/{batch_id}/undo", {}, token_from="/network/import")


def test_a_second_import_of_the_same_file_matches_by_linkedin_address(app, make):
    recruiter = make.user("recruiter")
    client = _signed_in(app, recruiter)
    batch_id = _batch_id(upload(client, FILE))
    post(client, f"/network/import/{batch_id}/import", {"role": "candidate"},
         token_from=f"/network/import/{batch_id}")
    again = client.get(f"/network/import/{_batch_id(upload(client, FILE))}").get_data(
        as_text=True)
    assert "<strong>0</strong> to add" in again
    assert "the same LinkedIn address" in again


def test_unknown_csv_goes_through_the_mapping_step(app, make):
    recruiter = make.user("recruiter")
    client = _signed_in(app, recruiter)
    response = upload(client, b"Who;Mail;Firm\nRosalind Franklin;rf@kings.example;Kings\n",
                      "people.csv")
    batch_id = _batch_id(response)
    page = client.get(f"/network/import/{batch_id}").get_data(as_text=True)
    assert "Which column holds what?" in page
    fields = {"name": "", "first_name": "", "last_name": "", "email": "Mail",
              "organisation": "Firm", "title": "", "url": "", "connected_on": ""}
    response = post(client, f"/network/import/{batch_id}/map", fields,
                    token_from=f"/network/import/{batch_id}")
    assert response.status_code == 400 and "which column holds the name" in response.get_data(
        as_text=True)
    response = post(client, f"/network/import/{batch_id}/map", {**fields, "name": "Who"},
                    token_from=f"/network/import/{batch_id}")
    assert response.status_code == 302
    assert "Rosalind Franklin" in client.get(f"/network/import/{batch_id}").get_data(
        as_text=True)


def test_undo_is_refused_after_seven_days(app, make):
    recruiter = make.user("recruiter")
    client = _signed_in(app, recruiter)
    batch_id = _batch_id(upload(client, FILE))
    post(client, f"/network/import/{batch_id}/import", {"role": "candidate"},
         token_from=f"/network/import/{batch_id}")
    batch = db.session.get(ImportBatch, batch_id)
    batch.imported_at = utcnow() - timedelta(days=7, minutes=1)
    db.session.commit()
    before = database_rows()
    response = post(client, f"/network/import/{batch_id}/undo", {},
                    token_from="/network/import")
    assert response.status_code == 409 and "more than 7 days ago" in response.get_data(
        as_text=True)
    assert database_rows() == before


def test_import_is_recorded_in_the_audit(app, make):
    recruiter = make.user("recruiter")
    client = _signed_in(app, recruiter)
    batch_id = _batch_id(upload(client, FILE))
    post(client, f"/network/import/{batch_id}/import", {"role": "candidate"},
         token_from=f"/network/import/{batch_id}")
    detail = db.session.execute(sa.text(
        "SELECT detail FROM audit_events WHERE action = 'imported'")).scalar_one()
    assert json.loads(detail) == {"batch": batch_id, "source": "LinkedIn connections",
                                  "added": 3, "merged": 0, "skipped": 0, "refused": 2}


def test_undo_keeps_people_a_later_import_merged_into(app, make):
    recruiter = make.user("recruiter")
    client = _signed_in(app, recruiter)
    first = _batch_id(upload(client, FILE))
    post(client, f"/network/import/{first}/import", {"role": "candidate"},
         token_from=f"/network/import/{first}")
    second = _batch_id(upload(client, FILE))
    post(client, f"/network/import/{second}/import", {"role": "candidate"},
         token_from=f"/network/import/{second}")
    post(client, f"/network/import/{first}/undo", {}, token_from="/network/import")
    page = client.get("/network/import").get_data(as_text=True)
    assert "0 removed, 0 restored. 3 kept" in page
    assert _people_named("Ada Lovelace", "Alan Turing") == ["Ada Lovelace", "Alan Turing"]
