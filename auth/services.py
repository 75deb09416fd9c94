"""Account use cases: sign up, sign in, sessions that can really end, password changes."""

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from auth.models import IDLE_TIMEOUT, User, UserSession
from auth.passwords import hash_password, needs_rehash, verify_password
from extensions import db, utcnow
from mail import notify
from referrals.models import Person
from referrals.refusals import Refused
from referrals.statuses import Role, Visibility
from search.changes import note_search_change

# How stale a session's last-seen time may get before a request writes it again: one write per
# session every few minutes, not one per request.
TOUCH_EVERY = timedelta(minutes=5)

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


def user_by_email(email: str) -> User | None:
    """The account with this address (compared as stored: trimmed, lower case), or None."""
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def register_user(*, name: str, email: str, password: str, timezone: str = "UTC",
                  role: str = Role.CANDIDATE) -> User:
    """Create an account with its own profile (visible to connections only), unverified, and
    mail the link that verifies its address; raises EmailTaken. Commits.

    Sign-up always makes a candidate; recruiter standing is granted later, never chosen
    (auth/standing.py). Claiming an invitation takes the kept record's role, never recruiter
    (referrals/network/invitations.role_for_claim)."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken("An account with this e-mail already exists; sign in.")
    return _create_account(name, email, hash_password(password), timezone, role)


def _create_account(name: str, email: str, password_hash: str, timezone: str,
                    role: str = Role.CANDIDATE) -> User:
    user = User(email=email, role=role, password_hash=password_hash, timezone=timezone)
    db.session.add(user)
    db.session.flush()
    # Private by default: connections only, until the person opts in to recruiters.
    person = Person(user_id=user.id, owner_id=user.id, role=role, name=name,
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


def start_session(user: User, *, remember: bool = False, device: str = "",
                  network: str = "") -> User:
    """Open a fresh server-side session for the user and attach its token; `remember` lets it
    live up to 30 days unused, else it ends after 12 idle hours. Commits."""
    session_row = UserSession.start(user, remember=remember, device=device, network=network)
    db.session.add(session_row)
    db.session.commit()
    user.session_token = session_row.token
    return user


def load_session(token: str) -> User | None:
    """The user behind a live session token, or None when it was ended, has expired or was
    left idle too long; notes that it is in use (at most every TOUCH_EVERY)."""
    if not token:
        return None
    # One query for what nearly every page reads next: the account, its person, its membership.
    user = joinedload(UserSession.user)
    row = db.session.scalar(select(UserSession).where(UserSession.token == token).options(
        user.joinedload(User.person), user.joinedload(User.membership)))
    now = utcnow()
    if row is None or row.ends_at() <= now or row.user.is_disabled:
        return None
    if row.last_seen_at is None or row.last_seen_at <= now - TOUCH_EVERY:
        _touch(row.id, now)
    row.user.session_token = token
    return row.user


def _touch(session_id: int, now) -> None:
    # On a connection of its own, committed at once: the request's own transaction may be a
    # read that must not turn into a write half-way (SQLite), or may never commit (a GET).
    # A SQLite request that already holds the write lock carries the touch itself instead.
    own = db.session().connection()
    statement = update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
    if own.dialect.name == "sqlite" and own.info.get("write_locked"):
        db.session.execute(statement)
        return
    with db.engine.connect() as connection:
        with connection.execution_options(sqlite_immediate=True).begin():
            connection.execute(statement)


def sessions_of(user: User) -> list[UserSession]:
    """The user's live sessions, the most recently used first."""
    now = utcnow()
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return [row for row in rows if row.ends_at() > now]


def end_session_of(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when it is not theirs or already over.
    Commits."""
    ended = db.session.execute(delete(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id))
    db.session.commit()
    return ended.rowcount == 1


def end_other_sessions(user: User, keep_token: str | None) -> int:
    """Sign the user out everywhere but the session with `keep_token`; how many ended.
    Commits."""
    ended = db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.token != (keep_token or "")))
    db.session.commit()
    return ended.rowcount


def forget_expired_sessions() -> int:
    """Delete sessions that can no longer be used (ended, idle too long); how many. Commits."""
    now = utcnow()
    ended = db.session.execute(delete(UserSession).where(
        (UserSession.expires_at <= now)
        | (UserSession.remember.is_(False) & (UserSession.last_seen_at <= now - IDLE_TIMEOUT))))
    db.session.commit()
    return ended.rowcount


def end_session(token: str | None) -> None:
    """End one session for real: a copied cookie stops working. Commits."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token == token))
        db.session.commit()


def change_password(user: User, new_password: str) -> User:
    """Set a new password and end every session of the user (the caller signs this browser in
    again). Commits."""
    user.password_hash = hash_password(new_password)
    end_every_session(user)
    db.session.commit()
    return user


def end_every_session(user: User) -> None:
    """Sign the user out on every device (the caller commits)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
