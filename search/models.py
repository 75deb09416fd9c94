"""The change log that carries database changes to the search index, and its readers."""

from sqlalchemy import BigInteger, FetchedValue, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UTCDateTime, db, utcnow


class SearchChange(db.Model):
    """A person whose search document must be rebuilt; written in the changing transaction."""

    __tablename__ = "search_changes"
    __table_args__ = (Index("ix_search_changes_xid_id", "xid", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)  # no FK: deletions are logged too
    # PostgreSQL: the writing transaction's id, filled in by the column's default
    # (pg_current_xact_id(), see migration 0004) whatever code inserts the row; NULL on
    # SQLite, where ids follow commit order. See search/replicas.py for how it is read.
    xid: Mapped[int | None] = mapped_column(BigInteger, nullable=True,
                                            server_default=FetchedValue())
    created_at = mapped_column(UTCDateTime, default=utcnow)


class SearchReplica(db.Model):
    """One index folder following the log: its position, for pruning, and when it was seen."""

    __tablename__ = "search_replicas"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the uuid in the folder
    # Every change whose key (xid on PostgreSQL, id on SQLite) is below this is in the index.
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    registered_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    rebuilt_at = mapped_column(UTCDateTime, nullable=True)
    rebuilt_because: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Where the folder is ("host:/path"): a new identity registering at the same place (the
    # folder was deleted and rebuilt) retires this one. None for rows from before it was kept.
    location: Mapped[str | None] = mapped_column(String(600), nullable=True)


class SearchLogHorizon(db.Model):
    """How far the log has been pruned: changes keyed below `pruned_below` may be gone."""

    __tablename__ = "search_log_horizon"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    pruned_below: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_at = mapped_column(UTCDateTime, nullable=True)
