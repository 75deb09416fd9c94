"""Openings: the two lists a recruiter sees, and recommending someone to the client."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from referrals.models import Interaction
from referrals.opening_models import OpeningDecision
from tests.conftest import login, post


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
                    token_from=opening_url)
    assert response.status_code == 302
    referrals = db.session.scalars(select(Interaction).where(
        Interaction.kind == "referral", Interaction.status == "pending")
        .order_by(Interaction.id.desc()).limit(2)).all()
    assert db.session.scalar(select(db.func.count(Interaction.id))) == before + 2
    assert {r.note.split(" ")[0] for r in referrals} == {"Recommended", "Put"}
    client_http = app.test_client()
    login(client_http, client.email)
    view = client_http.get(opening_url).get_data(as_text=True)
    assert "Near Miss" in view and "wild card" in view and "8 years against 10" in view
    candidate_http = app.test_client()
    login(candidate_http, near.email)
    assert "Put you forward for Head of Reward" in candidate_http.get("/").get_data(
        as_text=True)


def test_consent_required_candidates_are_asked_first(app, make):
    recruiter, client, perfect, near, engineer = _world(make)
    from referrals import people
    people.update_profile(near.person, consent_required=True)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening_id = int(opening_url.rsplit("/", 1)[1])
    post(http, f"/openings/{opening_id}/people/{near.person.id}/recommend",
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


def _query_cost(recruiter, query):
    """What search estimates a query costs, cold, for this recruiter (see search/plan.py)."""
    from search import plan, services
    from search.compiler import Compiler
    from search.engine import open_index
    from search.query import parse

    snap = open_index(services.index_path()).snapshot()
    viewer = services.viewer_of(recruiter)
    node = Compiler(snap, viewer.user_id, snap.allowed(viewer)).compile(parse(query)).query
    return plan.cost(node, snap)


def test_an_opening_too_costly_to_search_by_phrase_is_searched_by_its_words(
        app, make, monkeypatch):
    from referrals.opening_models import Opening
    from search import results, services

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening = db.session.scalar(select(Opening))
    services.catch_up()
    by_phrase = _query_cost(recruiter, services.opening_query(opening))
    by_words = _query_cost(recruiter, services.opening_query(opening, phrases=False))
    assert by_words < by_phrase
    monkeypatch.setattr(results, "WORK_BUDGET", (by_words + by_phrase) / 2)
    page = http.get(opening_url).get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    assert "Perfect Fit" in shortlist and "Near Miss" in wildcards
    assert "too common" not in page


def test_an_opening_too_costly_to_search_at_all_says_so(app, make, monkeypatch):
    from search import results

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    monkeypatch.setattr(results, "WORK_BUDGET", 0)
    page = http.get(_open(http, client.person.id).headers["Location"]).get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    # Perfect Fit is found only through search: no relationship puts them in the pool.
    assert "Perfect Fit" not in shortlist and "Near Miss" in wildcards
    assert "too common for search to rank profiles" in page
