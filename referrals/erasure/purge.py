"""The daily purge: what deletion removed from the tables leaves no trace on disk.

Deleting rows leaves their bytes in the database file's free pages (and WAL) and deleting a
document leaves its words in the search index's segments, the typeahead and did-you-mean
vocabulary among them, until they are rewritten. Run every day (`flask privacy purge`, from
cron or a systemd timer), this rewrites both, so a deletion is gone from disk within a day.
"""

from auth.services import forget_expired_sessions
from extensions import db
from mail import retention
from referrals.network.cvs import sweep_orphans
from search import services as search


def purge() -> dict:
    """Rewrite the search index from the database and compact the database. Returns counts."""
    retention.drop_delivered()
    cv_files = sweep_orphans()  # files a crash left without their row
    sessions = forget_expired_sessions()  # ended or left idle: no longer worth keeping
    profiles = search.rebuild()
    engine = db.engine
    db.session.remove()
    # VACUUM cannot run in a transaction, and SQLAlchemy (with configure_sqlite) always opens
    # one: use the driver's connection in autocommit.
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM",
                              "PRAGMA wal_checkpoint(TRUNCATE)"):
                raw.driver_connection.execute(statement)
        else:  # PostgreSQL: FULL rewrites the tables, so dead rows leave the files
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM FULL")
    finally:
        raw.close()
    return {"profiles_indexed": profiles, "database": engine.dialect.name,
            "orphan_cv_files_removed": cv_files, "sessions_forgotten": sessions}
