"""Backing the database up and restoring it: SQLite through its online backup API, PostgreSQL
through pg_dump and pg_restore. The search index is never backed up: it is rebuilt from the
restored database, the source of truth.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from extensions import db

SQLITE_SUFFIX, POSTGRES_SUFFIX = ".sqlite3", ".pgdump"


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Backup:
    """A written backup file."""

    path: Path
    size: int


def default_path(folder: Path, now: datetime) -> Path:
    """backups/referrals-YYYYmmdd-HHMMSS.<kind> under `folder`, named for the moment taken."""
    suffix = SQLITE_SUFFIX if _dialect() == "sqlite" else POSTGRES_SUFFIX
    return folder / f"referrals-{now:%Y%m%d-%H%M%S}{suffix}"


def create_backup(path: Path) -> Backup:
    """Write a consistent copy of the whole database to `path` (never overwrites a file)."""
    if path.exists():
        raise BackupError(f"{path} exists already; choose another name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if _dialect() == "sqlite":
            with _sqlite(_sqlite_path()) as source, _sqlite(partial) as target:
                source.backup(target)  # a consistent snapshot while others keep writing
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"])
        partial.rename(path)  # a backup file is either complete or absent
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path, path.stat().st_size)


def restore_backup(path: Path) -> None:
    """Replace the database's contents with the backup's, all at once or not at all."""
    if not path.is_file():
        raise BackupError(f"{path} is not a backup file.")
    expected = SQLITE_SUFFIX if _dialect() == "sqlite" else POSTGRES_SUFFIX
    if path.suffix != expected:
        raise BackupError(f"{path.name} is not a {expected} backup, which this database needs.")
    db.session.remove()
    db.engine.dispose()  # our pooled connections would hold locks the restore needs
    if _dialect() == "sqlite":
        with _sqlite(path) as source, _sqlite(_sqlite_path()) as target:
            _check_sqlite_backup(source)
            source.backup(target)  # page by page into the live file, under its write lock
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", str(path)])


def _dialect() -> str:
    return db.engine.dialect.name


def _sqlite_path() -> Path:
    database = make_url(db.engine.url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(database)


def _sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=30)


def _check_sqlite_backup(source: sqlite3.Connection) -> None:
    try:
        ok = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        has_schema = source.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The backup is not a readable SQLite database: {error}") from error
    if not ok or not has_schema:
        raise BackupError("The backup is damaged or is not a backup of this application.")


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client tool against the app's database; the password goes by env."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    url = make_url(db.engine.url)
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    target = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
              "--username", url.username or "postgres", "--dbname", url.database or ""]
    done = subprocess.run([*command, *target], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
