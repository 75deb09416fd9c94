"""Use cases of the settings page and of unsubscribe links."""

import secrets

from sqlalchemy import select

from auth.models import User
from extensions import begin_write, db
from mail.models import OPTIONAL_KINDS, MailSettings
from mail.notify import settings_of


def _own_settings(user) -> MailSettings:
    """The user's settings row, created when missing, locked for this transaction."""
    begin_write()
    settings = db.session.scalars(select(MailSettings).where(MailSettings.user_id == user.id)
                                  .with_for_update()).first()
    if settings is None:
        settings = settings_of(user)
        db.session.add(settings)
    return settings


def save_settings(user, *, entries: bool, recommendations: bool, digest_day: int | None,
                  timezone: str) -> None:
    """Store the person's mail choices (digest_day 0 Monday .. 6, None for none) and zone.
    Commits."""
    settings = _own_settings(user)
    settings.entries, settings.recommendations = entries, recommendations
    settings.digest_day = digest_day
    user.timezone = timezone
    db.session.commit()


def unsubscribe(user_id: int, kind: str) -> User | None:
    """Turn one optional kind of mail off (idempotent); the user, or None if unknown. Commits."""
    user = db.session.get(User, user_id)
    if user is None or kind not in OPTIONAL_KINDS:
        return None
    settings = _own_settings(user)
    if kind == "digest":
        settings.digest_day = None
    else:
        setattr(settings, kind, False)
    db.session.commit()
    return user


def renew_calendar_token(user) -> str:
    """A new secret address for the calendar feed; the old one stops working. Commits."""
    settings = _own_settings(user)
    settings.calendar_token = secrets.token_urlsafe(32)
    db.session.commit()
    return settings.calendar_token


def stop_calendar(user) -> bool:
    """Turn the calendar feed off, its address stops working; False if it was off. Commits."""
    begin_write()
    settings = db.session.get(MailSettings, user.id)
    if settings is None or settings.calendar_token is None:
        db.session.rollback()
        return False
    settings.calendar_token = None
    db.session.commit()
    return True


def user_for_calendar(token: str) -> User | None:
    """The active, verified account whose feed this secret opens, or None."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).join(MailSettings, MailSettings.user_id == User.id)
                             .where(MailSettings.calendar_token == token))
    if user is None or user.is_disabled or not user.is_verified:
        return None
    return user
