"""Index folders as replicas of the change log: own positions, pruning, retention, rebuilds."""

import logging
import shutil
import socket
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, update

from extensions import db, utcnow
from referrals.network import people
from search import services
from search.engine import Viewer, open_index
from search.models import SearchChange, SearchReplica
from search.replicas import XMIN
from search.whoosh_backend import WhooshBackend
from tests.conftest import PG_URL

RECRUITER = Viewer(user_id=0, person_id=None, role="recruiter")


@contextmanager
def folder(app, path):
    """Run the app's search glue against the index folder `path`."""
    before = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(path)
    try:
        yield
    finally:
        app.config["SEARCH_INDEX_DIR"] = before


def found(path, word: str) -> set[int]:
    """Person ids the index at `path` finds for `word`, as a recruiter sees them."""
    return {hit.person_id for hit in open_index(path).search_profiles(word, RECRUITER).hits}


def catch_up(app, path) -> int:
    with folder(app, path):
        return services.catch_up()


def log_rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(SearchChange.id)))


def settle():
    """On PostgreSQL, wait until every transaction that wrote to the log has finished.

    The cluster's oldest open transaction (in any database: other test runs share the
    server) holds every replica's watermark below it; pruning can only follow once it ends.
    """
    if not PG_URL:
        return
    deadline = time.monotonic() + 60
    newest = db.session.scalar(select(func.max(SearchChange.xid))) or 0
    while db.session.scalar(sa.text(XMIN)) <= newest:
        db.session.rollback()
        assert time.monotonic() < deadline, "a transaction on the server stayed open for 60 s"
        time.sleep(0.05)
    db.session.rollback()


def left_behind() -> int:
    """Rows that every live replica has passed but that are still in the log, but the newest
    (which always stays: SQLite hands out a deleted highest id again)."""
    db.session.rollback()
    lowest = db.session.scalar(select(func.min(SearchReplica.position)))
    key = SearchChange.xid if PG_URL else SearchChange.id
    newest = select(func.max(SearchChange.id)).scalar_subquery()
    return db.session.scalar(select(func.count(SearchChange.id)).where(
        key < lowest, SearchChange.id < newest))


def check_folder(runner, app, path):
    with folder(app, path):
        return runner.invoke(args=["search", "check"])


@pytest.fixture
def two(app, tmp_path):
    """Two index folders on the app's database, both registered at the start of the log."""
    paths = (tmp_path / "host-a", tmp_path / "host-b")
    for path in paths:
        catch_up(app, path)
    return paths


def test_each_folder_has_its_own_position_and_the_log_waits_for_both(app, make, two, runner):
    a, b = two
    user = make.user("candidate", headline="Quokka wrangler", visibility="recruiters")
    pid = user.person.id
    settle()
    assert catch_up(app, a) > 0
    assert found(a, "quokka") == {pid} and found(b, "quokka") == set()
    assert log_rows() > 1  # b has not passed them: nothing of its share is pruned

    assert catch_up(app, b) > 0  # b gets every change, not what a left over
    assert found(b, "quokka") == {pid}
    assert left_behind() == 0 and log_rows() == 1  # pruned once both passed, but the newest
    newest = db.session.scalar(select(func.max(SearchChange.id)))

    people.update_profile(db.session.get(type(user.person), pid), headline="Wombat wrangler")
    assert db.session.scalar(select(func.max(SearchChange.id))) > newest
    for path in two:
        catch_up(app, path)
        assert found(path, "wombat") == {pid} and found(path, "quokka") == set()
        result = check_folder(runner, app, path)
        assert result.exit_code == 0, result.output
        assert "The index agrees with the database." in result.output
    ids = {line.split()[1] for line in result.output.splitlines() if line.startswith("replica")}
    assert len(ids) == 2 and "(this folder)" in result.output


def _last_seen(path, ago: timedelta):
    replica = WhooshBackend(str(path)).replica_id()
    db.session.execute(update(SearchReplica).where(SearchReplica.id == replica)
                       .values(last_seen_at=utcnow() - ago))
    db.session.commit()


def test_a_replica_seen_within_the_retention_holds_pruning_back(app, make, two):
    a, b = two
    app.config["SEARCH_REPLICA_RETENTION_S"] = 3600
    _last_seen(b, timedelta(minutes=50))
    make.user("candidate", headline="Quokka wrangler", visibility="recruiters")
    settle()
    catch_up(app, a)
    assert log_rows() > 1
    assert catch_up(app, b) > 0


def test_a_replica_gone_past_the_retention_rebuilds_and_says_so(app, make, two, runner,
                                                                 caplog):
    a, b = two
    app.config["SEARCH_REPLICA_RETENTION_S"] = 3600
    _last_seen(b, timedelta(minutes=70))
    user = make.user("candidate", headline="Quokka wrangler", visibility="recruiters")
    settle()
    with caplog.at_level(logging.WARNING, logger="search.replicas"):
        catch_up(app, a)  # prunes without waiting for b, and says so
    assert log_rows() == 1
    assert any("not seen within the retention" in r.getMessage() for r in caplog.records)

    with caplog.at_level(logging.WARNING, logger="search.services"):
        catch_up(app, b)
    assert any("rebuilds itself" in r.getMessage() and "pruned" in r.getMessage()
               for r in caplog.records)
    assert found(b, "quokka") == {user.person.id}
    result = check_folder(runner, app, b)
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "(this folder)" in line]
    assert "live" in line and "rebuilt" in line and "longer than the retention" in line


def test_a_folder_deleted_and_rebuilt_retires_its_old_identity_and_pruning_goes_on(
        app, make, two, runner, caplog):
    a, b = two
    gone = WhooshBackend(str(a)).replica_id()
    user = make.user("candidate", headline="Quokka wrangler", visibility="recruiters")
    settle()
    shutil.rmtree(a)  # with the changes above still to apply: the old identity is behind
    with folder(app, a), caplog.at_level(logging.WARNING, logger="search.replicas"):
        services.rebuild()
    assert WhooshBackend(str(a)).replica_id() != gone
    catch_up(app, b)
    assert found(a, "quokka") == found(b, "quokka") == {user.person.id}
    assert left_behind() == 0 and log_rows() == 1  # not held back for the retention
    assert any(gone in r.getMessage() and "was replaced" in r.getMessage()
               for r in caplog.records)
    result = check_folder(runner, app, a)
    assert result.exit_code == 0, result.output
    replicas = [line for line in result.output.splitlines() if line.startswith("replica")]
    assert len(replicas) == 2 and gone not in result.output
    assert all(f"at {socket.gethostname()}:" in line for line in replicas)


def test_a_new_folder_on_a_pruned_log_rebuilds_rather_than_missing_changes(app, make, tmp_path):
    a = tmp_path / "first"
    catch_up(app, a)
    user = make.user("candidate", headline="Quokka wrangler", visibility="recruiters")
    settle()
    catch_up(app, a)
    assert log_rows() == 1
    late = tmp_path / "late"
    catch_up(app, late)
    assert found(late, "quokka") == {user.person.id}


@pytest.mark.skipif(not PG_URL, reason="on SQLite writers take turns: ids follow commit order")
def test_a_change_committing_after_a_higher_id_is_still_applied(app, make):
    """Two connections: the lower id (and lower xid) commits after the higher one is applied."""
    path = app.config["SEARCH_INDEX_DIR"]
    slow_user = make.user("candidate", visibility="recruiters")
    fast_user = make.user("candidate", visibility="recruiters")
    slow, fast = slow_user.person.id, fast_user.person.id
    services.catch_up()
    edit = sa.text("UPDATE people SET headline = :h WHERE id = :p")
    note = sa.text("INSERT INTO search_changes (person_id, created_at) VALUES (:p, now()) "
                   "RETURNING id, xid")
    with db.engine.connect() as first, db.engine.connect() as second:
        first.execute(edit, {"h": "Quokka wrangler", "p": slow})
        low_id, low_xid = first.execute(note, {"p": slow}).one()
        second.execute(edit, {"h": "Wombat wrangler", "p": fast})
        high_id, high_xid = second.execute(note, {"p": fast}).one()
        second.commit()
        assert (low_id, low_xid) < (high_id, high_xid)

        assert services.catch_up() == 1  # the committed one is not held up by the open one
        assert found(path, "wombat") == {fast} and found(path, "quokka") == set()
        position = open_index(path).last_applied()
        assert position["w"] <= low_xid  # the watermark waits below the open transaction
        assert left_behind() == 0
        assert db.session.scalar(select(SearchChange.id).where(SearchChange.id == high_id))
        first.commit()

    assert services.catch_up() == 1
    assert found(path, "quokka") == {slow} and found(path, "wombat") == {fast}
    assert open_index(path).last_applied()["w"] > low_xid
