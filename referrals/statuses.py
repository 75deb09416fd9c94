"""Every status, role and state the database stores, as enums of the strings it stores.

Pure Python. Each is a `StrEnum`, so a member is the very string in the database (a column
compares equal to it and reads back as it); the database refuses any other value through the
CHECK constraints the models build with `check_sql` (migration 0005_status_checks).
"""

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    """What an account or a profile is in the network."""

    RECRUITER = "recruiter"
    CANDIDATE = "candidate"
    CLIENT = "client"

    @property
    def label(self) -> str:
        """The role as people read it."""
        return {"client": "Hiring client"}.get(self.value, self.value.title())


class Visibility(StrEnum):
    """Who may see a profile."""

    RECRUITERS = "recruiters"
    CONNECTIONS = "connections"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        """The choice as the profile form words it."""
        return {"recruiters": "Visible to verified recruiters",
                "connections": "Only people I am connected with",
                "private": "Only me"}[self.value]


class ConnectionStatus(StrEnum):
    """Where a relationship (a connection between two people) stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class InteractionStatus(StrEnum):
    """An interaction as its other party answered it."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class Giver(StrEnum):
    """Who the value of an interaction went from: side "a", side "b", or both ("mutual")."""

    A = "a"
    B = "b"
    MUTUAL = "mutual"


class OpeningStatus(StrEnum):
    """Whether a recruiter is still filling an opening."""

    OPEN = "open"
    CLOSED = "closed"


class DecisionAction(StrEnum):
    """What a recruiter did with one person for one opening."""

    SHORTLISTED = "shortlisted"
    DISMISSED = "dismissed"
    AWAITING_CONSENT = "awaiting_consent"
    CONSENT_DECLINED = "consent_declined"
    RECOMMENDED = "recommended"


class PipelineStage(StrEnum):
    """Where a recommendation stands with the client, from sent to hired or not now."""

    SENT = "sent"  # recommended, not answered yet
    INTERESTED = "interested"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    NOT_NOW = "not_now"

    @property
    def label(self) -> str:
        """The stage as people read it."""
        return {"sent": "Waiting for an answer", "not_now": "Not now"}.get(
            self.value, self.value.title())


class AuditAction(StrEnum):
    """What an audit event records."""

    LOGGED = "logged"
    EDITED = "edited"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    REMOVED = "removed"
    MERGED = "merged"
    CLAIMED = "claimed"
    IMPORTED = "imported"
    IMPORT_UNDONE = "import undone"
    PERSON_DELETED = "person deleted"
    ACCOUNT_DELETED = "account deleted"
    STANDING_APPLIED = "standing applied"
    STANDING_APPROVED = "standing approved"
    STANDING_REFUSED = "standing refused"
    ADMIN_GRANTED = "admin granted"
    ACCOUNT_SUSPENDED = "account suspended"
    ACCOUNT_RESTORED = "account restored"
    MOVED = "moved a recommendation"  # a pipeline stage changed (detail: from, to)
    DOMAIN_ADDED = "domain added"  # an organisation's further e-mail domain, verified
    DOMAIN_REMOVED = "domain removed"


class OrganisationKind(StrEnum):
    """What an organisation is to the network, and so the standing its people are granted."""

    RECRUITING_FIRM = "recruiting firm"
    HIRING = "hiring organisation"

    @property
    def label(self) -> str:
        """The kind as people read it."""
        return {"recruiting firm": "Recruiting firm",
                "hiring organisation": "Hiring organisation"}[self.value]

    @property
    def role(self) -> "Role":
        """The role an approved member of such an organisation is granted."""
        return Role.RECRUITER if self is OrganisationKind.RECRUITING_FIRM else Role.CLIENT


class ApplicationStatus(StrEnum):
    """Where an application for recruiter or hiring-client standing stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


def check_sql(column: str, values: Iterable[str]) -> str:
    """The SQL condition `column IN ('v1', 'v2', ...)` over values (an enum's, in its order)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"
