"""Account use cases: sign up, sign in, sessions that can really end, password changes."""

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from auth.models import User, UserSession
from auth.passwords import hash_password, needs_rehash, verify_password
from extensions import db, utcnow
from mail import notify
from referrals.models import Person
from referrals.refusals import Refused
from referrals.statuses import Role, Visibility
from search.changes import note_search_change

# Verified against when the e-mail is unknown, so that timing does not reveal which accounts exist.
_DUMMY_HASH = hash_password("not a real password, only for timing")


class EmailTaken(Refused):
    """An account with that e-mail address already exists."""


def sign_up(*, name: str, email: str, password: str, timezone: str = "UTC") -> User | None:
    """Create a candidate account as register_user does; for an address that has an account
    already, mail its owner a notice instead and return None. Both take the same time and
    look the same to whoever asked. Commits."""
    email = email.strip().lower()
    password_hash = hash_password(password)  # in both cases, so that timing tells nothing
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is None:
        try:
            return _create_account(name, email, password_hash, timezone)
        except IntegrityError:  # the same address signed up at the same moment elsewhere
            db.session.rollback()
            existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None and not existing.is_disabled:
        notify.signup_attempt(existing)
    db.session.commit()
    return None


def register_user(*, name: str, email: str, password: str, timezone: str = "UTC") -> User:
    """Create a candidate account with its own profile (visible to connections only),
    unverified, and mail the link that verifies its address; raises EmailTaken. Commits.

    Recruiter and client standing is granted later, never chosen (auth/standing.py)."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken("An account with this e-mail already exists; sign in.")
    return _create_account(name, email, hash_password(password), timezone)


def _create_account(name: str, email: str, password_hash: str, timezone: str) -> User:
    user = User(email=email, role=Role.CANDIDATE, password_hash=password_hash,
                timezone=timezone)
    db.session.add(user)
    db.session.flush()
    # Private by default: connections only, until the person opts in to recruiters.
    person = Person(user_id=user.id, owner_id=user.id, role=Role.CANDIDATE, name=name,
                    email=email, visibility=Visibility.CONNECTIONS)
    db.session.add(person)
    db.session.flush()
    note_search_change(person.id)
    notify.verification(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; upgrades an outdated hash."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    stored, disabled = (user.password_hash, user.is_disabled) if user else (_DUMMY_HASH, True)
    # The slow hash runs outside any transaction: on SQLite a sign-in request holds the write
    # lock from BEGIN, and other workers' writes must not wait for argon2.
    db.session.commit()
    if not verify_password(stored, password) or disabled:
        return None
    if needs_rehash(stored):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def start_session(user: User) -> User:
    """Open a fresh server-side session for the user and attach its token. Commits."""
    session_row = UserSession.start(user)
    db.session.add(session_row)
    db.session.commit()
    user.session_token = session_row.token
    return user


def load_session(token: str) -> User | None:
    """The user behind a live session token, or None when it was ended or has expired."""
    if not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token == token))
    if row is None or row.expires_at <= utcnow() or row.user.is_disabled:
        return None
    row.user.session_token = token
    return row.user


def end_session(token: str | None) -> None:
    """End one session for real: a copied cookie stops working. Commits."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token == token))
        db.session.commit()


def change_password(user: User, new_password: str) -> User:
    """Set a new password and end every session of the user, then open a new one. Commits."""
    user.password_hash = hash_password(new_password)
    end_every_session(user)
    return start_session(user)


def end_every_session(user: User) -> None:
    """Sign the user out on every device (the caller commits)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
