"""The search box in the app: results scoped by permission, kept in step with the database."""

import shutil
from datetime import date

from sqlalchemy import func, select

from extensions import db
from referrals.models import Interaction
from referrals.network import people
from search import budget, services
from search.models import SearchChange
from tests.conftest import login, post


def _search(client, q, **args):
    return client.get("/search/", query_string={"q": q, **args}).get_data(as_text=True)


def _link(user) -> str:
    """How a result links to a person's profile (names may be split by highlighting)."""
    return f'href="/people/{user.person.id}"'


def test_a_profile_edit_is_found_by_the_next_search(app, make):
    candidate = make.user("candidate", visibility="recruiters")
    recruiter = make.user("recruiter")
    searcher, owner = app.test_client(), app.test_client()
    login(searcher, recruiter.email)
    login(owner, candidate.email)
    assert "Zanzibar" not in _search(searcher, "zanzibar")
    response = post(owner, f"/people/{candidate.person.id}/edit", {
        "name": candidate.person.name, "location": "Zanzibar", "visibility": "recruiters"},
        token_from=f"/people/{candidate.person.id}/edit")
    assert response.status_code == 302
    page = _search(searcher, "zanzibar")
    assert "1 person" in page and "<mark>Zanzibar</mark>" in page


def test_hidden_profiles_and_private_notes_never_reach_other_searchers(app, make):
    owner = make.user("candidate", name="Hidden Person", headline="HIDEMARK-headline",
                      visibility="private")
    shy = make.user("candidate", name="Shy Person", skills="CONNMARK-skill",
                    visibility="connections")
    recruiter, rival, client = make.user("recruiter"), make.user("recruiter"), make.user("client")
    rel = make.connect(recruiter, shy)
    make.log(recruiter, rel, private_note="NOTEMARK reliable under pressure", day=date(2024, 1, 1))
    hidden = (_link(owner), _link(shy), "HIDEMARK-headline", "CONNMARK-skill", "under pressure",
              "Did you mean", "Showing results for")
    for user in (rival, client, make.user("candidate")):
        browser = app.test_client()
        login(browser, user.email)
        for marker in ("hidemark", "connmark", "notemark", "Hidden", "Shy", "reliable",
                       "hidemrk", "connmarc", "notemrk", "Hiden", "reliabel"):
            page = _search(browser, marker)
            assert "0 people" in page, (user.role, marker)
            assert not [leak for leak in hidden if leak in page], (user.role, marker)
            suggestions = browser.get("/search/typeahead", query_string={"q": marker[:4]})
            assert suggestions.get_json() == {"suggestions": []}, (user.role, marker)
        everyone = _search(browser, "")
        assert not [leak for leak in hidden if leak in everyone]
    author = app.test_client()
    login(author, recruiter.email)
    page = _search(author, "notemark")
    assert _link(shy) in page and "Your private notes" in page
    other = app.test_client()
    login(other, owner.email)
    assert _link(owner) in _search(other, "hidemark")  # the owner finds themself


def test_a_private_note_is_found_while_its_entry_says_it_and_only_then(app, make):
    recruiter = make.user("recruiter")
    candidate = make.user("candidate", name="Noted Person")
    rel = make.connect(recruiter, candidate)
    browser = app.test_client()
    login(browser, recruiter.email)
    page = f"/relationships/{rel.id}"
    changes = select(func.count()).select_from(SearchChange)
    queued = db.session.scalar(changes)
    form = {"occurred_on": "2024-03-05", "kind": "advice", "direction": "i_gave", "note": ""}
    assert post(browser, f"{page}/interactions", {**form, "private_note": ""},
                token_from=page).status_code == 302
    # An entry without a private note changes no one's search document: nothing to re-index.
    assert db.session.scalar(changes) == queued
    assert post(browser, f"{page}/interactions", {**form, "private_note": "LISBONMARK move"},
                token_from=page).status_code == 302
    assert _link(candidate) in _search(browser, "lisbonmark")
    entry = db.session.scalar(select(Interaction.id).where(
        Interaction.private_note == "LISBONMARK move"))
    assert post(browser, f"/relationships/interactions/{entry}/edit",
                {**form, "private_note": ""}, token_from=page).status_code == 302
    assert "0 people" in _search(browser, "lisbonmark")
    post(browser, f"/relationships/interactions/{entry}/edit",
         {**form, "private_note": "LISBONMARK again"}, token_from=page)
    assert _link(candidate) in _search(browser, "lisbonmark")
    assert post(browser, f"/relationships/interactions/{entry}/delete",
                token_from=page).status_code == 302
    assert "0 people" in _search(browser, "lisbonmark")


def test_abbreviations_and_typos_find_people(app, make):
    bea = make.user("candidate", name="Bea Partner", title="HR Business Partner",
                    visibility="recruiters")
    lee = make.user("candidate", name="Lee Learner", skills="Learning and development",
                    visibility="recruiters")
    recruiter = make.user("recruiter")
    browser = app.test_client()
    login(browser, recruiter.email)
    assert _link(bea) in _search(browser, "HRBP")
    assert _link(lee) in _search(browser, "L&D")
    assert _link(bea) in _search(browser, "busines partnr")


def test_a_typo_is_corrected_and_the_page_offers_the_query_as_typed(app, make):
    lomax = make.user("candidate", name="Hana Lomax", title="Compensation Analyst",
                      visibility="recruiters")
    recruiter = make.user("recruiter")
    browser = app.test_client()
    login(browser, recruiter.email)
    for typo, fixed in (("Lomx", "lomax"), ("compensaton", "compensation")):
        page = _search(browser, typo)
        assert _link(lomax) in page and "1 person" in page
        assert f"Showing results for <strong>{fixed}</strong>; search instead for" in page
        assert f'href="/search/?q={typo}&amp;sort=relevance&amp;exact=1"' in page
        verbatim = _search(browser, typo, exact="1")
        assert "0 people" in verbatim and "Showing results for" not in verbatim
        assert f"Did you mean <a href=\"/search/?q={fixed}\">{fixed}</a>?" in verbatim


def test_a_page_past_the_end_shows_the_last_page_and_says_so(app, make):
    recruiter = make.user("recruiter")
    for i in range(25):
        make.user("candidate", name=f"Payroll Person {i}", visibility="recruiters")
    browser = app.test_client()
    login(browser, recruiter.email)
    last = _search(browser, "payroll", page="2")
    assert "page 2 of 2" in last and "this is the last one" not in last
    for page in ("3", "99999", "999999", "9" * 50, "9" * 5000):
        shown = _search(browser, "payroll", page=page)
        assert "page 2 of 2" in shown, page
        assert "There are only 2 pages of results, so this is the last one." in shown
    for page in ("0", "-3", "two", "²", ""):
        assert "page 1 of 2" in _search(browser, "payroll", page=page), page


def test_results_can_be_sorted_by_my_trust(app, make):
    recruiter = make.user("recruiter")
    close = make.user("candidate", name="Close Contact", skills="Payroll",
                      visibility="recruiters")
    stranger = make.user("candidate", name="Payroll Stranger", skills="Payroll",
                         visibility="recruiters")
    rel = make.connect(recruiter, close)
    for year in range(2016, 2025):
        make.log(recruiter, rel, kind="advice", direction="i_gave", day=date(year, 3, 1),
                 confirm_by=close)
        make.log(close, rel, kind="referral", direction="i_gave", day=date(year, 9, 1),
                 confirm_by=recruiter)
    browser = app.test_client()
    login(browser, recruiter.email)
    page = _search(browser, "payroll", sort="trust")
    assert page.index(_link(close)) < page.index(_link(stranger))


def test_search_says_it_is_being_rebuilt_when_the_index_is_gone(app, make):
    recruiter = make.user("recruiter")
    browser = app.test_client()
    login(browser, recruiter.email)
    assert "0 people" in _search(browser, "anything")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    with open(app.config["SEARCH_INDEX_DIR"], "w") as blocker:  # a file where the folder was
        blocker.write("not an index")
    response = browser.get("/search/", query_string={"q": "anything"})
    assert response.status_code == 200
    assert "being rebuilt" in response.get_data(as_text=True)
    assert browser.get("/").status_code == 200


def test_rebuild_and_check_commands(app, make, runner):
    make.user("candidate", name="Rebuilt Person", visibility="recruiters")
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "Indexed 1 people" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "agrees" in result.output
    person = make.user("candidate", name="Added Later").person
    db.session.commit()
    people.update_profile(person, headline="Fresh headline")
    result = runner.invoke(args=["search", "check"])  # check catches up from the change log
    assert result.exit_code == 0 and "agree 2" in result.output
    services.rebuild()


# --- No dead ends (issue 12) -------------------------------------------------------------------


def test_a_search_with_nothing_found_shows_no_empty_narrow_panel(app, make):
    """Zero results and no filters: nothing to narrow, so no "Narrow" panel at all; with a
    filter on, the panel stays to clear it; with results, it offers their facets."""
    make.user("candidate", name="Ada Lovelace", visibility="recruiters", location="London")
    browser = app.test_client()
    login(browser, make.user("recruiter").email)
    nothing = _search(browser, "zzzyzzyva")
    assert "0 people" in nothing and "Narrow the results" not in nothing
    assert "<h2>Narrow</h2>" not in nothing
    filtered = _search(browser, "zzzyzzyva", location="Paris")
    assert "Narrow the results" in filtered and "Clear all filters" in filtered
    found = _search(browser, "ada")
    assert "Narrow the results" in found and "London" in found


def test_someone_without_recruiter_standing_is_told_what_they_can_see(app, make):
    """A candidate finding nobody learns that profiles not visible to them are not searched,
    rather than only being told to try fewer words; a recruiter keeps the usual advice."""
    make.user("candidate", name="Shy Person", visibility="connections")
    candidate, recruiter = app.test_client(), app.test_client()
    login(candidate, make.user("candidate").email)
    login(recruiter, make.user("recruiter").email)
    page = _search(candidate, "shy")
    assert "0 people" in page
    assert "You see only profiles visible to you: your connections" in page
    assert "people who made their profile visible to you" in page
    recruiter_page = _search(recruiter, "zzzyzzyva")
    assert "Try fewer words" in recruiter_page
    assert "You see only profiles visible to you" not in recruiter_page


def test_a_search_cut_short_shows_a_lower_bound_and_how_to_narrow_it(app, make, monkeypatch):
    recruiter = make.user("recruiter")
    make.user("candidate", visibility="recruiters", skills="Payroll")
    browser = app.test_client()
    login(browser, recruiter.email)
    monkeypatch.setattr(budget, "EVALUATION_SECONDS", -1.0)  # reading is past its deadline
    page = _search(browser, "payroll")
    assert "no one found before the search was cut short" in page
    assert "This search was cut short" in page and "or a filter, will let it finish" in page
    monkeypatch.undo()
    page = _search(browser, "payroll")
    assert "1 person" in page and "at least" not in page and "cut short" not in page


def test_narrowing_by_another_facet_keeps_a_yes_no_filter(app, make):
    make.user("candidate", name="Ola Flagkeep", location="Leeds", open_to_work=True,
              visibility="recruiters")
    make.user("candidate", name="Ben Flagkeep", location="Leeds", open_to_work=False,
              visibility="recruiters")
    recruiter = make.user("recruiter")
    client = app.test_client()
    login(client, recruiter.email)
    page = _search(client, "flagkeep", open_to_work="true")
    assert "Ola" in page and "Ben" not in page
    leeds = 'href="/search/?q=flagkeep&amp;sort=relevance&amp;open_to_work=true&amp;location=Leeds"'
    assert leeds in page
    narrowed = client.get("/search/?q=flagkeep&sort=relevance&open_to_work=true&location=Leeds")
    assert "Ben" not in narrowed.get_data(as_text=True)
