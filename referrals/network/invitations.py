"""Single-use, expiring links that let a person claim the record a recruiter kept of them.

An invitation is bound to the address it was sent to: only an account that has proven that
address (by a link mailed to it) may claim it, whoever holds the link.
"""

import hashlib
import json
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from auth import services as accounts
from auth.passwords import hash_password
from extensions import begin_write, db, utcnow
from mail import notify
from referrals.models import AuditEvent, Invitation, Person
from referrals.network import merging
from referrals.refusals import Refused
from referrals.statuses import AuditAction, Role, Visibility
from search.changes import note_search_change

INVITATION_LIFETIME = timedelta(days=14)
# What a claimed profile may be set to, the most private first (the form's default).
CLAIM_VISIBILITIES = (Visibility.PRIVATE, Visibility.CONNECTIONS, Visibility.RECRUITERS)


class InvitationError(Refused):
    """An invitation that cannot be made or claimed; the message is for the user."""


class ClaimRefused(InvitationError):
    """An invitation link that cannot be claimed: the invitation page says why."""

    page = "auth/invite_invalid.html"


def _digest(token: str) -> str:
    # Only the hash is stored, so a database leak does not hand out live links.
    return hashlib.sha256(token.encode()).hexdigest()


def masked_address(email: str | None) -> str:
    """An address as shown to whoever holds a link: 'p•••@example.com', never in full."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "the invited address"


def create_invitation(owner, person: Person) -> str:
    """A new invitation link token for an unclaimed contact with a known address, mailed to
    it (the recruiter can also copy the link). Commits."""
    if person.is_claimed:
        raise InvitationError(f"{person.name} already has an account.")
    if not person.email:
        raise InvitationError(f"Add {person.name}'s e-mail address first: only the owner of "
                              "the address an invitation is sent to can claim it.")
    token = secrets.token_urlsafe(24)
    invitation = Invitation(person_id=person.id, created_by_id=owner.id,
                            token_hash=_digest(token), email=person.email.strip().lower(),
                            expires_at=utcnow() + INVITATION_LIFETIME)
    db.session.add(invitation)
    notify.invitation(person, owner, token, invitation.expires_at)
    db.session.commit()
    return token


def why_not_live(invitation: Invitation) -> str | None:
    """Why an invitation can no longer be claimed (for the person holding it), or None."""
    if invitation.person.merged_into_id or invitation.person.is_claimed:
        return "This record has already been claimed."
    if invitation.used_at is not None:
        return "This invitation has already been used."
    if invitation.expires_at <= utcnow():
        return "This invitation has expired. Ask the person who sent it for a new one."
    if not invitation.email:
        return "This invitation has no address to be claimed with. Ask for a new one."
    return None


def _is_live(invitation: Invitation | None) -> bool:
    return invitation is not None and why_not_live(invitation) is None


def find_live(token: str) -> Invitation | None:
    """The unused, unexpired invitation for a token, or None."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _digest(token)))
    return invitation if _is_live(invitation) else None


def by_id(invitation_id) -> Invitation | None:
    """The invitation with this id (as remembered in a browser's session), live or not."""
    if not isinstance(invitation_id, int):
        return None
    return db.session.get(Invitation, invitation_id)


def live_for_address(email: str) -> Invitation | None:
    """The newest live invitation sent to an address, or None."""
    candidates = db.session.scalars(select(Invitation).where(
        Invitation.email == (email or "").strip().lower(), Invitation.used_at.is_(None),
        Invitation.expires_at > utcnow()).order_by(Invitation.id.desc()))
    return next((invitation for invitation in candidates if _is_live(invitation)), None)


def role_for_claim(invited: Person) -> str:
    """The role an account made by claiming takes: the kept record's, but never recruiter
    (that standing is granted, not claimed)."""
    return invited.role if invited.role != Role.RECRUITER else Role.CANDIDATE


def sign_up_to_claim(invitation: Invitation, *, name: str, password: str,
                     timezone: str = "UTC") -> None:
    """Someone holding the link asks for an account at the invited address. A new account is
    made (unverified, its profile private) and the address gets the link that proves it; an
    address that has an account gets a note saying so. The caller answers the same either way,
    so the page tells nobody whether the address has an account. Commits."""
    email = invitation.email
    if accounts.user_by_email(email) is not None:
        hash_password(password)  # the same work as a new account: timing tells nothing either
        notify.claim_needs_sign_in(email, invitation.person.name)
        db.session.commit()
        return
    try:
        user = accounts.register_user(name=name, email=email, password=password,
                                      role=role_for_claim(invitation.person), timezone=timezone)
    except accounts.EmailTaken:  # made by another request just now: the same answer
        db.session.rollback()
        return
    user.person.visibility = Visibility.PRIVATE  # until the claim asks the person
    note_search_change(user.person.id)
    db.session.commit()


def claim(invitation_id: int, user, visibility: str) -> Person:
    """The signed-in owner of the invited address claims the record: it is merged into their
    profile, which takes the visibility they chose. Raises ClaimRefused (409 when another claim
    came first, 403 when the account is not the invited address's). Commits."""
    if visibility not in CLAIM_VISIBILITIES:
        raise ClaimRefused("Choose who can see your profile.", status=400)
    begin_write()
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        db.session.rollback()
        raise ClaimRefused("This invitation has already been used or has expired.", status=404)
    if not user.is_verified or user.email != invitation.email:
        db.session.rollback()
        raise ClaimRefused("This invitation was sent to another address.", status=403)
    own = user.person
    # Both people rows are locked first, in id order, before anything else is written: two
    # claims of the same record (through two invitations) queue on the invited row instead of
    # each holding an invitation the other needs.
    merging.lock_people(own.id, invitation.person_id)
    db.session.refresh(invitation)
    invited = invitation.person
    if invited.is_claimed or invited.merged_into_id:
        db.session.rollback()
        raise ClaimRefused("This record has already been claimed.")
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None),
               Invitation.expires_at > utcnow())
        .values(used_at=utcnow(), used_by_id=user.id))
    if used.rowcount != 1:  # the atomic update is what makes the link single-use
        db.session.rollback()
        raise ClaimRefused("This invitation has already been used or has expired.")
    try:
        merging.absorb(own, invited, user)
    except merging.MergeRefused as exc:
        db.session.rollback()
        raise ClaimRefused(str(exc)) from exc
    own.visibility = visibility
    note_search_change(own.id)
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.CLAIMED,
                              detail=json.dumps({"person": own.id, "invited": invited.id})))
    db.session.commit()
    return own
