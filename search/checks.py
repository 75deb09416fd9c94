"""Whether the index is sound and agrees with the database: for `flask search check` and
`flask search rebuild --if-missing`. Both report every fault they find and never raise."""

from extensions import db
from search import documents, replicas
from search.backend import IndexUnavailable
from search.schema import fingerprint
from search.services import backend, catch_up, describe, index_faults, rebuild_running


def rebuild_reasons() -> list[str]:
    """Why the index is unusable (missing, damaged, or not holding the database's people);
    [] when it is usable. Never raises."""
    try:
        faults = backend().faults(writable=False)
        return faults or index_faults(fresh=True)
    except Exception as exc:  # a check must not crash: what it could not check is a fault
        db.session.rollback()
        return [f"the index could not be checked: {describe(exc)}"]


def check_lines() -> tuple[list[str], bool]:
    """`flask search check`: lines describing the index, and whether it is sound. Reports
    every fault it finds (missing or damaged files, a folder that cannot be written to, a
    count or documents that differ from the database, changes not applied) and never raises."""
    lines, faults = [], []

    def step(what, fn):
        try:
            return fn()
        except Exception as exc:
            db.session.rollback()
            faults.append(f"{what}: {describe(exc)}")
            return None

    engine = backend()
    faults += step("the folder could not be inspected", engine.faults) or []
    if not any("missing" in f or "unreadable" in f or "corrupt" in f or "bytes" in f
               for f in faults):
        step("the index could not catch up with the log",
             lambda: catch_up(background=True, rebuild_if_pruned=False))
        behind = step("the log could not be read", _behind)
        if behind:
            faults.append(f"the index is behind the log: {behind:,} changes are not applied")
        faults += step("the counts could not be compared",
                       lambda: index_faults(fresh=True)) or []
        report = step("the documents could not be compared", _compare)
        if report is not None:
            lines.append(f"agree {report.agree}, missing {report.missing}, stale "
                         f"{report.stale}, extra {report.extra}")
            if not report.ok:
                faults.append(f"documents differ from the database: {report.examples}")
    lines[:0] = step("the replicas could not be listed", replica_lines) or []
    if rebuild_running():
        lines.append("A rebuild is running.")
    lines += [f"FAULT: {fault}" for fault in faults]
    return lines, not faults


def _behind() -> int:
    """How many logged changes the index has not applied (at most 10,000 are counted)."""
    engine = backend()
    try:
        return len(replicas.fetch(engine.position(), 10_000).changes)
    except replicas.PositionPruned as gone:
        raise IndexUnavailable(f"its position was pruned from the log: {gone}") from None
    finally:
        db.session.rollback()


def _compare():
    """Each live person's document as the database gives it, compared with the index's."""
    expected = {pid: fingerprint(doc) for pid, doc in documents.every_document()
                if doc is not None}
    db.session.rollback()
    return backend().check(expected)


def replica_lines() -> list[str]:
    """Every replica the change log knows (position, last seen, last rebuild and why)."""
    try:
        return replicas.describe(backend().replica_id())
    finally:
        db.session.rollback()
