"""Keeping the index in step with the database's change log, from any number of processes.

The app appends (id, person_id) to a change log in the same transaction as each change. Here:
- one writer at a time across processes (a non-blocking fcntl lock in the index directory);
  a process that finds it taken returns at once, because the holder loops until the log is
  drained and checks once more after letting go, so no change is stranded (a holder given a
  `limit` stops after that many instead, and its caller must come back for the rest);
- changes are applied in id order and idempotently: each person is re-read from the database
  and re-indexed (or removed when the loader returns None);
- the index's position in the log (the last applied change id, or whatever position the feed
  hands back with each batch, see Batch) lives in a meta document committed in the same Whoosh
  commit as the documents, so a crash loses either both or neither, and a restart resumes
  from it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.index import LockError

from search.index import (
    IndexUnavailable,
    SearchIndex,
    flag_wanted,
    open_index,
    was_wanted,
    write_lock,
)

BATCH = 500


@dataclass(frozen=True)
class Batch:
    """Changes from a feed and the position the index holds once they are applied.

    A feed that reads its log past an id can return a plain list of (change_id, person_id)
    instead: the position is then the last change id. A position is any picklable value; the
    engine only stores it, atomically with the documents, and hands it back to the feed.
    """

    changes: list  # [(change_id, person_id)]
    position: object


# (position, limit) -> Batch or [(change_id, person_id)]
FetchChanges = Callable[[object, int], "Batch | list"]
LoadDocuments = Callable[[list], dict]  # [person_id] -> {person_id: doc or None}


def _batch(got, position) -> Batch:
    if isinstance(got, Batch):
        return got
    got = list(got)
    return Batch(got, got[-1][0] if got else position)


def _index(index) -> SearchIndex:
    return index if isinstance(index, SearchIndex) else open_index(index)


def last_applied(index_path):
    """The index's position in the change log: the last change id it reflects (0 for a new
    index), or the position a feed returned with its last batch."""
    return _index(index_path).last_applied()


def _apply_batch(index: SearchIndex, batch: Batch, load_documents) -> int:
    person_ids = list(dict.fromkeys(int(pid) for _, pid in sorted(batch.changes)))
    docs = (load_documents(person_ids) or {}) if person_ids else {}
    index.commit_changes(person_ids, docs, batch.position)
    return len(batch.changes)


def apply_pending(index_path, fetch_changes: FetchChanges, load_documents: LoadDocuments,
                  batch: int = BATCH, wait: float | None = None,
                  on_applied: Callable[[list], None] | None = None,
                  limit: int | None = None) -> int:
    """Apply every logged change past the index's position; returns how many this call applied
    (0 when another process holds the writer lock: that process will apply them).

    wait: seconds to wait for another process's batch to finish first (None: do not wait).
    on_applied: called with each Batch once it is committed to the index (to record the
    replica's new position where the log is kept, for example).
    limit: apply at most this many changes (None: all). A call that returns `limit` may have
    left changes in the log, those of other processes included: the caller comes back later.
    """
    index = _index(index_path)
    applied = 0
    while True:
        flag_wanted(index.path, True)  # before asking: a holder now looks again for us
        with write_lock(index.path, wait) as held:
            if not held:
                return applied
            flag_wanted(index.path, False)
            while True:
                if limit is not None and applied >= limit:
                    return applied
                position = index.last_applied()
                size = batch if limit is None else min(batch, limit - applied)
                got = _batch(fetch_changes(position, size), position)
                if not got.changes:
                    if got.position != position:  # the feed moved on past no changes
                        _apply_batch(index, got, load_documents)
                        if on_applied is not None:
                            on_applied(got)
                    break
                try:
                    applied += _apply_batch(index, got, load_documents)
                except LockError:  # a writer that ignores our lock: it is busy, try later
                    return applied
                if on_applied is not None:
                    on_applied(got)
        # A process that logged a change while we held the lock may have given up on it (it
        # flagged that it asked for the lock): look again. Reading the flag costs far less than
        # reading the log, which most searches would find unchanged.
        if not was_wanted(index.path):
            return applied


@dataclass
class CheckReport:
    """How the index compares with the database: counts, and a few ids of each problem."""

    agree: int = 0
    missing: int = 0
    stale: int = 0
    extra: int = 0
    examples: dict = field(default_factory=dict)  # "missing" / "stale" / "extra" -> ids

    @property
    def ok(self) -> bool:
        """True when every expected profile is indexed at its current version, and no other."""
        return not (self.missing or self.stale or self.extra)


def check(index, expected: dict, examples: int = 20) -> CheckReport:
    """Compare the index with {person_id: fingerprint(doc)} from the database."""
    found = _index(index).fingerprints()
    report = CheckReport()
    kinds = {"missing": [], "stale": [], "extra": []}
    for pid, fp in expected.items():
        have = found.get(int(pid))
        if have is None:
            kinds["missing"].append(int(pid))
        elif have != fp:
            kinds["stale"].append(int(pid))
        else:
            report.agree += 1
    kinds["extra"] = sorted(set(found) - {int(p) for p in expected})
    report.missing, report.stale, report.extra = (len(kinds[k]) for k in kinds)
    report.examples = {k: sorted(v)[:examples] for k, v in kinds.items() if v}
    return report


__all__ = ["Batch", "apply_pending", "last_applied", "check", "CheckReport", "IndexUnavailable"]
