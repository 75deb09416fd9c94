"""Unbound Flask extensions; models and blueprints import them from here, never from app.py."""

import json
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import current_app, g, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, Integer, MetaData, any_, bindparam, event, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that Alembic migrations work on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared on the routes (auth/limits.py); storage and switches come from config.
limiter = Limiter(key_func=get_remote_address)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SQLITE_BUSY_MS = 15000  # how long a SQLite transaction waits for the write lock
# Set by short_lock_waits: transactions begun meanwhile wait at most this long for a lock.
_LOCK_WAIT_MS: ContextVar[int | None] = ContextVar("lock_wait_ms", default=None)


@contextmanager
def short_lock_waits(seconds: float):
    """Transactions begun inside wait at most `seconds` for a database lock, then fail with
    OperationalError (work that must not hold a worker, such as after-response index sync)."""
    token = _LOCK_WAIT_MS.set(max(1, int(seconds * 1000)))
    try:
        yield
    finally:
        _LOCK_WAIT_MS.reset(token)


def configure_lock_waits(engine: Engine) -> None:
    """PostgreSQL: honour short_lock_waits with a transaction-local lock_timeout."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        wait_ms = _LOCK_WAIT_MS.get()
        if wait_ms:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")


def configure_sqlite(engine: Engine) -> None:
    """Make SQLite safe for several gunicorn workers: WAL, a busy timeout, and write locks up front.

    pysqlite starts transactions lazily and in DEFERRED mode, so two workers that both read and
    then write deadlock, and one of them fails with "database is locked". Taking the write lock
    at BEGIN (IMMEDIATE) for requests that write makes the second worker wait instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate") or (
            has_request_context() and request.method in WRITE_METHODS
        )
        wait_ms = _LOCK_WAIT_MS.get() or SQLITE_BUSY_MS
        if immediate:
            _begin_immediate(connection.connection.dbapi_connection, wait_ms)
            connection.info["busy_ms"] = wait_ms
        else:
            if connection.info.get("busy_ms", SQLITE_BUSY_MS) != wait_ms:  # short_lock_waits
                connection.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
                connection.info["busy_ms"] = wait_ms
            connection.exec_driver_sql("BEGIN")
        connection.info["write_locked"] = bool(immediate)


def _begin_immediate(sqlite, wait_ms: int) -> None:
    """BEGIN IMMEDIATE on a sqlite3 connection, tried again every millisecond for up to
    `wait_ms` while another connection holds the write lock; then `wait_ms` is its busy timeout.

    SQLite's own busy handler sleeps ever longer between tries (1, 2, 5, 10, 15, 20, 25 ms, then
    up to 100): a worker queued behind three or four writes of 10 ms each slept 100-200 ms for
    a lock that had been free for most of that time (the log POST's p95 at 4 connections).
    """
    deadline = time.monotonic() + wait_ms / 1000
    sqlite.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                sqlite.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY  # extended codes too
                if not busy or time.monotonic() >= deadline:
                    # as SQLAlchemy raises what a statement it ran met (callers catch that)
                    raise OperationalError("BEGIN IMMEDIATE", (), exc) from exc
            time.sleep(0.001)
    finally:
        sqlite.execute(f"PRAGMA busy_timeout={wait_ms}")


def utcnow() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A DateTime stored as naive UTC (SQLite keeps no zone) and always read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def begin_write() -> None:
    """Open the session's transaction with the write lock held, unless one is already open.

    On SQLite a transaction that reads and then writes must take the lock at BEGIN, or two
    writers deadlock; write requests already begin that way (see configure_sqlite). This covers
    the same use cases when run from the CLI, a worker or a test thread.
    """
    session = db.session()
    if session.in_transaction():
        connection = session.connection()
        if connection.dialect.name != "sqlite" or connection.info.get("write_locked"):
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() must come before the first change")
        session.commit()  # only reads so far: end them, then start again holding the lock
    session.connection(execution_options={"sqlite_immediate": True})


def in_ids(column, ids):
    """SQL `column IN ids` with the ids bound as one value (a JSON array on SQLite, an array on
    PostgreSQL): for thousands of ids, compiling one parameter each costs more than the query."""
    ids = [int(i) for i in ids]
    if db.engine.dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer), unique=True))
    values = func.json_each(bindparam("ids", json.dumps(ids), unique=True)).table_valued("value")
    return column.in_(select(values.c.value))


# --- When the database cannot be reached ------------------------------------------------------

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})


def retry_or_unavailable(error):
    """Error handler for a lost or refused database connection.

    A read whose connection was dropped under it (a database restart) is run once more on a
    fresh connection; anything else answers 503 with Retry-After, from a page that needs no
    database. A write is never replayed: its transaction was rolled back, and the user sees
    that nothing was saved.
    """
    _discard_session()
    dropped = getattr(error, "connection_invalidated", False)
    if dropped and request.method in IDEMPOTENT_METHODS and not g.get("database_retried"):
        g.database_retried = True
        g.pop("_login_user", None)  # loaded through the dead connection: load it again
        try:
            return current_app.dispatch_request()
        except (OperationalError, InterfaceError) as again:
            _discard_session()
            return database_unavailable(again)
    return database_unavailable(error)


def database_unavailable(_error=None):
    """The 503 page shown while the database is unreachable (it reads nothing from it)."""
    retry_after = current_app.config.get("DATABASE_RETRY_AFTER_S", 5)
    # Straight from the Jinja environment: render_template's context processors would load
    # the signed-in user, from the database.
    template = current_app.jinja_env.get_template("unavailable.html")
    body = template.render(retry_after=retry_after)
    return body, 503, {"Retry-After": str(retry_after), "Cache-Control": "no-store"}


def release_session(_error=None) -> None:
    """Teardown: end the request's session without raising. A database that went away after
    the response was made (a shutdown cuts connections) makes the rollback fail; the
    connection is then dropped instead, and the response already made is still sent (an
    exception here would replace it with the server's bare 500)."""
    try:
        db.session.remove()
    except (OperationalError, InterfaceError):
        db.session().invalidate()  # closes the dead connection without speaking to it
        db.session.remove()


def _discard_session() -> None:
    """Drop the session's broken connection without raising again (rollback may fail too)."""
    try:
        db.session.rollback()
    except (OperationalError, InterfaceError):
        pass
    release_session()
