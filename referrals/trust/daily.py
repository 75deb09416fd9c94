"""Each side's trust score and band as of a day, stored on its relationship, so that pages sort,
filter and page on them in SQL.

The score decays with the date, so a stored score is true only for the day it was computed on.
It is written with the ledger (store.stored_values, as of the UTC day), refreshed for a reader
whose day has moved on at their first page that needs it (`refresh`, one bulk statement per
side), and for everyone by `flask trust refresh` (`refresh_everyone`, for a nightly cron).
"""

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Date, and_, bindparam, case, or_, select, text

from auth.models import User
from extensions import begin_write, db, in_ids
from referrals.display import zone_named
from referrals.models import Person, Relationship
from referrals.trust import score as trust
from referrals.trust.strength import standing

SIDES = ("a", "b")
PEOPLE_PER_BATCH = 1000  # `refresh_everyone` locks and writes this many readers' rows at once


def standing_values(summary: trust.Summary, today: date) -> dict:
    """The standing columns of both sides on `today`, for a relationship with this summary."""
    values: dict = {}
    for side in SIDES:
        score, band = standing(summary.base[side], summary.held[side], summary.last_contact,
                               summary.last_confirmed, summary.last_event, today)
        values.update({f"standing_on_{side}": today, f"standing_score_{side}": score,
                       f"standing_band_{side}": band})
    return values


def my_standing(person_id: int):
    """SQL expressions for `person_id`'s stored (score, band, day) on their relationships."""
    mine = Relationship.a_id == person_id
    return (case((mine, Relationship.standing_score_a), else_=Relationship.standing_score_b),
            case((mine, Relationship.standing_band_a), else_=Relationship.standing_band_b),
            case((mine, Relationship.standing_on_a), else_=Relationship.standing_on_b))


def _stale(whose, column, today: date):
    # "Before or after", not "not equal": each is a range of the (side, day) index, so finding
    # none probes it instead of reading every one of a large network's rows. `whose` is
    # repeated in each range: SQLite probes the index only for an OR of whole conditions.
    return or_(*(and_(whose, part) for part in (column.is_(None), column < today,
                                                 column > today)))


def refresh(person_id: int, today: date, commit: bool = True) -> int:
    """Store `person_id`'s standings on all their relationships as of `today` where they are of
    another day; the number refreshed. One read when all are current (the usual case);
    otherwise the stale rows are locked, computed and written in one statement per side, and
    committed unless `commit` is False (a caller that commits its own transaction)."""
    wanted = {side: _stale(getattr(Relationship, f"{side}_id") == person_id,
                           getattr(Relationship, f"standing_on_{side}"), today)
              for side in SIDES}
    if db.session.scalar(select(Relationship.id).where(or_(*wanted.values())).limit(1)) is None:
        return 0
    begin_write()
    refreshed = _refresh_rows(wanted, today)
    if commit:
        db.session.commit()
    return refreshed


def refresh_everyone(now: datetime) -> int:
    """Store every account holder's standings as of their own today (their time zone at
    `now`), a batch of readers per transaction; the number of sides refreshed. For a nightly
    cron: the first page of the day then finds nothing to do."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for person_id, zone in db.session.execute(
            select(Person.id, User.timezone).join(User, Person.user_id == User.id)):
        by_day[now.astimezone(zone_named(zone)).date()].append(person_id)
    db.session.commit()
    refreshed = 0
    for today, people in sorted(by_day.items()):
        for start in range(0, len(people), PEOPLE_PER_BATCH):
            batch = people[start:start + PEOPLE_PER_BATCH]
            begin_write()
            refreshed += _refresh_rows({side: _stale(
                in_ids(getattr(Relationship, f"{side}_id"), batch),
                getattr(Relationship, f"standing_on_{side}"), today) for side in SIDES}, today)
            db.session.commit()
    return refreshed


def _refresh_rows(wanted: dict, today: date) -> int:
    """Lock the rows matching either side's condition in `wanted` (side -> SQL condition),
    compute those sides' standings on `today` from the stored columns and write them back in
    one statement a side; the number of sides written. The rows are locked in one statement, in
    id order, so that two readers refreshing at once cannot deadlock; and a ledger written
    meanwhile either waits for this or is read here, never overwritten with old news."""
    flags = [case((condition, 1), else_=0) for condition in wanted.values()]
    rows = db.session.execute(
        select(Relationship.id, Relationship.trust_base_a, Relationship.trust_held_a,
               Relationship.trust_base_b, Relationship.trust_held_b,
               Relationship.trust_last_contact, Relationship.trust_last_confirmed,
               Relationship.trust_last_event, *flags)
        .where(or_(*wanted.values())).order_by(Relationship.id).with_for_update()).all()
    values: dict[str, list] = {side: [] for side in wanted}
    for rel_id, base_a, held_a, base_b, held_b, last, confirmed, event, *wants in rows:
        inputs = {"a": (base_a, held_a), "b": (base_b, held_b)}
        for side, want in zip(wanted, wants, strict=True):
            if want:
                values[side].append(
                    (rel_id, *standing(*inputs[side], last, confirmed, event, today)))
    dialect = db.session.get_bind().dialect.name
    for side, side_values in values.items():
        if side_values:
            db.session.execute(_bulk_update(side, dialect),
                               {"today": today, "rows": _packed(side_values)})
    return sum(len(side_values) for side_values in values.values())


def _bulk_update(side: str, dialect: str):
    """One UPDATE that writes every row's (id, score, band) of `side`, passed as one value: a
    statement per row costs more in the driver than computing the scores."""
    columns = (f"standing_on_{side} = :today, standing_score_{side} = v.score, "
               f"standing_band_{side} = v.band")
    if dialect == "postgresql":
        statement = text(
            f"UPDATE relationships SET {columns} FROM (SELECT * FROM jsonb_to_recordset("
            "CAST(:rows AS jsonb)) AS v(id integer, score integer, band text)) AS v "
            "WHERE relationships.id = v.id")
    else:
        statement = text(
            f"UPDATE relationships SET {columns} FROM (SELECT json_extract(value, '$.id') AS id,"
            " json_extract(value, '$.score') AS score, json_extract(value, '$.band') AS band "
            "FROM json_each(:rows)) AS v WHERE relationships.id = v.id")
    return statement.bindparams(bindparam("today", type_=Date))


def _packed(values: list[tuple[int, int, str]]) -> str:
    return json.dumps([{"id": rel_id, "score": score, "band": band}
                       for rel_id, score, band in values])
