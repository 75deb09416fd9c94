"""Any input gets results or a clear message, never an exception, on a realistic index.

The index is a 20,000-person synthetic network built once for the module. How long each of
these takes is measured by bench/search_bench.py (`hostile` in its output), not asserted here.
"""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.search_bench import synthetic_people
from search import budget, compiler, results
from search.engine import Viewer, open_index
from search.index import SearchIndex

RECRUITER = Viewer(user_id=3, person_id=None, role="recruiter")
WILDCARD = "Wildcards need at least 3 characters before the *"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = open_index(tmp_path_factory.mktemp("hostile") / "idx")
    ix.rebuild(synthetic_people(20_000, seed=11), procs=2)
    yield ix
    ix.close()


def said(page, text):
    return text in (page.message or "") or any(text in n for n in page.notices)


NOISE = "".join(chr(random.Random(1).randrange(0x20, 0x2FFF)) for _ in range(10_000))
CASES = [
    ("*", lambda p: p.total == 0 and said(p, WILDCARD)),
    ("*a*", lambda p: p.total == 0 and said(p, WILDCARD)),
    ("??????", lambda p: p.total == 0 and said(p, WILDCARD)),
    ("a*", lambda p: p.total == 0 and said(p, WILDCARD)),
    ("payroll *", lambda p: p.total > 0 and said(p, WILDCARD)),
    ("pay*", lambda p: p.total > 0 and p.message is None),
    ("pay*ll", lambda p: p.total > 0),
    ("name:[a TO z]", lambda p: p.total == 0 and said(p, "Ranges such as [a TO z]")),
    ("{a TO z} payroll", lambda p: p.total > 0 and said(p, "Ranges")),
    (" ".join(f"{chr(97 + i % 26)}~" for i in range(50)),
     lambda p: said(p, "needs at least 3 letters") and said(p, "first 24 words")),
    (" ".join(["recruitment~"] * 50), lambda p: p.total > 0 and said(p, "first 24 words")),
    ("payroll " * 1250, lambda p: p.total > 0 and said(p, "first 1,000 characters")),
    ("x" * 10_000, lambda p: p.total == 0 and said(p, "first 1,000 characters")),
    (NOISE, lambda p: said(p, "first 1,000 characters")),
    ('"employee relations', lambda p: p.total > 0 and said(p, "closing quote")),
    ("((payroll", lambda p: p.total > 0 and said(p, "closing bracket")),
    ("payroll))", lambda p: p.total > 0 and said(p, "unmatched closing bracket")),
    ("(" * 5000, lambda p: p.total == 0 and said(p, "nested deeper")),
    ("foo:payroll", lambda p: p.total > 0 and said(p, "no field called \u201cfoo\u201d")),
    ("\x00payroll\x1b\x7f", lambda p: p.total > 0),
    ("\x00\x00", lambda p: p.total == 0 and said(p, "no words to search for")),
    ("\U0001F600", lambda p: p.total == 0 and said(p, "no words to search for")),
    ("\u202eplh\u202c payroll", lambda p: p.message is None),
    ("\ud800 payroll", lambda p: p.total > 0),
    ("\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd", lambda p: p.total == 0),
    ("AND OR NOT", lambda p: p.total == 0 and said(p, "no words to search for")),
    ("-payroll", lambda p: p.total > 0 and said(p, "Only exclusions")),
    ('skills:""', lambda p: p.total == 0 and p.message),
    ("+ - : ~ ^ \" ( ) [ ] { }", lambda p: p.total == 0 and p.message),
    ("man* rec* pay* lea* dev* man* tal* emp* org* com* ben*", lambda p: p.message is None),
    ("the of and to in", lambda p: p.total == 0 and said(p, "no words to search for")),
]


@pytest.mark.parametrize("query, expected", CASES, ids=[repr(q[:30]) for q, _ in CASES])
def test_hostile_query_gets_results_or_a_clear_message(index, query, expected):
    page = index.search_profiles(query, RECRUITER)
    assert expected(page), (page.total, page.message, page.notices)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200) | st.text(alphabet='abc*?~"()[]{}:+-^ ANDORT', max_size=60))
def test_any_text_gets_an_answer(index, text):
    page = index.search_profiles(text, RECRUITER)
    assert page.total >= 0 and page.page >= 1
    assert page.total == 0 or page.hits


def test_typeahead_takes_anything(index):
    for prefix in ("", "*", "\x00", "a", "O'", "\U0001F600", "x" * 10_000, "zo\u0308"):
        assert isinstance(index.typeahead(prefix, RECRUITER), list)
    assert index.typeahead("oli", RECRUITER)


def test_a_search_too_costly_to_run_is_refused_with_a_message(index, monkeypatch):
    monkeypatch.setattr(results, "WORK_BUDGET", 1_000)
    page = index.search_profiles("london manager recruitment partner", RECRUITER)
    assert page.total == 0
    assert said(page, "too many common words")


def test_a_wildcard_with_too_many_words_says_which_were_used(index, monkeypatch):
    monkeypatch.setattr(compiler, "MAX_EXPANSIONS", 2)
    page = index.search_profiles("man*", RECRUITER)
    assert page.total > 0
    assert said(page, "only the 2 most common were searched for")


def test_deep_paging_is_capped_out_loud(index):
    page = index.search_profiles("london", RECRUITER, page=500, per_page=100)
    assert page.total > 1000
    assert page.page == 10
    assert said(page, "only the best 1,000")


def test_typo_work_stops_at_the_budget_and_the_page_says_so(index, monkeypatch):
    monkeypatch.setattr(budget, "SEARCH_SECONDS", 0.0)  # spent before the first variant
    page = index.search_profiles("payroll recuitment", RECRUITER)
    assert said(page, "too broad to finish; showing the best results found so far")
    assert page.total == 0  # "recuitment" as typed: its variants were not looked for
    monkeypatch.setattr(budget, "SEARCH_SECONDS", 10.0)
    page = index.search_profiles("payroll recuitment", RECRUITER)
    assert page.total > 0 and not said(page, "too broad")


def test_unknown_long_words_cost_no_typo_search(index):
    words = " ".join("".join(random.Random(n).choices("abcdefghij", k=40)) for n in range(24))
    page = index.search_profiles(words, RECRUITER)
    assert page.total == 0 and page.corrected is None and not said(page, "too broad")
    page = index.search_profiles("x" * 30 + "~ payroll", RECRUITER)
    assert said(page, "Typos are looked for in words of up to 24 letters")


def test_a_budget_is_spent_by_cpu_time(monkeypatch):
    clock = iter([0.0, 0.1, 0.2, 0.3])
    allowance = budget.Budget(0.15, clock=lambda: next(clock))
    assert allowance.allows() and not allowance.cut
    assert not allowance.allows() and allowance.cut
    assert not allowance.allows()


def test_reading_stops_at_its_deadline_and_later_reads_stay_below_where_it_stopped():
    clock = iter([0.0, 0.1, 0.2, 0.17, 0.3])
    allowance = budget.Budget(0.15, clock=lambda: next(clock), evaluation=0.15)
    assert allowance.reads(10)  # at 0.1 s
    assert not allowance.reads(20) and allowance.horizon == 20  # at 0.2 s: past the deadline
    assert not allowance.reads(30)  # past the horizon: no clock needed
    assert allowance.reads(5)  # at 0.17 s: within the grace for what is below the horizon
    assert not allowance.reads(8) and allowance.horizon == 8  # at 0.3 s: past the grace too
    assert allowance.below_horizon(0b1_0000_0001) == 1


def test_a_search_cut_while_reading_shows_what_it_found_and_says_so(index, monkeypatch):
    fresh = SearchIndex(index.path)  # its own caches: every posting is still to be read

    def ticking():  # a clock a millisecond further on each look: the cut comes after a
        looks = itertools.count()  # fixed amount of reading, whatever the machine
        return lambda: next(looks) / 1000

    monkeypatch.setattr(budget, "EVALUATION_SECONDS", 0.05)
    monkeypatch.setattr(results, "Budget", lambda: budget.Budget(clock=ticking()))
    query = "london manager"
    cut = fresh.search_profiles(query, RECRUITER)
    monkeypatch.undo()
    whole = fresh.search_profiles(query, RECRUITER)
    everyone = fresh.relevance(query, RECRUITER, limit=100_000)
    fresh.close()
    assert cut.partial and said(cut, "cut short: only part of the profiles were checked")
    assert 0 < cut.total < whole.total == everyone.total
    assert {hit.person_id for hit in cut.hits} <= set(everyone.scores)
    assert not whole.partial and not said(whole, "cut short")


def _repeated_until_whole(fresh, query, seconds, monkeypatch) -> None:
    """Search the query again and again, each search cut after `seconds` of fixed looks at the
    clock: it must take more than two searches, then be whole (within 20), every total a
    lower bound of the unlimited one."""
    def ticking():  # as above: the cut comes after a fixed amount of reading
        looks = itertools.count()
        return lambda: next(looks) / 1000

    monkeypatch.setattr(budget, "EVALUATION_SECONDS", seconds)
    monkeypatch.setattr(results, "Budget", lambda: budget.Budget(clock=ticking()))
    pages = [fresh.search_profiles(query, RECRUITER)]
    while pages[-1].partial and len(pages) < 20:
        pages.append(fresh.search_profiles(query, RECRUITER))
    monkeypatch.undo()
    everyone = fresh.relevance(query, RECRUITER, limit=100_000)
    fresh.close()
    totals = [page.total for page in pages]
    assert pages[0].partial and len(pages) > 2, totals  # more than one search's budget
    assert not pages[-1].partial and pages[-1].total == everyone.total, totals
    assert all(total <= everyone.total for total in totals)  # at least so many, never more


def test_a_phrase_check_cut_short_is_taken_up_where_it_stopped(index, monkeypatch):
    """A common phrase that one search's budget cannot check through is not begun again from
    the first profile each time: repeated, the search finishes with every match."""
    fresh = SearchIndex(index.path)
    fresh.search_profiles("change management", RECRUITER)  # the words' postings, read whole
    _repeated_until_whole(fresh, '"change management"', 0.05, monkeypatch)


def test_a_common_word_cut_short_is_read_on_from_where_it_stopped(index, monkeypatch):
    """A common word whose postings one search's budget cannot read through is not read again
    from its first block each time: repeated, the search finishes with every match."""
    _repeated_until_whole(SearchIndex(index.path), "management", 0.02, monkeypatch)
