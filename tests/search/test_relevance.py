"""An opening's relevance: the exact best matches, and every match among people asked about."""

import pytest

from bench.search_bench import synthetic_people
from search import plan, ranking
from search.compiler import Compiler
from search.engine import Viewer, open_index
from search.query import parse

RECRUITER = Viewer(user_id=7, person_id=None, role="recruiter")
QUERIES = ['"employee relations" OR reward OR "talent acquisition"',
           '"Executive" "compensation" OR "Head" "of" "Reward"', "payroll", "-payroll"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = open_index(tmp_path_factory.mktemp("relevance") / "idx")
    people = list(synthetic_people(3000, seed=5))
    ix.rebuild(people, procs=2)  # several segments
    for doc in people[:40]:  # and deleted documents in them
        ix.index_profile({**doc, "summary": doc["summary"] + " reward"})
    yield ix
    ix.close()


def brute_force(index, query):
    """person id -> BM25 of every match, scored one posting at a time."""
    snap = index.snapshot()
    allowed = snap.allowed(RECRUITER)
    node = Compiler(snap, RECRUITER.user_id, allowed).compile(parse(query)).query
    matched = plan.evaluate(node, snap, allowed)
    scores = ranking.scores(snap, matched, plan.scoring_terms(node))
    pids = snap.pids()
    return {pids[d]: scores.get(d, 0.0) for d in range(snap.size) if matched >> d & 1}


@pytest.mark.parametrize("query", QUERIES)
def test_the_best_matches_are_exactly_the_best(index, query):
    expected = brute_force(index, query)
    best = sorted(expected, key=lambda pid: (-expected[pid], pid))[:50]
    found = index.relevance(query, RECRUITER, 50)
    assert found.total == len(expected) and not found.too_costly
    assert sorted(found.scores, key=lambda pid: (-found.scores[pid], pid)) == best
    assert all(found.scores[pid] == pytest.approx(expected[pid]) for pid in best)


@pytest.mark.parametrize("query", QUERIES[:2])
def test_people_asked_about_are_scored_wherever_they_rank(index, query):
    expected = brute_force(index, query)
    ranked = sorted(expected, key=lambda pid: (-expected[pid], pid))
    asked = set(ranked[-30:]) | {999_999}  # the least relevant matches, and nobody at all
    found = index.relevance(query, RECRUITER, 10, among=asked)
    assert set(found.scores) == set(ranked[:10]) | set(ranked[-30:])
    assert all(found.scores[pid] == pytest.approx(expected[pid]) for pid in found.scores)
