"""Deleting one's own account: the profile, private notes and sessions go at once.

Shared histories keep the other side's entries, with this party shown as "a deleted user";
this party's own entries (and their notes, private or not) go, and the trust ledgers are
rebuilt from what is left. The people a recruiter kept, their openings, import batches and
invitations go too. The user row stays as an anonymous, disabled stub so that ids in the audit
trail still point somewhere; the daily purge (`flask privacy purge`) then clears the disk.
"""

import json
import secrets

from sqlalchemy import delete, or_, select, update

from auth.models import User, UserSession
from extensions import begin_write, db
from mail import retention
from referrals.erasure.people import erase_records, records_of
from referrals.imports.models import ImportBatch, ImportRecord
from referrals.models import AuditEvent, Interaction, Invitation, Person, Relationship
from referrals.network.cvs import forget_cvs
from referrals.openings.models import Opening, OpeningDecision, PipelineNote
from referrals.statuses import AuditAction, InteractionStatus
from referrals.submissions import Submission
from referrals.trust import store as trust_store
from search.changes import note_search_change

DELETED_NAME = "a deleted user"
BLANK = {"email": None, "headline": "", "title": "", "organisation": "", "location": "",
         "years_experience": None, "skills": "", "summary": "", "open_to_work": False,
         "visibility": "private", "consent_required": False}


def delete_account(user: User) -> None:
    """Delete the user's account and everything that is only theirs. Commits."""
    begin_write()
    me = user.person
    touched = {me.id}
    kept = [p.id for p in db.session.scalars(select(Person).where(
        Person.owner_id == user.id, Person.user_id.is_(None), Person.id != me.id,
        Person.merged_into_id.is_(None)))]
    _delete_openings(user)
    retention.forget(user_id=user.id, email=user.email, name=me.name)
    for person_id in kept:
        ids = records_of(db.session.get(Person, person_id))
        touched |= erase_records(ids) | set(ids)
    touched |= _leave_histories(user, me)
    batches = select(ImportBatch.id).where(ImportBatch.owner_id == user.id)
    db.session.execute(delete(ImportRecord).where(ImportRecord.batch_id.in_(batches)))
    db.session.execute(delete(ImportBatch).where(ImportBatch.owner_id == user.id))
    db.session.execute(delete(Invitation).where(or_(
        Invitation.created_by_id == user.id, Invitation.person_id == me.id)))
    # An invitation this account claimed keeps no trace of it: not who, nor at what address.
    db.session.execute(update(Invitation).where(Invitation.used_by_id == user.id)
                       .values(used_by_id=None, email=None))
    _delete_notes(OpeningDecision.person_id == me.id)
    db.session.execute(delete(PipelineNote).where(PipelineNote.author_user_id == user.id))
    db.session.execute(delete(OpeningDecision).where(OpeningDecision.person_id == me.id))
    forget_cvs(records_of(me))  # their CV, and any on the records merged into theirs
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(delete(Submission).where(Submission.user_id == user.id))
    db.session.execute(delete(AuditEvent).where(AuditEvent.actor_user_id == user.id))
    for field, value in BLANK.items():
        setattr(me, field, value)
    me.name = DELETED_NAME
    # The stub: no e-mail, no password anyone knows, unable to sign in.
    user.email = f"deleted-{user.id}-{secrets.token_hex(8)}@deleted.invalid"
    user.password_hash = "!" + secrets.token_hex(16)
    user.is_disabled = True
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.ACCOUNT_DELETED,
                              detail=json.dumps({})))
    note_search_change(*touched)
    db.session.commit()


def _delete_openings(user: User) -> None:
    mine = select(Opening.id).where(Opening.recruiter_id == user.id)
    _delete_notes(OpeningDecision.opening_id.in_(mine))
    db.session.execute(delete(OpeningDecision).where(OpeningDecision.opening_id.in_(mine)))
    db.session.execute(delete(Opening).where(Opening.recruiter_id == user.id))


def _delete_notes(decisions_where) -> None:
    """The words on the recommendations about to go (they point at them)."""
    db.session.execute(delete(PipelineNote).where(PipelineNote.decision_id.in_(
        select(OpeningDecision.id).where(decisions_where))))


def _leave_histories(user: User, me: Person) -> set[int]:
    """Remove this party's own entries from every shared history; returns the other sides."""
    rels = db.session.scalars(select(Relationship).where(
        or_(Relationship.a_id == me.id, Relationship.b_id == me.id))
        .with_for_update()).all()
    mine = select(Interaction.id).where(Interaction.logged_by_id == me.id)
    # Audit snapshots of these entries (whoever confirmed or disputed them) hold their notes.
    db.session.execute(delete(AuditEvent).where(AuditEvent.interaction_id.in_(mine)))
    db.session.execute(delete(Interaction).where(Interaction.logged_by_id == me.id))
    db.session.flush()
    for rel in rels:
        trust_store.rebuild(rel)
        rel.last_contact_on = db.session.scalar(select(Interaction.occurred_on).where(
            Interaction.relationship_id == rel.id, Interaction.status != InteractionStatus.DISPUTED)
            .order_by(Interaction.occurred_on.desc()).limit(1))
    return {rel.other(me.id).id for rel in rels}
