"""Accounts, their server-side sessions, and the organisations that grant standing."""

import secrets
from datetime import timedelta

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UTCDateTime, db, utcnow
from referrals.statuses import ApplicationStatus, OrganisationKind, Role, check_sql

# A session ends after IDLE_TIMEOUT without a request, unless "remember me" was ticked; every
# session ends SESSION_LIFETIME after it began, whatever its use.
SESSION_LIFETIME = timedelta(days=30)
IDLE_TIMEOUT = timedelta(hours=12)
FORMER_ROLES = (Role.RECRUITER, Role.CLIENT)


class User(UserMixin, db.Model):
    """Someone who can sign in: a recruiter, a candidate or a hiring client."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(check_sql("role", Role), name="role"),
                      CheckConstraint(check_sql("former_role", FORMER_ROLES),
                                      name="former_role"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Everyone signs up a candidate; recruiter and client come only from an approved
    # application to a verified organisation (auth/standing.py).
    role: Mapped[str] = mapped_column(String(16))
    # The recruiter or client role an account held before standing came from organisations
    # (migration 0019 moved such accounts without one to candidate standing); the dashboard
    # asks them to apply, and being granted standing clears it.
    former_role: Mapped[str | None] = mapped_column(String(16))
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # A site administrator: decides applications, suspends and restores accounts.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set while an administrator has suspended the account (is_disabled is then set too);
    # a deleted account is disabled without it, and so can never be restored.
    suspended_at = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Set when the owner of the address followed the link mailed to it. Until then the account
    # cannot be found by others or act on their data (auth/verification.py).
    email_verified_at = mapped_column(UTCDateTime)

    person = relationship("Person", foreign_keys="Person.user_id", back_populates="user",
                          uselist=False)
    membership = relationship("Membership", foreign_keys="Membership.user_id",
                              back_populates="user", uselist=False)

    # Set by the session loader: the server-side session this request is signed in with.
    session_token = None

    @property
    def is_active(self) -> bool:
        """Disabled accounts cannot sign in, and their open sessions stop working."""
        return not self.is_disabled

    @property
    def is_verified(self) -> bool:
        """Whether the account's e-mail address has been proven by a mailed link."""
        return self.email_verified_at is not None

    @property
    def is_recruiter(self) -> bool:
        """Whether this account works a network as a recruiter."""
        return self.role == Role.RECRUITER

    @property
    def organisation(self):
        """The verified organisation this account belongs to, or None."""
        member = self.membership
        if member is None or member.organisation.verified_at is None:
            return None
        return member.organisation

    @property
    def is_organisation_admin(self) -> bool:
        """Whether this account decides applications to its (verified) organisation."""
        return self.organisation is not None and self.membership.is_admin

    def get_id(self) -> str:
        """Flask-Login stores the session token, not the user id, so sessions can be revoked."""
        return self.session_token or ""


class UserSession(db.Model):
    """One signed-in browser; deleting the row signs that browser out for real."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    expires_at = mapped_column(UTCDateTime)
    # Written at most every few minutes (auth/services.py TOUCH_EVERY), not on every request.
    last_seen_at = mapped_column(UTCDateTime, default=utcnow)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the owner needs to recognise a device: "Firefox on Windows", an address with its
    # last part dropped. Never the full user agent string or address.
    device: Mapped[str] = mapped_column(String(80), default="")
    network: Mapped[str] = mapped_column(String(64), default="")

    user = relationship(User)

    @classmethod
    def start(cls, user: User, *, remember: bool = False, device: str = "",
              network: str = "") -> "UserSession":
        """A new session for a user, valid for SESSION_LIFETIME at most."""
        now = utcnow()
        return cls(token=secrets.token_urlsafe(32), user=user, created_at=now,
                   expires_at=now + SESSION_LIFETIME, last_seen_at=now, remember=remember,
                   device=device[:80], network=network[:64])

    def ends_at(self):
        """When this session stops working if it is not used again."""
        if self.remember:
            return self.expires_at
        return min(self.expires_at, (self.last_seen_at or self.created_at) + IDLE_TIMEOUT)


class Organisation(db.Model):
    """A recruiting firm or a hiring organisation: its people may be granted standing."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(check_sql("kind", OrganisationKind), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Set by a site administrator approving its first member: until then it grants nothing.
    verified_at = mapped_column(UTCDateTime)

    domains = relationship("OrganisationDomain", back_populates="organisation",
                           order_by="OrganisationDomain.domain")

    @property
    def kind_label(self) -> str:
        """The kind as people read it."""
        return OrganisationKind(self.kind).label


class OrganisationDomain(db.Model):
    """An e-mail domain of an organisation; one organisation per domain."""

    __tablename__ = "organisation_domains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    verified_at = mapped_column(UTCDateTime)

    organisation = relationship(Organisation, back_populates="domains")


class Membership(db.Model):
    """An account's granted place in an organisation (at most one), and whether it admits
    others."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_at = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship(Organisation)
    user = relationship(User, foreign_keys=[user_id], back_populates="membership")


class StandingApplication(db.Model):
    """A person's request for the standing their organisation grants, and its answer."""

    __tablename__ = "standing_applications"
    __table_args__ = (CheckConstraint(check_sql("status", ApplicationStatus), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.PENDING)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    decided_at = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship(User, foreign_keys=[user_id])
    organisation = relationship(Organisation)
    decided_by = relationship(User, foreign_keys=[decided_by_id])
