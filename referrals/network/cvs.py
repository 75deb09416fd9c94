"""A person's CV: attaching, replacing, removing, finding and forgetting it.

The bytes live under CV_STORAGE_DIR (default instance/cvs, never under static/) with a random
name; the database keeps the facts (cvs table). A file is written to a temporary name and
renamed into place before its row is committed; if the commit fails, the new file is removed,
and a replaced or removed file goes only once its row's change is committed. Whatever a crash
still leaves behind, `sweep_orphans` (run by `flask privacy purge`) clears.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, event, select

from extensions import begin_write, db, utcnow
from referrals.access import can_edit_person, can_view_profile
from referrals.models import Person
from referrals.network.cv_files import check_cv
from referrals.network.models import CvFile
from referrals.refusals import Refused

STORED_SUFFIX = ".cv"
TEMP_PREFIX = ".upload-"
ORPHAN_GRACE = timedelta(hours=1)  # an upload in flight is younger than this
_PENDING = "cv_files_to_unlink"


class CvNotYours(Refused):
    """Someone tried to change a CV on a profile they do not keep."""

    status = 403


def storage_dir() -> Path:
    """Where CV files are kept (created on first use, readable by this process alone)."""
    path = Path(current_app.config["CV_STORAGE_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def cv_of(person: Person) -> CvFile | None:
    """The person's CV row, or None."""
    return db.session.scalar(select(CvFile).where(CvFile.person_id == person.id))


def may_download(user, person: Person) -> bool:
    """Who may read a CV: whoever may read the profile (the person, the recruiter keeping
    the record, and those its visibility or a recommendation lets in)."""
    return can_view_profile(user, person)


def file_of(cv: CvFile) -> Path:
    """The path of a CV's bytes (the stored name is ours, never the user's)."""
    return storage_dir() / cv.stored_name


def read_cv(cv: CvFile) -> bytes | None:
    """A CV's bytes, or None if its file is gone from disk."""
    try:
        return file_of(cv).read_bytes()
    except FileNotFoundError:
        return None


def attach_cv(user, person: Person, filename: str, data: bytes) -> CvFile:
    """Attach a CV to a profile the user keeps, replacing any earlier one. Checks the file
    (CvRefused), writes it atomically, commits the row; the old file goes after the commit."""
    checked = check_cv(filename, data)
    if not can_edit_person(user, person):
        raise CvNotYours("Only the person or the recruiter keeping the record can change "
                         "their CV.")
    begin_write()
    db.session.scalar(select(Person.id).where(Person.id == person.id).with_for_update())
    path = _write_atomically(data)
    try:
        cv = cv_of(person)
        if cv is None:
            cv = CvFile(person_id=person.id)
            db.session.add(cv)
        else:
            unlink_after_commit(cv.stored_name)
        cv.stored_name, cv.filename = path.name, checked.filename
        cv.content_type, cv.size, cv.sha256 = checked.content_type, checked.size, checked.sha256
        cv.uploaded_by_id, cv.uploaded_at = user.id, utcnow()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        path.unlink(missing_ok=True)  # no file without its row
        raise
    return cv


def remove_cv(user, person: Person) -> bool:
    """Remove a profile's CV (row, then file). Commits; False when there was none."""
    if not can_edit_person(user, person):
        raise CvNotYours("Only the person or the recruiter keeping the record can change "
                         "their CV.")
    begin_write()
    cv = cv_of(person)
    if cv is None:
        return False
    unlink_after_commit(cv.stored_name)
    db.session.delete(cv)
    db.session.commit()
    return True


def forget_cvs(person_ids: list[int]) -> None:
    """Delete these people's CV rows; their files go once the caller commits."""
    names = list(db.session.scalars(select(CvFile.stored_name).where(
        CvFile.person_id.in_(person_ids))))
    if names:
        unlink_after_commit(*names)
        db.session.execute(delete(CvFile).where(CvFile.person_id.in_(person_ids)))


def carry_over(drop: Person, keep: Person) -> None:
    """When `drop` is merged into `keep`: keep's own CV stays; without one it takes drop's."""
    if cv_of(keep) is None:
        moved = cv_of(drop)
        if moved is not None:
            moved.person_id = keep.id


def sweep_orphans() -> int:
    """Remove files no row points at (and abandoned temporary ones), older than an hour so
    that an upload in flight is left alone. Returns how many went."""
    directory = storage_dir()
    known = set(db.session.scalars(select(CvFile.stored_name)))
    cutoff = (utcnow() - ORPHAN_GRACE).timestamp()
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- Files -----------------------------------------------------------------------------------


def _write_atomically(data: bytes) -> Path:
    """Write to a temporary file, flush it to disk, then rename it to a fresh random name:
    a reader never sees half a file, and a crash leaves only a temporary one."""
    directory = storage_dir()
    fd, temp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=".tmp")
    final = directory / f"{secrets.token_hex(16)}{STORED_SUFFIX}"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return final


def unlink_after_commit(*names: str) -> None:
    """Remove these stored files once the session's transaction commits (not if it rolls
    back: the rows pointing at them are then still there)."""
    session = db.session()
    if _PENDING not in session.info:
        session.info[_PENDING] = set()
        event.listen(session, "after_commit", _unlink_pending)
        event.listen(session, "after_soft_rollback", _forget_pending)
    session.info[_PENDING].update(names)


def _unlink_pending(session) -> None:
    names, session.info[_PENDING] = session.info[_PENDING], set()
    directory = Path(current_app.config["CV_STORAGE_DIR"])
    for name in names:
        (directory / name).unlink(missing_ok=True)


def _forget_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info[_PENDING] = set()
