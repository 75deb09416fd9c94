"""Openings a recruiter fills for a hiring client, and what the recruiter decided per person."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UTCDateTime, db, utcnow
from referrals.statuses import DecisionAction, OpeningStatus, PipelineStage, check_sql


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Opening(db.Model):
    """A role a recruiter is filling for a client in their network."""

    __tablename__ = "openings"
    __table_args__ = (CheckConstraint(check_sql("status", OpeningStatus), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(120), default="")
    remote_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    min_years: Mapped[int | None] = mapped_column(Integer)
    must_skills: Mapped[str] = mapped_column(Text, default="")  # one per line
    nice_skills: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=OpeningStatus.OPEN)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    recruiter = relationship("User")
    client = relationship("Person")

    @property
    def must_list(self) -> list[str]:
        """Must-have skills as a list."""
        return _lines(self.must_skills)

    @property
    def nice_list(self) -> list[str]:
        """Nice-to-have skills as a list."""
        return _lines(self.nice_skills)

    @property
    def qualification_list(self) -> list[str]:
        """Named qualifications as a list."""
        return _lines(self.qualifications)


class OpeningDecision(db.Model):
    """What the recruiter did with one person for one opening; one row per pair."""

    __tablename__ = "opening_decisions"
    __table_args__ = (UniqueConstraint("opening_id", "person_id"),
                      CheckConstraint(check_sql("action", DecisionAction), name="action"),
                      CheckConstraint(check_sql("stage", PipelineStage), name="stage"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")  # why dismissed
    wildcard: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the recruiter saw when recommending, frozen then (JSON list of lines, in the
    # recruiter's voice: never shown to the client, whose page says it in their own terms).
    explanation: Mapped[str] = mapped_column(Text, default="[]")
    # The recruiter's vouch in their own words, the first thing the client reads; editable until
    # the client first opens the recommendation (opened_at).
    vouch: Mapped[str] = mapped_column(Text, default="")
    opened_at = mapped_column(UTCDateTime)
    consent_answered_at = mapped_column(UTCDateTime)  # when the candidate agreed or declined
    stage: Mapped[str] = mapped_column(String(16), default=PipelineStage.SENT)
    stage_changed_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    opening = relationship(Opening)
    person = relationship("Person")
    notes = relationship("PipelineNote", back_populates="decision",
                         order_by="PipelineNote.created_at, PipelineNote.id")

    @property
    def stage_label(self) -> str:
        """The pipeline stage as people read it."""
        return PipelineStage(self.stage).label

    @property
    def latest_note(self) -> "PipelineNote | None":
        """The latest word on this recommendation, from either side."""
        return self.notes[-1] if self.notes else None


class PipelineNote(db.Model):
    """One word on a recommendation: a question, an answer, or a stage change with its reason."""

    __tablename__ = "pipeline_notes"
    __table_args__ = (CheckConstraint(check_sql("stage", PipelineStage), name="stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("opening_decisions.id"), index=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str | None] = mapped_column(String(16))  # the stage it moved to, if it did
    body: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)

    decision = relationship(OpeningDecision, back_populates="notes")
    author = relationship("User")

    @property
    def stage_label(self) -> str:
        """The stage it moved to, as people read it ("" for a plain message)."""
        return PipelineStage(self.stage).label if self.stage else ""
