"""The change log that carries database changes to the search index."""

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UTCDateTime, db, utcnow


class SearchChange(db.Model):
    """A person whose search document must be rebuilt; written in the changing transaction."""

    __tablename__ = "search_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)  # no FK: deletions are logged too
    created_at = mapped_column(UTCDateTime, default=utcnow)
