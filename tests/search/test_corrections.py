"""Automatic typo correction sees only what the viewer may see, and says what it did."""

import pytest

from search.engine import Viewer, open_index

RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")


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


def shown(page):
    """Everything a page shows the viewer, as text."""
    return repr((page.total, [(h.person_id, h.highlights) for h in page.hits], page.facets,
                 page.corrected, page.did_you_mean, page.message, page.notices))


VISIBLE = [person(1, title="Compensation Analyst", name="Hana Lomax"),
           person(2, title="Payroll Lead", name="Tom Baker")]
HIDDEN = [person(10, title="Compensaton Specialist", name="Zed Lomx", visibility="private",
                 summary="compensatin compnsation lomox quetzal"),
          person(11, title="Recruiter", name="Ivy Lomaxe", visibility="connections",
                 audience=[77], notes=[{"author": 2, "text": "compensatoin lomx"}])]


@pytest.mark.parametrize("query", ["compensaton", "compnsation", "compensatoin", "Lomx",
                                   "lomox payroll", "quetzl", "compensatin analyst"])
def test_hidden_profiles_and_others_notes_change_nothing_a_viewer_sees(index, tmp_path, query):
    index.rebuild(VISIBLE)
    alone = [shown(index.search_profiles(query, RECRUITER, exact=exact)) for exact in (0, 1)]
    other = open_index(tmp_path / "other")
    other.rebuild(VISIBLE + HIDDEN)
    with_hidden = [shown(other.search_profiles(query, RECRUITER, exact=exact))
                   for exact in (0, 1)]
    other.close()
    assert with_hidden == alone


def test_a_correction_may_come_from_the_viewers_own_notes(index):
    index.rebuild([person(1, notes=[{"author": 1, "text": "Zanzibar trip"}])])
    page = index.search_profiles("zanzibr", RECRUITER)
    assert page.corrected == "zanzibar" and [h.person_id for h in page.hits] == [1]
    assert page.hits[0].highlights == {"notes": "<mark>Zanzibar</mark> trip"}


def test_several_typos_are_corrected_together_and_a_field_kept(index):
    index.rebuild([person(1, title="Compensation Analyst", location="Leeds"),
                   person(2, title="Compensation Analyst", location="London")])
    page = index.search_profiles("compnsation city:Leds", RECRUITER)
    assert page.corrected == "compensation city:leeds"
    assert [h.person_id for h in page.hits] == [1]
