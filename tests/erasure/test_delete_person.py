"""Deleting a person one keeps: gone from every page and search at once, and from the disk
(database file and search index, typeahead and did-you-mean words included) after the daily
purge."""

import random
import string
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import make_url

from extensions import db
from referrals.access import relationship_between
from referrals.models import AuditEvent, Person
from referrals.network import invitations, merging
from tests.conftest import database_rows, login, post

FIELDS = ("name", "headline", "title", "organisation", "location", "skills", "summary")


def _marker(rng) -> str:
    """A word no analyser splits or stems into something else: letters, then 'q'."""
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(11)) + "q"


def _files_holding(app, markers: list[str]) -> dict:
    """Which markers appear in the database files (SQLite; PostgreSQL's are the server's) and
    in the search index folder."""
    db.session.remove()
    db.engine.dispose()
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    files = []
    if url.get_backend_name() == "sqlite":
        database = Path(url.database)
        files += database.parent.glob(database.name + "*")
    files += [p for p in Path(app.config["SEARCH_INDEX_DIR"]).rglob("*") if p.is_file()]
    blobs = {str(p): p.read_bytes().lower() for p in files}
    return {m: sorted(name for name, blob in blobs.items() if m[:9].encode() in blob)
            for m in markers}


def test_deleted_contact_leaves_no_trace_in_database_or_index_after_the_purge(app, make,
                                                                              runner):
    rng = random.Random(14)
    recruiter = make.user("recruiter")
    values = {f: _marker(rng) for f in FIELDS}
    email = f"{_marker(rng)}@example.com"
    contact = make.contact(recruiter, values["name"], email=email,
                           **{f: v for f, v in values.items() if f != "name"})
    twin = make.contact(recruiter, _marker(rng), email=email, summary=_marker(rng))
    merging.merge_duplicate(recruiter, contact, twin)
    rel = relationship_between(recruiter.person.id, contact.id)
    note, private = _marker(rng), _marker(rng)
    make.log(recruiter, rel, kind="advice", day=date(2024, 5, 1), note=note,
             private_note=private)
    invitations.create_invitation(recruiter, contact)
    markers = [*values.values(), email.split("@")[0], twin.name, twin.summary, note, private]
    contact_id, twin_id, recruiter_id = contact.id, twin.id, recruiter.id
    client = app.test_client()
    login(client, recruiter.email)
    assert values["name"] in client.get("/search/", query_string={
        "q": values["skills"]}).get_data(as_text=True)
    client.get("/search/typeahead", query_string={"q": values["name"][:4]})
    held = _files_holding(app, markers)
    assert all(held[m] for m in (values["name"], values["summary"], private)), held

    response = post(client, f"/people/{contact_id}/delete", {},
                    token_from=f"/people/{contact_id}/delete")
    assert response.status_code == 302
    assert "and everything you kept about them are deleted" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Person, contact_id) is None and db.session.get(Person, twin_id) is None
    page = client.get("/search/", query_string={"q": values["skills"]}).get_data(as_text=True)
    assert "0 people" in page and values["name"] not in page
    assert client.get("/search/typeahead", query_string={
        "q": values["name"][:4]}).get_json() == {"suggestions": []}
    tomb = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "person deleted"))
    assert tomb.detail == '{"records": 2}' and tomb.actor_user_id == recruiter_id
    rows = str(database_rows())
    assert not [m for m in markers if m in rows]

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    left = {m: files for m, files in _files_holding(app, markers).items() if files}
    assert not left, left
