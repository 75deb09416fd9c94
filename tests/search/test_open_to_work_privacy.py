"""A recruiter never learns that their own organisation's people are open to work, however
those people write their employer: not from a badge, the `open_to_work` filter or its counts."""

import pytest

from auth import org_domains
from tests.conftest import login

STAFF = {"Ada Acme": "ACME", "Ben Acme": "acme.co.uk", "Cy Acme": "Acme Ltd",
         "Di Acme": "Acme (UK) Limited", "Ed Acme": "https://www.acme.example/careers",
         "Flo Acme": "Acme Group plc"}
OTHERS = {"Gus Bank": "Acme Bank", "Hal Apex": "Apex Talent"}


@pytest.fixture
def network(app, make):
    """Acme (a recruiting firm with acme.example and acme.co.uk), its recruiter, a recruiter
    elsewhere, and everyone open to work and visible to verified recruiters."""
    acme = make.organisation("Acme Group", "acme.example")
    org_domains.propose_domain(make.user(site_admin=True), acme, "acme.co.uk")
    ours = make.user("recruiter", member_of=acme, email="rita@acme.example")
    theirs = make.user("recruiter", member_of=make.organisation("Harbour", "harbour.example"),
                       email="hugo@harbour.example")
    people = {name: make.user(name=name, organisation=employer, skills="Payroll",
                              open_to_work=True)
              for name, employer in {**STAFF, **OTHERS}.items()}
    return ours, theirs, people


def _browser(app, user):
    browser = app.test_client()
    login(browser, user.email)
    return browser


def _found(page: str, people: dict) -> set[str]:
    return {name for name, user in people.items() if f'href="/people/{user.person.id}"' in page}


def test_the_open_to_work_filter_never_finds_the_recruiters_own_staff(app, network):
    ours, theirs, people = network
    query = {"q": "", "open_to_work": "true"}
    assert _found(_browser(app, ours).get("/search/", query_string=query)
                  .get_data(as_text=True), people) == set(OTHERS)
    assert _found(_browser(app, theirs).get("/search/", query_string=query)
                  .get_data(as_text=True), people) == set(STAFF) | set(OTHERS)


def test_the_staff_are_found_by_their_skills_without_the_badge_or_the_count(app, network):
    ours, _, people = network
    page = _browser(app, ours).get("/search/", query_string={"q": "payroll"}).get_data(
        as_text=True)
    assert _found(page, people) == set(STAFF) | set(OTHERS)  # found, as any profile is
    assert page.count("Open to work</span>") == len(OTHERS)
    narrowed = _browser(app, ours).get("/search/", query_string={
        "q": "payroll", "open_to_work": "false"}).get_data(as_text=True)
    assert _found(narrowed, people) == set(STAFF)  # the counts stay consistent with it


@pytest.mark.parametrize("name", sorted(STAFF))
def test_the_staffs_profile_page_shows_no_badge_to_their_employer(app, network, name):
    ours, theirs, people = network
    profile = f"/people/{people[name].person.id}"
    assert "Open to work" not in _browser(app, ours).get(profile).get_data(as_text=True)
    assert "Open to work" in _browser(app, theirs).get(profile).get_data(as_text=True)
