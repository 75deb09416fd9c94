"""An iCalendar feed of a person's stay-in-touch due dates (one all-day event per person)."""

import hashlib
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from referrals.trust.strength import due_date


def due_dates(rows, person_id: int) -> list[tuple[object, date]]:
    """(other Person, due date) for each (Relationship, other Person) row with a cadence."""
    out = []
    for rel, other in rows:
        due = due_date(rel, rel.side_of(person_id))
        if due is not None:
            out.append((other, due))
    return sorted(out, key=lambda item: (item[1], item[0].name))


def feed(dues: list[tuple[object, date]], person_id: int, stamp: datetime) -> bytes:
    """The feed as iCalendar bytes: stable UIDs, so calendars update events in place."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kinship Referrals//stay in touch//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kinship: stay in touch")
    for other, due in dues:
        event = Event()
        uid = hashlib.sha256(f"{person_id}:{other.id}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@kinship-referrals")
        event.add("summary", f"Stay in touch with {other.name}")
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
