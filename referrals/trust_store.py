"""Keeping each relationship's stored trust aggregate in step with its history."""

import json

from sqlalchemy import select

from extensions import db
from referrals import trust
from referrals.kinds import CONFIRMED, DISPUTED
from referrals.models import Interaction, Relationship


def event_of(rel: Relationship, interaction: Interaction) -> trust.Event | None:
    """The score's view of an interaction; None for a disputed one, which counts for nothing."""
    if interaction.status == DISPUTED:
        return None
    return trust.Event(day=interaction.occurred_on, kind=interaction.kind,
                       giver=interaction.giver, logged_by=rel.side_of(interaction.logged_by_id),
                       confirmed=interaction.status == CONFIRMED)


def load_ledger(rel: Relationship) -> trust.Ledger:
    """The relationship's stored aggregate."""
    return trust.Ledger.from_json(rel.trust_ledger) if rel.trust_ledger else trust.Ledger()


def _store(rel: Relationship, ledger: trust.Ledger) -> None:
    rel.trust_ledger = ledger.to_json()
    rel.trust_summary = json.dumps(trust.summarize(ledger).to_dict(), sort_keys=True)


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


def summary_of(rel: Relationship) -> trust.Summary:
    """The stored snapshot the fast score is read from."""
    if not rel.trust_summary:
        return trust.summarize(trust.Ledger())
    return trust.Summary.from_dict(json.loads(rel.trust_summary))
