"""The index sync after a response: one bounded slice of the change log per response."""

from extensions import db
from search import replicas, services
from search.changes import note_search_change
from search.index import open_index
from tests.conftest import login, post

SLICE = 40


def pending() -> int:
    """Logged changes the app's index has not applied (read without applying any)."""
    try:
        return len(replicas.fetch(services.backend().position(), 10_000).changes)
    finally:
        db.session.rollback()


def found(user, word: str) -> set[int]:
    """Person ids the index holds for `word` as `user` sees them, without catching up first."""
    page = open_index(services.index_path()).search_profiles(word, services.viewer_of(user),
                                                             per_page=100)
    return {hit.person_id for hit in page.hits}


def test_a_backlog_is_applied_a_slice_per_response_and_nothing_is_lost(app, make, client):
    app.config["SEARCH_AFTER_RESPONSE_SLICE"] = SLICE
    recruiter = make.user("recruiter")
    services.catch_up()
    # A backlog, as a bulk import or an index away for a while leaves: 30 people, each
    # changed five times, none of it applied yet.
    contacts = [make.contact(recruiter, name=f"Wombat Backlog{i}") for i in range(30)]
    for _ in range(4):
        note_search_change(*(person.id for person in contacts))
        db.session.commit()
    login(client, recruiter.email)
    backlog = pending()
    assert backlog >= 150 and found(recruiter, "wombat") == set()

    answer = post(client, "/people/new", {"name": "Wombat Latest", "role": "candidate"},
                  token_from="/people/new", buffered=True)
    assert answer.status_code == 302
    trail = [pending()]
    assert trail[0] >= backlog + 1 - SLICE  # the write's own response applied one slice
    while trail[-1] and len(trail) < 20:  # pages that change nothing carry on with the rest
        assert client.get("/", buffered=True).status_code == 200
        trail.append(pending())

    applied = [before - after for before, after in zip(trail, trail[1:], strict=False)]
    assert trail[-1] == 0, trail  # drained by responses alone, no search needed
    assert all(step == SLICE for step in applied[:-1]) and 0 < applied[-1] <= SLICE, trail
    people = {person.id for person in contacts}
    assert len(found(recruiter, "wombat")) == 31 and people <= found(recruiter, "wombat")
    assert client.get("/", buffered=True).status_code == 200 and pending() == 0
