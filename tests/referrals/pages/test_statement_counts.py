"""No N+1: the SQL statements a page runs do not grow with the data it shows.

Each page is asked for in a small world and in one five times larger, counting the statements
(SQLAlchemy's before_cursor_execute); the counts must be equal. The larger world has five times
the connections, pending entries, history, people in an opening and search hits.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from extensions import db
from referrals.history import services as history
from referrals.models import Relationship
from referrals.statuses import InteractionStatus
from referrals.trust import store as trust_store
from tests.conftest import login, post

KINDS = ("advice", "referral", "check_in", "market_insight")


class StatementCounter:
    """Counts the statements the app's engine sends while active."""

    def __init__(self, engine):
        self.engine, self.count, self.active = engine, 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        if self.active:
            self.count += 1

    def statements(self, client, path: str) -> int:
        """How many statements a GET of `path` runs; the page must answer 200."""
        client.get(path)  # warm: first-request work (replica catch-up, caches) is not the page
        self.count, self.active = 0, True
        response = client.get(path)
        self.active = False
        assert response.status_code == 200, (path, response.status_code)
        return self.count

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def _history(make, recruiter, other, entries: int, pending_from_other: int):
    """A relationship with confirmed give and take and some entries waiting for the recruiter,
    written in one transaction (the trust aggregate rebuilt once) to keep the world quick."""
    rel = make.connect(recruiter, other)
    step = 6 * 365 // entries  # six years at either scale: long enough to vouch for a wild card
    start = date.today() - timedelta(days=step * entries + 30)
    logged = []
    for n in range(entries):
        giver = recruiter if n % 2 else other
        logged.append(history.record_interaction(
            giver, rel.id, rel.side_of(giver.person.id), occurred_on=start + timedelta(
                days=step * n), kind=KINDS[n % len(KINDS)], direction="i_gave",
            note=f"entry {n}", private_note=""))
    for interaction in logged:
        interaction.status = InteractionStatus.CONFIRMED
    for n in range(pending_from_other):
        history.record_interaction(other, rel.id, rel.side_of(other.person.id),
                                   occurred_on=date.today() - timedelta(days=n + 1),
                                   kind="advice", direction="i_gave", note=f"waiting {n}",
                                   private_note="")
    trust_store.rebuild(db.session.get(Relationship, rel.id))
    db.session.commit()
    return rel


def _world(app, make, scale: int) -> dict:
    """A recruiter with 3*scale candidates (six years of history each, 30*scale entries for
    the first, and two entries waiting for the recruiter), a client, scale contacts kept
    without accounts, and an opening the candidates rank for (shortlist or wild cards)."""
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client = make.user("client", name="Carla Client", organisation="Northwind")
    _history(make, recruiter, client, entries=6, pending_from_other=1)
    rels = []
    for n in range(3 * scale):
        candidate = make.user("candidate", name=f"Cand Person{n}", title="Reward Manager",
                              skills="Reward\nExecutive compensation", years_experience=8 + n % 5,
                              location="London", visibility="recruiters",
                              organisation=f"Org {n % 4}")
        # The first relationship's page is the one measured: its history grows with the scale.
        rels.append(_history(make, recruiter, candidate, entries=30 * scale if n == 0 else 6,
                             pending_from_other=2))
    for n in range(scale):
        make.contact(recruiter, name=f"Kept Contact{n}", organisation="Fabrikam")
    http = app.test_client()
    login(http, recruiter.email)
    opening = post(http, "/openings/new", {
        "client_id": client.person.id, "title": "Head of Reward", "organisation": "Northwind",
        "location": "London", "min_years": "10", "must_skills": "Reward\nExecutive compensation",
        "nice_skills": "Job evaluation"}, token_from="/openings/new").headers["Location"]
    return {"http": http, "rel": rels[0].id, "person": rels[0].b_id
            if rels[0].a_id == recruiter.person.id else rels[0].a_id, "opening": opening}


PAGES = {
    "dashboard": lambda w: "/",
    "dashboard sorted by name": lambda w: "/?sort=name&page=2",
    "waiting list": lambda w: "/waiting",
    "losing touch": lambda w: "/losing-touch",
    "relationship": lambda w: f"/relationships/{w['rel']}",
    "relationship, page 2": lambda w: f"/relationships/{w['rel']}?page=2",
    "person": lambda w: f"/people/{w['person']}",
    "opening": lambda w: w["opening"],
    "openings": lambda w: "/openings/",
    "search": lambda w: "/search/?q=reward",
}


@pytest.fixture
def counts(app, make, request):
    """Statements per page in a world of the scale asked for."""
    world = _world(app, make, request.param)
    counter = StatementCounter(db.engine)
    try:
        yield {name: counter.statements(world["http"], path(world))
               for name, path in PAGES.items()}
    finally:
        counter.close()


@pytest.fixture(scope="module")
def measured() -> dict:
    """The counts of each scale, kept across the two parametrised runs."""
    return {}


@pytest.mark.parametrize("counts", [1, 5], indirect=True, ids=["small", "five-times"])
def test_statements_per_page_do_not_grow_with_the_data(counts, measured, request):
    scale = request.node.callspec.id
    measured[scale] = counts
    if len(measured) < 2:
        return
    small, large = measured["small"], measured["five-times"]
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grown, f"statements grew with the data (small, 5x): {grown}"
