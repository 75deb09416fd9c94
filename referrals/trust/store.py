"""Keeping each relationship's stored trust aggregate in step with its history."""

import json
from datetime import date, datetime, time, timedelta, timezone
from itertools import groupby

from sqlalchemy import select, update

from extensions import begin_write, db, utcnow
from referrals.models import Interaction, Relationship
from referrals.statuses import InteractionStatus
from referrals.trust import daily
from referrals.trust import score as trust


def event_of(rel: Relationship, interaction: Interaction) -> trust.Event | None:
    """The score's view of an interaction; None for a disputed one, which counts for nothing."""
    if interaction.status == InteractionStatus.DISPUTED:
        return None
    return trust.Event(day=interaction.occurred_on, kind=interaction.kind,
                       giver=interaction.giver, logged_by=rel.side_of(interaction.logged_by_id),
                       confirmed=interaction.status == InteractionStatus.CONFIRMED)


def load_ledger(rel: Relationship) -> trust.Ledger:
    """The relationship's stored aggregate."""
    return trust.Ledger.from_json(rel.trust_ledger) if rel.trust_ledger else trust.Ledger()


def _store(rel: Relationship, ledger: trust.Ledger) -> None:
    for column, value in stored_values(ledger).items():
        setattr(rel, column, value)


def record(rel: Relationship, *, removed: trust.Event | None = None,
           added: Interaction | None = None) -> None:
    """Apply one change of the history to the stored aggregate (caller holds the row lock)."""
    ledger = load_ledger(rel)
    if removed is not None:
        ledger.remove(removed)
    new_event = event_of(rel, added) if added is not None else None
    if new_event is not None:
        ledger.add(new_event)
    _store(rel, ledger)


def rebuild(rel: Relationship) -> None:
    """Recompute the aggregate from the raw history (used by merges and `flask trust recompute`)."""
    rows = db.session.scalars(select(Interaction).where(Interaction.relationship_id == rel.id))
    events = [e for e in (event_of(rel, i) for i in rows) if e is not None]
    _store(rel, trust.Ledger.from_events(events))


def ledger_as_logged(rel: Relationship, day: date) -> trust.Ledger:
    """The history as it had been logged and confirmed by the end of `day` (for the trend):
    entries logged later are left out, and confirmations given later count as pending."""
    until = datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.utc)
    # Plain columns, not Interaction objects: a long history is read on every page view.
    rows = db.session.execute(select(
        Interaction.occurred_on, Interaction.kind, Interaction.giver, Interaction.logged_by_id,
        Interaction.status, Interaction.responded_at).where(
        Interaction.relationship_id == rel.id, Interaction.created_at < until,
        Interaction.occurred_on <= day))
    events = []
    for occurred_on, kind, giver, logged_by_id, status, responded_at in rows:
        answered = responded_at is not None and responded_at < until
        if status == InteractionStatus.DISPUTED and answered:
            continue
        events.append(trust.Event(day=occurred_on, kind=kind, giver=giver,
                                  logged_by=rel.side_of(logged_by_id),
                                  confirmed=status == InteractionStatus.CONFIRMED and answered))
    return trust.Ledger.from_events(events)


def summary_of(rel: Relationship) -> trust.Summary:
    """The stored snapshot the fast score is read from."""
    return parse_summary(rel.trust_summary)


def parse_summary(text: str) -> trust.Summary:
    """The Summary stored as `text` in relationships.trust_summary ("" for no history)."""
    if not text:
        return trust.summarize(trust.Ledger())
    return trust.Summary.from_dict(json.loads(text))


def recompute_all(batch: int = 2000) -> int:
    """Rebuild every relationship's aggregate from the raw histories in one streaming pass.

    Reads the interactions once, ordered by relationship, and writes the aggregates back in
    batches; returns the number of relationships. Used by `flask trust recompute`.
    """
    begin_write()
    sides = dict(db.session.execute(select(Relationship.id, Relationship.a_id)).all())
    rows = db.session.execute(
        select(Interaction.relationship_id, Interaction.occurred_on, Interaction.kind,
               Interaction.giver, Interaction.logged_by_id, Interaction.status)
        .where(Interaction.status != InteractionStatus.DISPUTED)
        .order_by(Interaction.relationship_id)
        .execution_options(yield_per=10_000))
    ledgers = {}
    for rel_id, group in groupby(rows, key=lambda row: row[0]):
        a_id = sides[rel_id]
        ledgers[rel_id] = trust.Ledger.from_events(
            trust.Event(day=day, kind=kind, giver=giver,
                        logged_by="a" if logged_by == a_id else "b",
                        confirmed=status == InteractionStatus.CONFIRMED)
            for _, day, kind, giver, logged_by, status in group)
    empty = trust.Ledger()
    ids = sorted(sides)
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        db.session.execute(update(Relationship), [
            {"id": rel_id, **stored_values(ledgers.get(rel_id, empty))} for rel_id in chunk])
    db.session.commit()
    return len(ids)


def stored_values(ledger: trust.Ledger, today: date | None = None) -> dict:
    """The relationship columns that store `ledger`: the ledger, its summary, the summary's
    score inputs (the only place they are written, so they always agree), what waits for each
    side's answer, and each side's standing on `today` (by default the UTC day; a reader
    elsewhere refreshes it, daily.py)."""
    summary = trust.summarize(ledger)
    standing = daily.standing_values(summary, today or utcnow().date())
    waiting = {column: value for side, (count, latest) in ledger.waiting().items()
               for column, value in ((f"waiting_{side}", count),
                                     (f"waiting_latest_{side}", latest))}
    return {"trust_ledger": ledger.to_json(),
            "trust_summary": json.dumps(summary.to_dict(), sort_keys=True),
            "trust_base_a": summary.base["a"], "trust_base_b": summary.base["b"],
            "trust_held_a": summary.held["a"], "trust_held_b": summary.held["b"],
            "trust_first_contact": summary.first_contact,
            "trust_last_contact": summary.last_contact,
            "trust_last_confirmed": summary.last_confirmed, "trust_last_event": summary.last_event,
            "trust_confirmed": summary.confirmed,
            "trust_given_a": sum(summary.given["a"].values()),
            "trust_given_b": sum(summary.given["b"].values()),
            "trust_balanced": summary.balanced, **standing, **waiting}
