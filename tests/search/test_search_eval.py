"""Relevance holds up on the evaluation set: nDCG@10 above a floor, and the reported cases."""

import pytest

from bench.search_eval import RECRUITER, evaluate
from search.engine import open_index
from tests.search.eval_set import QUERIES, network

NDCG_FLOOR = 0.92  # measured 0.967 (0.777 before re-ranking and typo correction)


@pytest.fixture(scope="module")
def people():
    return network()


@pytest.fixture(scope="module")
def index(tmp_path_factory, people):
    ix = open_index(tmp_path_factory.mktemp("eval") / "idx")
    ix.rebuild(people, procs=1)
    yield ix
    ix.close()


def _names(index, query, n=10, **kwargs):
    page = index.search_profiles(query, RECRUITER, per_page=n, **kwargs)
    return page, [index.snapshot().name(index.snapshot().docnum(h.person_id)) for h in page.hits]


def test_the_evaluation_set_is_large_and_graded():
    assert len(QUERIES) >= 40
    assert all(rules and max(g for g, _ in rules) == 3 for _, rules in QUERIES)


def test_ndcg_at_10_stays_above_the_floor(index, people):
    scores = evaluate(index, people)
    mean = sum(scores.values()) / len(scores)
    assert mean >= NDCG_FLOOR, sorted(scores.items(), key=lambda qs: qs[1])[:5]


def test_a_profile_titled_senior_hrbp_in_london_is_in_the_top_five(index, people):
    _, names = _names(index, "senior HRBP London", n=5)
    assert "Hana Lomax" in names


def test_a_plant_manager_is_not_near_the_top_for_compensation_and_benefits_manager(index):
    page, names = _names(index, "compensation and benefits manager", n=10)
    titles = [index.snapshot().reader.stored_fields(index.snapshot().docnum(h.person_id))
              ["doc"]["title"] for h in page.hits]
    assert page.total > 100 and "Plant Manager" not in titles
    assert titles[:5] == ["C&B Manager"] * 5
    assert "Derek Oyelaran" not in names


@pytest.mark.parametrize("typo, fixed, first", [("Lomx", "lomax", "Lomax"),
                                                ("compensaton", "compensation", None),
                                                ("compnsation", "compensation", None)])
def test_typos_are_corrected_on_a_full_network(index, typo, fixed, first):
    page, names = _names(index, typo)
    assert page.corrected == fixed and page.total
    if first:
        assert all(first in name for name in names[:2])


def test_every_page_of_a_search_keeps_one_order(index):
    whole = index.search_profiles("reward manager", RECRUITER, per_page=60).hits
    paged = [hit for page in (1, 2, 3) for hit in
             index.search_profiles("reward manager", RECRUITER, page=page, per_page=20).hits]
    assert [h.person_id for h in paged] == [h.person_id for h in whole]
