"""Openings: the two lists a recruiter sees, and recommending someone to the client."""

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from referrals.models import Interaction
from referrals.openings.models import OpeningDecision
from tests.conftest import login, post

VOUCH = "I have known Near Miss for ten years: she runs reward like a head of reward already."


def _history(make, recruiter, other, years=10, kinds=("advice", "referral", "check_in")):
    """Years of confirmed, two-way give and take between a recruiter and someone."""
    rel = make.connect(recruiter, other)
    start = date.today() - timedelta(days=365 * years)
    for n in range(years * 2):
        giver, taker = (recruiter, other) if n % 2 else (other, recruiter)
        make.log(giver, rel, kind=kinds[n % len(kinds)], direction="i_gave",
                 day=start + timedelta(days=182 * n + 1), confirm_by=taker)
    return rel


def _world(make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client = make.user("client", name="Carla Client", organisation="Northwind")
    _history(make, recruiter, client, years=6, kinds=("hire", "meeting", "market_insight"))
    perfect = make.user("candidate", name="Perfect Fit", title="Head of Reward",
                        skills="Reward\nExecutive compensation", years_experience=12,
                        location="London", visibility="recruiters")
    near = make.user("candidate", name="Near Miss", title="Reward Manager",
                     skills="Reward\nExecutive compensation", years_experience=8,
                     location="London", visibility="recruiters")
    _history(make, recruiter, near)
    engineer = make.user("candidate", name="Eddie Engineer", title="Software Engineer",
                         skills="Python\nPostgreSQL", years_experience=8, location="London",
                         visibility="recruiters")
    _history(make, recruiter, engineer)
    return recruiter, client, perfect, near, engineer


def _open(client_http, client_person_id):
    return post(client_http, "/openings/new", {
        "client_id": client_person_id, "title": "Head of Reward", "organisation": "Northwind",
        "location": "London", "min_years": "10", "must_skills": "Reward\nExecutive compensation",
        "nice_skills": "Job evaluation"}, token_from="/openings/new")


def test_recruiter_sees_the_shortlist_and_the_wild_card(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    response = _open(http, client.person.id)
    assert response.status_code == 302
    page = http.get(response.headers["Location"]).get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    assert "Perfect Fit" in shortlist and "Near Miss" not in shortlist
    assert "Near Miss" in wildcards and "8 years against 10" in wildcards
    assert "Eddie Engineer" not in page  # a strong tie, but no wild card for this role


def test_recommending_logs_a_referral_in_both_histories_and_the_client_sees_it(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rstrip("/").rsplit("/", 1)[1])
    before = db.session.scalar(select(db.func.count(Interaction.id)))
    response = post(http, f"/openings/{opening_id}/people/{near.person.id}/recommend",
                    {"vouch": VOUCH}, token_from=opening_url)
    assert response.status_code == 302
    referrals = db.session.scalars(select(Interaction).where(
        Interaction.kind == "referral", Interaction.status == "pending")
        .order_by(Interaction.id.desc()).limit(2)).all()
    assert db.session.scalar(select(db.func.count(Interaction.id))) == before + 2
    assert {r.note.split(" ")[0] for r in referrals} == {"Recommended", "Put"}
    client_http = app.test_client()
    login(client_http, client.email)
    view = client_http.get(opening_url).get_data(as_text=True)
    assert "Near Miss" in view and "wild card" in view and VOUCH in view
    candidate_http = app.test_client()
    login(candidate_http, near.email)
    assert "Put you forward for Head of Reward" in candidate_http.get("/").get_data(
        as_text=True)


def test_consent_required_candidates_are_asked_first(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    from referrals.network import people
    people.update_profile(near.person, consent_required=True)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rsplit("/", 1)[1])
    post(http, f"/openings/{opening_id}/people/{near.person.id}/recommend", {"vouch": VOUCH},
         token_from=opening_url)
    decision = db.session.scalar(select(OpeningDecision))
    assert decision.action == "awaiting_consent"
    client_http = app.test_client()
    login(client_http, client.email)
    assert "Near Miss" not in client_http.get(opening_url).get_data(as_text=True)
    candidate_http = app.test_client()
    login(candidate_http, near.email)
    assert "would like to put you forward" in candidate_http.get("/").get_data(as_text=True)
    post(candidate_http, f"/openings/consents/{decision.id}/agree")
    db.session.refresh(decision)
    assert decision.action == "recommended"
    assert "Near Miss" in client_http.get(opening_url).get_data(as_text=True)


def test_dismissed_people_stay_dismissed(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rsplit("/", 1)[1])
    post(http, f"/openings/{opening_id}/people/{perfect.person.id}/dismiss",
         {"reason": "Not moving this year"}, token_from=opening_url)
    page = http.get(opening_url).get_data(as_text=True)
    assert "Perfect Fit" not in page and "1 dismissed" in page


def test_other_recruiters_cannot_see_or_act_on_an_opening(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rsplit("/", 1)[1])
    rival = make.user("recruiter")
    other = app.test_client()
    login(other, rival.email)
    assert other.get(opening_url).status_code == 404
    response = post(other, f"/openings/{opening_id}/people/{near.person.id}/recommend")
    assert response.status_code == 404
    assert db.session.scalar(select(OpeningDecision.id)) is None


def _naive_ranking(opening, recruiter, relevance, today, limit):
    """Both lists the slow, obvious way: every visible candidate, every ledger read in full."""
    from referrals.access import my_relationships_clause
    from referrals.models import Person, Relationship
    from referrals.openings import matching, wildcards
    from referrals.trust import store as trust_store

    me = recruiter.person
    trust = {}
    for rel in db.session.scalars(select(Relationship).where(
            my_relationships_clause(me.id), Relationship.status == "accepted")):
        ledger = trust_store.load_ledger(rel)
        if len(ledger):
            other = rel.b_id if rel.a_id == me.id else rel.a_id
            trust[other] = matching.assessed_facts(ledger, rel.side_of(me.id), today)[0]
    people = db.session.scalars(select(Person).where(
        Person.role == "candidate", Person.merged_into_id.is_(None),
        (Person.visibility != "private") | (Person.owner_id == recruiter.id)))
    candidates = [matching._candidate(p, relevance.scores.get(p.id, 0.0)) for p in people]
    dismissed = db.session.scalars(select(OpeningDecision.person_id).where(
        OpeningDecision.action == "dismissed")).all()
    return wildcards.rank(matching.criteria_of(opening), candidates, trust,
                          matching.client_facts(opening, recruiter, today), dismissed=dismissed,
                          limit=limit)


@pytest.mark.parametrize("seed", [5, 17])
def test_both_lists_equal_a_ranking_that_reads_every_ledger_in_full(app, make, seed):
    from referrals.openings import services as openings

    rng = random.Random(seed)
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client = make.user("client", name="Carla Client", organisation="Northwind")
    _history(make, recruiter, client, years=3, kinds=("hire", "meeting"))
    skills = ["Reward", "Executive compensation", "Job evaluation", "Payroll", "Benefits"]
    sure = make.user("candidate", name="Sure Fit", title="Head of Reward", years_experience=12,
                     skills="Reward\nExecutive compensation", location="London",
                     visibility="recruiters")
    make.log(recruiter, _history(make, recruiter, sure, years=2), kind="check_in",
             day=date.today() - timedelta(days=10), confirm_by=sure)
    near = make.user("candidate", name="Near Miss", title="Reward Manager", years_experience=8,
                     skills="Reward\nExecutive compensation", location="London",
                     visibility="recruiters")
    # A wild card whose latest referral is dated after the earlier of the two days ranked.
    make.log(near, _history(make, recruiter, near), kind="referral", direction="i_gave",
             day=date.today() - timedelta(days=10), confirm_by=recruiter)
    for i in range(14):
        person = make.user(
            "candidate", name=f"Candidate {i}",
            title=rng.choice(["Head of Reward", "Reward Manager", "Payroll Lead"]),
            skills="\n".join(rng.sample(skills, rng.randint(1, 4))),
            years_experience=rng.choice([None, 4, 8, 12, 15]),
            location=rng.choice(["London", "London", "Leeds", "Remote, UK"]),
            visibility=rng.choice(["recruiters", "connections", "private"]))
        pattern = rng.choice(["years", "years", "asks", "unconfirmed", "none", "late"])
        if pattern == "years":
            _history(make, recruiter, person, years=rng.randint(1, 10))
        elif pattern == "asks":
            rel = make.connect(recruiter, person)
            for n in range(6):
                make.log(person, rel, kind="ask", direction="they_gave",
                         day=date.today() - timedelta(days=300 * n + 5), confirm_by=recruiter)
        elif pattern == "unconfirmed":
            rel = make.connect(recruiter, person)
            for n in range(8):
                make.log(recruiter, rel, kind="advice", direction=rng.choice(["i_gave", "mutual"]),
                         day=date.today() - timedelta(days=200 * n + 3))
        elif pattern == "late":  # history whose latest events come after the day ranked
            rel = _history(make, recruiter, person, years=4)
            make.log(recruiter, rel, kind="referral", direction="i_gave",
                     day=date.today() - timedelta(days=10), confirm_by=person)
    opening = openings.create_opening(
        recruiter, client_id=client.person.id, title="Head of Reward", organisation="Northwind",
        location="London", min_years=10, must_skills="Reward\nExecutive compensation",
        nice_skills="Job evaluation")
    def ranked(today, limit=20):
        relevance, ranking = openings.both_lists(opening, recruiter, today, limit)
        assert relevance.total == len(relevance.scores)  # the small world: every match scored
        return relevance, ranking

    dismissed = rng.choice([p for p in ranked(date.today())[1].wildcards
                            if p.name != "Near Miss"] or [None])
    if dismissed is not None:
        openings.dismiss(opening, dismissed.person_id, "Placed elsewhere")
    for today in (date.today(), date.today() - timedelta(days=30)):
        for limit in (20, 2):
            relevance, fast = ranked(today, limit)
            assert fast == _naive_ranking(opening, recruiter, relevance, today, limit)
    assert fast.wildcards and fast.shortlist_total  # the world has both lists to compare


def test_recommending_never_lowers_a_score_and_the_wild_card_stays(app, make):
    from referrals.models import Relationship
    from referrals.trust.strength import strength_of

    # The candidate's account is made first, so the recruiter is side "b" of their relationship.
    near = make.user("candidate", name="Near Miss", title="Reward Manager",
                     skills="Reward\nExecutive compensation", years_experience=8,
                     location="London", visibility="recruiters")
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client = make.user("client", name="Carla Client", organisation="Northwind")
    _history(make, recruiter, client, years=6, kinds=("hire", "meeting", "market_insight"))
    near_rel = _history(make, recruiter, near)
    assert near_rel.side_of(recruiter.person.id) == "b"
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rstrip("/").rsplit("/", 1)[1])
    today = date.today()

    def standings():
        db.session.expire_all()
        rels = db.session.scalars(select(Relationship)).all()
        return {(rel.id, person): strength_of(rel, today, person).score
                for rel in rels for person in (rel.a_id, rel.b_id)}

    before = standings()
    assert "Near Miss" in http.get(opening_url).get_data(as_text=True).split('id="wild-h"')[1]
    response = post(http, f"/openings/{opening_id}/people/{near.person.id}/recommend",
                    {"vouch": VOUCH}, token_from=opening_url)
    assert response.status_code == 302
    after = standings()
    assert all(after[key] >= score for key, score in before.items())
    assert "Near Miss" in http.get(opening_url).get_data(as_text=True).split('id="wild-h"')[1]
