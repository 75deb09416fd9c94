"""Ranking by where the words are: the title and exact phrases over scattered summary words."""

import pytest

from search.engine import Viewer, open_index
from search.rerank import evidence, zones

RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")
LONG = ("Plant manager for a large site. Worked with HR on compensation and benefits, "
        "compensation reviews, benefits renewals and the manager development programme; "
        "a manager who manages managers, with compensation and benefits experience.")


def person(pid, **fields):
    doc = {"id": pid, "name": f"Person {pid}", "headline": "", "title": "", "organisation": "",
           "location": "", "skills": [], "summary": "", "role": "candidate",
           "open_to_work": False, "visibility": "recruiters", "owner": 900, "audience": [],
           "notes": []}
    return {**doc, **fields}


@pytest.fixture
def index(tmp_path):
    ix = open_index(tmp_path / "idx")
    yield ix
    ix.close()


def ids(index, query):
    return [h.person_id for h in index.search_profiles(query, RECRUITER).hits]


def test_the_title_beats_the_same_words_scattered_in_a_long_summary(index):
    index.rebuild([person(1, title="Plant Manager", headline="Plant Manager", summary=LONG),
                   person(2, title="C&B Manager", headline="C&B Manager at Kestrel"),
                   person(3, title="HR Advisor", summary="Compensation and benefits manager "
                                                          "for a retailer.")])
    assert ids(index, "compensation and benefits manager")[0] == 2
    assert ids(index, "compensation and benefits manager")[-1] == 1


def test_the_specialism_weighs_more_than_the_job_title_noun(index):
    index.rebuild([person(1, title="Plant Manager", skills=["Reward"]),
                   person(2, title="Reward Analyst", skills=["Manager Coaching"])])
    assert ids(index, "reward manager") == [2, 1]


def test_an_exact_phrase_in_the_title_beats_the_words_apart(index):
    index.rebuild([person(1, title="Senior Payroll Lead, HRBP", location="London"),
                   person(2, title="Senior HRBP", location="London")])
    assert ids(index, "senior HRBP London") == [2, 1]


def test_evidence_counts_the_best_place_of_each_word():
    doc = zones({"title": "Reward Manager", "headline": "", "name": "Ann Lee",
                 "skills": ["Payroll"], "location": "Leeds", "organisation": ""})
    reward, manager, leeds = (((("reward",),), 1.0), ((("manag",),), 1.0),
                              ((("leed",),), 1.0))
    assert evidence([reward, manager], [1.0, 1.0], doc) == pytest.approx(1.3)  # + phrase
    assert evidence([reward, leeds], [1.0, 1.0], doc) == pytest.approx(0.75)
    assert evidence([((("tupe",),), 1.0)], [1.0], doc) == 0.0
