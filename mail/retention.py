"""What the outbox keeps about people, and for how long: nothing once it is no longer needed."""

from sqlalchemy import delete, or_

from extensions import db
from mail.models import FAILED, QUEUED, SENT, OutboxMessage

MIN_NAME_LENGTH = 3  # shorter names would match unrelated mail


def forget(*, user_id: int | None, email: str | None, name: str | None) -> None:
    """Drop mail to a person being deleted, and unsent mail that names them (in the caller's
    transaction): nothing should reach or speak of someone who asked to be erased."""
    to_them = [OutboxMessage.user_id == user_id] if user_id is not None else []
    if email:
        to_them.append(OutboxMessage.to_addr == email)
    if name and len(name.strip()) >= MIN_NAME_LENGTH:
        pattern = f"%{name.strip()}%"
        to_them.append((OutboxMessage.status == QUEUED) & or_(
            OutboxMessage.subject.like(pattern), OutboxMessage.body_text.like(pattern)))
    if to_them:
        db.session.execute(delete(OutboxMessage).where(or_(*to_them)))


def drop_delivered() -> int:
    """Delete messages that were sent or given up: their copy has done its job. Commits."""
    done = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status.in_((SENT, FAILED))))
    db.session.commit()
    return done.rowcount or 0
