"""Template helpers: times in the reader's zone, relative dates, labels."""

from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, request
from flask_login import current_user

from extensions import utcnow
from referrals.access import open_to_work_shown
from referrals.kinds import KIND_LABELS, ROLES, VISIBILITIES
from referrals.submissions import new_token


def zone_named(name: str | None) -> ZoneInfo:
    """The time zone of that IANA name, or UTC for an empty or unknown one."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _zone(name: str | None = None) -> ZoneInfo:
    # A message is read in its recipient's zone (passed in); a page in the signed-in reader's.
    return zone_named(name or getattr(current_user, "timezone", None))


def local_datetime(value: datetime | None, zone: str | None = None) -> str:
    """A stored UTC moment as local date and time: the reader's, or that of the zone named."""
    if value is None:
        return ""
    local = value.astimezone(_zone(zone))
    return local.strftime("%-d %b %Y, %H:%M ") + (local.tzname() or "")


def local_today(zone: str | None = None) -> date:
    """Today's date where the reader (or the zone named) is, which is not always UTC's."""
    return utcnow().astimezone(_zone(zone)).date()


def long_date(value: date | None) -> str:
    """A date as people write it: 3 Mar 2024."""
    return value.strftime("%-d %b %Y") if value else ""


def time_ago(value: date | None, today: date | None = None) -> str:
    """How long ago a date was, in words: 'today', '3 weeks ago', '2 years ago'."""
    if value is None:
        return "never"
    days = ((today or local_today()) - value).days
    if days <= 0:
        return "today"
    for size, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        if days >= size:
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "today"


def in_place() -> bool:
    """Whether this request came from static/js/inplace.js, which swaps in an HTML fragment
    (a request without it is a plain form post, answered with a redirect)."""
    return request.headers.get("X-Requested-With") == "fetch"


def page_link_prefix() -> str:
    """This page's URL with its query string but the page number, ready for "N" to be added:
    one URL built per list, not one per link."""
    kept = urlencode([(key, value) for key, value in request.args.items(multi=True)
                       if key != "page"])
    return f"{request.path}?{kept}{'&' if kept else ''}page="


def register(app: Flask) -> None:
    """Install the filters and globals every template may use."""
    app.jinja_env.filters.update(local_datetime=local_datetime, long_date=long_date,
                                 time_ago=time_ago)
    app.jinja_env.globals.update(local_today=local_today, open_to_work_shown=open_to_work_shown,
                                 new_submission_token=new_token, page_link_prefix=page_link_prefix)
    app.jinja_env.globals.update(view_functions=app.view_functions, KIND_LABELS=KIND_LABELS,
                                 ROLE_LABELS=dict(ROLES), VISIBILITY_LABELS=dict(VISIBILITIES))
