"""Template helpers: times in the reader's zone, relative dates, labels."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user

from extensions import utcnow
from referrals.kinds import KIND_LABELS, ROLES, VISIBILITIES


def _zone() -> ZoneInfo:
    name = getattr(current_user, "timezone", None) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_datetime(value: datetime | None) -> str:
    """A stored UTC moment as the reader's local date and time."""
    if value is None:
        return ""
    local = value.astimezone(_zone())
    return local.strftime("%-d %b %Y, %H:%M ") + (local.tzname() or "")


def long_date(value: date | None) -> str:
    """A date as people write it: 3 Mar 2024."""
    return value.strftime("%-d %b %Y") if value else ""


def time_ago(value: date | None, today: date | None = None) -> str:
    """How long ago a date was, in words: 'today', '3 weeks ago', '2 years ago'."""
    if value is None:
        return "never"
    days = ((today or utcnow().date()) - value).days
    if days <= 0:
        return "today"
    for size, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        if days >= size:
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "today"


def register(app: Flask) -> None:
    """Install the filters and globals every template may use."""
    app.jinja_env.filters.update(local_datetime=local_datetime, long_date=long_date,
                                 time_ago=time_ago)
    app.jinja_env.globals.update(view_functions=app.view_functions, KIND_LABELS=KIND_LABELS,
                                 ROLE_LABELS=dict(ROLES), VISIBILITY_LABELS=dict(VISIBILITIES))
