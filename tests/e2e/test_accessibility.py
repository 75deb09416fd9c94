"""Every page, for every kind of visitor, on a desktop and on a phone, light and dark: no serious
or critical axe-core violation, and nothing that scrolls sideways on the phone.

The pages come from the URL map and tests/test_authorization.py's table of decided outcomes: each
GET route is visited with every target the table says that visitor is shown (200), in the world
that test builds, so a new route joins this crawl as soon as it joins that table.
"""

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.layout import AXE_SCRIPT, COLOUR_RULES, PHONE, axe_violations, overflow
from tests.test_authorization import SHOWN, TABLE, build_world, targets_of

pytestmark = pytest.mark.e2e

# One visitor of each role; two recruiters, because only r1 keeps contacts to merge and invite
# and only r2 has openings.
VISITORS = ("anon", "c1", "r1", "r2", "cl")
# (name, viewport, colour scheme, axe rules or None for all). Dark mode changes only colours, so
# its pass (at the phone width) runs only the colour rules.
PASSES = (("desktop", {"width": 1280, "height": 900}, "light", None),
          ("phone", PHONE, "light", None),
          ("phone-dark", PHONE, "dark", COLOUR_RULES))
# Pages worth seeing in more than their bare state: query strings added to a route's URL.
VARIANTS = {"search.results": ("", "?q=contact")}


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
                    path = world.path(rule.endpoint, target)
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
                    response = page.goto(url)
                    if response.status != 200 or "html" not in response.headers["content-type"]:
                        if response.status != 200:
                            problems.append(f"{actor} {name} {url}: status {response.status}")
                        continue
                    visited += 1
                    where = f"{actor} {name} {url}"
                    problems += [f"{where}: {v}" for v in axe_violations(page, rules)]
                    if viewport is PHONE and (width := overflow(page)):
                        problems.append(f"{where}: the document is {width} px wide")
        finally:
            context.close()
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
