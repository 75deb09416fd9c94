"""The delivery worker's steps: claim due messages, send each, mark it sent or retry later.

A message is claimed by moving it from queued to sending in a committed transaction, so two
workers never send the same row at once: on PostgreSQL the candidates are locked with
FOR UPDATE SKIP LOCKED (each worker takes different rows without waiting), on SQLite a
conditional UPDATE claims each row (the write lock serialises the workers). A worker that dies
after sending but before marking sent leaves the row in `sending`; once the claim is older than
MAIL_CLAIM_TIMEOUT_SECONDS another worker sends it again, with the same Message-ID, so the
receiving side can tell it is a resend. That is at-least-once delivery, the most SMTP allows.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from extensions import begin_write, db, utcnow
from mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from mail.outbox import as_email
from mail.transports import PermanentMailError, TransientMailError, Transport


@dataclass
class Report:
    """What one pass of delivery did: ids sent, rescheduled and given up on."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        """How many messages this pass handled."""
        return len(self.sent) + len(self.retrying) + len(self.failed)


def _seconds(key: str) -> timedelta:
    return timedelta(seconds=float(current_app.config[key]))


def _due(now: datetime):
    stale = now - _seconds("MAIL_CLAIM_TIMEOUT_SECONDS")
    return or_(and_(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < stale))


def claim_due(now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due messages (oldest first) for this worker. Commits."""
    db.session.commit()
    begin_write()
    query = (select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit))
    postgres = db.session.connection().dialect.name == "postgresql"
    if postgres:
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for message_id in db.session.scalars(query).all():
        where = [OutboxMessage.id == message_id]
        if not postgres:
            where.append(_due(now))  # the conditional UPDATE is the claim
        result = db.session.execute(
            update(OutboxMessage).where(*where)
            .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1))
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


def _finish(message_id: int, claimed_at: datetime, **values) -> None:
    """Record an outcome, unless our claim went stale and another worker took the row."""
    begin_write()
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == SENDING,
        OutboxMessage.claimed_at == claimed_at).values(**values))
    db.session.commit()


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: doubling, capped."""
    base = float(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    cap = float(current_app.config["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def deliver_due(transport: Transport, now: datetime | None = None) -> Report:
    """One pass: claim what is due, send it, record each outcome. Commits after each."""
    now = now or utcnow()
    report = Report()
    sender = current_app.config["MAIL_SENDER"]
    give_up_after = _seconds("MAIL_GIVE_UP_AFTER_SECONDS")
    ids = claim_due(now, int(current_app.config["MAIL_BATCH_SIZE"]))
    try:
        for message_id in ids:
            row = db.session.get(OutboxMessage, message_id)
            message = as_email(row, sender)
            attempts, created_at = row.attempts, row.created_at
            db.session.commit()  # hold no transaction (nor SQLite's lock) while talking SMTP
            try:
                transport.send(message)
            except TransientMailError as exc:
                if now - created_at >= give_up_after:
                    _finish(message_id, now, status=FAILED, last_error=f"gave up: {exc}"[:2000])
                    report.failed.append(message_id)
                else:
                    _finish(message_id, now, status=QUEUED, last_error=str(exc)[:2000],
                            next_attempt_at=now + backoff(attempts))
                    report.retrying.append(message_id)
            except PermanentMailError as exc:
                _finish(message_id, now, status=FAILED, last_error=str(exc)[:2000])
                report.failed.append(message_id)
            else:
                _finish(message_id, now, status=SENT, sent_at=utcnow(), last_error="")
                report.sent.append(message_id)
    finally:
        transport.close()
    return report


def failures(limit: int = 100) -> list[OutboxMessage]:
    """Messages given up on, newest first (for `flask outbox failures`)."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)
                                   .order_by(OutboxMessage.id.desc()).limit(limit)))


def requeue(message_id: int) -> bool:
    """Try a failed message again from now; False if there is no such failed message."""
    begin_write()
    result = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == FAILED).values(
        status=QUEUED, next_attempt_at=utcnow(), created_at=utcnow(), last_error=""))
    db.session.commit()
    return result.rowcount == 1
