"""One-time submission tokens: a form sent twice (a retry after a lost answer) writes once.

A form that creates something carries a token made when it was rendered. The first POST with
that token stores it in the same transaction as its write, so the token exists if and only if
the write does, in every worker and on SQLite and PostgreSQL alike. A later POST with the same
token (same user) gets the first answer again instead of writing again; when two arrive at
once, the unique constraint on (user_id, token) picks the winner and the loser answers with
the winner's result. A POST without a token (an old page, a script) is handled as before.
"""

import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from itertools import chain

from flask import Response, flash, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from auth.redirects import safe_next
from extensions import UTCDateTime, db, utcnow

FIELD = "submission_token"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_FOR = timedelta(hours=24)  # a retry later than this writes again
PRUNE_EVERY = 200  # one submission in this many also deletes the expired ones
RESULT_WAIT_S = 5.0  # how long the loser of a race waits for the winner's answer
MAX_BODY = 64 * 1024  # a JSON answer longer than this is not kept (the replay redirects)
ALREADY_SENT = "This form had already been sent, so it was saved once, not twice."


class Submission(db.Model):
    """A form's token, stored with its write, and the answer its first POST got."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    status = mapped_column(Integer)  # None until the first answer is recorded
    location = mapped_column(String(2000))  # a redirect's target
    body = mapped_column(Text)  # a JSON answer
    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_token() -> str:
    """A fresh token for a form being rendered (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def _token() -> str | None:
    """The POST's well-formed token, or None (missing or malformed: not idempotent)."""
    token = request.form.get(FIELD, "") if request.method == "POST" else ""
    if not current_user.is_authenticated or not TOKEN.fullmatch(token):
        return None
    return token


def _stored(token: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(
        Submission.user_id == current_user.id, Submission.token == token))


@dataclass
class _Claim:
    """Adds the token to the first transaction of the view that writes something."""

    user_id: int
    token: str
    wrote: bool = False
    row: Submission | None = None

    def listen(self, session):
        event.listen(session, "after_flush", self.after_flush)
        event.listen(session, "do_orm_execute", self.on_execute)
        event.listen(session, "before_commit", self.before_commit)
        event.listen(session, "after_rollback", self.after_rollback)

    def stop(self, session):
        event.remove(session, "after_flush", self.after_flush)
        event.remove(session, "do_orm_execute", self.on_execute)
        event.remove(session, "before_commit", self.before_commit)
        event.remove(session, "after_rollback", self.after_rollback)

    @staticmethod
    def _writes(objects) -> bool:
        return any(not isinstance(o, Submission) for o in objects)

    def after_flush(self, session, _context):
        self.wrote = self.wrote or self._writes(chain(session.new, session.deleted)) or any(
            session.is_modified(o) for o in session.dirty if not isinstance(o, Submission))

    def on_execute(self, state):
        self.wrote = self.wrote or state.is_insert or state.is_update or state.is_delete

    def before_commit(self, session):
        pending = self._writes(chain(session.new, session.deleted)) or any(
            session.is_modified(o) for o in session.dirty if not isinstance(o, Submission))
        if self.row is None and (self.wrote or pending):
            self.row = Submission(user_id=self.user_id, token=self.token)
            session.add(self.row)  # flushed by this same commit: stored with the write

    def after_rollback(self, _session):
        self.row, self.wrote = None, False  # nothing of this transaction was kept


def once_per_submission(view):
    """Decorate a POST view so that a repeated token answers as the first POST did."""

    @wraps(view)
    def once(*args, **kwargs):
        token = _token()
        if token is None:
            return view(*args, **kwargs)
        earlier = _stored(token)
        if earlier is not None:
            return _replay(earlier)
        claim, session = _Claim(current_user.id, token), db.session()
        claim.listen(session)
        try:
            response = make_response(view(*args, **kwargs))
        except IntegrityError:
            db.session.rollback()
            if _stored(token) is None:
                raise  # not the token: some other constraint refused the write
            return _replay(_result_of(token))  # lost the race: the winner's write stands
        finally:
            claim.stop(session)
        if claim.row is not None:
            _record(claim.row.id, response)
        return response

    return once


def _record(row_id: int, response: Response) -> None:
    """Keep the first answer for replays (in its own short transaction, after the write)."""
    body = response.get_data(as_text=True) if response.is_json else None
    db.session.execute(update(Submission).where(Submission.id == row_id).values(
        status=response.status_code, location=response.headers.get("Location"),
        body=body if body is None or len(body) <= MAX_BODY else None))
    if row_id % PRUNE_EVERY == 0:
        prune()
    db.session.commit()


def prune(now=None) -> int:
    """Delete tokens older than KEEP_FOR (the caller commits); returns how many."""
    cutoff = (now or utcnow()) - KEEP_FOR
    return db.session.execute(delete(Submission).where(Submission.created_at < cutoff)).rowcount


def _result_of(token: str) -> Submission | None:
    """The winner's row once its answer is recorded, waiting briefly; None if it is gone.

    A row older than RESULT_WAIT_S without an answer belongs to a request killed after its
    commit: there is nothing to wait for.
    """
    deadline = time.monotonic() + RESULT_WAIT_S
    while True:
        row = _stored(token)
        if row is None or row.status is not None or time.monotonic() > deadline or \
                row.created_at < utcnow() - timedelta(seconds=RESULT_WAIT_S):
            return row
        db.session.rollback()  # let the winner's recording transaction through (SQLite)
        time.sleep(0.05)


def _replay(row: Submission | None):
    """The first POST's answer again; when it was not recorded, back to where the form was."""
    if row is not None and row.status is None:
        row = _result_of(row.token)
    if row is not None and row.body is not None:
        return Response(row.body, status=row.status, mimetype="application/json")
    flash(ALREADY_SENT, "info")
    if row is not None and row.location:
        return redirect(row.location, row.status if 300 <= row.status < 400 else 303)
    return redirect(safe_next(_local(request.referrer), url_for("dashboard.index")), 303)


def _local(url: str | None) -> str | None:
    """The path of a same-site URL (a referrer), else None."""
    if not url or not url.startswith(request.host_url):
        return None
    return "/" + url[len(request.host_url):]
