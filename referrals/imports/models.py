"""Import batches: what a file proposed, what the recruiter chose, and what it wrote."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UTCDateTime, db, utcnow

# mapping: an unknown CSV waits for its columns; preview: proposals wait for choices;
# imported: written (undoable for 7 days); undone: taken back; discarded: never written.
BATCH_STATUSES = ("mapping", "preview", "imported", "undone", "discarded")
RECORD_ACTIONS = ("added", "merged")


class ImportBatch(db.Model):
    """One uploaded file, from preview to import (and perhaps undo)."""

    __tablename__ = "import_batches"
    __table_args__ = (CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in BATCH_STATUSES) + ")",
        name="import_batch_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="preview")
    source: Mapped[str] = mapped_column(String(60), default="")  # the shape recognised
    filename: Mapped[str] = mapped_column(String(200), default="")
    # While staged: the table awaiting its mapping, or the proposals, as JSON. Emptied once the
    # batch is imported or discarded, so the file's contents are not kept longer than needed.
    staged: Mapped[str] = mapped_column(Text, default="")
    added: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    imported_at = mapped_column(UTCDateTime)
    undone_at = mapped_column(UTCDateTime)


class ImportRecord(db.Model):
    """A person a batch added or merged into, with what undoing it must restore."""

    __tablename__ = "import_records"
    __table_args__ = (CheckConstraint(
        "action IN (" + ", ".join(f"'{a}'" for a in RECORD_ACTIONS) + ")",
        name="import_record_action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(String(300), default="")  # LinkedIn address, for matching
    # For a merge: the fields the import filled in, with their earlier values, as JSON.
    before: Mapped[str] = mapped_column(Text, default="{}")
    interaction_id: Mapped[int | None] = mapped_column(Integer)  # the first-contact check-in
