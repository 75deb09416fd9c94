"""SQLite's write lock between workers: a writer queued behind another takes the lock as soon as
it is free, and one told to wait briefly gives up with a database error, not a hang."""

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from extensions import begin_write, db, short_lock_waits
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock (PostgreSQL locks rows)")


def _hold_the_write_lock(app, held: threading.Event, release: threading.Event, log: list):
    """Another worker: takes the write lock, keeps it until `release`, then commits."""
    with app.app_context():
        begin_write()
        held.set()
        release.wait(10)
        log.append(("released", time.monotonic()))
        db.session.commit()
        db.session.remove()


def _holder(app, log):
    held, release = threading.Event(), threading.Event()
    thread = threading.Thread(target=_hold_the_write_lock, args=(app, held, release, log))
    thread.start()
    assert held.wait(10)
    return thread, release


def test_a_writer_queued_behind_another_writes_once_the_lock_is_free(app):
    log: list = []
    thread, release = _holder(app, log)
    threading.Timer(0.3, release.set).start()

    begin_write()  # waits for the other worker's commit
    log.append(("acquired", time.monotonic()))
    db.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
    db.session.commit()
    thread.join(10)

    assert [what for what, _ in log] == ["released", "acquired"]


def test_a_writer_told_to_wait_briefly_gives_up_with_a_database_error(app):
    log: list = []
    thread, release = _holder(app, log)
    try:
        with short_lock_waits(0.2), pytest.raises(OperationalError, match="locked"):
            begin_write()
        db.session.rollback()
    finally:
        release.set()
        thread.join(10)

    begin_write()  # the lock is free again, and this connection can take it
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() > 1000
    db.session.commit()
