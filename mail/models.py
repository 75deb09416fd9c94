"""The outbox (one row per message, written with the change that causes it) and mail settings."""

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UTCDateTime, db, utcnow

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = (QUEUED, SENDING, SENT, FAILED)
# The kinds a person may turn off; every other kind is essential (verification, password reset,
# invitations, consent requests) and carries no unsubscribe link.
OPTIONAL_KINDS = {"entries": "Someone logged an entry with me (at most one e-mail an hour)",
                  "recommendations": "Recommendations and the answers to them",
                  "digest": "The weekly digest"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class OutboxMessage(db.Model):
    """One e-mail, fully composed, from queued through sending to sent (or failed)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Chosen when queued and sent unchanged on every attempt, so that a resend after a crash
    # between sending and marking sent is recognisable as the same message.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: extra headers
    # Messages that gather several events (entries waiting) share a key while still queued.
    batch_key: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at = mapped_column(UTCDateTime, default=utcnow)
    claimed_at = mapped_column(UTCDateTime)
    sent_at = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


class MailSettings(db.Model):
    """Which optional messages a person gets, their digest day, and their calendar feed."""

    __tablename__ = "mail_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    entries: Mapped[bool] = mapped_column(Boolean, default=True)
    recommendations: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_day: Mapped[int | None] = mapped_column(Integer)  # 0 Monday .. 6; None: no digest
    last_digest_on: Mapped[date | None] = mapped_column(Date)  # in the person's own zone
    # The secret of the calendar feed's URL; a new one revokes the old address.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    def wants(self, kind: str) -> bool:
        """Whether this person gets messages of an optional kind (others always go)."""
        if kind == "digest":
            return self.digest_day is not None
        return bool(getattr(self, kind)) if kind in OPTIONAL_KINDS else True
