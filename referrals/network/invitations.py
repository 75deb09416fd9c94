"""Single-use, expiring links that let a person claim the record a recruiter kept of them."""

import hashlib
import json
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from auth import recovery
from extensions import begin_write, db, utcnow
from mail import notify
from referrals.models import AuditEvent, Invitation, Person
from referrals.network import merging
from referrals.refusals import Refused
from referrals.statuses import AuditAction

INVITATION_LIFETIME = timedelta(days=14)


class InvitationError(Refused):
    """An invitation that cannot be made or claimed; the message is for the user."""


class ClaimRefused(InvitationError):
    """An invitation link that cannot be claimed: the invitation page says why."""

    page = "auth/invite_invalid.html"


def _digest(token: str) -> str:
    # Only the hash is stored, so a database leak does not hand out live links.
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(owner, person: Person) -> str:
    """A new invitation link token for an unclaimed contact, mailed to them when their address
    is known (the recruiter can also copy the link). Commits."""
    if person.is_claimed:
        raise InvitationError(f"{person.name} already has an account.")
    token = secrets.token_urlsafe(24)
    invitation = Invitation(person_id=person.id, created_by_id=owner.id,
                            token_hash=_digest(token), expires_at=utcnow() + INVITATION_LIFETIME)
    db.session.add(invitation)
    if person.email:
        notify.invitation(person, owner, token, invitation.expires_at)
    db.session.commit()
    return token


def find_live(token: str) -> Invitation | None:
    """The unused, unexpired invitation for a token, or None."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _digest(token)))
    if (invitation is None or invitation.used_at is not None
            or invitation.expires_at <= utcnow() or invitation.person.merged_into_id):
        return None
    return invitation


def claim(token: str, user) -> Person:
    """Make the signed-in user the owner of the invited record and a party to its history."""
    begin_write()
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.token_hash == _digest(token), Invitation.used_at.is_(None),
               Invitation.expires_at > utcnow())
        .values(used_at=utcnow(), used_by_id=user.id))
    if used.rowcount != 1:  # the atomic update is what makes the link single-use
        db.session.rollback()
        raise ClaimRefused("This invitation has already been used or has expired.")
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _digest(token)))
    invited = invitation.person
    if invited.is_claimed:
        db.session.rollback()
        raise ClaimRefused("This record has already been claimed.")
    own = user.person
    try:
        merging.absorb(own, invited, user)
    except merging.MergeRefused as exc:
        db.session.rollback()
        raise ClaimRefused(str(exc)) from exc
    if invited.email and invited.email.lower() == user.email:
        # The recruiter knew them at this address and the link reached them: proven.
        recovery.mark_verified(user)
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.CLAIMED,
                              detail=json.dumps({"person": own.id, "invited": invited.id})))
    db.session.commit()
    return own
