"""Logging, confirming and "confirm all" update the page in place in Chromium (no reload: a
value set on the window survives), announce what happened, and still work without JavaScript.
Screenshots of a large dashboard at desktop and phone width land in /tmp/e2e-shots/pages-*.png."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import AXE_SCRIPT, PHONE, axe_violations, overflow
from tests.e2e.test_invite_flow import sign_in

pytestmark = pytest.mark.e2e

MARK = "() => window.inPlaceMark"


def _world(make):
    """A recruiter with a long network; Ada logged two entries that wait for them."""
    recruiter = make.user("recruiter", name="Rita Recruiter")
    ada = make.user("candidate", name="Ada Byrne")
    rel = make.connect(recruiter, ada)
    make.log(recruiter, rel, kind="check_in", direction="mutual", day=date(2025, 6, 2),
             confirm_by=ada, note="Coffee near the station")
    for n in range(2):
        make.log(ada, rel, kind="advice", direction="i_gave",
                 day=date.today() - timedelta(days=10 + n), note=f"Ada's advice {n}")
    for n in range(60):
        make.contact(recruiter, name=f"Kept Person {n:02d}", organisation="Fabrikam",
                     title="People Partner")
    return recruiter, ada, rel


def _log(page, note: str) -> None:
    log = page.get_by_role("region", name="Log an interaction")
    log.get_by_label("Date").fill(date.today().isoformat())
    log.get_by_label("Kind").select_option("advice")
    log.get_by_label("Direction of value").select_option("i_gave")
    log.get_by_label("Note (both of you see it)").fill(note)
    log.get_by_role("button", name="Log it").click()


def test_log_and_confirm_update_the_relationship_page_in_place(app, make, new_actor, shot):
    recruiter, _ada, rel = _world(make)
    page = new_actor("rita")
    sign_in(page, recruiter.email)
    page.goto(f"/relationships/{rel.id}")
    page.evaluate("() => { window.inPlaceMark = 42; }")
    trust = page.get_by_role("region", name="Trust strength")
    expect(trust.locator(".give-take")).to_contain_text("0 you gave")
    expect(trust).to_contain_text("2 interactions not yet confirmed (2 waiting for you")
    _log(page, "Sent the reward benchmark")
    history = page.locator("#history")
    expect(history.get_by_text("Sent the reward benchmark")).to_be_visible()
    # The trust panel follows the change without a reload.
    expect(trust.locator(".give-take")).to_contain_text("1 you gave")
    expect(trust).to_contain_text("3 interactions not yet confirmed (2 waiting for you")
    expect(history.get_by_role("heading", name=re.compile("Shared history"))).to_contain_text("4")
    expect(page.locator("#inplace-live")).to_contain_text("Logged.")
    assert page.evaluate(MARK) == 42, "the page was reloaded"
    expect(page.get_by_label("Note (both of you see it)")).to_have_value("")
    # A mistake comes back as the form with its message, still in place.
    log = page.get_by_role("region", name="Log an interaction")
    log.get_by_label("Date").fill("")
    log.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Enter the date it happened.")).to_be_visible()
    expect(page.get_by_label("Date")).to_be_focused()
    assert page.evaluate(MARK) == 42
    # Confirm one of Ada's entries.
    entry = history.locator("li.entry", has_text="Ada's advice 0")
    entry.get_by_role("button", name="Confirm").click()
    expect(page.locator("li.entry", has_text="Ada's advice 0").locator(".status")
           ).to_have_text("confirmed")
    expect(page.locator("#inplace-live")).to_have_text("Confirmed.")
    expect(trust).to_contain_text("2 interactions not yet confirmed (1 waiting for you")
    assert page.evaluate(MARK) == 42, "the page was reloaded"
    shot(page, "pages-relationship-desktop")


def test_confirm_all_updates_the_dashboard_in_place(app, make, new_actor, shot):
    recruiter, _ada, _rel = _world(make)
    page = new_actor("rita")
    page.context.add_init_script(script=AXE_SCRIPT)
    sign_in(page, recruiter.email)
    page.goto("/")
    shot(page, "pages-dashboard-desktop")
    assert not axe_violations(page)
    page.evaluate("() => { window.inPlaceMark = 7; }")
    waiting = page.locator("#waiting")
    expect(waiting).to_contain_text("2 entries from Ada Byrne awaiting you")
    waiting.get_by_role("button", name="Confirm all from Ada").click()
    expect(page.locator("#waiting")).to_contain_text("Nothing to confirm.")
    expect(page.locator("#inplace-live")).to_have_text("Confirmed 2 entries from Ada Byrne.")
    assert page.evaluate(MARK) == 7, "the page was reloaded"
    page.set_viewport_size(PHONE)
    page.goto("/")
    path = shot(page, "pages-dashboard-phone")
    # The full page is tall; its top and its page links, at the size a person reads them.
    page.screenshot(path=str(path.with_name("pages-dashboard-phone-top.png")))
    page.locator(".pager").scroll_into_view_if_needed()
    page.screenshot(path=str(path.with_name("pages-dashboard-phone-pager.png")))
    assert overflow(page) is None


def test_without_javascript_the_forms_post_and_redirect(app, make, browser, live_server):
    recruiter, _ada, rel = _world(make)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, recruiter.email)
        page.goto(f"/relationships/{rel.id}")
        _log(page, "Logged without a script")
        expect(page.get_by_text("Logged. The other side will see it as pending")).to_be_visible()
        expect(page.locator("#history").get_by_text("Logged without a script")).to_be_visible()
        assert page.url.endswith(f"/relationships/{rel.id}")
        page.goto("/")
        page.get_by_role("button", name="Confirm all from Ada").click()
        expect(page.get_by_text("Confirmed 2 entries from Ada Byrne.")).to_be_visible()
    finally:
        context.close()
