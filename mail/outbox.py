"""Writing messages into the outbox, inside the transaction of the change that causes them."""

import json
import uuid
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app

from extensions import db, utcnow
from mail.models import QUEUED, OutboxMessage

# Lines up to RFC 5322's limit: folding at 78 would turn a long List-Unsubscribe URL into
# encoded words, which mail clients do not read as a link.
MAIL_POLICY = policy.default.clone(max_line_length=998)


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID in the sender's domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(*, kind: str, to_addr: str, subject: str, body_text: str, body_html: str = "",
            headers: dict | None = None, user_id: int | None = None,
            batch_key: str | None = None, not_before: datetime | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; it goes out only if that
    transaction commits (the caller commits)."""
    now = utcnow()
    row = OutboxMessage(
        message_id=new_message_id(current_app.config["MAIL_SENDER"]), kind=kind,
        user_id=user_id, to_addr=to_addr, subject=subject, body_text=body_text,
        body_html=body_html, headers=json.dumps(headers or {}), batch_key=batch_key,
        status=QUEUED, attempts=0, created_at=now, next_attempt_at=max(now, not_before or now))
    db.session.add(row)
    return row


def as_email(row: OutboxMessage, sender: str) -> EmailMessage:
    """The row as an RFC 5322 message; the same row always gives the same Message-ID."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    message["From"] = sender
    message["To"] = row.to_addr
    message["Subject"] = row.subject
    for name, value in json.loads(row.headers or "{}").items():
        message[name] = value
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message
