"""What people receive: invitations, entries waiting (batched), recommendations and consent
requests, unsubscribing in one click, the weekly digest in their zone, and the calendar feed."""

import re
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from extensions import db, utcnow
from mail import digest
from mail.models import MailSettings, OutboxMessage
from referrals.network import people
from referrals.openings import services as openings
from tests.conftest import PASSWORD, deliver, links_in, local_path, login, post

LATER = timedelta(minutes=5)  # past the grace that gathers a burst of entries


def test_invitation_arrives_with_a_link_that_claims_the_record(app, client, smtp, make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    contact = make.contact(recruiter, "Pat Quinn", email="pat@example.com")
    login(client, recruiter.email)
    page = post(client, f"/people/{contact.id}/invite", {}, token_from=f"/people/{contact.id}")
    assert page.status_code == 200 and "We have e-mailed Pat Quinn" in page.text
    deliver(app)
    (message,) = smtp.to("pat@example.com")
    assert message["Subject"] == "Rita Recruiter invites you to Kinship Referrals"
    (link,) = [u for u in links_in(message) if "/invite/" in u]
    assert link in page.text  # the copy-link shows the same link
    pat = app.test_client()
    assert pat.get(local_path(link)).headers["Location"].endswith("/claim")
    signed_up = post(pat, "/claim", {"name": "Pat Quinn", "password": "violet kettle orbit 42",
                                     "confirm": "violet kettle orbit 42"}, token_from="/claim")
    assert signed_up.status_code == 302
    deliver(app)
    (verify,) = [u for u in links_in(smtp.to("pat@example.com")[-1]) if "/verify/" in u]
    assert pat.get(local_path(verify)).headers["Location"].endswith("/login?next=/claim")
    login(pat, "pat@example.com", "violet kettle orbit 42")
    claim = post(pat, "/claim", {"visibility": "connections"}, token_from="/claim")
    assert claim.status_code == 302
    assert "Hello, Pat" in pat.get("/").text
    user = db.session.get(type(recruiter), db.session.scalar(
        select(type(recruiter).id).where(type(recruiter).email == "pat@example.com")))
    assert user.is_verified and user.person.visibility == "connections"


def test_entries_are_batched_at_most_one_message_an_hour(app, smtp, make):
    recruiter, candidate = make.user("recruiter", name="Rita Recruiter"), make.user()
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, kind="advice", note="CV review", day=date(2024, 3, 15))
    make.log(recruiter, rel, kind="call", day=date(2024, 3, 16))
    assert deliver(app).claimed == 0  # a burst is gathered for a few minutes first
    deliver(app, now=utcnow() + LATER)
    (first,) = smtp.to(candidate.email)
    assert first["Subject"] == "2 entries wait for you to confirm"
    body = first.get_body(preferencelist=("plain",)).get_content()
    assert 'Rita Recruiter logged advice on 15 Mar 2024: "CV review"' in body
    assert "Rita Recruiter logged call on 16 Mar 2024" in body
    make.log(recruiter, rel, kind="favour", day=date(2024, 3, 17))
    deliver(app, now=utcnow() + LATER + timedelta(minutes=30))
    assert len(smtp.to(candidate.email)) == 1  # not within the hour
    deliver(app, now=utcnow() + LATER + timedelta(minutes=61))
    assert len(smtp.to(candidate.email)) == 2
    assert "favour" in smtp.to(candidate.email)[1].get_body(("plain",)).get_content()
    assert smtp.to(recruiter.email) == []  # the logger is not told of their own entry


def test_one_click_unsubscribe_stops_that_kind_of_mail(app, smtp, make):
    recruiter, candidate = make.user("recruiter"), make.user()
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel)
    deliver(app, now=utcnow() + LATER)
    (message,) = smtp.to(candidate.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.raw.decode()
    url = re.search(r"^List-Unsubscribe: <(https?://\S+)>\r?$", raw, re.M).group(1)  # not folded
    assert url in links_in(message)
    mail_client = app.test_client()  # as a mail provider would: no cookie, no CSRF token
    assert mail_client.get(local_path(url)).status_code == 200  # asks, changes nothing
    assert db.session.get(MailSettings, candidate.id) is None
    response = mail_client.post(local_path(url), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    assert db.session.get(MailSettings, candidate.id).entries is False
    make.log(recruiter, rel, day=date(2024, 2, 1))
    assert deliver(app, now=utcnow() + timedelta(hours=3)).claimed == 0


def test_forged_unsubscribe_link_changes_nothing(app, client, make):
    user = make.user()
    assert client.post("/unsubscribe/not-a-token").status_code == 404
    assert db.session.get(MailSettings, user.id) is None


def _opening_with(make, recruiter, client_user, candidate):
    make.connect(recruiter, client_user)
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, confirm_by=candidate)
    return openings.create_opening(recruiter, client_id=client_user.person.id,
                                   title="People Partner", organisation="Acme")


def test_recommendation_reaches_client_and_candidate(app, smtp, make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client_user, candidate = make.user("client"), make.user(name="Helen Brooks")
    opening = _opening_with(make, recruiter, client_user, candidate)
    openings.recommend(recruiter, opening, candidate.person, wildcard=True,
                       explanation=["your trust with them: 97 (strong)"],
                       vouch="Eight years of advice both ways: you will want her.")
    deliver(app, now=utcnow() + LATER)
    to_client = [m for m in smtp.to(client_user.email) if "recommends" in m["Subject"]]
    assert [m["Subject"] for m in to_client] == [
        "Rita Recruiter recommends Helen Brooks for People Partner"]
    body = to_client[0].get_body(("plain",)).get_content()
    # The client reads the recruiter's vouch, never the recruiter's own figures.
    assert "Eight years of advice both ways: you will want her." in body
    assert "your trust with them" not in body and "97 (strong)" not in body
    assert any(m["Subject"] == "Rita Recruiter put you forward for People Partner"
               for m in smtp.to(candidate.email))


def test_candidate_who_asked_first_is_asked_and_the_answer_reaches_the_recruiter(app, smtp,
                                                                                 make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    client_user, candidate = make.user("client"), make.user(name="Helen Brooks")
    opening = _opening_with(make, recruiter, client_user, candidate)
    people.update_profile(candidate.person, consent_required=True)
    decision = openings.recommend(recruiter, opening, candidate.person, wildcard=False,
                                  explanation=[])
    deliver(app, now=utcnow() + LATER)
    assert [m["Subject"] for m in smtp.to(candidate.email)
            if "asks" in m["Subject"]] == ["Rita Recruiter asks to put you forward for "
                                           "People Partner"]
    assert not [m for m in smtp.to(client_user.email) if "recommends" in m["Subject"]]
    openings.answer_consent(candidate, decision, agree=True)
    deliver(app, now=utcnow() + timedelta(hours=2))
    assert any(m["Subject"] == "Helen Brooks agreed to be put forward for People Partner"
               for m in smtp.to(recruiter.email))
    assert any("recommends" in m["Subject"] for m in smtp.to(client_user.email))


def _digests() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")))


def test_weekly_digest_goes_on_the_chosen_day_from_8_in_the_persons_zone(app, smtp, make):
    user, other = make.user(), make.user("recruiter", name="Olu Overdue")
    user.timezone = "Pacific/Auckland"  # UTC+13 in December
    rel = make.connect(user, other)
    make.log(user, rel, day=date(2024, 1, 1), confirm_by=other)  # long ago: overdue now
    people.set_cadence(rel.id, rel.side_of(user.person.id), 30)
    db.session.add(MailSettings(user_id=user.id, entries=True, recommendations=True,
                                digest_day=4))  # Fridays
    db.session.commit()
    # Thursday 2026-12-03 18:00 UTC is Friday 07:00 in Auckland: not yet; 19:00 UTC is 08:00.
    assert digest.queue_due_digests(datetime(2026, 12, 3, 18, 0, tzinfo=UTC)) == 0
    assert digest.queue_due_digests(datetime(2026, 12, 3, 19, 0, tzinfo=UTC)) == 1
    assert digest.queue_due_digests(datetime(2026, 12, 3, 23, 0, tzinfo=UTC)) == 0  # once
    deliver(app)
    (message,) = [m for m in smtp.to(user.email) if "Your week" in m["Subject"]]
    body = message.get_body(("plain",)).get_content()
    assert "as of 4 Dec 2026" in body  # the person's Friday, not UTC's Thursday
    assert "Olu Overdue" in body and "days overdue" in body
    assert message["List-Unsubscribe"]


def test_no_digest_for_those_who_chose_none(app, make):
    user, other = make.user(), make.user("recruiter")
    rel = make.connect(user, other)
    people.set_cadence(rel.id, rel.side_of(user.person.id), 30)
    db.session.add(MailSettings(user_id=user.id, entries=True, recommendations=True,
                                digest_day=None))
    db.session.commit()
    for day in range(7):
        digest.queue_due_digests(datetime(2026, 12, 7 + day, 12, 0, tzinfo=UTC))
    assert [m for m in _digests() if m.user_id == user.id] == []


def test_calendar_feed_lists_due_dates_at_a_secret_revocable_address(app, client, make):
    user, other = make.user(), make.user("recruiter", name="Olu Overdue")
    rel = make.connect(user, other)
    people.set_cadence(rel.id, rel.side_of(user.person.id), 90)
    login(client, user.email)
    post(client, "/settings/calendar", {}, token_from="/settings")
    feed = db.session.get(MailSettings, user.id).calendar_token
    response = app.test_client().get(f"/calendar/{feed}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["summary"]) == "Stay in touch with Olu Overdue"
    assert event.decoded("dtstart") == rel.created_at.date() + timedelta(days=90)
    post(client, "/settings/calendar", {}, token_from="/settings")  # a new address
    assert app.test_client().get(f"/calendar/{feed}.ics").status_code == 404


def test_settings_choose_mail_and_time_zone_and_pages_show_times_in_it(app, client, make):
    user = make.user()
    login(client, user.email)
    response = post(client, "/settings", {"digest_day": "none", "timezone": "Asia/Tokyo"},
                    token_from="/settings")
    assert response.status_code == 302
    settings = db.session.get(MailSettings, user.id)
    assert (settings.entries, settings.recommendations, settings.digest_day) == (False, False,
                                                                               None)
    db.session.refresh(user)
    assert user.timezone == "Asia/Tokyo"
    from referrals.display import local_datetime

    assert local_datetime(datetime(2026, 1, 1, 20, 0, tzinfo=UTC), "Asia/Tokyo") == \
        "2 Jan 2026, 05:00 JST"
    bad = post(client, "/settings", {"digest_day": "3", "timezone": "Mars/Olympus"},
               token_from="/settings")
    assert bad.status_code == 400 and "Not a valid choice" in bad.text
    assert PASSWORD  # the settings page needs no password for these choices


def test_calendar_feed_can_be_turned_off(app, client, make):
    user = make.user()
    login(client, user.email)
    post(client, "/settings/calendar", {}, token_from="/settings")
    feed = db.session.get(MailSettings, user.id).calendar_token
    assert f"/calendar/{feed}.ics" in client.get("/settings").text
    post(client, "/settings/calendar/stop", {}, token_from="/settings")
    assert app.test_client().get(f"/calendar/{feed}.ics").status_code == 404
