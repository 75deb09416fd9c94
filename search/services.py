"""The app's side of search: which index, whose view, keeping it in step with the database.

The engine (search/engine.py) knows nothing of Flask or the ORM; this module hands it plain
documents and callables, and turns its answers into what the pages need. Every write that
changes a search document appends to the change log in its own transaction
(search/changes.py); after the response is sent, the worker applies the log to the index, and
every search first catches up, so a search always sees what was committed before it.
"""

import fcntl
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import func, or_, select
from sqlalchemy.exc import OperationalError
from whoosh.index import LockError

from extensions import db, short_lock_waits
from referrals.access import employer_keys_of
from referrals.models import Person
from search import documents, replicas
from search.backend import IndexBusy, IndexUnavailable, SearchBackend
from search.changes import SEARCH_CHANGED
from search.index import WRITE_WAIT
from search.models import SearchChange
from search.results import SearchPage, Viewer
from search.whoosh_backend import WhooshBackend

log = logging.getLogger(__name__)
SEEN_EVERY_S = 60.0  # how often an idle replica refreshes its last-seen time
_SEEN: dict = {}  # replica id -> when this process last did
# A search waits this long for another worker that is applying the log, so that it sees every
# change committed before it (read-your-writes) without hanging behind a full rebuild.
SEARCH_WAIT_S = 2.0
# After a response, index work waits at most this long for a lock (the index's, or the
# database's write lock), then leaves the change in the log for the next request.
AFTER_RESPONSE_WAIT_S = 2.0
# ... and applies at most this many changes (SEARCH_AFTER_RESPONSE_SLICE): after a backlog
# (a bulk import, an index away for a while) the rest waits for this process's next
# response, one slice each, or for the next search, which catches up in full.
AFTER_RESPONSE_SLICE = 200
_BEHIND: set = set()  # index paths this process left a backlog in after a slice
REBUILDING = "Search is being rebuilt; results may be incomplete."
# How often a process compares the index's count of people with the database's (seconds;
# SEARCH_COUNT_CHECK_S); a missing folder or a damaged file is noticed at once regardless.
COUNT_CHECK_S = 5.0
_COUNTED: dict = {}  # index path -> when this process last compared the counts
QUIET_EVERY_S = 60.0  # the same warning is logged at most this often per process
_QUIET: dict = {}  # message -> [when last logged, how many since]
_REBUILDER: dict = {}  # index path -> this process's background rebuild thread
_REBUILDER_LOCK = threading.Lock()
DEGRADED = (IndexUnavailable, IndexBusy, LockError, OSError, OperationalError)


def index_path() -> str:
    """Where this app's index lives."""
    return current_app.config["SEARCH_INDEX_DIR"]


def replica_location() -> str:
    """Where this app's replica lives, "host:/folder" (a new identity there retires the old
    one, see search/replicas.py)."""
    return f"{socket.gethostname()}:{os.path.realpath(index_path())}"


def backend() -> SearchBackend:
    """This app's search backend: the Whoosh index in SEARCH_INDEX_DIR (one replica)."""
    return WhooshBackend(index_path())


class Rebuilding(IndexUnavailable):
    """The index cannot answer in full until the rebuild started in the background is done."""


def catch_up(wait: float | None = None, background: bool = False,
             rebuild_if_pruned: bool = True, limit: int | None = None) -> int:
    """Apply the change log to this folder's index; returns how many changes were applied
    (at most `limit`; when that many, more may be left).

    Another worker may be applying it already: by default this returns at once and that worker
    finishes the job; with `wait`, it waits up to that many seconds to apply what is left itself.
    A replica whose position was pruned (it was away longer than the retention) rebuilds: at
    once, or with `background` in a thread of this process (raising Rebuilding meanwhile);
    without `rebuild_if_pruned` it only raises IndexUnavailable (for `flask search check`).
    """
    engine = backend()
    rid, location = engine.replica_id(), replica_location()
    try:
        applied = engine.apply_changes(
            replicas.fetch, documents.load_documents, wait=wait, limit=limit,
            on_applied=lambda batch: replicas.record(rid, batch.position, location))
    except replicas.PositionPruned as gone:
        db.session.rollback()
        because = (f"its position in the change log ({gone.watermark}) had been pruned (up "
                   f"to {gone.horizon}): it was away longer than the retention")
        if not rebuild_if_pruned:
            raise IndexUnavailable(f"it must be rebuilt: {because}") from None
        log.warning("search replica %s at %s rebuilds itself: %s", rid, index_path(), because)
        if background:
            start_rebuild(because)
            raise Rebuilding(because) from None
        return rebuild(because=because)
    finally:
        db.session.rollback()  # end the read transaction the fetches opened
    if not applied:
        _keep_seen(engine, rid)
    return applied


def _keep_seen(engine: SearchBackend, rid: str) -> None:
    """Tell the log this replica is alive (at most once a minute per process)."""
    now = time.monotonic()
    if now - _SEEN.get(rid, float("-inf")) < SEEN_EVERY_S:
        return
    _SEEN[rid] = now
    try:
        replicas.record(rid, engine.position(), replica_location())
    finally:
        db.session.rollback()


def sync_after_response(response):
    """After a request that changed search documents, or while this process knows the log is
    behind, apply one slice of it once the response is sent: waiting at most
    AFTER_RESPONSE_WAIT_S for any lock and applying at most AFTER_RESPONSE_SLICE changes, so a
    worker is never held long."""
    path = index_path()
    if g.pop(SEARCH_CHANGED, False) or path in _BEHIND:
        app = current_app._get_current_object()
        limit = max(1, int(app.config.get("SEARCH_AFTER_RESPONSE_SLICE", AFTER_RESPONSE_SLICE)))

        def sync():
            with app.app_context():
                _BEHIND.discard(path)
                try:
                    with short_lock_waits(AFTER_RESPONSE_WAIT_S):
                        if catch_up(background=True, limit=limit) >= limit:
                            _BEHIND.add(path)  # the next response applies the next slice
                except DEGRADED as exc:
                    db.session.rollback()
                    # The next search or write catches up; the log keeps the change.
                    quiet_warning(f"search index update deferred, the change stays in the "
                                  f"log for later: {describe(exc)}")
                finally:
                    db.session.remove()

        response.call_on_close(sync)
    return response


def warm_index() -> None:
    """Decode what the first searches read, at a worker's start (see SearchIndex.warm); an
    index not built yet, or unreadable, is left for the first search to report."""
    try:
        backend().warm()
    except Exception as exc:  # a worker must serve even when its warm-up failed
        log.warning("search index not warmed: %s", describe(exc))


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, without a traceback."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:200]}"


def quiet_warning(message: str) -> None:
    """Log `message` once, then at most every QUIET_EVERY_S per process with how many times it
    recurred meanwhile (a fault repeated by every request is one line, not one per request)."""
    now = time.monotonic()
    seen = _QUIET.get(message)
    if seen is not None and now - seen[0] < QUIET_EVERY_S:
        seen[1] += 1
        return
    again = f" (and {seen[1]} more times since)" if seen and seen[1] else ""
    _QUIET[message] = [now, 0]
    log.warning("%s%s", message, again)


# Whether the index is whole, and rebuilding it in the background when it is not

def rebuild_lock_path() -> str:
    """The lock a rebuild holds, beside the folder (which a rebuild replaces)."""
    path = os.path.realpath(index_path())
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.rebuild.lock")


@contextmanager
def rebuild_lock(wait: float = 1.0):
    """Hold the inter-process rebuild lock; yields False if another process holds it."""
    fd = os.open(rebuild_lock_path(), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def rebuild_running() -> bool:
    """Whether some process is rebuilding this folder's index now."""
    thread = _REBUILDER.get(index_path())
    if thread is not None and thread.is_alive():
        return True
    try:
        fd = os.open(rebuild_lock_path(), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # shared: checkers never block each other
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def start_rebuild(because: str) -> None:
    """Rebuild the index in a background thread of this process, unless one is running here
    or in another process (the rebuild lock decides); searches say so until it is done."""
    app = current_app._get_current_object()
    path = index_path()
    with _REBUILDER_LOCK:
        thread = _REBUILDER.get(path)
        if thread is not None and thread.is_alive():
            return
        thread = threading.Thread(target=_rebuild_in_background, args=(app, because),
                                  name="search-rebuild", daemon=True)
        _REBUILDER[path] = thread
        thread.start()


def _rebuild_in_background(app, because: str) -> None:
    with app.app_context():
        try:
            with rebuild_lock() as held:
                if not held:
                    return  # another process is rebuilding
                if not index_faults(fresh=True) and not because.startswith("its position"):
                    return  # another process has just rebuilt it
                log.warning("search index at %s is being rebuilt in the background: %s",
                            index_path(), because)
                count = _rebuild(1, because)
                log.warning("search index at %s rebuilt: %d people", index_path(), count)
        except Exception as exc:  # the next search tries again; say why once
            quiet_warning(f"search index rebuild at {index_path()} failed: {describe(exc)}")
        finally:
            db.session.remove()


def index_faults(fresh: bool = False) -> list[str]:
    """Why the index cannot be trusted to answer in full ([] when it can): its folder is
    missing, a file is damaged, or it holds a different number of people than the database
    once the changes still in the log are allowed for. The files are checked at every call
    (cheaply, see search/integrity.py); the counts every SEARCH_COUNT_CHECK_S, or with `fresh`."""
    engine = backend()
    try:
        index = engine.index
        held, position = index.doc_count(), index.last_applied()
    except IndexUnavailable as exc:
        return [describe(exc)]
    every = float(current_app.config.get("SEARCH_COUNT_CHECK_S", COUNT_CHECK_S))
    now = time.monotonic()
    if not fresh and held and now - _COUNTED.get(engine.path, float("-inf")) < every:
        return []
    _COUNTED[engine.path] = now
    try:
        people, pending = _counts(position)
    finally:
        db.session.rollback()
    if abs(people - held) > pending:
        return [f"the index holds {held:,} people, the database {people:,} (with {pending:,} "
                f"changes still to apply)"]
    return []


def _counts(position) -> tuple[int, int]:
    """(people the index should hold, changes in the log it may not have applied yet), read
    in one statement so that both come from one snapshot of the database."""
    watermark, _ = replicas.watermark_of(position)
    key = SearchChange.xid if db.session.get_bind().dialect.name == "postgresql" \
        else SearchChange.id
    people = select(func.count()).select_from(Person).where(Person.merged_into_id.is_(None))
    pending = select(func.count()).select_from(SearchChange).where(key >= watermark)
    row = db.session.execute(select(people.scalar_subquery(), pending.scalar_subquery())).one()
    return int(row[0]), int(row[1])


def ensure_whole() -> bool:
    """Whether searches must say the index is being rebuilt: one is running, or the index is
    not whole and a rebuild starts now (in the background)."""
    if rebuild_running():
        return True
    try:
        faults = index_faults()
    except DEGRADED as exc:  # the database or the folder cannot tell now: answer what we can
        db.session.rollback()
        quiet_warning(f"search index at {index_path()} could not be checked: {describe(exc)}")
        return False
    if faults:
        quiet_warning(f"search index at {index_path()} is not whole: {faults[0]}")
        start_rebuild(faults[0])
        return True
    return False


def viewer_of(user) -> Viewer:
    """The engine's view of a signed-in user."""
    return Viewer(user_id=user.id, person_id=user.person.id if user.person else None,
                  role=user.role, open_hidden=open_to_work_hidden(user))


def open_to_work_hidden(user) -> frozenset:
    """Ids of the people open to work whose employer is the user's verified organisation:
    the user must not learn it, whether from a badge, a filter or a count."""
    keys = employer_keys_of(user)
    if not keys:
        return frozenset()
    own = user.person.id if user.person else None
    # Each profile's employer is stored folded (Person.employer_key): an indexed lookup.
    # `+ 0`: "not merged" is true of nearly everyone, but SQLite without statistics took its
    # index for the narrow one and read all 100,000 profiles (46 ms on every search).
    rows = db.session.execute(select(Person.id, Person.owner_id).where(
        Person.open_to_work.is_(True), (Person.merged_into_id + 0).is_(None),
        or_(Person.employer_key.in_(keys), Person.employer_site_key.in_(keys))))
    return frozenset(pid for pid, owner_id in rows if owner_id != user.id and pid != own)


@dataclass(frozen=True)
class Results:
    """A results page, or why there is none; `rebuilding`: it may be incomplete until the
    index is rebuilt (REBUILDING says so)."""

    page: SearchPage | None
    unavailable: bool = False
    rebuilding: bool = False
    # the people whose open-to-work flag the viewer must not see (Viewer.open_hidden)
    open_hidden: frozenset = frozenset()


def prepare() -> bool:
    """Before a search: check the index is whole and catch it up with the log (bounded);
    True when the answer may be incomplete."""
    rebuilding = ensure_whole()
    if rebuilding:
        return True
    try:
        catch_up(wait=SEARCH_WAIT_S, background=True)
    except Rebuilding:
        return True
    except DEGRADED as exc:  # answer from the index as it is; the log keeps the changes
        db.session.rollback()
        quiet_warning(f"search index at {index_path()} could not catch up with the log: "
                      f"{describe(exc)}")
        return True
    return False


def search_people(user, query: str, filters: dict, page: int, sort: str,
                  sort_values: dict | None, exact: bool = False) -> Results:
    """One page of people `user` may see, after catching the index up with the database
    (`exact`: the words verbatim, no typo correction)."""
    viewer = viewer_of(user)
    # The search page is a read: it catches up in an application context of its own, so on a
    # session of its own. Catching up commits and rolls back, which would end the request's
    # transaction, expire the signed-in user (reloaded by the next read) and take a new
    # connection (pinged) for the page's queries. (Not for a request that writes: on SQLite
    # it holds the write lock, which the catch-up's own session would wait for.)
    with current_app.app_context():
        rebuilding = prepare()
    try:
        return Results(backend().search_profiles(query, viewer, filters=filters,
                                                 page=page, per_page=20, sort=sort,
                                                 sort_values=sort_values, exact=exact),
                       rebuilding=rebuilding, open_hidden=viewer.open_hidden)
    except DEGRADED as exc:
        unanswerable(exc)
        return Results(None, unavailable=True, rebuilding=True)


CARD_COLUMNS = (Person.id, Person.name, Person.headline, Person.title, Person.organisation,
                Person.location, Person.skills, Person.open_to_work)


def card_rows(person_ids: list[int]) -> dict:
    """{person id: row of CARD_COLUMNS} of these people (one query of plain rows)."""
    if not person_ids:
        return {}
    rows = db.session.execute(select(*CARD_COLUMNS).where(Person.id.in_(person_ids)))
    return {row.id: row for row in rows}


def unanswerable(exc: BaseException) -> None:
    """The index could not answer: start a rebuild if it is damaged, and say so once."""
    db.session.rollback()
    if isinstance(exc, IndexUnavailable) and not isinstance(exc, Rebuilding):
        start_rebuild(describe(exc))
    quiet_warning(f"search index at {index_path()} could not answer: {describe(exc)}")


def typeahead(user, prefix: str) -> tuple[list[dict], bool]:
    """Name and skill suggestions for the search box, and whether the index is being rebuilt
    (then they may be incomplete, or empty)."""
    rebuilding = ensure_whole()
    try:
        return backend().typeahead(prefix, viewer_of(user), limit=8), rebuilding
    except DEGRADED as exc:
        unanswerable(exc)
        return [], True


def rebuild(procs: int = 1, because: str = "`flask search rebuild` was run") -> int:
    """Rebuild the whole index from the database, then apply what changed meanwhile; one
    rebuild at a time across processes (waiting for one running elsewhere)."""
    with rebuild_lock(wait=WRITE_WAIT) as held:
        if not held:
            raise IndexBusy(f"the search index at {index_path()} is being rebuilt elsewhere")
        return _rebuild(procs, because)


def _rebuild(procs: int, because: str) -> int:
    """rebuild(), the caller holding the rebuild lock: built beside the folder, swapped in."""
    position = replicas.start_position()  # before the documents: they reflect all below it
    docs = (doc for _, doc in documents.every_document() if doc is not None)
    engine = backend()
    count = engine.rebuild(docs, procs=procs, applied=position)
    db.session.rollback()
    _COUNTED.pop(engine.path, None)
    replicas.record(engine.replica_id(), position, replica_location(),
                    rebuilt_because=because)
    try:
        catch_up(background=True)
    except Rebuilding:  # pruned again at once: leave it to the next search
        pass
    return count
