"""People, the relationships between them, and the history each relationship keeps."""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.employers import stored_keys
from extensions import UTCDateTime, db, utcnow
from referrals.kinds import KIND_BY_VALUE, KIND_LABELS, KIND_VALUES
from referrals.statuses import (
    AuditAction,
    ConnectionStatus,
    Giver,
    InteractionStatus,
    Role,
    Visibility,
    check_sql,
)


class Person(db.Model):
    """A profile: a user's own, or a contact a recruiter keeps before they have an account."""

    __tablename__ = "people"
    __table_args__ = (CheckConstraint(check_sql("role", Role), name="role"),
                      CheckConstraint(check_sql("visibility", Visibility), name="visibility"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The account this person is, once they have one (set by registering or claiming an invite).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    # Who may edit the record: the person themself, or the recruiter who added them.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    headline: Mapped[str] = mapped_column(String(160), default="")
    title: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    # The employer as auth.employers folds it (name, and domain when written as an address),
    # kept in step by `_store_employer_keys`, so that finding who works for an organisation
    # is an indexed lookup rather than folding every profile's employer on each search.
    employer_key: Mapped[str] = mapped_column(String(120), default="", server_default="",
                                              index=True)
    employer_site_key: Mapped[str] = mapped_column(String(120), default="", server_default="",
                                                   index=True)
    location: Mapped[str] = mapped_column(String(120), default="")
    years_experience: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[str] = mapped_column(Text, default="")  # one per line, in the owner's order
    summary: Mapped[str] = mapped_column(Text, default="")
    open_to_work: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.CONNECTIONS)
    # "Ask me before you put me forward": recommendations need the person's consent.
    consent_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when this record was merged into another; such records are kept for the audit trail.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = relationship("User", foreign_keys=[user_id], back_populates="person")
    owner = relationship("User", foreign_keys=[owner_id])

    @property
    def skill_list(self) -> list[str]:
        """The skills as a list, blank lines dropped."""
        return split_skills(self.skills)

    @property
    def is_claimed(self) -> bool:
        """Whether a real account stands behind this record."""
        return self.user_id is not None


# The summary's figures kept as columns of Relationship (see there), in index order.
TRUST_COLUMNS = ("trust_base_a", "trust_base_b", "trust_held_a", "trust_held_b",
                 "trust_last_contact", "trust_last_confirmed", "trust_last_event",
                 "trust_first_contact", "trust_confirmed", "trust_given_a", "trust_given_b",
                 "trust_balanced")


def listing_columns(side: str) -> tuple[str, ...]:
    """The columns of one side's listing index, in order: the side, its standing's day (for
    the stale ones), then every column the dashboard's lists read of that side's rows."""
    return (f"{side}_id", f"standing_on_{side}", "status", f"standing_score_{side}",
            f"standing_band_{side}", f"cadence_{side}_days", "last_contact_on", "created_at",
            "trust_last_contact", "id")


def split_skills(text: str | None) -> list[str]:
    """Skills as stored (one a line) as a list, blank lines dropped."""
    return [s for s in map(str.strip, (text or "").splitlines()) if s]



@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _store_employer_keys(mapper, connection, person: Person) -> None:
    """Fold the employer into its stored keys whenever a profile is written."""
    person.employer_key, person.employer_site_key = stored_keys(person.organisation or "")


class Relationship(db.Model):
    """A connection between two people, ordered so that a_id < b_id; one row per pair."""

    __tablename__ = "relationships"
    __table_args__ = (
        UniqueConstraint("a_id", "b_id"),
        CheckConstraint("a_id < b_id", name="ordered_pair"),
        CheckConstraint(check_sql("status", ConnectionStatus), name="status"),
        # Who a recruiter's trust might vouch for is read from these alone, on either side of
        # the pair, without touching the rows (matching.may_vouch_for).
        *(Index(f"ix_relationships_{side}_trust", f"{side}_id", "status", *TRUST_COLUMNS,
                f"{other}_id") for side, other in (("a", "b"), ("b", "a"))),
        # Whose standings are of another day (daily.refresh) is found without reading rows,
        # and the dashboard's lists rank one side's network from these alone (listing.my_sides).
        *(Index(f"ix_relationships_{side}_listing", *listing_columns(side))
          for side in ("a", "b")),
        # What waits for each side is read from these alone (listing.pending_groups).
        *(Index(f"ix_relationships_{side}_waiting", f"{side}_id", f"waiting_{side}",
                f"waiting_latest_{side}", f"{other}_id", "id")
          for side, other in (("a", "b"), ("b", "a"))),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ConnectionStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    responded_at = mapped_column(UTCDateTime)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    # The trust score's aggregate of the history, kept current in the transaction that changes
    # the history, so that reading a score never scans the interactions (see trust/score.py).
    trust_ledger: Mapped[str] = mapped_column(Text, default="")
    trust_summary: Mapped[str] = mapped_column(Text, default="")
    # Copies of the summary's figures as columns, so that a query can skip relationships that
    # cannot reach a score or vouch for a wild card, and read a score, band and the vouching
    # facts without parsing JSON. Written only with the summary (trust_store.stored_values).
    # Each side's standing of the other (the score is directional): claimed (base) and from
    # confirmed entries only (held), before recency (trust/standing.py).
    trust_base_a: Mapped[float] = mapped_column(Float, default=0.0)
    trust_base_b: Mapped[float] = mapped_column(Float, default=0.0)
    trust_held_a: Mapped[float] = mapped_column(Float, default=0.0)
    trust_held_b: Mapped[float] = mapped_column(Float, default=0.0)
    trust_first_contact: Mapped[date | None] = mapped_column(Date)
    trust_last_contact: Mapped[date | None] = mapped_column(Date)
    trust_last_confirmed: Mapped[date | None] = mapped_column(Date)
    trust_last_event: Mapped[date | None] = mapped_column(Date)
    trust_confirmed: Mapped[int] = mapped_column(Integer, default=0)
    trust_given_a: Mapped[int] = mapped_column(Integer, default=0)  # times side a gave
    trust_given_b: Mapped[int] = mapped_column(Integer, default=0)
    trust_balanced: Mapped[bool] = mapped_column(Boolean, default=False)
    # Each side's score and band as of a day (standing_on), from the columns above: the score
    # decays with the date, so the dashboard sorts and pages on these, refreshed when the
    # ledger changes and, for a reader whose day has moved on, at their first page of the day
    # or by `flask trust refresh` (trust/daily.py). NULL: not yet computed.
    standing_on_a: Mapped[date | None] = mapped_column(Date)
    standing_on_b: Mapped[date | None] = mapped_column(Date)
    standing_score_a: Mapped[int | None] = mapped_column(Integer)
    standing_score_b: Mapped[int | None] = mapped_column(Integer)
    standing_band_a: Mapped[str | None] = mapped_column(String(8))
    standing_band_b: Mapped[str | None] = mapped_column(String(8))
    # Entries the other side logged that wait for this side's answer, and the latest one's
    # day, so that "waiting for you" reads one row per relationship instead of grouping every
    # pending entry. Written only with the ledger they are counted from (trust/store.py).
    waiting_a: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waiting_b: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waiting_latest_a: Mapped[date | None] = mapped_column(Date)
    waiting_latest_b: Mapped[date | None] = mapped_column(Date)
    # Stay-in-touch cadence each side chose, in days; None means no reminder.
    cadence_a_days: Mapped[int | None] = mapped_column(Integer)
    cadence_b_days: Mapped[int | None] = mapped_column(Integer)

    a = relationship(Person, foreign_keys=[a_id])
    b = relationship(Person, foreign_keys=[b_id])
    interactions = relationship("Interaction", back_populates="rel",
                                order_by="Interaction.occurred_on.desc(), Interaction.id.desc()")

    def side_of(self, person_id: int) -> str | None:
        """'a' or 'b' for a party to this relationship, None for anyone else."""
        return "a" if person_id == self.a_id else "b" if person_id == self.b_id else None

    def other(self, person_id: int) -> Person:
        """The party on the other side from person_id."""
        return self.b if person_id == self.a_id else self.a


class Interaction(db.Model):
    """One thing that passed between the two sides, logged by one and confirmed by the other."""

    __tablename__ = "interactions"
    __table_args__ = (
        # Adding a kind to kinds.KINDS needs a migration that widens this check.
        CheckConstraint(check_sql("kind", KIND_VALUES), name="kind"),
        CheckConstraint(check_sql("giver", Giver), name="giver"),
        CheckConstraint(check_sql("status", InteractionStatus), name="status"),
        # The entries waiting for an answer, grouped on the dashboard without reading the
        # confirmed history; and a history a page at a time, newest first (0015_page_indexes).
        Index("ix_interactions_pending", "relationship_id", "logged_by_id", "occurred_on",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_interactions_history", "relationship_id", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    giver: Mapped[str] = mapped_column(String(8))  # a Giver
    note: Mapped[str] = mapped_column(Text, default="")
    private_note: Mapped[str] = mapped_column(Text, default="")  # only logged_by_user ever sees it
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    logged_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=InteractionStatus.PENDING)
    dispute_reason: Mapped[str] = mapped_column(Text, default="")
    responded_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    rel = relationship(Relationship, back_populates="interactions")
    logged_by = relationship(Person, foreign_keys=[logged_by_id])

    @property
    def kind_label(self) -> str:
        """The kind as people read it."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def kind_icon(self) -> str:
        """The kind's icon, shown before its label."""
        kind = KIND_BY_VALUE.get(self.kind)
        return kind.icon if kind else ""


class AuditEvent(db.Model):
    """What happened to a history, kept even after the interaction itself is removed."""

    __tablename__ = "audit_events"
    __table_args__ = (CheckConstraint(check_sql("action", AuditAction), name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"),
                                                        index=True)
    interaction_id: Mapped[int | None] = mapped_column(Integer)  # no FK: outlives the row
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(24))
    # A public snapshot (never the private note) as JSON, so a removal can be read later.
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")


class Invitation(db.Model):
    """A single-use, expiring link that lets a person claim the record a recruiter kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256; the link holds it
    # The address it was sent to: only an account that proved this address may claim it.
    email: Mapped[str | None] = mapped_column(String(254))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    expires_at = mapped_column(UTCDateTime)
    used_at = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person = relationship(Person)
