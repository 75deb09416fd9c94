"""Signing up in a browser: the zone is guessed from the browser, the mailed link verifies."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from auth.models import User
from extensions import db
from tests.conftest import deliver, links_in

pytestmark = pytest.mark.e2e


def test_sign_up_takes_the_browsers_zone_and_the_mailed_link_verifies(browser, live_server,
                                                                      app, smtp):
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    context.set_default_timeout(5_000)
    try:
        page = context.new_page()
        page.goto("/register")
        page.get_by_label("Full name").fill("Kenji Mori")
        page.get_by_label("E-mail").fill("kenji@example.com")
        page.get_by_label("Password", exact=True).fill("violet kettle orbit 42")
        page.get_by_label("Repeat password").fill("violet kettle orbit 42")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
        expect(page.get_by_text("We sent a message to kenji@example.com")).to_be_visible()
        db.session.commit()
        user = db.session.scalar(select(User).where(User.email == "kenji@example.com"))
        assert user.timezone == "Asia/Tokyo" and not user.is_verified
        deliver(app)
        (message,) = smtp.to("kenji@example.com")
        (link,) = [url for url in links_in(message) if "/verify/" in url]
        page.goto(link)
        expect(page.get_by_role("status")).to_contain_text("kenji@example.com is confirmed")
        page.get_by_label("E-mail").fill("kenji@example.com")  # the link leads to sign in
        page.get_by_label("Password", exact=True).fill("violet kettle orbit 42")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/settings")
        expect(page.get_by_label("Time zone", exact=True)).to_have_value("Asia/Tokyo")
    finally:
        context.close()
