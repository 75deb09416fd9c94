"""Every page, for every kind of visitor, on a desktop and on a phone, light and dark: no serious
or critical axe-core violation, and nothing that scrolls sideways on the phone.

The pages come from the URL map and tests/test_authorization.py's table of decided outcomes: each
GET route is visited with every target the table says that visitor is shown (200), in the world
that test builds, so a new route joins this crawl as soon as it joins that table.
"""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.authorization_world import build_world
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.layout import (
    AXE_SCRIPT,
    COLOUR_RULES,
    PHONE,
    SMALL_PHONE,
    axe_violations,
    focus_ring,
    overflow,
)
from tests.e2e.test_invite_flow import sign_in
from tests.test_authorization import SHOWN, TABLE, targets_of

pytestmark = pytest.mark.e2e

# One visitor of each role; two recruiters, because only r1 keeps contacts to merge and invite
# and only r2 has openings.
VISITORS = ("anon", "c1", "r1", "r2", "cl", "ad")  # ad: the site administrator
# (name, viewport, colour scheme, axe rules or None for all). Dark mode changes only colours, so
# its pass runs only the colour rules, on the narrowest phone supported.
PASSES = (("desktop", {"width": 1280, "height": 900}, "light", None),
          ("phone", PHONE, "light", None),
          ("small-phone-dark", SMALL_PHONE, "dark", COLOUR_RULES))
# Pages worth seeing in more than their bare state: query strings added to a route's URL.
VARIANTS = {"search.results": ("", "?q=contact")}
# Pages reached only through another URL: the claim page opens from the invitation link.
REACHED_THROUGH = {"claims.claim": ("claims.open", "live")}


def crawl_pages(world) -> dict[str, list[str]]:
    """Each visitor's URLs: every GET route with every target the table shows them."""
    app, pages = world.app, {actor: [] for actor in VISITORS}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        decide = TABLE[rule.endpoint]["GET"]
        for actor in VISITORS:
            for target in targets_of(app, rule.endpoint):
                if decide(actor, target) == SHOWN:
                    path = world.path(*REACHED_THROUGH.get(rule.endpoint, (rule.endpoint,
                                                                           target)))
                    pages[actor] += [path + query for query in VARIANTS.get(rule.endpoint, ("",))]
    return pages


def signed_in_page(browser, live_server, world, actor: str):
    """A page in its own browser context carrying the visitor's session from the world."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    if actor in world.clients:
        cookie = world.clients[actor].get_cookie("session")
        context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server.url}])
    context.add_init_script(script=AXE_SCRIPT)
    return context, context.new_page()


@pytest.fixture
def world(app, make):
    """test_authorization's world of every kind of record, built before the live server starts
    (which renames the host its test clients' sessions belong to)."""
    return build_world(app, make)


def test_no_page_has_serious_accessibility_violations_or_scrolls_sideways(
        world, browser, live_server):
    pages = crawl_pages(world)
    assert len(pages["r2"]) > 10 and pages["anon"], pages  # the crawl did find the pages
    problems, visited = [], 0
    for actor, urls in pages.items():
        context, page = signed_in_page(browser, live_server, world, actor)
        try:
            for name, viewport, scheme, rules in PASSES:
                page.set_viewport_size(viewport)
                page.emulate_media(color_scheme=scheme)
                for url in urls:
                    try:
                        response = page.goto(url)
                    except PlaywrightError as error:  # a file to save (calendar, export)
                        if "Download is starting" in str(error):
                            continue
                        raise
                    if response.status != 200 or "html" not in response.headers["content-type"]:
                        if response.status != 200:
                            problems.append(f"{actor} {name} {url}: status {response.status}")
                        continue
                    visited += 1
                    where = f"{actor} {name} {url}"
                    problems += [f"{where}: {v}" for v in axe_violations(page, rules)]
                    if viewport["width"] < 1000 and (width := overflow(page)):
                        problems.append(f"{where}: the document is {width} px wide")
        finally:
            context.close()
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)


def test_a_form_with_errors_and_a_focused_button_stay_accessible(make, new_actor):
    """Fields in error say so to screen readers; the keyboard focus ring on the primary button
    is at least 2 px and 3:1 against the card behind it, light and dark."""
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    page = new_actor("recruiter")
    page.context.add_init_script(script=AXE_SCRIPT)
    sign_in(page, recruiter.email)
    page.goto(f"/relationships/{rel.id}")
    page.get_by_label("Date").fill("31/31/2024")
    page.get_by_role("button", name="Log it").click()
    date = page.get_by_label("Date")
    expect(date).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{date.get_attribute('aria-describedby').split()[0]}")
    expect(error).to_have_text("Enter a date like 3 Dec 2026.")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
        page.get_by_label("Private note (only you ever see it)").focus()
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Log it")).to_be_focused()
        width, ratio = focus_ring(page)
        assert width >= 2 and ratio >= 3, f"{scheme}: ring {width} px at {ratio:.2f}:1"
