"""Use cases of a mutual history: log, edit, confirm, dispute and remove interactions.

Every write locks the relationship row first (FOR UPDATE on PostgreSQL; on SQLite the request
already holds the write lock from BEGIN IMMEDIATE), so two workers confirming or editing at
once are serialised and neither update is lost. The trust aggregate and the audit trail change
in the same transaction as the interaction.
"""

import json
from datetime import date

from sqlalchemy import func, select

from extensions import begin_write, db, utcnow
from mail import notify
from referrals.kinds import KIND_BY_VALUE
from referrals.models import AuditEvent, Interaction, Relationship
from referrals.refusals import Refused
from referrals.statuses import AuditAction, ConnectionStatus, InteractionStatus
from referrals.trust import store as trust_store
from search.changes import note_search_change


class HistoryError(Refused):
    """A change the history does not allow; the message is for the user."""


def giver_for(direction: str, side: str) -> str:
    """Store 'I gave' / 'they gave' / 'mutual', said from `side`, as the giving side."""
    if direction == "mutual":
        return "mutual"
    other = "b" if side == "a" else "a"
    return side if direction == "i_gave" else other


def direction_for(giver: str, side: str) -> str:
    """The form's direction choice for a stored giver, seen from `side`."""
    if giver == "mutual":
        return "mutual"
    return "i_gave" if giver == side else "they_gave"


def _check_kind(user, kind: str) -> None:
    """Refuse a kind the table does not know (400) or the user's role may not log (403)."""
    known = KIND_BY_VALUE.get(kind)
    if known is None:
        raise HistoryError("Choose one of the listed kinds of interaction.", 400)
    if user.role not in known.logged_by:
        raise HistoryError(f"You cannot log a {known.label.lower()}.", 403)


def _lock(rel_id: int) -> Relationship:
    """Load the relationship under a row lock for the rest of the transaction."""
    begin_write()
    return db.session.scalars(
        select(Relationship).where(Relationship.id == rel_id).with_for_update()
        .execution_options(populate_existing=True)).one()


def _snapshot(interaction: Interaction) -> dict:
    """The public facts of an interaction, for the audit trail (never the private note)."""
    return {"occurred_on": interaction.occurred_on.isoformat(), "kind": interaction.kind,
            "giver": interaction.giver, "note": interaction.note, "status": interaction.status,
            "logged_by_id": interaction.logged_by_id}


def _audit(rel: Relationship, interaction: Interaction, actor, action: AuditAction,
           **extra) -> None:
    detail = {**_snapshot(interaction), **extra}
    db.session.add(AuditEvent(relationship_id=rel.id, interaction_id=interaction.id,
                              actor_user_id=actor.id, action=action, detail=json.dumps(detail)))


def _refresh_last_contact(rel: Relationship) -> None:
    """Keep the last contact date (which resets stay-in-touch cadences) in step."""
    rel.last_contact_on = db.session.scalar(
        select(func.max(Interaction.occurred_on)).where(
            Interaction.relationship_id == rel.id,
            Interaction.status != InteractionStatus.DISPUTED))


def _finish(rel: Relationship, commit: bool = True, *, notes_about: int | None = None) -> None:
    """Flush, keep the last contact in step and commit (unless told not). `notes_about`: the
    person whose private notes changed, whose search document is queued for re-indexing (an
    interaction reaches search through its private note alone: search/documents.py)."""
    db.session.flush()
    _refresh_last_contact(rel)
    if notes_about is not None:
        note_search_change(notes_about)
    if commit:
        db.session.commit()


def _about(rel: Relationship, interaction: Interaction) -> int:
    """The person an entry's private note is about: the other side from whoever logged it."""
    return rel.b_id if interaction.logged_by_id == rel.a_id else rel.a_id


def log_interaction(user, rel_id: int, side: str, **fields) -> Interaction:
    """Record what passed between the sides, pending the other side's confirmation. Commits."""
    interaction = record_interaction(user, rel_id, side, **fields)
    db.session.commit()
    return interaction


def record_interaction(user, rel_id: int, side: str, *, occurred_on: date, kind: str,
                       direction: str, note: str, private_note: str) -> Interaction:
    """Like log_interaction, inside the caller's transaction (the caller commits)."""
    _check_kind(user, kind)
    rel = _lock(rel_id)
    if rel.status != ConnectionStatus.ACCEPTED:
        raise HistoryError("You can log interactions once the connection is accepted.")
    interaction = Interaction(
        rel=rel, occurred_on=occurred_on, kind=kind, giver=giver_for(direction, side),
        note=note, private_note=private_note, logged_by_id=user.person.id,
        logged_by_user_id=user.id, status=InteractionStatus.PENDING)
    db.session.add(interaction)
    db.session.flush()
    trust_store.record(rel, added=interaction)
    _audit(rel, interaction, user, AuditAction.LOGGED)
    _finish(rel, commit=False, notes_about=_about(rel, interaction) if private_note else None)
    notify.entry_logged(interaction)  # queued with the entry: mailed if and only if it commits
    return interaction


def record_first_entries(user, entries: list) -> list[Interaction]:
    """Log one entry on each of several relationships made in the caller's transaction (an
    import's first contacts); the caller commits.

    entries: (rel, side, fields) with fields as record_interaction takes them. The
    relationships are new and unseen by anyone else, so no row lock is needed.
    """
    interactions = [Interaction(
        relationship_id=rel.id, occurred_on=f["occurred_on"], kind=f["kind"],
        giver=giver_for(f["direction"], side), note=f["note"], private_note=f["private_note"],
        logged_by_id=user.person.id, logged_by_user_id=user.id, status=InteractionStatus.PENDING)
        for rel, side, f in entries]
    db.session.add_all(interactions)
    db.session.flush()
    for (rel, _side, _f), interaction in zip(entries, interactions, strict=True):
        trust_store.record(rel, added=interaction)
        _audit(rel, interaction, user, "logged")
        rel.last_contact_on = max(filter(None, (rel.last_contact_on, interaction.occurred_on)))
    note_search_change(*{pid for rel, _side, _f in entries for pid in (rel.a_id, rel.b_id)})
    return interactions


def edit_interaction(user, interaction: Interaction, side: str, *, occurred_on: date, kind: str,
                     direction: str, note: str, private_note: str) -> None:
    """Change one's own entry; a confirmed or disputed one returns to pending. Commits."""
    _check_kind(user, kind)
    rel = _lock(interaction.relationship_id)
    db.session.refresh(interaction)
    if interaction.logged_by_id != user.person.id:
        raise HistoryError("Only the person who logged an interaction can edit it.")
    before = trust_store.event_of(rel, interaction)
    interaction.occurred_on, interaction.kind, interaction.note = occurred_on, kind, note
    interaction.giver = giver_for(direction, side)
    note_changed = interaction.private_note != private_note
    interaction.private_note = private_note
    was = interaction.status
    interaction.status = InteractionStatus.PENDING
    interaction.dispute_reason, interaction.responded_at = "", None
    trust_store.record(rel, removed=before, added=interaction)
    _audit(rel, interaction, user, AuditAction.EDITED, previous_status=was)
    _finish(rel, notes_about=_about(rel, interaction) if note_changed else None)


def respond(user, interaction: Interaction, *, confirm: bool, reason: str = "") -> None:
    """The other side confirms an entry, or disputes it with a reason. Commits."""
    rel = _lock(interaction.relationship_id)
    db.session.refresh(interaction)
    if interaction.logged_by_id == user.person.id:
        raise HistoryError("The other side confirms what you logged; you can edit it instead.")
    if interaction.status != InteractionStatus.PENDING:
        raise HistoryError(f"This interaction is already {interaction.status}.")
    _answer(user, rel, interaction, confirm=confirm, reason=reason)
    _finish(rel)


def _answer(user, rel: Relationship, interaction: Interaction, *, confirm: bool,
            reason: str = "") -> None:
    """Confirm or dispute one pending entry of the locked relationship, with its trust and
    audit records; the caller finishes the transaction."""
    before = trust_store.event_of(rel, interaction)
    interaction.status = InteractionStatus.CONFIRMED if confirm else InteractionStatus.DISPUTED
    interaction.dispute_reason = "" if confirm else reason
    interaction.responded_at = utcnow()
    trust_store.record(rel, removed=before, added=interaction)
    _audit(rel, interaction, user, AuditAction.CONFIRMED if confirm else AuditAction.DISPUTED,
           **({} if confirm else {"reason": reason}))


def confirm_all_from_other_side(user, rel_id: int) -> int:
    """Confirm every entry the other side logged on this relationship that still waits for
    `user`; returns how many were confirmed (0 when none wait). Commits.

    The caller has checked that `user` is a party; entries `user` logged are never touched.
    """
    rel = _lock(rel_id)
    waiting = db.session.scalars(
        select(Interaction).where(Interaction.relationship_id == rel.id,
                                  Interaction.status == InteractionStatus.PENDING,
                                  Interaction.logged_by_id != user.person.id)
        .order_by(Interaction.occurred_on, Interaction.id)
        .execution_options(populate_existing=True)).all()
    if not waiting:
        db.session.rollback()
        return 0
    for interaction in waiting:
        _answer(user, rel, interaction, confirm=True)
    _finish(rel)
    return len(waiting)


def remove_interaction(user, interaction: Interaction, commit: bool = True) -> None:
    """Remove one's own entry; the audit trail keeps what it said. Commits unless told not."""
    rel = _lock(interaction.relationship_id)
    db.session.refresh(interaction)
    if interaction.logged_by_id != user.person.id:
        raise HistoryError("Only the person who logged an interaction can remove it.", 403)
    trust_store.record(rel, removed=trust_store.event_of(rel, interaction))
    _audit(rel, interaction, user, AuditAction.REMOVED)
    about = _about(rel, interaction) if interaction.private_note else None
    db.session.delete(interaction)
    _finish(rel, commit=commit, notes_about=about)
