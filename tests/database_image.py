"""A copy of a test's database and stored CV files, to start later tests from: the SQLite file
as bytes, or on PostgreSQL every table's rows and every sequence's position."""

from pathlib import Path

from sqlalchemy import make_url

from extensions import db


def take(app) -> tuple[bytes | dict, dict]:
    """(the database's image, the CV files by stored name) as they are now."""
    path = _sqlite_path(app)
    _close_connections()  # on SQLite the last one to close folds the WAL into the file
    database = path.read_bytes() if path is not None else _pg_image()
    return database, {file.name: file.read_bytes() for file in _cv_dir(app).iterdir()}


def restore(app, database: bytes | dict, cv_files: dict) -> None:
    """The database and the CV files as `take` copied them: the same files, no others."""
    path = _sqlite_path(app)
    _close_connections()
    if path is None:
        _pg_restore(database)
    else:
        for leftover in ("-wal", "-shm"):
            path.with_name(path.name + leftover).unlink(missing_ok=True)
        path.write_bytes(database)
    directory = _cv_dir(app)
    for stale in directory.iterdir():
        stale.unlink()
    for name, data in cv_files.items():
        (directory / name).write_bytes(data)


def _sqlite_path(app) -> Path | None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return Path(url.database) if url.get_backend_name() == "sqlite" else None


def _pg_image() -> dict:
    """Every table's rows (binary COPY) and every sequence's position, on PostgreSQL."""
    with db.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        tables = [row[0] for row in cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        rows = {}
        for table in tables:
            with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                rows[table] = b"".join(bytes(block) for block in copy)
        sequences = cursor.execute("SELECT sequencename, last_value FROM pg_sequences "
                                   "WHERE schemaname = 'public'").fetchall()
    return {"rows": rows, "sequences": sequences}


def _pg_restore(image: dict) -> None:
    """The tables and sequences as `_pg_image` copied them, in one transaction."""
    with db.engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        # Rows go in table by table, so the foreign keys' checks wait (as in a restore): the
        # image was consistent when it was taken.
        cursor.execute("SET LOCAL session_replication_role = replica")
        tables = ", ".join(f'"{table}"' for table in image["rows"])
        cursor.execute(f"TRUNCATE {tables}")
        for table, data in image["rows"].items():
            with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                copy.write(data)
        for name, last_value in image["sequences"]:
            cursor.execute("SELECT setval(%s, %s, %s)",
                           (name, last_value or 1, last_value is not None))


def _cv_dir(app) -> Path:
    path = Path(app.config["CV_STORAGE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _close_connections() -> None:
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
