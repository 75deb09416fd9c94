"""The search index of profiles: open it, write to it, search it. No Flask, no database.

One `SearchIndex` per process: it keeps one reader, renewed when another process commits a new
generation (reusing the readers of unchanged segments, see readers.py), and per-segment caches
that survive the renewal. Every write takes an
inter-process lock (fcntl on `write.lock` in the index directory) before Whoosh's own lock, so
Whoosh's LockError never reaches a caller.
"""

import ctypes
import fcntl
import gc
import glob
import logging
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager

from whoosh import index as windex

from search import bits, integrity, results, typeahead, warmup
from search.backend import IndexBusy, IndexUnavailable
from search.bulk import write_all
from search.integrity import IndexDamaged, IndexMissing
from search.readers import ReaderPool
from search.results import SearchPage, Viewer
from search.schema import META_ID, build_schema, to_fields
from search.segments import Caches
from search.snapshot import Snapshot
from search.whoosh_internals import abandon_writer as _abandon_writer
from search.whoosh_internals import close_leaked_files as _close_leaked_files
from search.whoosh_internals import codec, raised_in_whoosh, read_toc
from search.whoosh_internals import release_leaked_lock as _release_leaked_lock

log = logging.getLogger(__name__)
LOCK_FILE = "write.lock"
WRITE_WAIT = 120.0  # seconds a blocking writer waits for another (a rebuild can take this long)


@contextmanager
def write_lock(path: str, wait: float | None):
    """Hold the index's writer lock; yields False at once (wait=None) or after `wait` seconds.

    A lock taken on a folder that a rebuild has just swapped away (see swap_in) is let go and
    taken again on the folder now at `path`, so two writers never share one folder.
    """
    name = os.path.join(path, LOCK_FILE)
    deadline = time.monotonic() + (wait or 0.0)
    while True:
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _same_file(fd, name):
                break
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            pass
        os.close(fd)
        if wait is None or time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.02)
    try:
        yield True
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def flag_wanted(path: str, wanted: bool) -> None:
    """Set (or clear) the mark in the writer lock's file saying that some process asked for the
    lock since its holder took it: set before asking, cleared by the holder on taking it."""
    fd = os.open(os.path.join(path, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        os.pwrite(fd, b"1" if wanted else b"0", 0)
    finally:
        os.close(fd)


def was_wanted(path: str) -> bool:
    """Whether the mark of flag_wanted is set."""
    try:
        with open(os.path.join(path, LOCK_FILE), "rb") as f:
            return f.read(1) == b"1"
    except FileNotFoundError:
        return False


def _same_file(fd: int, name: str) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(name).st_ino
    except FileNotFoundError:
        return False


def meta_fields(applied) -> dict:
    """The meta document: the index's position in the change log (a change id, or a feed's
    position, see sync.Batch), committed atomically with the data."""
    return {"pid": META_ID, "applied": int(applied) if isinstance(applied, int) else applied}


class SearchIndex:
    """A Whoosh index of profile documents (see search/schema.py for the layout)."""

    def __init__(self, path: str):
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self._ix = None
        self._pool = None
        self._snapshot = None
        self._segments: dict = {}
        self._caches = Caches()
        self._folder = None  # the folder's inode: a rebuild swaps in a new folder
        self._files: list[str] = []  # the current generation's files
        self._verified: dict = {}  # file name -> stat_key when its checksum last matched

    # reading

    def _open(self):
        if self._ix is None:
            self._ix = windex.open_dir(self.path, schema=None)
        return self._ix

    def _reset(self):
        if self._pool is not None:
            self._pool.close()
        self._ix = self._pool = self._snapshot = None
        self._segments.clear()
        self._caches = Caches()
        self._files, self._verified = [], {}
        gc.collect()  # Whoosh's cycles keep the closed segments' files mapped until collected

    def snapshot(self) -> Snapshot:
        """The current view, refreshed if another process committed since the last call.

        Raises IndexMissing when the folder or its index is gone, IndexDamaged when a file is
        not what was committed, and IndexUnavailable for anything else unreadable."""
        with self._lock:
            try:
                self._check_folder()
                for attempt in range(RETRIES):
                    if self._pool is None:
                        self._pool = ReaderPool(self._open())
                    reader = self._pool.current()
                    if self._files_intact():
                        break
                    if attempt == RETRIES - 1:
                        raise IndexUnavailable("the index kept changing while it was read")
                if self._snapshot is None or self._snapshot.reader is not reader:
                    self._snapshot = Snapshot(reader, self._pool.generation, self._segments,
                                              self._caches)
                if self._pool.dropped:  # release merged-away segments' files now
                    self._pool.dropped = False
                    gc.collect()
                return self._snapshot
            except IndexUnavailable:
                self._reset()
                raise
            except Exception as exc:
                _close_leaked_files(exc)
                self._reset()
                log.warning("search index at %s unavailable: %r", self.path, exc)
                if isinstance(exc, windex.EmptyIndexError):
                    raise IndexMissing(f"there is no index in {self.path}") from exc
                raise IndexUnavailable(str(exc)) from exc

    def _check_folder(self):
        """Start afresh if the folder was replaced (a rebuild swapped a new one in)."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            raise IndexMissing(f"the index folder {self.path} is missing") from None
        if inode != self._folder:
            if self._folder is not None:
                self._reset()
            self._folder = inode

    def _files_intact(self) -> bool:
        """Whether this generation's files are what was committed (checksums, once per file
        and change; a stat per file otherwise). False: a commit replaced the generation
        while we looked, read it again. Raises IndexDamaged."""
        toc = self._pool.toc
        if not self._files or not self._files[0].startswith(f"{integrity.TOC_PREFIX}"
                                                             f"{toc.generation}."):
            toc_name = f"{integrity.TOC_PREFIX}{toc.generation}.toc"
            self._files = [toc_name, *(n for n in integrity.generation_files(self.path, toc)
                                       if n != toc_name)]
        changed, keys = [], {}
        for name in self._files:
            try:
                keys[name] = integrity.stat_key(os.path.join(self.path, name))
            except FileNotFoundError:
                if self._ix.latest_generation() != toc.generation:
                    return False
                raise IndexDamaged(f"{name} is missing from {self.path}") from None
            if self._verified.get(name) != keys[name]:
                changed.append(name)
        if changed:
            state = integrity.load_state(self.path)
            problems = integrity.verify(self.path, changed, state)
            if problems:
                log.warning("search index at %s is damaged: %s", self.path, "; ".join(problems))
                raise IndexDamaged("; ".join(problems))
            for name in changed:
                if name in state.get("files", {}):
                    self._verified[name] = keys[name]
        return True

    def search_profiles(self, query: str, viewer: Viewer, filters: dict | None = None,
                        page: int = 1, per_page: int = 20, sort: str = "relevance",
                        sort_values: dict | None = None, exact: bool = False) -> SearchPage:
        """Profiles matching `query` that `viewer` may see, one page, with facets and totals.

        filters: {location|role: value or values (any), skills: value or values (all),
        open_to_work: bool}. sort: "relevance" or "values" (sort_values[person_id] descending,
        missing last, relevance breaking ties). per_page is 1..100; at most 1,000 results can be
        paged. A word no visible profile holds is corrected when that finds something
        (`corrected` says to what); `exact` searches the words verbatim, without typo variants.
        Raises IndexUnavailable only; bad queries get `message`, never an exception.
        """
        return self._guarded(results.run, viewer, query, filters, page, per_page, sort,
                             sort_values, exact)

    def relevance(self, query: str, viewer: Viewer, limit: int = 500,
                  among=(), work: float | None = None) -> results.TopScores:
        """Scores of the best `limit` matches `viewer` may see and of those of the person ids
        `among` who match, and the match count; refused past `work` (see top_scores)."""
        with self._lock:
            snap = self.snapshot()
            try:
                return results.top_scores(snap, viewer, query, limit, among, work)
            except Exception as exc:
                if not _from_index_files(exc):
                    raise
                self._reset()
                raise IndexUnavailable(str(exc)) from exc

    def typeahead(self, prefix: str, viewer: Viewer, limit: int = 8) -> list[dict]:
        """Names and skills starting with `prefix` among profiles `viewer` may see."""
        limit = max(0, min(results.to_int(limit, 8), 50))
        return self._guarded(lambda snap, v: typeahead.suggest(snap, snap.allowed(v), prefix,
                                                                limit), viewer)

    def _guarded(self, fn, *args):
        """Run fn(snapshot, *args); errors from reading the index become IndexUnavailable."""
        with self._lock:
            snap = self.snapshot()
            try:
                return fn(snap, *args)
            except Exception as exc:
                if not _from_index_files(exc):
                    raise
                _close_leaked_files(exc)
                self._reset()
                raise IndexUnavailable(str(exc)) from exc

    def doc_count(self) -> int:
        """How many profiles the index holds."""
        with self._lock:
            return self.snapshot().count

    def last_applied(self):
        """The index's position in the change log (the last change id it reflects, 0 when new,
        or the position a feed returned with its last batch)."""
        with self._lock:
            snap = self.snapshot()
            d = snap.docnum_meta()
            return snap.reader.stored_fields(d).get("applied", 0) if d is not None else 0

    def warm(self) -> warmup.Warmed:
        """Load what the first searches would (facets, visibility sets, the most frequent
        words' postings and positions, within warmup's bounds), e.g. at worker start."""
        with self._lock:
            snap = self.snapshot()
            for name in ("location", "skills", "role", "open_to_work"):
                snap.facet_masks(name)
            snap.mask("visibility", "recruiters")
            snap.pids()
            warmed = warmup.warm(snap, self._caches)
        log.info("search index at %s warmed: %s", self.path, warmed)
        return warmed

    def fingerprints(self) -> dict:
        """{person_id: fingerprint} of every profile in the index (for `check`)."""
        with self._lock:
            snap = self.snapshot()
            column = snap.reader.column_reader("fp", translate=False)
            pids = snap.pids()
            return {int(pids[d]): bytes(column[d]).decode("ascii", "replace")
                    for d in bits.ones(snap.live)}

    def close(self):
        """Release the readers and files."""
        with self._lock:
            self._reset()

    # writing

    @contextmanager
    def writer(self, wait: float | None = WRITE_WAIT, **kwargs):
        """A Whoosh writer under the inter-process lock; yields None if the lock is taken."""
        if not os.path.isdir(self.path):
            raise IndexUnavailable(f"no index directory at {self.path}")
        with write_lock(self.path, wait) as held:
            if not held:
                if wait is None:
                    yield None
                    return
                raise IndexBusy(f"the search index at {self.path} is being written")
            try:
                w = self._open().writer(timeout=5.0, codec=codec(), **kwargs)
            except windex.LockError as exc:  # someone wrote without our lock: report it as ours
                raise IndexBusy(f"the search index at {self.path} is being written") from exc
            except OSError as exc:
                _release_leaked_lock(exc)
                raise
            try:
                yield w
            except BaseException:
                _abandon_writer(w)
                raise

    def commit_changes(self, person_ids: list, docs: dict, position):
        """Re-index these people (removed when docs has no document for them) and store the
        log position, in one commit. The caller holds the write lock (see sync.py)."""
        try:
            w = self._open().writer(timeout=5.0, codec=codec())  # ours is held, Whoosh's is free
        except OSError as exc:  # a read-only or full folder
            _release_leaked_lock(exc)
            raise
        try:
            for pid in person_ids:
                doc = docs.get(pid)
                if doc is None:
                    w.delete_by_term("pid", str(pid))
                else:
                    w.update_document(**to_fields(doc))
            w.update_document(**meta_fields(position))
            w.commit()
        except BaseException:
            _abandon_writer(w)
            raise
        self.record_state(position)

    def record_state(self, position=None):
        """Record what the latest generation holds (see integrity.py); the caller holds the
        write lock. A folder that cannot take it still works, unverified."""
        try:
            toc = read_toc(self._open())
            count = sum(segment.doc_count() for segment in toc.segments) - 1  # the meta doc
            if position is None:
                position = integrity.load_state(self.path).get("position")
            integrity.record(self.path, toc, max(count, 0), position)
        except OSError as exc:
            log.warning("search index at %s: could not record its state: %s", self.path, exc)

    def index_profile(self, doc: dict):
        """Add or replace one profile (blocking until other writers are done)."""
        with self.writer() as w:
            w.update_document(**to_fields(doc))
            w.commit()
            self.record_state()

    def remove_profile(self, person_id: int):
        """Remove one profile, if present."""
        with self.writer() as w:
            w.delete_by_term("pid", str(int(person_id)))
            w.commit()
            self.record_state()

    def rebuild(self, docs, procs: int = 1, applied: int | None = None):
        """Replace the whole index with `docs`, atomically: searches see the old index until the
        commit. `applied` is the change id the docs reflect (default: keep the current one, so
        later changes are re-applied, which is harmless). Returns the number of profiles."""
        if applied is None:
            try:
                applied = self.last_applied()
            except IndexUnavailable:
                applied = 0
        with write_lock(self.path, WRITE_WAIT) as held:
            if not held:
                raise IndexBusy(f"the search index at {self.path} is being written")
            try:
                same = self._open().schema.names() == build_schema().names()
            except Exception as exc:  # unreadable: start afresh
                _close_leaked_files(exc)
                same = False
            if not same:  # a new schema (or a damaged index) needs new files
                with self._lock:
                    self._reset()
                _create(self.path)
        with self.writer() as w:
            count = write_all(w, iter(docs), to_fields, meta_fields(applied), max(1, procs))
            self.record_state(applied)
        return count


RETRIES = 5


def _from_index_files(exc) -> bool:
    """Whether an error came from reading the index (I/O, or raised inside Whoosh while
    decoding files) rather than from a bug of ours, which must stay visible."""
    return isinstance(exc, (OSError, EOFError)) or raised_in_whoosh(exc)


_OPEN: dict = {}


def _exists(path) -> bool:
    try:
        return windex.exists_in(path)
    except Exception as exc:  # a damaged index exists; searching it raises IndexUnavailable
        _close_leaked_files(exc)
        return True


def _create(path):
    ix = windex.create_in(path, build_schema())
    w = ix.writer(codec=codec())
    w.add_document(**meta_fields(0))
    w.commit()
    ix.close()
    integrity.record(path, read_toc(windex.open_dir(path)), 0, 0)


def rebuild_beside(path: str, docs, procs: int = 1, applied=None) -> int:
    """Build a new index of `docs` in a folder next to `path`, then swap it in (see swap_in):
    searches use the old folder, whatever state it is in, until the swap. The replica keeps
    its identity file. The caller holds the app's rebuild lock, so drafts already beside the
    folder were left by a killed rebuild and are removed. Returns the number of profiles."""
    path = os.path.realpath(os.fspath(path))
    prefix = f"{os.path.dirname(path)}/.{os.path.basename(path)}.rebuild-"
    for stale in glob.glob(f"{glob.escape(prefix)}*"):  # left by a rebuild that was killed
        shutil.rmtree(stale, ignore_errors=True)
    draft = f"{prefix}{uuid.uuid4().hex[:12]}"
    os.makedirs(draft)
    try:
        try:
            shutil.copyfile(os.path.join(path, REPLICA_FILE), os.path.join(draft, REPLICA_FILE))
        except OSError:  # no folder or no identity yet: the new folder makes its own
            pass
        fresh = open_index(draft)
        count = fresh.rebuild(docs, procs=procs, applied=applied)
        fresh.close()
        _OPEN.pop((os.getpid(), draft), None)
        old = swap_in(draft, path)
    except BaseException:
        shutil.rmtree(draft, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return count


REPLICA_FILE = "replica.id"  # see whoosh_backend.py
_RENAME_EXCHANGE = 2


def swap_in(draft: str, path: str) -> str | None:
    """Put folder `draft` at `path` in one step, holding the old folder's write lock so no
    commit is half-way through it; returns where the old folder went (None if there was none).
    Linux exchanges the two names atomically; elsewhere there is a moment with no folder,
    which searches answer as "being rebuilt"."""
    if not os.path.isdir(path):
        os.rename(draft, path)
        return None
    try:
        lock = write_lock(path, WRITE_WAIT)
        held = lock.__enter__()
    except OSError:  # a read-only or damaged folder: nobody can be writing to it
        lock, held = None, True
    try:
        if not held:
            raise IndexBusy(f"the search index at {path} is being written")
        if _exchange(draft, path):
            return draft
        old = f"{draft}.old"
        os.rename(path, old)
        os.rename(draft, path)
        return old
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)


def _exchange(a: str, b: str) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two paths atomically (Linux); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False


def open_index(path) -> SearchIndex:
    """The index at `path`, created empty if the directory holds none; one object per process
    and path, so that its readers and caches are shared."""
    path = os.path.realpath(os.fspath(path))
    key = (os.getpid(), path)
    if key in _OPEN and os.path.isdir(path):
        # Reading the table of contents again costs more than a search; a folder emptied or
        # damaged since is found by the index's own checks (see SearchIndex.snapshot).
        return _OPEN[key]
    os.makedirs(path, exist_ok=True)
    if not _exists(path):
        with write_lock(path, WRITE_WAIT) as held:
            if held and not _exists(path):
                _create(path)
    if key not in _OPEN:
        _OPEN[key] = SearchIndex(path)
    return _OPEN[key]
