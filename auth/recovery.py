"""Proving an address and getting back in: e-mail verification and password reset."""

from sqlalchemy import select

from auth import tokens
from auth.models import User
from auth.passwords import hash_password
from auth.services import end_every_session
from extensions import begin_write, db, utcnow
from mail import notify
from search.changes import note_search_change


class RecoveryRefused(Exception):
    """A link or request that cannot be honoured; the message is for the user."""


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def mark_verified(user: User) -> None:
    """The account's address is proven: others can find it from now (the caller commits)."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        notify.cancel_verification(user)
        if user.person is not None:
            note_search_change(user.person.id)


def verify_email(token: str) -> User:
    """Follow a verification link: verify the address, or switch the account to the new one
    it names. Raises RecoveryRefused. Commits."""
    data = tokens.read_verify_token(token)
    if data is None:
        raise RecoveryRefused("This link is not valid or has expired. Sign in and ask for a "
                              "new one.")
    begin_write()
    user_id, email, current = data
    user = db.session.get(User, user_id)
    if user is None or user.is_disabled or user.email != current:
        db.session.rollback()
        raise RecoveryRefused("This link is not valid any more: the account's address has "
                              "changed since it was sent.")
    if email != user.email:
        if _user_by_email(email) is not None:
            db.session.rollback()
            raise RecoveryRefused("Another account uses that address now.")
        user.email = email
        if user.person is not None:
            user.person.email = email
        user.email_verified_at = None
        notify.address_changed(user, current)
    mark_verified(user)
    db.session.commit()
    return user


def resend_verification(user: User) -> bool:
    """Mail a fresh verification link; False when the address is verified already. Commits."""
    if user.is_verified:
        return False
    notify.verification(user)
    db.session.commit()
    return True


def request_email_change(user: User, new_email: str) -> None:
    """Mail a link to the new address; the account changes to it when that link is followed.
    Raises RecoveryRefused when the address is taken or unchanged. Commits."""
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise RecoveryRefused("That is already your address.")
    if _user_by_email(new_email) is not None:
        raise RecoveryRefused("Another account uses that address.")
    notify.verification(user, new_email)
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address; nothing otherwise, and the
    caller answers the same either way. Commits."""
    user = _user_by_email(email)
    if user is not None and not user.is_disabled:
        notify.password_reset(user)
    db.session.commit()


def user_for_reset(token: str) -> User | None:
    """The active account a live, unused reset link was made for, or None."""
    user_id = tokens.reset_token_user_id(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.is_disabled or not tokens.reset_token_matches(token, user):
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link, ending every session. The link then stops
    working (it was made for the old password). Raises RecoveryRefused. Commits."""
    new_hash = hash_password(new_password)  # slow: before taking any lock
    begin_write()
    user = user_for_reset(token)
    if user is None:
        db.session.rollback()
        raise RecoveryRefused("This link has been used or has expired. Ask for a new one.")
    user.password_hash = new_hash
    mark_verified(user)  # the link reached the address
    end_every_session(user)
    db.session.commit()
    return user
