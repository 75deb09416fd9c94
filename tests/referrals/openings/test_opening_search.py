"""Openings and search: how an opening's profiles are found when its phrases, or its words,
cost more than search may spend, and when search cannot run at all."""

import inspect

from sqlalchemy import select

from extensions import db
from tests.conftest import login, post
from tests.referrals.openings.test_openings import _open, _world


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
    from referrals.openings.models import Opening
    from search import openings, results, services

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    opening = db.session.scalar(select(Opening))
    services.catch_up()
    by_phrase = _query_cost(recruiter, openings.opening_query(opening))
    by_words = _query_cost(recruiter, openings.opening_query(opening, phrases=False))
    assert by_words < by_phrase
    monkeypatch.setattr(results, "WORK_BUDGET", (by_words + by_phrase) / 2)
    page = http.get(opening_url).get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    assert "Perfect Fit" in shortlist and "Near Miss" in wildcards
    assert "too common" not in page


def test_an_opening_whose_phrases_are_cut_short_is_ranked_by_its_words(app, make, monkeypatch):
    """Checking a phrase's positions stops at the search budget; the lists must not come out
    empty for it, and the next view goes word by word at once."""
    from search import budget, snapshot

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    checks, reads, check = [], budget.Budget.reads, snapshot._phrase

    def phrase(*args, **kwargs):
        checks.append(args[2])
        return check(*args, **kwargs)

    def out_of_time_in_phrases(self, document):
        if any(frame.function == "_phrase" for frame in inspect.stack()[1:4]):
            self.horizon = document if self.horizon is None else min(self.horizon, document)
            return False  # as the budget does when its time runs out
        return reads(self, document)

    monkeypatch.setattr(snapshot, "_phrase", phrase)
    monkeypatch.setattr(budget.Budget, "reads", out_of_time_in_phrases)
    # Only the phrase checks run out: a real deadline could also pass before them when a busy
    # process collects garbage mid-search (seen in CI), and the phrases would never be tried.
    monkeypatch.setattr(budget, "SEARCH_SECONDS", 3600.0)
    monkeypatch.setattr(budget, "EVALUATION_SECONDS", 3600.0)
    opening_url = _open(http, client.person.id).headers["Location"]
    for _ in range(2):
        page = http.get(opening_url).get_data(as_text=True)
        shortlist, wildcards = page.split('id="wild-h"')
        assert "Perfect Fit" in shortlist and "Near Miss" in wildcards
        assert "matched word by word" in page and "stopped early" not in page
    assert checks and http.get(opening_url).status_code == 200
    seen = len(checks)
    http.get(opening_url)
    assert len(checks) == seen


def test_an_opening_whose_phrases_one_search_cannot_afford_goes_word_by_word_at_once(
        app, make, monkeypatch):
    """Skills as phrases whose estimated work is past what one search may read are not tried:
    the check would be cut and the opening searched again, and a worker's first view of it
    would pay for both. The first view is ranked by their words, with the same lists."""
    from search import results, snapshot

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    checks, check = [], snapshot._phrase

    def phrase(*args, **kwargs):
        checks.append(args[2])
        return check(*args, **kwargs)

    monkeypatch.setattr(snapshot, "_phrase", phrase)
    # Each unit of estimated work taken for a second: one search's budget affords no phrase.
    monkeypatch.setattr(results, "UNITS_PER_SECOND", 1.0)
    page = http.get(_open(http, client.person.id).headers["Location"]).get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    assert "Perfect Fit" in shortlist and "Near Miss" in wildcards
    assert "matched word by word" in page and "stopped early" not in page
    assert checks == []


def test_an_opening_of_single_words_is_searched_whatever_one_search_affords(
        app, make, monkeypatch):
    """The bound above is for trying phrases; an opening with none is searched as before."""
    from search import results

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    monkeypatch.setattr(results, "UNITS_PER_SECOND", 1.0)  # as above: affords nothing
    opened = post(http, "/openings/new", {
        "client_id": client.person.id, "title": "Engineer", "organisation": "Northwind",
        "location": "London", "must_skills": "Python\nPostgreSQL"}, token_from="/openings/new")
    page = http.get(opened.headers["Location"]).get_data(as_text=True)
    shortlist, _ = page.split('id="wild-h"')
    assert "Eddie Engineer" in shortlist
    assert "too common" not in page and "word by word" not in page


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


def test_an_opening_without_search_still_ranks_the_people_you_could_vouch_for(app, make):
    import shutil

    recruiter, client, perfect, near, engineer = _world(make)
    http = app.test_client()
    login(http, recruiter.email)
    opening_url = _open(http, client.person.id).headers["Location"]
    assert "Perfect Fit" in http.get(opening_url).get_data(as_text=True)  # with search
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    with open(app.config["SEARCH_INDEX_DIR"], "w") as blocker:  # a file where the folder was
        blocker.write("not an index")
    response = http.get(opening_url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shortlist, wildcards = page.split('id="wild-h"')
    assert "Near Miss" in wildcards and "8 years against 10" in wildcards
    assert "Perfect Fit" not in shortlist  # found only through search
    assert "Search is being rebuilt" in page
