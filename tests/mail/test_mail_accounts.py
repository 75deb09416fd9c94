"""Mail that proves an address or lets someone back in, followed as a person would."""

import re
import time
from datetime import timedelta

from itsdangerous import TimestampSigner
from sqlalchemy import select

from auth import tokens
from auth.models import User, UserSession
from extensions import db
from mail.models import OutboxMessage
from referrals.network import people
from tests.conftest import PASSWORD, deliver, links_in, local_path, login, post

NEW_PASSWORD = "a brand new passphrase 9"


def _sign_up(client, email="nadia@example.com", timezone="Europe/Paris", sign_in=True):
    """Sign up through the form, then (with `sign_in`) sign in with the new password, as the
    "check your e-mail" page asks."""
    response = post(client, "/register", {"name": "Nadia Field", "email": email,
                                          "password": "a sturdy passphrase 42",
                                          "confirm": "a sturdy passphrase 42",
                                          "timezone": timezone}, token_from="/login")
    if sign_in:
        login(client, email, "a sturdy passphrase 42")
    return response


def test_sign_up_mails_a_link_that_verifies_the_address(app, client, smtp, make):
    recruiter = make.user("recruiter")
    assert _sign_up(client).status_code == 200
    nadia = db.session.scalar(select(User).where(User.email == "nadia@example.com"))
    assert not nadia.is_verified and nadia.timezone == "Europe/Paris"
    people.update_profile(nadia.person, visibility="recruiters")  # she opts in at once
    watcher = app.test_client()
    login(watcher, recruiter.email)
    assert watcher.get(f"/people/{nadia.person.id}").status_code == 404  # not findable yet
    assert client.get("/search/?q=recruiter").status_code == 403  # nor can she look for others
    deliver(app)
    (message,) = smtp.to("nadia@example.com")
    assert "Confirm your e-mail address" in message["Subject"]
    assert "List-Unsubscribe" not in message  # essential mail
    (link,) = [u for u in links_in(message) if "/verify/" in u]
    assert client.get(local_path(link)).status_code == 302
    db.session.refresh(nadia)
    assert nadia.is_verified
    assert watcher.get(f"/people/{nadia.person.id}").status_code == 200
    assert client.get("/search/?q=recruiter").status_code == 200


def test_hidden_time_zone_field_with_nonsense_falls_back_to_utc(client):
    assert _sign_up(client, timezone="<script>Mars/Olympus</script>",
                    sign_in=False).status_code == 200
    user = db.session.scalar(select(User).where(User.email == "nadia@example.com"))
    assert user.timezone == "UTC"


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(app, smtp, make):
    """Same status, same page (but for the address typed), nobody signed in; the owner of
    the taken address is told by e-mail, and their account is untouched."""
    owner = make.user(email="kim@example.com")
    password_hash = owner.password_hash
    answers = []
    for email in ("kim@example.com", "nobody@example.com"):
        browser = app.test_client()
        response = _sign_up(browser, email=email, sign_in=False)
        answers.append((response.status_code, response.headers.get("Location"),
                        response.get_data(as_text=True).replace(email, "EMAIL"),
                        browser.get("/people/me").headers["Location"].startswith("/login")))
    assert answers[0][0] == 200 and answers[0][3]
    # the pages differ only in their CSRF-free content: compare without the token and nonce
    strip = re.compile(r'(value|nonce)="[^"]*"')
    assert [(s, loc, strip.sub("", page), out) for s, loc, page, out in answers[:1]] == \
        [(s, loc, strip.sub("", page), out) for s, loc, page, out in answers[1:]]
    db.session.refresh(owner)
    assert owner.password_hash == password_hash and owner.person.name != "Nadia Field"
    deliver(app)
    (notice,) = smtp.to("kim@example.com")
    assert "tried to create" in notice["Subject"]
    assert any("/password/forgot" in link for link in links_in(notice))
    (verify,) = smtp.to("nobody@example.com")
    assert "Confirm your e-mail address" in verify["Subject"]


def test_forgotten_password_answers_the_same_whether_or_not_the_account_exists(app, client,
                                                                              smtp, make):
    user = make.user(email="kim@example.com")
    answers = []
    for email in ("kim@example.com", "nobody@example.com"):
        response = post(client, "/password/forgot", {"email": email}, token_from="/login")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        flashes = re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)
        answers.append((response.status_code, response.headers["Location"],
                        [text.replace(email, "EMAIL") for text in flashes]))
    assert answers[0] == answers[1]
    deliver(app)
    assert [m.envelope_to for m in smtp.received] == [[user.email]]


def test_reset_link_sets_a_password_once_and_ends_every_session(app, client, smtp, make):
    user = make.user(email="kim@example.com")
    elsewhere = app.test_client()
    login(elsewhere, user.email)
    post(client, "/password/forgot", {"email": user.email}, token_from="/login")
    deliver(app)
    (message,) = smtp.to(user.email)
    (link,) = [u for u in links_in(message) if "/password/reset/" in u]
    path = local_path(link)
    assert client.get(path).status_code == 200
    response = post(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                    token_from=path)
    assert response.status_code == 302
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == user.id)) is None
    assert elsewhere.get("/").get_data(as_text=True).count("Hello,") == 0  # signed out there
    assert client.get(path).status_code == 404  # single use
    login(client, user.email, NEW_PASSWORD)


def test_reset_link_expires_after_an_hour(app, client, make):
    user = make.user()
    serializer = tokens._serializer("reset")
    an_hour_ago = int(time.time() - timedelta(hours=1, seconds=5).total_seconds())
    serializer.signer = type("SignedAnHourAgo", (TimestampSigner,),
                             {"get_timestamp": lambda self: an_hour_ago})
    stale = serializer.dumps({"u": user.id, "h": tokens._fingerprint(user.password_hash)})
    assert client.get(f"/password/reset/{stale}").status_code == 404
    assert client.get(f"/password/reset/{tokens.reset_token(user)}").status_code == 200


def test_changing_address_takes_effect_when_the_new_one_is_proven(app, client, smtp, make):
    user = make.user(email="old@example.com")
    login(client, user.email)
    response = post(client, "/settings/email", {"email": "new@example.com",
                                                "password": PASSWORD}, token_from="/settings")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.com"
    deliver(app)
    (message,) = smtp.to("new@example.com")
    (link,) = [u for u in links_in(message) if "/verify/" in u]
    client.get(local_path(link))
    db.session.refresh(user)
    assert user.email == "new@example.com" and user.person.email == "new@example.com"
    assert user.is_verified
    deliver(app)
    (notice,) = smtp.to("old@example.com")
    assert notice["Subject"] == "Your Kinship Referrals sign-in address has changed"
    assert "now signs in as new@example.com" in notice.get_body(("plain",)).get_content()


def test_changing_address_needs_the_password_and_a_free_address(client, make):
    make.user(email="taken@example.com")
    user = make.user()
    login(client, user.email)
    wrong = post(client, "/settings/email", {"email": "x@example.com", "password": "nope nope"},
                 token_from="/settings")
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    taken = post(client, "/settings/email", {"email": "taken@example.com",
                                             "password": PASSWORD}, token_from="/settings")
    assert taken.status_code == 400 and "Another account uses that address" in taken.text


def test_unverified_account_cannot_act_on_others_records(app, client, make):
    other = make.user("recruiter")
    _sign_up(client)
    before = db.session.scalar(select(UserSession.id).where(UserSession.user_id == other.id))
    response = post(client, f"/people/{other.person.id}/connect", {}, token_from="/password")
    assert response.status_code == 403 and "Confirm your e-mail address first" in response.text
    assert client.get("/people/me").status_code == 302  # its own record stays open
    assert before is None


def test_pages_show_times_in_the_readers_zone(app, client, make):
    recruiter, candidate = make.user("recruiter"), make.user()
    rel = make.connect(recruiter, candidate)
    entry = make.log(recruiter, rel)
    candidate.timezone = "Asia/Tokyo"
    db.session.commit()
    login(client, candidate.email)
    page = client.get(f"/relationships/{rel.id}").text
    local = entry.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%-d %b %Y, %H:%M JST") in page


def test_unverified_account_can_ask_for_the_link_again(app, client, smtp):
    _sign_up(client)
    response = post(client, "/verify/resend", {}, token_from="/password")
    assert response.status_code == 302
    deliver(app)
    links = {u for m in smtp.to("nadia@example.com") for u in links_in(m) if "/verify/" in u}
    assert len(smtp.to("nadia@example.com")) == 2 and links
    client.get(local_path(links.pop()))
    post(client, "/verify/resend", {}, token_from="/password")
    verify_mails = select(OutboxMessage).where(OutboxMessage.kind == "verify")
    assert len(db.session.scalars(verify_mails).all()) == 2  # verified: no third link


def test_an_old_link_cannot_move_the_account_back_to_an_address_it_left(app, client, smtp,
                                                                       make):
    user = make.user(email="old@example.com")
    login(client, user.email)
    for new in ("first@example.com", "second@example.com"):
        post(client, "/settings/email", {"email": new, "password": PASSWORD},
             token_from="/settings")
    deliver(app)
    first, second = ([u for u in links_in(smtp.to(a)[0]) if "/verify/" in u][0]
                     for a in ("first@example.com", "second@example.com"))
    client.get(local_path(second))
    assert client.get(local_path(first)).status_code == 404
    db.session.refresh(user)
    assert user.email == "second@example.com"
