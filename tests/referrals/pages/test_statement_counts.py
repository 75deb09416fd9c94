"""No N+1: the SQL statements a page runs do not grow with the data it shows.

Each page is asked for in a small world and in one five times larger, counting the statements
(SQLAlchemy's before_cursor_execute); the counts must be equal. The larger world has five times
the connections, pending entries, history, people losing touch, people in an opening and search
hits; the first dashboard of a day, which refreshes every stored standing, is counted too.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from extensions import db
from referrals.history import services as history
from referrals.models import Relationship
from referrals.network.people import set_cadence
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

    def statements(self, client, path: str, warm: bool = True) -> int:
        """How many statements a GET of `path` runs; the page must answer 200."""
        if warm:  # first-request work (replica catch-up, caches) is not the page
            client.get(path)
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
        # Losing touch grows too: one check-in years ago, half of them with a cadence overdue.
        kept = make.contact(recruiter, name=f"Kept Contact{n}", organisation="Fabrikam")
        rel = db.session.scalar(select(Relationship).where(
            Relationship.a_id.in_((kept.id, recruiter.person.id)),
            Relationship.b_id.in_((kept.id, recruiter.person.id))))
        side = rel.side_of(recruiter.person.id)
        history.record_interaction(recruiter, rel.id, side,
                                   occurred_on=date.today() - timedelta(days=1000),
                                   kind="check_in", direction="mutual", note="", private_note="")
        db.session.commit()
        if n % 2 == 0:
            set_cadence(rel.id, side, 30)
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
    "losing touch, page 2": lambda w: "/losing-touch?page=2",
    "dashboard by weakest trust": lambda w: "/?sort=strength&dir=asc",
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
        counts = {name: counter.statements(world["http"], path(world))
                  for name, path in PAGES.items()}
        # The first dashboard of a day refreshes every stored standing, in bulk.
        db.session.execute(update(Relationship).values(standing_on_a=None, standing_on_b=None))
        db.session.commit()
        counts["dashboard, first of the day"] = counter.statements(world["http"], "/", warm=False)
        yield counts
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
