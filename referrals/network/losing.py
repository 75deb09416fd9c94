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

from referrals.models import Relationship
from referrals.network.dashboard import NetworkFilter
from referrals.network.listing import network_row, ranked_page, relationship_conditions
from referrals.paging import PAGE_SIZE, Page
from referrals.trust import daily
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


def _terms(person_id: int, today: date) -> tuple:
    """(overdue, fading, due day, my stored score, band, day) as SQL, for `person_id`'s side;
    the due day is `strength.due_date`'s: the cadence's days after the last contact logged
    (or the day the relationship began)."""
    mine = Relationship.a_id == person_id
    cadence = case((mine, Relationship.cadence_a_days), else_=Relationship.cadence_b_days)
    due = days_after(func.coalesce(Relationship.last_contact_on,
                                   func.date(Relationship.created_at)), cadence)
    # A cadence of 0 or none sets no reminder; coalesce keeps "no cadence" false, never NULL.
    overdue = and_(func.coalesce(cadence, 0) != 0, due < today)
    score, band, on = daily.my_standing(person_id)
    return overdue, and_(not_(overdue), band.in_(FADING_BANDS)), due, score, band, on


def _ranked(person_id: int, today: date, number: int, size: int,
            only: str = "") -> tuple[list, int, int]:
    """Page `number` of the list's rows (ROW_COLUMNS, my stored score, band and day), most
    urgent first, its number and the total; `only` "overdue" or "fading" keeps that part of
    it."""
    overdue, fading, due, score, band, on = _terms(person_id, today)
    wanted = {"overdue": overdue, "fading": fading}.get(only, overdue | fading)
    keys = (case((overdue, 0), else_=1), case((overdue, due)), case((overdue, 0), else_=score))
    return ranked_page(
        person_id, (*relationship_conditions(person_id, NetworkFilter(), today), wanted), keys,
        (score, band, on), number, size)


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
