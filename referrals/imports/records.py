"""One person read from an import file, and the checks a row must pass to be imported.

Pure: no Flask, no database. A row that fails a check is refused with a reason the preview shows;
markup and formulas are kept as text (pages escape them, CSV exports neutralise them).
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email

MAX_ROWS = 30_000  # LinkedIn exports at most 30,000 connections
LIMITS = {"name": 120, "email": 254, "organisation": 120, "title": 120, "url": 300}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%y, %I:%M %p", "%m/%d/%Y",
                "%m/%d/%y", "%d/%m/%Y", "%d.%m.%Y")
EARLIEST = date(1950, 1, 1)


@dataclass(frozen=True)
class Contact:
    """A person as one row or card of an import file says, before any checks."""

    line: int  # where the row starts in the file, for messages
    name: str = ""
    email: str = ""
    organisation: str = ""
    title: str = ""
    url: str = ""
    connected_on: str = ""  # as written; parsed by checked()


@dataclass(frozen=True)
class Checked:
    """A row that passed the checks, tidied; `first_contact` parsed from `connected_on`."""

    line: int
    name: str
    email: str
    organisation: str
    title: str
    url: str
    first_contact: date | None


def parse_day(text: str, today: date) -> date | None:
    """A date as LinkedIn, Google or a spreadsheet writes it; None if blank; ValueError if not."""
    text = " ".join(text.split())
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not EARLIEST <= day <= today:
            raise ValueError(f"the date {text!r} is not between 1950 and today")
        return day
    raise ValueError(f"{text!r} is not a date we can read (for example 22 Dec 2025)")


def normal_url(url: str) -> str:
    """A LinkedIn profile address in one spelling, for matching: no scheme, www or slash."""
    url = url.strip().lower()
    url = re.sub(r"^https?://", "", url)
    url = re.sub(r"^(www\.|[a-z]{2}\.)(?=linkedin\.com)", "", url)
    return url.split("?")[0].rstrip("/")


def checked(contact: Contact, today: date) -> Checked | str:
    """The tidied row, or the reason it is refused."""
    values = {name: " ".join(getattr(contact, name).split()) for name in LIMITS}
    if not values["name"]:
        return "There is no name."
    for name, value in (*values.items(), ("connected_on", contact.connected_on)):
        if CONTROL.search(value):
            return f"The {name.replace('_', ' ')} holds control characters."
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            return f"The {name} is longer than {limit} characters."
    if "<" in values["name"] or ">" in values["name"]:
        return "The name holds markup (< or >); names are plain text."
    if values["email"]:
        try:
            values["email"] = validate_email(values["email"], check_deliverability=False
                                             ).normalized.lower()
        except EmailNotValidError:
            return f"{values['email']!r} is not an e-mail address."
    if values["url"] and not re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$",
                                      values["url"], re.I):
        return f"{values['url']!r} is not a web address."
    try:
        first = parse_day(contact.connected_on, today)
    except ValueError as exc:
        return f"The connection date: {exc}."
    return Checked(line=contact.line, first_contact=first, **values)


def with_line(contact: Contact, line: int) -> Contact:
    """The same contact, said to start on another line."""
    return replace(contact, line=line)
