"""Sessions: an idle timeout unless remembered, 30 days at most, last use noted without a write
per request, and a "Where you are signed in" page that ends any of one's own sessions."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from auth.devices import coarse_network, describe_device
from auth.models import UserSession
from auth.services import TOUCH_EVERY, forget_expired_sessions
from extensions import db, utcnow
from tests.conftest import PASSWORD, post

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def sign_in(app, user, *, agent=FIREFOX, remember=False):
    """A browser signed in as the user, with a User-Agent; returns it and its session row."""
    browser = app.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = agent
    data = {"email": user.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    assert post(browser, "/login", data, token_from="/login").status_code == 302
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id)
                            .order_by(UserSession.id.desc()))
    return browser, row


def signed_in(browser) -> bool:
    """Whether the browser's session still opens a signed-in page."""
    return browser.get("/account/sessions").status_code == 200


def set_session(row_id: int, **values) -> None:
    """Move a session's times in the database (no sleeping in tests)."""
    db.session.execute(update(UserSession).where(UserSession.id == row_id).values(**values))
    db.session.commit()


def test_the_page_lists_each_session_with_its_device_and_marks_this_one(app, make):
    user = make.user("candidate")
    user.timezone = "Asia/Tokyo"
    db.session.commit()
    laptop, _ = sign_in(app, user)
    sign_in(app, user, agent=IPHONE, remember=True)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Where you are signed in" in page
    assert "Firefox on Windows" in page and "Safari on iPhone" in page
    assert "127.0.0.x" in page and "127.0.0.1" not in page
    assert page.count("This session") == 1
    assert page.index("This session") > page.index("Firefox on Windows")  # on the laptop's row
    assert "JST" in page  # times in the person's own zone
    assert "(remembered)" in page and "Sign out everywhere else" in page


def test_ending_another_session_signs_that_browser_out(app, make):
    user = make.user("candidate")
    laptop, _ = sign_in(app, user)
    phone, phone_row = sign_in(app, user, agent=IPHONE)
    ended = post(laptop, f"/account/sessions/{phone_row.id}/end", token_from="/account/sessions")
    assert ended.status_code == 302 and ended.headers["Location"].endswith("/account/sessions")
    assert not signed_in(phone) and signed_in(laptop)


def test_nobody_ends_a_session_that_is_not_theirs(app, make):
    owner, intruder = make.user("candidate"), make.user("recruiter")
    victim, row = sign_in(app, owner)
    attacker, _ = sign_in(app, intruder)
    refused = post(attacker, f"/account/sessions/{row.id}/end", token_from="/account/sessions")
    assert refused.status_code == 404
    assert signed_in(victim)
    page = attacker.get("/account/sessions").get_data(as_text=True)
    assert f"/account/sessions/{row.id}/end" not in page


def test_ending_this_session_signs_out_here(app, make):
    user = make.user("candidate")
    laptop, row = sign_in(app, user)
    ended = post(laptop, f"/account/sessions/{row.id}/end", token_from="/account/sessions")
    assert ended.headers["Location"].endswith("/login")
    assert not signed_in(laptop)


def test_sign_out_everywhere_else_keeps_only_this_session(app, make):
    user, other = make.user("candidate"), make.user("candidate")
    laptop, _ = sign_in(app, user)
    phones = [sign_in(app, user, agent=IPHONE)[0] for _ in range(2)]
    bystander, _ = sign_in(app, other)
    done = post(laptop, "/account/sessions/end-others", token_from="/account/sessions")
    assert done.status_code == 302
    assert "2 sessions ended" in laptop.get("/account/sessions").get_data(as_text=True)
    assert signed_in(laptop) and signed_in(bystander)
    assert not any(signed_in(phone) for phone in phones)


def test_a_session_left_idle_for_twelve_hours_ends(app, make):
    user = make.user("candidate")
    browser, row = sign_in(app, user)
    set_session(row.id, last_seen_at=utcnow() - timedelta(hours=11, minutes=50))
    assert signed_in(browser)  # used within the 12 hours: still open, and noted as used
    set_session(row.id, last_seen_at=utcnow() - timedelta(hours=12, minutes=1))
    answer = browser.get("/account/sessions")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert forget_expired_sessions() == 1


def test_a_remembered_session_survives_idleness_but_not_thirty_days(app, make):
    user = make.user("candidate")
    browser, row = sign_in(app, user, remember=True)
    assert row.remember
    set_session(row.id, last_seen_at=utcnow() - timedelta(days=10))
    assert signed_in(browser)
    set_session(row.id, created_at=utcnow() - timedelta(days=30, minutes=1),
                expires_at=utcnow() - timedelta(minutes=1))
    assert not signed_in(browser)
    browser.delete_cookie("session")  # a closed browser: only the remember-me cookie is left
    assert not signed_in(browser)


def test_last_use_is_written_at_most_every_few_minutes(app, make):
    user = make.user("candidate")
    browser, row = sign_in(app, user)
    stale = utcnow() - TOUCH_EVERY - timedelta(minutes=1)
    set_session(row.id, last_seen_at=stale)
    browser.get("/")
    db.session.expire_all()
    touched = db.session.get(UserSession, row.id).last_seen_at
    assert touched > stale + TOUCH_EVERY
    for path in ("/", "/account/sessions", "/people/me"):
        browser.get(path)
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at == touched  # no write per request


def test_a_post_request_notes_its_use_too(app, make):
    user = make.user("candidate")
    browser, row = sign_in(app, user)
    stale = utcnow() - TOUCH_EVERY - timedelta(minutes=1)
    set_session(row.id, last_seen_at=stale)
    post(browser, "/verify/resend", token_from="/account/sessions")
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at > stale + TOUCH_EVERY


def test_changing_the_password_leaves_one_session_described(app, make):
    user = make.user("candidate")
    browser, _ = sign_in(app, user)
    post(browser, "/password", {"current": PASSWORD, "password": "a new sturdy passphrase 7",
                                "confirm": "a new sturdy passphrase 7"}, token_from="/password")
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [row.device for row in rows] == ["Firefox on Windows"]


def test_devices_and_networks_are_described_coarsely():
    assert describe_device(FIREFOX) == "Firefox on Windows"
    assert describe_device(IPHONE) == "Safari on iPhone"
    assert describe_device("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                           "Gecko) Chrome/126.0 Safari/537.36 Edg/126.0") == "Edge on Linux"
    assert describe_device(None) == "Unknown browser"
    assert describe_device("curl/8.5") == "Unknown browser"
    assert coarse_network("203.0.113.77") == "203.0.113.x"
    assert coarse_network("::ffff:198.51.100.9") == "198.51.100.x"
    assert coarse_network("2001:db8:85a3:1:2:3:4:5") == "2001:db8:85a3::/48"
    assert coarse_network("not an address") == "" and coarse_network(None) == ""
    assert re.fullmatch(r"[\w .]*", describe_device("<script>" * 100))
