"""What a recruiter notices when searching: ranking, syntax, typos, abbreviations, facets."""

import pytest

from search.engine import IndexUnavailable, Viewer, open_index

RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")


def person(pid, **fields):
    doc = {"id": pid, "name": f"Person {pid}", "headline": "", "title": "", "organisation": "",
           "location": "", "skills": [], "summary": "", "role": "candidate",
           "open_to_work": False, "visibility": "recruiters", "owner": 900, "audience": [],
           "notes": []}
    doc.update(fields)
    return doc


@pytest.fixture
def index(tmp_path):
    ix = open_index(tmp_path / "idx")
    yield ix
    ix.close()


def ids(page):
    return [h.person_id for h in page.hits]


def test_skill_outranks_the_same_word_in_a_summary(index):
    index.rebuild([
        person(1, summary="Some payroll work years ago among many other duties and tasks."),
        person(2, skills=["Payroll"]),
        person(3, headline="Payroll Manager"),
    ])
    page = index.search_profiles("payroll", RECRUITER)
    assert page.total == 3
    assert ids(page)[-1] == 1


def test_a_name_search_puts_the_person_first(index):
    index.rebuild([person(1, name="Ada Lovelace", summary="Worked with Lovelace on reward."),
                   person(2, name="Lovelace Smith")])
    assert ids(index.search_profiles("lovelace", RECRUITER))[0] in (1, 2)
    assert ids(index.search_profiles("ada lovelace", RECRUITER)) == [1]


def test_stemming_and_accents_fold_word_forms(index):
    index.rebuild([person(1, name="Zoë Müller", title="Recruitment Consultant"),
                   person(2, name="Søren Ærø", summary="Recruiting engineers")])
    assert set(ids(index.search_profiles("recruiting", RECRUITER))) == {1, 2}
    assert ids(index.search_profiles("zoe muller", RECRUITER)) == [1]
    assert ids(index.search_profiles("soren aero", RECRUITER)) == [2]


def test_plain_words_are_all_required(index):
    index.rebuild([person(1, skills=["Payroll"], location="London"),
                   person(2, skills=["Payroll"], location="Leeds")])
    assert ids(index.search_profiles("payroll london", RECRUITER)) == [1]


def test_boolean_operators_phrases_and_fields(index):
    index.rebuild([
        person(1, skills=["Employee Relations"], location="London"),
        person(2, summary="Handled employee relations cases.", location="London"),
        person(3, summary="Relations with each employee were good.", location="Paris"),
        person(4, skills=["Reward"], location="Paris"),
    ])
    assert set(ids(index.search_profiles('"employee relations"', RECRUITER))) == {1, 2}
    assert ids(index.search_profiles('skills:"employee relations"', RECRUITER)) == [1]
    assert set(ids(index.search_profiles("location:london", RECRUITER))) == {1, 2}
    assert set(ids(index.search_profiles("reward OR location:london", RECRUITER))) == {1, 2, 4}
    assert set(ids(index.search_profiles("employee NOT london", RECRUITER))) == {3}
    assert set(ids(index.search_profiles("employee -london", RECRUITER))) == {3}
    assert set(ids(index.search_profiles("(reward OR relations) AND paris", RECRUITER))) == {3, 4}


def test_plus_terms_are_required_and_plain_terms_only_rank(index):
    index.rebuild([person(1, skills=["Payroll"]), person(2, skills=["Payroll", "Reward"]),
                   person(3, skills=["Reward"])])
    page = index.search_profiles("+payroll reward", RECRUITER)
    assert ids(page) == [2, 1]


def test_a_typo_still_finds_the_word(index):
    index.rebuild([person(1, title="Recruitment Partner"), person(2, title="Payroll Lead")])
    page = index.search_profiles("recuitment", RECRUITER)
    assert ids(page) == [1] and page.corrected == "recruitment"
    assert ids(index.search_profiles("payrol~", RECRUITER)) == [2]


@pytest.mark.parametrize("typo", ["compnsaton", "compensaton", "compensatoin", "compnsation"])
def test_a_typo_of_a_stemmed_word_is_corrected_and_the_original_offered(index, typo):
    index.rebuild([person(1, title="Compensation Analyst"), person(2, title="Payroll Lead")])
    page = index.search_profiles(typo, RECRUITER)
    assert ids(page) == [1] and page.corrected == "compensation"
    assert page.hits[0].highlights["title"] == "<mark>Compensation</mark> Analyst"
    verbatim = index.search_profiles(typo, RECRUITER, exact=True)
    assert verbatim.total == 0 and verbatim.corrected is None
    assert verbatim.did_you_mean == "compensation"


def test_a_typo_in_a_short_surname_finds_the_name(index):
    index.rebuild([person(1, name="Hana Lomax"), person(2, name="Tom Lomas"),
                   person(3, name="Ann Lamb")])
    page = index.search_profiles("Lomx", RECRUITER)
    assert page.corrected == "lomax" and ids(page)[0] == 1
    assert ids(index.search_profiles("hana lomx", RECRUITER)) == [1]


def test_a_word_that_is_found_is_not_corrected(index):
    index.rebuild([person(1, title="Payroll Lead"), person(2, title="Payroll Manager")])
    page = index.search_profiles("payroll", RECRUITER)
    assert page.corrected is None and page.did_you_mean is None and page.total == 2


@pytest.mark.parametrize("short, long", [
    ("HRBP", "HR business partner"), ("L&D", "learning and development"),
    ("TA", "talent acquisition"), ("C&B", "compensation and benefits"),
    ("HRIS", "HR information systems"), ("ER", "employee relations"),
    ("OD", "organisational development"), ("OD", "organizational development"),
    ("DEI", "diversity, equity and inclusion"),
])
def test_abbreviations_find_both_forms(index, short, long):
    index.rebuild([person(1, skills=[short]), person(2, headline=f"Head of {long}"),
                   person(3, summary="Nothing relevant here.")])
    assert set(ids(index.search_profiles(short, RECRUITER))) == {1, 2}
    assert set(ids(index.search_profiles(long, RECRUITER))) == {1, 2}
    assert set(ids(index.search_profiles(f'"{long}"', RECRUITER))) == {1, 2}


def test_highlights_escape_user_text_and_mark_matches(index):
    index.rebuild([person(1, name="<script>alert(1)</script> Payroll", skills=["Payroll & Pay"])])
    hit = index.search_profiles("payroll", RECRUITER).hits[0]
    assert hit.highlights["name"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Payroll</mark>"
    assert hit.highlights["skills"] == "<mark>Payroll</mark> &amp; Pay"


def test_facets_count_only_what_the_viewer_may_see_and_filters_narrow(index):
    index.rebuild([
        person(1, skills=["Payroll"], location="London", open_to_work=True),
        person(2, skills=["Payroll", "Reward"], location="Leeds"),
        person(3, skills=["Payroll"], location="Paris", visibility="private"),
    ])
    page = index.search_profiles("payroll", RECRUITER)
    assert page.total == 2
    assert dict(page.facets["location"]) == {"London": 1, "Leeds": 1}
    assert dict(page.facets["skills"]) == {"Payroll": 2, "Reward": 1}
    assert dict(page.facets["open_to_work"]) == {True: 1, False: 1}
    assert dict(page.facets["role"]) == {"candidate": 2}
    assert ids(index.search_profiles("payroll", RECRUITER, {"location": "Leeds"})) == [2]
    assert ids(index.search_profiles("", RECRUITER, {"skills": ["Payroll", "Reward"]})) == [2]
    assert ids(index.search_profiles("payroll", RECRUITER, {"open_to_work": True})) == [1]


def test_sorting_by_values_puts_missing_values_last(index):
    index.rebuild([person(i, skills=["Payroll"]) for i in range(1, 5)])
    page = index.search_profiles("payroll", RECRUITER, sort="values",
                                 sort_values={3: 90.0, 1: 10.0, 4: 90.0})
    assert ids(page)[:3] in ([3, 4, 1], [4, 3, 1])
    assert ids(page)[3] == 2


def test_paging_reports_pages_and_caps_the_window_out_loud(index):
    index.rebuild([person(i, skills=["Payroll"]) for i in range(1, 26)])
    page = index.search_profiles("payroll", RECRUITER, page=2, per_page=10)
    assert (page.total, page.pages, page.page, len(page.hits)) == (25, 3, 2, 10)
    assert index.search_profiles("payroll", RECRUITER, page=99, per_page=10).page == 3
    assert not page.notices


def test_visibility_rule_for_each_kind_of_viewer(index):
    index.rebuild([
        person(1, skills=["Payroll"], visibility="recruiters", owner=50),
        person(2, skills=["Payroll"], visibility="connections", owner=50, audience=[77]),
        person(3, skills=["Payroll"], visibility="private", owner=50, audience=[77]),
        person(4, skills=["Payroll"], visibility="private", owner=60),
    ])
    candidate = Viewer(user_id=70, person_id=77, role="candidate")
    owner = Viewer(user_id=60, person_id=None, role="candidate")
    assert set(ids(index.search_profiles("payroll", RECRUITER))) == {1}
    assert set(ids(index.search_profiles("payroll", candidate))) == {2}
    assert set(ids(index.search_profiles("payroll", owner))) == {4}
    assert index.search_profiles("", candidate).total == 1


def test_private_notes_are_searchable_only_by_their_author(index):
    index.rebuild([person(1, name="Ann Smith", notes=[{"author": 1, "text": "Zanzibar trip"}]),
                   person(2, name="Bob Jones", notes=[{"author": 2, "text": "quixotic"}])])
    author = RECRUITER
    other = Viewer(user_id=2, person_id=None, role="recruiter")
    mine = index.search_profiles("zanzibar", author)
    assert ids(mine) == [1]
    assert mine.hits[0].highlights == {"notes": "<mark>Zanzibar</mark> trip"}
    assert ids(index.search_profiles("notes:zanzibar", author)) == [1]
    theirs = index.search_profiles("zanzibar", other)
    assert theirs.total == 0 and theirs.did_you_mean is None and theirs.corrected is None
    typo = index.search_profiles("zanzibr", other)
    assert typo.total == 0 and typo.did_you_mean is None and typo.corrected is None
    assert index.search_profiles("zanzibr", other, exact=True).did_you_mean is None
    assert index.search_profiles("zanzibr", author).corrected == "zanzibar"
    assert index.search_profiles("zanzibr", author, exact=True).did_you_mean == "zanzibar"
    assert index.search_profiles("zanz*", other).total == 0
    assert all("zanzibar" not in str(f).lower() for f in theirs.facets.values())
    assert index.typeahead("zan", other) == []


def test_did_you_mean_never_suggests_a_word_of_a_hidden_profile(index):
    index.rebuild([person(1, summary="Quetzalcoatl expert", visibility="private", owner=60),
                   person(2, summary="Reward watcher", owner=60)])
    for exact in (False, True):
        page = index.search_profiles("quetzalcoatle", RECRUITER, exact=exact)
        assert page.total == 0 and page.did_you_mean is None and page.corrected is None
    owner = Viewer(user_id=60, person_id=None, role="candidate")
    mine = index.search_profiles("quetzalcoatle", owner)
    assert mine.total == 1  # its stem is the word: found as typed


def test_typeahead_offers_visible_names_and_skills(index):
    index.rebuild([person(1, name="Olivia Payne", skills=["Payroll"]),
                   person(2, name="Paul Hidden", skills=["Pay Equity"], visibility="private",
                          owner=60)])
    got = index.typeahead("pa", RECRUITER)
    assert {"label": "Olivia Payne", "kind": "name", "id": 1} in got
    assert {"label": "Payroll", "kind": "skill"} in got
    assert all("Hidden" not in g["label"] and g["label"] != "Pay Equity" for g in got)
    assert index.typeahead("olivia pa", RECRUITER) == [
        {"label": "Olivia Payne", "kind": "name", "id": 1}]


def test_updates_and_removals_are_searchable_at_once(index):
    index.rebuild([person(1, skills=["Payroll"])])
    index.index_profile(person(1, skills=["Reward"]))
    index.index_profile(person(2, skills=["Payroll"]))
    assert ids(index.search_profiles("payroll", RECRUITER)) == [2]
    assert ids(index.search_profiles("reward", RECRUITER)) == [1]
    index.remove_profile(2)
    assert index.search_profiles("payroll", RECRUITER).total == 0
    assert index.doc_count() == 1


def test_a_missing_or_corrupt_index_raises_index_unavailable(tmp_path):
    import shutil

    ix = open_index(tmp_path / "gone")
    ix.rebuild([person(1, skills=["Payroll"])])
    assert ix.search_profiles("payroll", RECRUITER).total == 1
    shutil.rmtree(tmp_path / "gone")
    with pytest.raises(IndexUnavailable):
        ix.search_profiles("payroll", RECRUITER)
    broken = open_index(tmp_path / "broken")
    broken.rebuild([person(1, skills=["Payroll"])])
    broken.close()
    for f in (tmp_path / "broken").iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"\0garbage" * 10)
    with pytest.raises(IndexUnavailable):
        broken.search_profiles("payroll", RECRUITER)
    broken.rebuild([person(2, skills=["Reward"])])  # a rebuild repairs it
    assert ids(broken.search_profiles("reward", RECRUITER)) == [2]


def test_a_phrase_checked_for_one_viewer_is_not_reused_for_another(index):
    """Each viewer sees only the phrase's profiles they may see, in any order of searches,
    though a phrase check narrowed to one viewer's profiles is kept for their next search."""
    index.rebuild([person(n, summary="Led change management for a merger.", owner=owner,
                          visibility="private" if owner != 900 else "recruiters")
                   for n, owner in enumerate([901] * 4 + [902] * 4 + [900] * 2, start=1)])
    first, second = (Viewer(user_id=owner, person_id=None, role="candidate")
                     for owner in (901, 902))
    for _ in range(2):
        assert set(ids(index.search_profiles('"change management"', first))) == {1, 2, 3, 4}
        assert set(ids(index.search_profiles('"change management"', second))) == {5, 6, 7, 8}
        assert set(ids(index.search_profiles('"change management"', RECRUITER))) == {9, 10}
