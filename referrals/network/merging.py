"""Folding one person's record into another without losing any history."""

import json

from sqlalchemy import func, select, update

from extensions import begin_write, db, utcnow
from referrals.access import pair, relationship_between
from referrals.models import AuditEvent, Interaction, Invitation, Person, Relationship
from referrals.network.cvs import carry_over
from referrals.refusals import Refused
from referrals.statuses import AuditAction, ConnectionStatus
from referrals.trust import store as trust_store
from search.changes import note_search_change

FILLABLE = ("headline", "title", "organisation", "location", "years_experience", "skills",
            "summary")
FLIP = {"a": "b", "b": "a", "mutual": "mutual"}


class MergeRefused(Refused):
    """A merge that would lose or mix up history; the message is for the user."""


def duplicates_of(owner_id: int, person: Person) -> list[Person]:
    """Other live records of the same owner with the same e-mail address."""
    if not person.email:
        return []
    return list(db.session.scalars(select(Person).where(
        Person.owner_id == owner_id, Person.id != person.id, Person.merged_into_id.is_(None),
        func.lower(Person.email) == person.email.lower())))


def lock_people(*ids: int) -> list[Person]:
    """Take the write lock and lock these people's rows, in id order (so that two writers
    never wait on each other crosswise); their fresh state is loaded."""
    begin_write()
    return list(db.session.scalars(
        select(Person).where(Person.id.in_(ids)).order_by(Person.id).with_for_update()
        .execution_options(populate_existing=True)))


def merged_destination(person: Person) -> Person | None:
    """The live record a merged-away one now lives on (following merges of merges), or None."""
    seen = set()
    while person is not None and person.merged_into_id and person.id not in seen:
        seen.add(person.id)
        person = db.session.get(Person, person.merged_into_id)
    return None if person is None or person.merged_into_id else person


def absorb(keep: Person, drop: Person, actor) -> None:
    """Move every relationship and interaction of `drop` onto `keep`; caller commits."""
    lock_people(keep.id, drop.id)
    if drop.merged_into_id or keep.merged_into_id:
        raise MergeRefused("One of these records was already merged.")
    if relationship_between(keep.id, drop.id) is not None:
        raise MergeRefused("These two records are connected to each other, so they are "
                           "not the same person.")
    touched = {keep.id, drop.id}
    rels = db.session.scalars(select(Relationship).where(
        (Relationship.a_id == drop.id) | (Relationship.b_id == drop.id))
        .with_for_update()).all()
    for rel in rels:
        other_id = rel.b_id if rel.a_id == drop.id else rel.a_id
        touched.add(other_id)
        _move_relationship(rel, drop.id, keep.id, other_id)
    db.session.execute(update(Interaction).where(Interaction.logged_by_id == drop.id)
                       .values(logged_by_id=keep.id))
    db.session.execute(update(Invitation).where(Invitation.person_id == drop.id,
                                                Invitation.used_at.is_(None))
                       .values(used_at=utcnow()))
    for field in FILLABLE:
        if getattr(keep, field) in (None, "") and getattr(drop, field) not in (None, ""):
            setattr(keep, field, getattr(drop, field))
    carry_over(drop, keep)
    drop.merged_into_id = keep.id
    db.session.add(AuditEvent(actor_user_id=actor.id, action=AuditAction.MERGED,
                              detail=json.dumps({"kept": keep.id, "merged": drop.id})))
    db.session.flush()
    for rel in db.session.scalars(select(Relationship).where(
            (Relationship.a_id == keep.id) | (Relationship.b_id == keep.id))):
        trust_store.rebuild(rel)
    note_search_change(*touched)


def _move_relationship(rel: Relationship, drop_id: int, keep_id: int, other_id: int) -> None:
    """Re-point one of drop's relationships at keep, joining keep's own with the same person."""
    existing = relationship_between(keep_id, other_id)
    new_a, _ = pair(keep_id, other_id)
    flips = (rel.a_id == drop_id) != (new_a == keep_id)  # keep lands on the other side
    interactions = db.session.scalars(select(Interaction).where(
        Interaction.relationship_id == rel.id)).all()
    for interaction in interactions:
        if flips:
            interaction.giver = FLIP[interaction.giver]
    if existing is None:
        rel.a_id, rel.b_id = pair(keep_id, other_id)
        if rel.requested_by_id == drop_id:
            rel.requested_by_id = keep_id
        if flips:
            rel.cadence_a_days, rel.cadence_b_days = rel.cadence_b_days, rel.cadence_a_days
        return
    for interaction in interactions:
        interaction.relationship_id = existing.id
    db.session.execute(update(AuditEvent).where(AuditEvent.relationship_id == rel.id)
                       .values(relationship_id=existing.id))
    if rel.status == ConnectionStatus.ACCEPTED:
        existing.status = ConnectionStatus.ACCEPTED
    existing.last_contact_on = max(filter(None, [existing.last_contact_on, rel.last_contact_on]),
                                   default=None)
    db.session.flush()
    db.session.delete(rel)


def merge_duplicate(owner, keep: Person, drop: Person) -> None:
    """The owner merges two records of the same person (same e-mail). Commits."""
    if keep.owner_id != owner.id or drop.owner_id != owner.id:
        raise MergeRefused("You can only merge records you keep.")
    if drop.is_claimed:
        raise MergeRefused("That record belongs to an account, so it cannot be merged away.")
    if not keep.email or (keep.email or "").lower() != (drop.email or "").lower():
        raise MergeRefused("Only records with the same e-mail address can be merged.")
    absorb(keep, drop, owner)
    db.session.commit()
