"""Accounts: registration rules, signing in and out for real, password changes, safe redirects."""

import pytest
from sqlalchemy import select

from app import ConfigError, create_app
from auth.models import User
from auth.redirects import safe_next
from extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post


def register(client, **overrides):
    data = {"name": "Nadia Field", "email": "nadia@example.com",
            "password": "a sturdy passphrase 42", "confirm": "a sturdy passphrase 42"}
    data.update(overrides)
    return post(client, "/register", data)


def test_register_creates_a_private_candidate_profile_and_asks_to_check_mail(client):
    response = register(client, role="recruiter")  # a role sent anyway is not a choice
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "nadia@example.com"))
    assert user.person.name == "Nadia Field"
    assert user.password_hash.startswith("$argon2id$")
    assert (user.role, user.person.role) == ("candidate", "candidate")
    assert user.person.visibility == "connections"
    assert client.get("/people/me").headers["Location"].startswith("/login")  # not signed in


@pytest.mark.parametrize("password, message", [
    ("short1", "at least 8 characters"),
    ("password123", "most common"),
    ("qwertyuiop", "most common"),
])
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    response = register(client, password=password, confirm=password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id)) is None


def test_duplicate_email_makes_no_second_account(client, make):
    make.user(email="nadia@example.com")
    response = register(client)
    assert response.status_code == 200
    assert "already exists" not in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 1


def test_wrong_password_is_refused(client, make):
    user = make.user()
    response = post(client, "/login", {"email": user.email, "password": "not it at all"},
                    token_from="/login")
    assert response.status_code == 400
    assert "do not match" in response.get_data(as_text=True)


def test_disabled_user_cannot_sign_in_and_loses_open_sessions(client, make):
    user = make.user()
    login(client, user.email)
    user.is_disabled = True
    db.session.commit()
    assert client.get("/people/me").status_code == 302  # bounced to sign-in
    response = post(client, "/login", {"email": user.email, "password": PASSWORD},
                    token_from="/login")
    assert response.status_code == 400


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, make):
    user = make.user()
    browser = app.test_client()
    login(browser, user.email)
    cookie = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/people/me").status_code == 302 and "/people/" in thief.get(
        "/people/me").headers["Location"]
    post(browser, "/logout", token_from="/")
    thief.set_cookie("session", cookie)
    assert thief.get("/people/me").headers["Location"].startswith("/login")


def test_password_change_ends_other_sessions(app, make):
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    new = "another sturdy passphrase 7"
    response = post(laptop, "/password", {"current": PASSWORD, "password": new, "confirm": new},
                    token_from="/password")
    assert response.status_code == 302
    assert laptop.get("/people/me").status_code == 302
    assert laptop.get("/people/me").headers["Location"].startswith("/people/")
    assert phone.get("/people/me").headers["Location"].startswith("/login")
    login(phone, user.email, new)


def test_password_change_needs_the_current_password(client, make):
    user = make.user()
    login(client, user.email)
    new = "another sturdy passphrase 7"
    response = post(client, "/password", {"current": "wrong one!", "password": new,
                                          "confirm": new}, token_from="/password")
    assert response.status_code == 400
    assert "current password is not right" in response.get_data(as_text=True)


def test_remember_me_cookie_is_short_lived_httponly_samesite(client, make):
    user = make.user()
    post(client, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"},
         token_from="/login")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert cookie.max_age is None or cookie.max_age <= 30 * 86400
    assert (cookie.expires - cookie.expires.now(cookie.expires.tzinfo)).days <= 30


def test_production_cookies_are_secure(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    app = create_app({"SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": db_url,
                      "SEARCH_INDEX_DIR": str(tmp_path / "i"),
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                      "MAIL_URL": "smtp://mail.example.org:587?starttls=1",
                      "MAIL_SENDER": "Kinship <no-reply@example.org>",
                      "PUBLIC_URL": "https://referrals.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize("secret", [None, "short"])
def test_production_refuses_missing_or_short_secret_key(secret, monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
    if secret:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigError):
        create_app(config)


def test_forms_without_csrf_token_are_refused(client):
    response = client.post("/login", data={"email": "x@example.com", "password": "whatever1"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https:evil.example", "https://evil.example/x",
    "/\t/evil.example", "javascript:alert(1)", "evil.example", "\\\\evil.example",
])
def test_next_never_leaves_the_site(client, make, target):
    user = make.user()
    token = csrf_token(client, "/login")
    response = client.post("/login?next=" + target,
                           data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert safe_next(target) == "/"


def test_next_keeps_local_paths(client, make):
    user = make.user()
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/people/me",
                           data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/people/me"
