"""Each index folder is a replica following the change log from its own position.

A replica is named by its backend (the Whoosh backend keeps a uuid in the folder). Its
position, stored in the index with the documents it describes (see search/sync.py), is
{"w": watermark, "a": [[key, id], ...]}: every change keyed below the watermark is applied,
and so are the listed changes at or above it. The key of a change is its writing
transaction's id on PostgreSQL (xid8, filled in by the column's default) and its id on
SQLite, where writers take turns and ids follow commit order.

On PostgreSQL an id or an xid is handed out before commit, so a change may land after others
with higher keys were read. Every transaction below `pg_snapshot_xmin(pg_current_snapshot())`
has finished, so the watermark only ever moves up to that xmin: nothing below it can still
appear. Changes above it that are already visible are applied too (so an open transaction
holds nobody up) and listed in the position until the watermark passes them.

Each replica also records its watermark in `search_replicas` with a last-seen time. A change
is pruned once every replica seen within the retention has passed it; `search_log_horizon`
says how far pruning went, and a replica finding its watermark below that rebuilds itself.
A replica also records where it is (host and folder): a folder deleted and rebuilt comes back
with a new identity, and its registration retires the identity it replaces, which would
otherwise hold pruning back for the whole retention.
"""

import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, func, literal, literal_column, select, text, true

from extensions import begin_write, db, utcnow
from search.models import SearchChange, SearchLogHorizon, SearchReplica
from search.sync import Batch

log = logging.getLogger(__name__)
RETENTION_S = 7 * 24 * 3600  # default for SEARCH_REPLICA_RETENTION_S
PRUNE_LOCK = 0x5EA4C4  # PostgreSQL advisory lock: one pruner at a time
# An idle replica stores a watermark that moved without changes at most this often: it lets
# the log be pruned behind it and empties the list of changes applied above the watermark.
# Each such commit starts a new index snapshot, whose decoded postings are read again, and on
# PostgreSQL the watermark moves with every transaction anywhere: every 10 s cost a busy
# worker its caches (at 100,000 profiles the engine's mean per search was 10.9 ms, against 6.0
# with 600 s). The log is kept for days, so pruning a few minutes later costs nothing.
ADVANCE_EVERY_S = 300.0
_ADVANCED = float("-inf")
XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


class PositionPruned(Exception):
    """Changes this replica had not applied were pruned: it must rebuild."""

    def __init__(self, watermark: int, horizon: int):
        super().__init__(f"position {watermark} is below the pruned horizon {horizon}")
        self.watermark, self.horizon = watermark, horizon


def watermark_of(position) -> tuple[int, list]:
    """(watermark, applied changes above it) of a stored position."""
    if isinstance(position, dict):
        return int(position.get("w", 0)), [tuple(p) for p in position.get("a", ())]
    return 0, []  # an index from before replicas: read the log from its start (idempotent)


def retention() -> timedelta:
    """How long a replica may go unseen before pruning stops waiting for it."""
    return timedelta(seconds=float(current_app.config.get("SEARCH_REPLICA_RETENTION_S",
                                                          RETENTION_S)))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _key():
    return SearchChange.xid if _postgres() else SearchChange.id


def _complete_below() -> int:
    """A key below which every change has committed (or never will)."""
    if _postgres():
        return int(db.session.scalar(text(XMIN)))
    return int(db.session.scalar(select(func.coalesce(func.max(SearchChange.id), 0)))) + 1


def _read_log(watermark: int, limit: int) -> tuple[int, list, int]:
    """(a key below which every change has committed, the first `limit` changes keyed from
    `watermark` as (key, id, person id), how far the log was pruned), in one statement: one
    snapshot, so every change keyed below the first is among those read, and a prune that
    removed any of them shows in the third. Most searches find no change: one round trip."""
    dialect = db.session.get_bind().dialect.name
    if dialect not in _LOG_READS:
        _LOG_READS[dialect] = _log_read(dialect == "postgresql")
    got = db.session.execute(_LOG_READS[dialect], {"watermark": watermark, "limit": limit}).all()
    rows = [(k, i, p) for _, _, k, i, p in got if i is not None]
    return int(got[0].complete), rows, int(got[0].horizon or 0)


_LOG_READS: dict = {}  # dialect name -> _read_log's statement (built once: building costs more)


def _log_read(postgres: bool):
    key = SearchChange.xid if postgres else SearchChange.id
    if postgres:
        complete = literal_column(XMIN.removeprefix("SELECT "))
    else:
        complete = select(func.coalesce(func.max(SearchChange.id), 0) + 1).scalar_subquery()
    horizon = select(SearchLogHorizon.pruned_below).limit(1).scalar_subquery()
    changes = (select(key.label("key"), SearchChange.id, SearchChange.person_id)
               .where(key >= bindparam("watermark")).order_by(key, SearchChange.id)
               .limit(bindparam("limit")).subquery())
    one = select(literal(1).label("one")).subquery()
    return (select(complete.label("complete"), horizon.label("horizon"), changes.c.key,
                   changes.c.id, changes.c.person_id)
            .select_from(one.outerjoin(changes, true())).order_by(changes.c.key, changes.c.id))


def start_position() -> dict:
    """The position of documents read from now on (for a rebuild): read it first."""
    return {"w": _complete_below(), "a": []}


def fetch(position, limit: int) -> Batch:
    """The next changes this replica has not applied, and its position once they are."""
    db.session.commit()  # end any earlier snapshot: see what committed since the last batch
    watermark, done = watermark_of(position)
    skip = {change_id for _, change_id in done}
    complete, rows, horizon = _read_log(watermark, limit + len(skip))
    if watermark < horizon:
        raise PositionPruned(watermark, horizon)
    fresh = [row for row in rows if row[1] not in skip][:limit]
    if len(rows) < limit + len(skip):  # everything visible was read
        watermark = max(watermark, complete)
    elif fresh:  # everything keyed below the last row read is applied
        watermark = max(watermark, min(complete, fresh[-1][0]))
    done = sorted({*done, *((int(k), int(i)) for k, i, _ in fresh)})
    if not fresh and not _advance_due(watermark, position):
        return Batch([], position)
    return Batch([(int(i), int(p)) for _, i, p in fresh],
                 {"w": watermark, "a": [[k, i] for k, i in done if k >= watermark]})


def _advance_due(watermark: int, position) -> bool:
    """Whether to store a watermark that moved without changes (a commit of the position
    alone): at most every ADVANCE_EVERY_S per process, so idle searches do not write."""
    global _ADVANCED
    if watermark == watermark_of(position)[0]:
        return False
    now = time.monotonic()
    if now - _ADVANCED < ADVANCE_EVERY_S:
        return False
    _ADVANCED = now
    return True


def record(rid: str, position, location: str, rebuilt_because: str | None = None) -> None:
    """Store replica `rid`'s watermark, location ("host:/folder") and last-seen time, retire
    the replica it replaces at that location if it is new, then prune what all have passed."""
    watermark, _ = watermark_of(position)
    begin_write()
    if _postgres():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PRUNE_LOCK})
    now = utcnow()
    replica = db.session.get(SearchReplica, rid)
    if replica is None:
        replica = SearchReplica(id=rid, registered_at=now)
        db.session.add(replica)
        _retire_replaced(rid, location)
    replica.position, replica.last_seen_at, replica.location = watermark, now, location
    if rebuilt_because:
        replica.rebuilt_at, replica.rebuilt_because = now, rebuilt_because[:300]
    db.session.flush()
    _prune(now)
    db.session.commit()


def _retire_replaced(rid: str, location: str) -> None:
    """Forget the replicas that were at `location` before `rid`: their folder is gone (only
    one identity lives in a folder), so their positions must not hold back pruning."""
    for old in db.session.scalars(select(SearchReplica).where(
            SearchReplica.location == location, SearchReplica.id != rid)):
        log.warning("search replica %s at %s was replaced by %s (its folder was made anew): "
                    "it no longer holds back pruning of the change log", old.id, location, rid)
        db.session.delete(old)


def _prune(now) -> None:
    lowest = db.session.scalar(select(func.min(SearchReplica.position))
                               .where(SearchReplica.last_seen_at >= now - retention()))
    horizon = db.session.get(SearchLogHorizon, 1)
    if lowest is None or (horizon is not None and horizon.pruned_below >= lowest):
        return
    for gone in db.session.scalars(select(SearchReplica.id).where(
            SearchReplica.last_seen_at < now - retention(), SearchReplica.position < lowest)):
        log.warning("search replica %s was not seen within the retention (%s): the change "
                    "log is pruned past it, and it will rebuild itself when it returns",
                    gone, retention())
    # The newest row always stays: SQLite hands a deleted highest id out again.
    newest = select(func.max(SearchChange.id)).scalar_subquery()
    db.session.execute(delete(SearchChange).where(_key() < lowest, SearchChange.id < newest)
                       .execution_options(synchronize_session=False))
    if horizon is None:
        db.session.add(SearchLogHorizon(id=1, pruned_below=lowest, pruned_at=now))
    else:
        horizon.pruned_below, horizon.pruned_at = lowest, now


def describe(rid: str) -> list[str]:
    """Lines for `flask search check`: replica `rid`, and every other one the log knows."""
    lines = []
    cutoff = utcnow() - retention()
    for replica in db.session.scalars(select(SearchReplica).order_by(SearchReplica.id)):
        this = " (this folder)" if replica.id == rid else ""
        state = "live" if replica.last_seen_at >= cutoff else "gone past the retention"
        where = f" at {replica.location}" if replica.location else ""
        line = (f"replica {replica.id}{this}{where}: position {replica.position}, last seen "
                f"{replica.last_seen_at:%Y-%m-%d %H:%M:%S} UTC, {state}")
        if replica.rebuilt_at is not None:
            line += (f"; rebuilt {replica.rebuilt_at:%Y-%m-%d %H:%M:%S} UTC because "
                     f"{replica.rebuilt_because}")
        lines.append(line)
    return lines
