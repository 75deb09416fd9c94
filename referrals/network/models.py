"""What the network keeps beside a profile: a person's CV (the file itself lives on disk)."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UTCDateTime, db, utcnow
from referrals.models import Person


class CvFile(db.Model):
    """A person's CV: where its bytes are kept (a random name under CV_STORAGE_DIR), the name
    it is offered under, its type, size and SHA-256, and who uploaded it when. One a person."""

    __tablename__ = "cvs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random, never user input
    filename: Mapped[str] = mapped_column(String(120))  # sanitised, with the content's extension
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at = mapped_column(UTCDateTime, default=utcnow)

    person = relationship(Person)
    uploaded_by = relationship("User")

    @property
    def kind(self) -> str:
        """What a reader calls the file: PDF or Word."""
        return "PDF" if self.content_type == "application/pdf" else "Word"
