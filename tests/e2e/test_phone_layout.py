"""The demo network on a 390 px phone, light and dark, and on a 360 px one: the pages a
recruiter uses after a call fit the screen, the header stays one short row with a working menu,
and the trust chart's labels stay readable. Screenshots land in /tmp/e2e-shots/phone-*.png for a
person to look at."""

import pytest
from playwright.sync_api import expect

from extensions import utcnow
from referrals.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.layout import AXE_SCRIPT, PHONE, SMALL_PHONE, axe_violations, overflow
from tests.e2e.test_invite_flow import sign_in

pytestmark = pytest.mark.e2e

# The smallest rendered size of the visible trust chart's labels, in CSS pixels.
CHART_LABEL_PX = """() => {
  const shown = [...document.querySelectorAll("svg.chart")].filter(
    svg => svg.getBoundingClientRect().width > 0);
  if (shown.length !== 1) return null;
  const scale = shown[0].getScreenCTM().a;
  return Math.min(...[...shown[0].querySelectorAll("text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * scale));
}"""


@pytest.fixture
def demo(app):
    """The demo network `make run` loads: years of history, an opening with a wild card."""
    seed_demo(utcnow().date())


def open_pages(page) -> dict[str, str]:
    """The dashboard, Priya's relationship with Helen, her opening, and a search, by URL."""
    page.goto("/")
    page.get_by_role("link", name="Helen Brooks").first.click()
    relationship = page.url
    page.goto("/openings/")
    page.get_by_role("link", name="Head of Reward").click()
    return {"dashboard": "/", "relationship": relationship, "opening": page.url,
            "search": "/search/?q=employee+relations"}


def test_pages_fit_a_phone_with_a_short_header_and_readable_chart(demo, new_actor, shot):
    page = new_actor("priya")
    page.set_viewport_size(PHONE)
    page.context.add_init_script(script=AXE_SCRIPT)
    sign_in(page, "priya@carter-vale.example", DEMO_PASSWORD)
    urls = open_pages(page)
    problems = []
    for viewport, scheme in ((PHONE, "light"), (PHONE, "dark"), (SMALL_PHONE, "light")):
        page.set_viewport_size(viewport)
        page.emulate_media(color_scheme=scheme)
        for name, url in urls.items():
            page.goto(url)
            where = f"{name} at {viewport['width']} px ({scheme})"
            path = shot(page, f"phone-{viewport['width']}-{scheme}-{name}")
            if width := overflow(page):
                problems.append(f"{where} is {width} px wide: {path}")
            problems += [f"{where}: {v}" for v in axe_violations(page)]
            if name == "relationship":
                label_px = page.evaluate(CHART_LABEL_PX)
                if label_px is None or label_px < 12:
                    problems.append(f"{where}: chart labels are {label_px} px high")
    assert not problems, "\n".join(problems)

    page.set_viewport_size(PHONE)
    page.goto(urls["relationship"])
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 64
    assert header.evaluate("el => getComputedStyle(el).position") != "sticky"
    # The menu is folded away until asked for, then reachable, then folds again on Escape.
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sign_out).to_be_visible()
    page.keyboard.press("Escape")
    expect(sign_out).to_be_hidden()
    # The log form is the first thing after the header and the page's own links.
    page.get_by_role("link", name="Log an interaction").click()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Date")).to_be_focused()


def test_trust_chart_labels_are_readable_on_a_desktop(demo, new_actor):
    page = new_actor("priya")
    sign_in(page, "priya@carter-vale.example", DEMO_PASSWORD)
    urls = open_pages(page)
    for width in (1280, 900, 700):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(urls["relationship"])
        label_px = page.evaluate(CHART_LABEL_PX)
        assert label_px is not None and label_px >= 12, f"{width} px: labels are {label_px} px"
