"""Who one is losing touch with, a page at a time from SQL: overdue stay-in-touch cadences
first (most overdue first), then fading or dormant standings (weakest first), ties by name.

The same list, in the same order and with the same words, as `strength.losing_touch` over the
network read by name; the standings are those `daily.refresh` stored for the day, which callers
refresh first.
"""

from datetime import date

from sqlalchemy import and_, case, func, not_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date

from referrals.network.dashboard import NetworkFilter
from referrals.network.listing import Side, network_row, ranked_page, relationship_conditions
from referrals.paging import PAGE_SIZE, Page
from referrals.trust import strength as trust_strength

SHOWN_ON_DASHBOARD = 8
FADING_BANDS = ("fading", "dormant")


class days_after(FunctionElement):  # noqa: N801 - reads as the SQL function it stands for
    """SQL: the date `days` days after `day` (a date column and an integer expression)."""

    type = Date()
    inherit_cache = True


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw):
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, ({days}) || ' days')"


@compiles(days_after)
def _days_after(element, compiler, **kw):
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({day} + {days})"


def _terms(side: Side, today: date) -> tuple:
    """(overdue, fading, due day) as SQL, of my Side of a relationship; the due day is
    `strength.due_date`'s: the cadence's days after the last contact logged (or the day the
    relationship began)."""
    due = days_after(func.coalesce(side.last_contact_on, func.date(side.created_at)),
                     side.cadence)
    # A cadence of 0 or none sets no reminder; coalesce keeps "no cadence" false, never NULL.
    overdue = and_(func.coalesce(side.cadence, 0) != 0, due < today)
    return overdue, and_(not_(overdue), side.band.in_(FADING_BANDS)), due


def _ranked(person_id: int, today: date, number: int, size: int,
            only: str = "") -> tuple[list, int, int]:
    """Page `number` of the list's rows (ROW_COLUMNS, my stored score, band and day), most
    urgent first, its number and the total; `only` "overdue" or "fading" keeps that part of
    it."""
    def conditions(side: Side) -> tuple:
        overdue, fading, _ = _terms(side, today)
        wanted = {"overdue": overdue, "fading": fading}.get(only, overdue | fading)
        return (*relationship_conditions(side, NetworkFilter(), today), wanted)

    def keys(side: Side) -> tuple:
        overdue, _, due = _terms(side, today)
        return (case((overdue, 0), else_=1), case((overdue, due)),
                case((overdue, 0), else_=side.score))

    return ranked_page(person_id, conditions, keys, number, size)


def _items(rows, person_id: int, today: date) -> list[trust_strength.LosingTouch]:
    items = []
    for row in rows:
        line = network_row(row, person_id, today)
        item = trust_strength.attention(line.facts, line.person, line.strength, person_id, today)
        if item is not None:  # None only where a stale standing (not refreshed) said fading
            items.append(item)
    return items


def losing_touch(person_id: int, today: date, limit: int = PAGE_SIZE,
                 only: str = "") -> list[trust_strength.LosingTouch]:
    """The `limit` most urgent relationships `person_id` is losing touch with on `today`;
    `only` "overdue" or "fading" keeps that part of the list."""
    rows, _, _ = _ranked(person_id, today, 1, limit, only)
    return _items(rows, person_id, today)


def losing_touch_page(person_id: int, today: date, number: int,
                      size: int = PAGE_SIZE) -> Page:
    """Page `number` of the list (LosingTouch items) with its total; past the last page, the
    last page."""
    rows, number, total = _ranked(person_id, today, number, size)
    return Page(_items(rows, person_id, today), number, size, total)
