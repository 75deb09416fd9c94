"""The dashboard's read models at scale: the network a page at a time, pending entries grouped
by who logged them, and who one is losing touch with (losing.py), read as plain rows, never as
ORM objects.

Filters, counts, every sort and the paging run in SQL. The trust sort reads each relationship's
stored standing of the day (trust/daily.py): callers refresh it first (`daily.refresh`), since
the score decays with the date.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, case, func, literal_column, select, union_all

from extensions import db, in_ids
from referrals.access import my_relationships_clause, other_person_join
from referrals.models import Interaction, Person, Relationship
from referrals.network.dashboard import NetworkFilter
from referrals.paging import PAGE_SIZE, Page, clamp
from referrals.statuses import ConnectionStatus, InteractionStatus
from referrals.trust import daily
from referrals.trust import strength as trust_strength

# Written as a literal, not a bound parameter, so that the database may use the partial index
# of pending entries (ix_interactions_pending): a planner cannot match a parameter to it.
PENDING = Interaction.status == literal_column(f"'{InteractionStatus.PENDING.value}'")


@dataclass(frozen=True)
class Facts:
    """What a relationship's row says about its trust and cadences, under Relationship's own
    attribute names, so that the strength read models take it in place of the ORM object."""

    id: int
    a_id: int
    b_id: int
    trust_base_a: float
    trust_base_b: float
    trust_held_a: float
    trust_held_b: float
    trust_last_contact: date | None
    trust_last_confirmed: date | None
    trust_last_event: date | None
    cadence_a_days: int | None
    cadence_b_days: int | None
    last_contact_on: date | None
    created_at: datetime

    def side_of(self, person_id: int) -> str | None:
        """'a' or 'b' for a party to this relationship, None for anyone else."""
        return "a" if person_id == self.a_id else "b" if person_id == self.b_id else None


FACT_COLUMNS = tuple(getattr(Relationship, name) for name in Facts.__dataclass_fields__)


class PersonRow(NamedTuple):
    """The other party as the network table shows them: enough to name, describe and link."""

    id: int
    name: str
    role: str = ""
    title: str = ""
    organisation: str = ""
    visibility: str = ""
    owner_id: int | None = None
    user_id: int | None = None


PERSON_COLUMNS = tuple(getattr(Person, name) for name in PersonRow._fields)
ROW_COLUMNS = (*FACT_COLUMNS, *PERSON_COLUMNS)


@dataclass(frozen=True)
class NetworkRow:
    """One line of the network table: the relationship's facts, the other party, my strength."""

    facts: Facts
    person: PersonRow
    strength: trust_strength.Strength


class Side(NamedTuple):
    """My side of a relationship under side-free names, as SQL expressions: over the
    relationships table's rows (`side_of_rows`) or over `my_sides`, where each is a column."""

    id: Any
    status: Any
    score: Any  # my stored standing (trust/daily.py): score, band and the day of them
    band: Any
    on: Any
    cadence: Any  # my stay-in-touch cadence in days
    last_contact_on: Any
    created_at: Any
    trust_last_contact: Any


def side_of_rows(person_id: int) -> Side:
    """My side's columns of the relationships table's rows, whichever side I am on."""
    mine = Relationship.a_id == person_id
    score, band, on = daily.my_standing(person_id)
    return Side(Relationship.id, Relationship.status, score, band, on,
                case((mine, Relationship.cadence_a_days), else_=Relationship.cadence_b_days),
                Relationship.last_contact_on, Relationship.created_at,
                Relationship.trust_last_contact)


def my_sides(person_id: int) -> Side:
    """My relationships as rows of my side's columns: a branch per side, each read from its
    side's index alone (ix_relationships_*_listing), where `side_of_rows` with the OR of the
    two sides read every row of a large network from the table."""
    def branch(side: str):
        return select(
            Relationship.id, Relationship.status,
            *(getattr(Relationship, f"standing_{name}_{side}").label(name)
              for name in ("score", "band", "on")),
            getattr(Relationship, f"cadence_{side}_days").label("cadence"),
            Relationship.last_contact_on, Relationship.created_at,
            Relationship.trust_last_contact).where(getattr(Relationship, f"{side}_id") == person_id)

    rows = union_all(branch("a"), branch("b")).subquery("mine")
    return Side(*(rows.c[name] for name in Side._fields))


def network_query(person_id: int, flt: NetworkFilter, today: date, *columns) -> Select:
    """My accepted relationships with live people, narrowed by the filter, selecting `columns`."""
    query = (select(*columns).select_from(Relationship)
             .join(Person, other_person_join(person_id))
             .where(my_relationships_clause(person_id),
                    *relationship_conditions(side_of_rows(person_id), flt, today),
                    Person.merged_into_id.is_(None)))
    if flt.role:
        query = query.where(Person.role == flt.role)
    if flt.organisation:
        query = query.where(func.lower(Person.organisation).contains(flt.organisation.lower(),
                                                                     autoescape=True))
    return query


def relationship_conditions(side: Side, flt: NetworkFilter, today: date) -> tuple:
    """The conditions of the network query that read my side of the relationship alone:
    accepted, and the last-contact window of the filter."""
    conditions = [side.status == ConnectionStatus.ACCEPTED]
    # The window reads the last contact the table shows: the last one that counts for trust.
    last = side.trust_last_contact
    if flt.last_contact in ("30", "365"):
        conditions.append(last >= date.fromordinal(today.toordinal() - int(flt.last_contact)))
    elif flt.last_contact == "over365":
        conditions.append(last < date.fromordinal(today.toordinal() - 365))
    elif flt.last_contact == "never":
        conditions.append(last.is_(None))
    return tuple(conditions)


def whole_network(person_id: int, today: date) -> list[tuple]:
    """(Relationship, other Person) for every accepted connection, by name: for what reads the
    network whole (the calendar feed)."""
    query = network_query(person_id, NetworkFilter(), today, Relationship, Person)
    return list(db.session.execute(query.order_by(func.lower(Person.name), Person.id)))


def _ordered(column, flt: NetworkFilter):
    order = column.desc() if flt.descending else column.asc()
    return order.nulls_last() if flt.sort == "last_contact" else order


def network_page(person_id: int, flt: NetworkFilter, today: date, number: int,
                 size: int = PAGE_SIZE) -> Page:
    """One page of my network (NetworkRow items), filtered and sorted as asked, ties by name;
    past the last page, the last page. The trust sort reads the standings `daily.refresh`
    stored for `today`."""
    if flt.sort in ("strength", "last_contact") and not (flt.role or flt.organisation):
        def keys(side: Side) -> tuple:
            return (_ordered(side.score if flt.sort == "strength" else side.trust_last_contact,
                             flt),)

        rows, number, total = ranked_page(
            person_id, lambda side: relationship_conditions(side, flt, today), keys, number,
            size)
    else:
        side = side_of_rows(person_id)
        column = {"name": func.lower(Person.name), "organisation": func.lower(Person.organisation),
                  "last_contact": side.trust_last_contact, "strength": side.score}[flt.sort]
        rows, number, total = counted_page(
            network_query(person_id, flt, today, *ROW_COLUMNS, side.score, side.band, side.on)
            .order_by(_ordered(column, flt), func.lower(Person.name), Person.id), number, size)
    return Page([network_row(row, person_id, today) for row in rows], number, size, total)


def ranked_page(person_id: int, conditions: Callable[[Side], tuple],
                keys: Callable[[Side], tuple], number: int,
                size: int) -> tuple[list, int, int]:
    """The rows (ROW_COLUMNS, then my stored score, band and day) of page `number` of my
    relationships meeting `conditions`, ordered by `keys` and then by the other party's name,
    with the page's number and the total; past the last page, the last page. `conditions` and
    `keys` are of my Side of a relationship alone.

    The order by keys is found on my sides first (`my_sides`: from the indexes alone), and
    only the rows that can be on pages up to this one (fewer than number * size rows before
    them by keys: the ties at the edge included, for their names to settle) meet their people,
    in a second statement: a network of 10,000 read whole with its people to show 50 of them
    was most of the dashboard's time, and one statement for both is planned as if every row
    could be on the page. Merging moves every relationship of a merged-away person to whom
    they merged into, so counting the relationships alone counts the people the page shows."""
    mine = my_sides(person_id)
    ranked = (select(mine.id, func.rank().over(order_by=keys(mine)).label("place"),
                     func.count().over().label("total"))
              .where(*conditions(mine)).subquery())
    number = max(1, number)
    hits = db.session.execute(select(ranked.c.id, ranked.c.total)
                              .where(ranked.c.place <= number * size)).all()
    if not hits:
        return [], 1, 0
    total = hits[0].total
    # Past the last page, the last one: its rows are among these hits too.
    number = clamp(number, total, size)
    side = side_of_rows(person_id)
    rows = db.session.execute(
        select(*ROW_COLUMNS, side.score, side.band, side.on).select_from(Relationship)
        .join(Person, other_person_join(person_id))
        .where(in_ids(Relationship.id, [hit.id for hit in hits]),
               Person.merged_into_id.is_(None))
        .order_by(*keys(side), func.lower(Person.name), Person.id)
        .offset((number - 1) * size).limit(size)).all()
    return rows, number, total


def counted_page(query: Select, number: int, size: int) -> tuple[list, int, int]:
    """The rows of page `number` of an ordered query, the page's number and the query's total
    row count, read in one statement (count(*) over the whole result, before the limit); past
    the last page, the last page, read with two statements more."""
    rows = db.session.execute(query.add_columns(func.count().over())
                              .offset((number - 1) * size).limit(size)).all()
    if rows:
        return [row[:-1] for row in rows], number, rows[0][-1]
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    last = clamp(number, total, size)
    if last == number:
        return [], number, total
    return db.session.execute(query.offset((last - 1) * size).limit(size)).all(), last, total


def network_row(row, person_id: int, today: date) -> NetworkRow:
    """A NetworkRow from a row of ROW_COLUMNS and my stored (score, band, day): the stored
    strength when it is of `today`, else computed from the facts."""
    width = len(FACT_COLUMNS)
    facts = Facts(*row[:width])
    score, band, on = row[len(ROW_COLUMNS):]
    strength = (trust_strength.stored_strength(facts, score, band, today) if on == today
                else trust_strength.strength_of(facts, today, person_id))
    return NetworkRow(facts, PersonRow(*row[width:len(ROW_COLUMNS)]), strength)


def network_size(person_id: int, today: date) -> int:
    """How many accepted, live connections this person has."""
    return db.session.scalar(network_query(person_id, NetworkFilter(), today, func.count()))


@dataclass(frozen=True)
class PendingGroup:
    """Entries one person logged on our relationship that wait for my answer."""

    relationship_id: int
    person_id: int
    name: str
    count: int
    latest: date
    latest_kind: str  # the newest entry's kind and note, to say what waits
    latest_note: str


def pending_groups(person_id: int, number: int = 1, size: int = 10) -> "PendingSummary":
    """Who has entries waiting for my confirmation, and how many: most entries first, a page
    of PendingGroup items."""
    rows, number, total_groups, total_entries = _pending_page(person_id, number, size)
    latest = _latest_pending({row[0] for row in rows}, person_id)
    page = Page([PendingGroup(*row, *latest.get(row[0], ("", ""))) for row in rows],
                number, size, total_groups)
    return PendingSummary(page, total_entries)


def _pending_page(person_id: int, number: int, size: int) -> tuple[list, int, int, int]:
    """The rows of page `number` of the pending groups (relationship id, logger id, logger
    name, entries, latest day), the page's number, and the number of groups and of entries,
    read in one statement; past the last page, the last page, read with two statements more."""
    number = max(1, number)
    # What waits for me is counted on each relationship (its waiting_ columns, kept with the
    # ledger), so a group is one row; the other side is the only one whose entries wait for me.
    # One branch per side, each read from its side's index alone (ix_relationships_*_waiting).
    sides = union_all(*(
        select(Relationship.id.label("relationship_id"),
               getattr(Relationship, f"{other}_id").label("logged_by_id"),
               getattr(Relationship, f"waiting_{side}").label("n"),
               getattr(Relationship, f"waiting_latest_{side}").label("latest"))
        .where(getattr(Relationship, f"{side}_id") == person_id,
               getattr(Relationship, f"waiting_{side}") > 0)
        for side, other in (("a", "b"), ("b", "a")))).subquery()
    grouped = select(*sides.c, func.count().over().label("groups"),
                     func.sum(sides.c.n).over().label("entries"),
                     func.rank().over(order_by=sides.c.n.desc()).label("place")).subquery()
    columns = (grouped.c.relationship_id, grouped.c.logged_by_id, Person.name, grouped.c.n,
               grouped.c.latest)

    def page(number: int) -> list:
        # A group can be on pages up to `number` only if fewer than number * size groups have
        # more entries: the rest are left out before their loggers' names are read to sort.
        return db.session.execute(
            select(*columns, grouped.c.groups, grouped.c.entries)
            .join(Person, Person.id == grouped.c.logged_by_id)
            .where(grouped.c.place <= number * size)
            .order_by(grouped.c.n.desc(), func.lower(Person.name), grouped.c.relationship_id)
            .offset((number - 1) * size).limit(size)).all()

    rows = page(number)
    if rows:
        return [row[:-2] for row in rows], number, rows[0][-2], int(rows[0][-1])
    if number == 1:
        return [], 1, 0, 0
    total_groups, total_entries = db.session.execute(
        select(func.count(), func.coalesce(func.sum(grouped.c.n), 0))).one()
    last = clamp(number, total_groups, size)
    if last == number:
        return [], number, total_groups, int(total_entries)
    return [row[:-2] for row in page(last)], last, total_groups, int(total_entries)


def _latest_pending(rel_ids: set[int], person_id: int) -> dict[int, tuple[str, str]]:
    """Kind and note of the newest entry waiting for me on each of these relationships."""
    if not rel_ids:
        return {}
    ranked = (select(Interaction.relationship_id, Interaction.kind, Interaction.note,
                     func.row_number().over(
                         partition_by=Interaction.relationship_id,
                         order_by=(Interaction.occurred_on.desc(), Interaction.id.desc()))
                     .label("rank"))
              .where(Interaction.relationship_id.in_(rel_ids), PENDING,
                     Interaction.logged_by_id != person_id)).subquery()
    rows = db.session.execute(select(ranked.c.relationship_id, ranked.c.kind, ranked.c.note)
                              .where(ranked.c.rank == 1))
    return {rel_id: (kind, note) for rel_id, kind, note in rows}


@dataclass(frozen=True)
class PendingSummary:
    """A page of pending groups and the number of entries waiting in all of them."""

    groups: Page
    entries: int


def connection_requests(person_id: int, limit: int = 20) -> tuple[list, int]:
    """Requests to connect waiting for my answer, oldest first (relationship id, requester id,
    requester name, requester visibility), at most `limit` of them, and how many in all."""
    where = (my_relationships_clause(person_id), Relationship.status == ConnectionStatus.PENDING,
             Relationship.requested_by_id != person_id)
    total = db.session.scalar(select(func.count()).select_from(Relationship).where(*where))
    rows = db.session.execute(
        select(Relationship.id, Person.id, Person.name, Person.visibility)
        .join(Person, Person.id == Relationship.requested_by_id).where(*where)
        .order_by(Relationship.created_at, Relationship.id).limit(limit)).all()
    return rows, total
