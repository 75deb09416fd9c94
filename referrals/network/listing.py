"""The dashboard's read models at scale: the network a page at a time, pending entries grouped
by who logged them, and who one is losing touch with, read as plain rows, never as ORM objects.

Filters, counts and the name, organisation and last-contact sorts run in SQL; the trust sort
reads the stored trust columns of every filtered relationship (no ledger is parsed) and orders
them in Python, since the score decays with today's date.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Select, case, func, literal_column, select

from extensions import db
from referrals.access import my_relationships_clause, other_person_join
from referrals.models import Interaction, Person, Relationship
from referrals.network.dashboard import NetworkFilter
from referrals.paging import PAGE_SIZE, Page, clamp, page_of
from referrals.statuses import ConnectionStatus, InteractionStatus
from referrals.trust import strength as trust_strength

LOSING_TOUCH_SHOWN = 8
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


@dataclass(frozen=True)
class NetworkRow:
    """One line of the network table: the relationship's facts, the other party, my strength."""

    facts: Facts
    person: PersonRow
    strength: trust_strength.Strength


def _filtered(person_id: int, flt: NetworkFilter, today: date, *columns) -> Select:
    """My accepted relationships with live people, narrowed by the filter, selecting `columns`."""
    query = (select(*columns).select_from(Relationship)
             .join(Person, other_person_join(person_id))
             .where(my_relationships_clause(person_id),
                    Relationship.status == ConnectionStatus.ACCEPTED,
                    Person.merged_into_id.is_(None)))
    if flt.role:
        query = query.where(Person.role == flt.role)
    if flt.organisation:
        query = query.where(func.lower(Person.organisation).contains(flt.organisation.lower(),
                                                                     autoescape=True))
    # The window reads the last contact the table shows: the last one that counts for trust.
    last = Relationship.trust_last_contact
    if flt.last_contact in ("30", "365"):
        query = query.where(last >= date.fromordinal(today.toordinal() - int(flt.last_contact)))
    elif flt.last_contact == "over365":
        query = query.where(last < date.fromordinal(today.toordinal() - 365))
    elif flt.last_contact == "never":
        query = query.where(last.is_(None))
    return query


def whole_network(person_id: int, today: date) -> list[tuple]:
    """(Relationship, other Person) for every accepted connection, by name: for what reads the
    network whole (the mail digest, the calendar feed)."""
    query = _filtered(person_id, NetworkFilter(), today, Relationship, Person)
    return list(db.session.execute(query.order_by(func.lower(Person.name), Person.id)))


def _my_score_order(person_id: int, flt: NetworkFilter, today: date) -> list[int]:
    """Relationship ids of the filtered network in trust order, read from the stored columns."""
    mine = Relationship.a_id == person_id
    rows = db.session.execute(_filtered(
        person_id, flt, today, Relationship.id,
        case((mine, Relationship.trust_base_a), else_=Relationship.trust_base_b),
        case((mine, Relationship.trust_held_a), else_=Relationship.trust_held_b),
        Relationship.trust_last_contact, Relationship.trust_last_confirmed,
        Relationship.trust_last_event, func.lower(Person.name), Person.id))
    scored = [(trust_strength.score_from(base, held, last, confirmed, event, today), name, pid,
               rel_id) for rel_id, base, held, last, confirmed, event, name, pid in rows]
    # Ties read A to Z whichever way the scores run.
    scored.sort(key=lambda row: (row[1], row[2]))
    scored.sort(key=lambda row: row[0], reverse=flt.descending)
    return [row[3] for row in scored]


def everyone(person_id: int, today: date) -> list["NetworkRow"]:
    """My whole network as NetworkRows, each strength computed once: what the unfiltered trust
    order and the losing-touch list both read, from one query."""
    rows = db.session.execute(_filtered(person_id, NetworkFilter(), today, *FACT_COLUMNS,
                                        *PERSON_COLUMNS))
    return [_network_row(row, person_id, today) for row in rows]


def _unfiltered(flt: NetworkFilter) -> bool:
    return not (flt.role or flt.organisation or flt.last_contact)


def network_page(person_id: int, flt: NetworkFilter, today: date, number: int,
                 size: int = PAGE_SIZE, network: list["NetworkRow"] | None = None) -> Page:
    """One page of my network (NetworkRow items), filtered and sorted as asked; past the last
    page, the last page. `network` (from `everyone`) saves reading it again for the trust
    order without filters."""
    if flt.sort == "strength" and network is not None and _unfiltered(flt):
        ordered = sorted(network, key=lambda row: (row.person.name.lower(), row.person.id))
        ordered.sort(key=lambda row: row.strength.score, reverse=flt.descending)
        return page_of(ordered, number, size)
    if flt.sort == "strength":
        page = page_of(_my_score_order(person_id, flt, today), number, size)
        ids = page.items
        query = _filtered(person_id, flt, today, *FACT_COLUMNS, *PERSON_COLUMNS).where(
            Relationship.id.in_(ids))
        by_id = {row[0]: row for row in db.session.execute(query)}
        rows = [by_id[rel_id] for rel_id in ids if rel_id in by_id]
        total = page.total
        number = page.number
    else:
        total = db.session.scalar(_filtered(person_id, flt, today, func.count()))
        number = clamp(number, total, size)
        column = {"name": func.lower(Person.name),
                  "organisation": func.lower(Person.organisation),
                  "last_contact": Relationship.trust_last_contact}[flt.sort]
        order = column.desc() if flt.descending else column.asc()
        if flt.sort == "last_contact":
            order = order.nulls_last()
        rows = list(db.session.execute(
            _filtered(person_id, flt, today, *FACT_COLUMNS, *PERSON_COLUMNS)
            .order_by(order, func.lower(Person.name), Person.id)
            .offset((number - 1) * size).limit(size)))
    return Page([_network_row(row, person_id, today) for row in rows], number, size, total)


def _network_row(row, person_id: int, today: date) -> NetworkRow:
    width = len(FACT_COLUMNS)
    facts = Facts(*row[:width])
    return NetworkRow(facts, PersonRow(*row[width:]),
                      trust_strength.strength_of(facts, today, person_id))


def network_size(person_id: int, today: date) -> int:
    """How many accepted, live connections this person has."""
    return db.session.scalar(_filtered(person_id, NetworkFilter(), today, func.count()))


def losing_touch(person_id: int, today: date,
                 network: list["NetworkRow"] | None = None) -> list[trust_strength.LosingTouch]:
    """Everyone I am losing touch with, most urgent first (see strength.losing_touch), from
    plain rows: overdue cadences, then fading or dormant relationships. `network` (from
    `everyone`) saves reading it again."""
    rows = everyone(person_id, today) if network is None else network
    strengths = {row.facts.id: row.strength for row in rows}
    return trust_strength.losing_touch([(row.facts, row.person) for row in rows], person_id,
                                       today, strength_for=lambda rel: strengths[rel.id])


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
    grouped = (select(Interaction.relationship_id, Interaction.logged_by_id,
                      func.count().label("n"), func.max(Interaction.occurred_on).label("latest"))
               .join(Relationship, Relationship.id == Interaction.relationship_id)
               .where(my_relationships_clause(person_id), PENDING,
                      Interaction.logged_by_id != person_id)
               .group_by(Interaction.relationship_id, Interaction.logged_by_id)).subquery()
    total_groups, total_entries = db.session.execute(
        select(func.count(), func.coalesce(func.sum(grouped.c.n), 0))).one()
    number = clamp(number, total_groups, size)
    rows = db.session.execute(
        select(grouped.c.relationship_id, grouped.c.logged_by_id, Person.name, grouped.c.n,
               grouped.c.latest)
        .join(Person, Person.id == grouped.c.logged_by_id)
        .order_by(grouped.c.n.desc(), func.lower(Person.name), grouped.c.relationship_id)
        .offset((number - 1) * size).limit(size))
    rows = rows.all()
    latest = _latest_pending({row[0] for row in rows}, person_id)
    page = Page([PendingGroup(*row, *latest.get(row[0], ("", ""))) for row in rows],
                number, size, total_groups)
    return PendingSummary(page, total_entries)


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
