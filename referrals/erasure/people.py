"""Deleting a person a recruiter keeps who has no account, with everything kept about them.

Their relationships, every entry of those histories (with private notes), their audit trail,
invitations, import records, CVs (rows and files) and places on openings' lists go; the audit
keeps one tombstone that says a record was deleted, and by whom, without any personal data.
The search index drops them on its next sync (the change log has no foreign key, so it
outlives the rows).
"""

import json

from sqlalchemy import delete, select

from extensions import begin_write, db
from mail import retention
from referrals.imports.models import ImportRecord
from referrals.models import AuditEvent, Interaction, Invitation, Person, Relationship
from referrals.network.cvs import forget_cvs
from referrals.openings.models import Opening, OpeningDecision, PipelineNote
from referrals.refusals import Refused
from referrals.statuses import AuditAction
from search.changes import note_search_change


class DeletionRefused(Refused):
    """A deletion that cannot go ahead; the message is for the user."""


def records_of(person: Person) -> list[int]:
    """The person's id and those of every record merged into it (at any depth)."""
    ids, frontier = [person.id], [person.id]
    while frontier:
        frontier = list(db.session.scalars(select(Person.id).where(
            Person.merged_into_id.in_(frontier))))
        ids += frontier
    return ids


def delete_kept_person(user, person: Person) -> None:
    """The recruiter who keeps an unclaimed person deletes them and all kept about them.
    Commits; raises DeletionRefused for someone with an account or a client of an opening."""
    begin_write()
    if person.owner_id != user.id or person.merged_into_id is not None:
        raise DeletionRefused("You can only delete people you keep.")
    if person.is_claimed:
        raise DeletionRefused("This person has an account; only they can delete it.")
    ids = records_of(person)
    if db.session.scalar(select(Opening.id).where(Opening.client_id.in_(ids)).limit(1)):
        raise DeletionRefused("This person is the client of one of your openings; close and "
                              "reassign those openings before deleting them.")
    touched = erase_records(ids)
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.PERSON_DELETED,
                              detail=json.dumps({"records": len(ids)})))
    note_search_change(*ids, *touched)
    db.session.commit()


def erase_records(ids: list[int]) -> set[int]:
    """Delete these person rows and everything kept about them; returns the other parties
    whose search documents change. The caller notes search changes and commits."""
    rels = db.session.execute(select(Relationship.id, Relationship.a_id, Relationship.b_id)
                              .where(Relationship.a_id.in_(ids) | Relationship.b_id.in_(ids))
                              ).all()
    rel_ids = [rel_id for rel_id, _a, _b in rels]
    others = {p for _id, a, b in rels for p in (a, b)} - set(ids)
    for person in db.session.scalars(select(Person).where(Person.id.in_(ids))):
        retention.forget(user_id=person.user_id, email=person.email, name=person.name)
    db.session.execute(delete(Interaction).where(Interaction.relationship_id.in_(rel_ids)))
    db.session.execute(delete(AuditEvent).where(AuditEvent.relationship_id.in_(rel_ids)))
    db.session.execute(delete(Relationship).where(Relationship.id.in_(rel_ids)))
    db.session.execute(delete(Invitation).where(Invitation.person_id.in_(ids)))
    db.session.execute(delete(PipelineNote).where(PipelineNote.decision_id.in_(
        select(OpeningDecision.id).where(OpeningDecision.person_id.in_(ids)))))
    db.session.execute(delete(OpeningDecision).where(OpeningDecision.person_id.in_(ids)))
    db.session.execute(delete(ImportRecord).where(ImportRecord.person_id.in_(ids)))
    forget_cvs(ids)  # the rows now, the files once the caller commits
    # Merged records point at each other: unlink them before deleting any of them.
    db.session.execute(Person.__table__.update().where(Person.id.in_(ids))
                       .values(merged_into_id=None))
    db.session.execute(delete(Person).where(Person.id.in_(ids)))
    db.session.expire_all()
    return others
