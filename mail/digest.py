"""The weekly digest: on the day each person chose, from 08:00 in their own time zone."""

from datetime import datetime

from sqlalchemy import select

from auth.models import User
from extensions import begin_write, db
from mail.compose import compose
from mail.models import MailSettings
from mail.notify import settings_of
from mail.outbox import enqueue
from referrals.display import zone_named

SEND_FROM_HOUR = 8  # local time: a digest is read with the morning's mail
SHOWN = 20  # of each list; the dashboard it links to has the rest


def _contents(user, today) -> dict:
    """Who is overdue, who is fading, and what waits for confirmation, as of `today`."""
    from referrals.network.dashboard import awaiting_confirmation
    from referrals.network.losing import losing_touch
    from referrals.trust import daily

    me = user.person
    daily.refresh(me.id, today, commit=False)  # committed with the digest's own transaction
    return {"overdue": losing_touch(me.id, today, limit=SHOWN, only="overdue"),
            "fading": losing_touch(me.id, today, limit=SHOWN, only="fading"),
            "pending": awaiting_confirmation(me.id)[:SHOWN]}


def _summary(contents: dict) -> str:
    parts = [(len(contents["overdue"]), "overdue"), (len(contents["fading"]), "fading"),
             (len(contents["pending"]), "to confirm")]
    return ", ".join(f"{n} {label}" for n, label in parts if n)


def due_users(now: datetime) -> list[int]:
    """Ids of verified, active accounts whose digest day it is locally, past 08:00, not yet
    sent today (people who never saved settings get the default: Mondays)."""
    rows = db.session.execute(
        select(User, MailSettings).outerjoin(MailSettings, MailSettings.user_id == User.id)
        .where(User.email_verified_at.is_not(None), User.is_disabled.is_(False)))
    due = []
    for user, settings in rows:
        settings = settings or settings_of(user)
        local = now.astimezone(zone_named(user.timezone))
        if (settings.digest_day == local.weekday() and local.hour >= SEND_FROM_HOUR
                and settings.last_digest_on != local.date()):
            due.append(user.id)
    db.session.commit()
    return due


def queue_digest(user_id: int, now: datetime) -> bool:
    """Queue one person's digest for today (their day), unless done already or empty. Commits."""
    begin_write()
    user = db.session.get(User, user_id)
    settings = db.session.scalars(select(MailSettings).where(MailSettings.user_id == user_id)
                                  .with_for_update()).first()
    if settings is None:
        settings = settings_of(user)
        db.session.add(settings)
    today = now.astimezone(zone_named(user.timezone)).date()
    if settings.last_digest_on == today or user.person is None:
        db.session.rollback()
        return False
    settings.last_digest_on = today  # also when there is nothing to say: no empty digests
    contents = _contents(user, today)
    queued = any(contents.values())
    if queued:
        composed = compose("digest", user=user, optional_kind="digest", today=today,
                           summary=_summary(contents), **contents)
        enqueue(kind="digest", to_addr=user.email, subject=composed.subject,
                body_text=composed.text, body_html=composed.html, headers=composed.headers,
                user_id=user.id)
    db.session.commit()
    return queued


def queue_due_digests(now: datetime) -> int:
    """Queue every digest due at `now`; the number queued."""
    return sum(queue_digest(user_id, now) for user_id in due_users(now))
