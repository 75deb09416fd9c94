"""A relationship's shared history a page at a time, newest first, with its count per year."""

from dataclasses import dataclass

from sqlalchemy import extract, func, select

from extensions import db
from referrals.models import Interaction, Person
from referrals.paging import Page, clamp

HISTORY_PAGE_SIZE = 25


@dataclass(frozen=True)
class Year:
    """A year of the history: how many entries it holds and the page its newest one is on."""

    year: int
    count: int
    page: int


def history_page(rel_id: int, number: int, size: int = HISTORY_PAGE_SIZE) -> Page:
    """One page of (Interaction, name of who logged it) rows, newest first; past the last page,
    the last page."""
    total = db.session.scalar(select(func.count()).where(Interaction.relationship_id == rel_id))
    number = clamp(number, total, size)
    rows = db.session.execute(
        select(Interaction, Person.name).join(Person, Person.id == Interaction.logged_by_id)
        .where(Interaction.relationship_id == rel_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        .offset((number - 1) * size).limit(size)).all()
    return Page(rows, number, size, total)


def years(rel_id: int, size: int = HISTORY_PAGE_SIZE) -> list[Year]:
    """Each year with entries, newest first, with its count and the page it starts on."""
    year = extract("year", Interaction.occurred_on)
    rows = db.session.execute(
        select(year, func.count()).where(Interaction.relationship_id == rel_id)
        .group_by(year).order_by(year.desc())).all()
    out, before = [], 0
    for value, count in rows:
        out.append(Year(int(value), count, before // size + 1))
        before += count
    return out
