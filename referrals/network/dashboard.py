"""Read models for the portal: a person's network, what awaits them, and recent activity."""

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from extensions import db
from referrals.access import my_relationships_clause, other_person_join
from referrals.models import AuditEvent, Interaction, Person, Relationship
from referrals.statuses import ConnectionStatus, InteractionStatus
from referrals.trust.strength import score_from

SORTS = ("name", "organisation", "last_contact", "strength")
LAST_CONTACT_FILTERS = {
    "": "Any time",
    "30": "In the last month",
    "365": "In the last year",
    "over365": "Over a year ago",
    "never": "Never logged",
}


@dataclass(frozen=True)
class NetworkFilter:
    """What the network table shows: role, organisation text, last-contact window, sort."""

    role: str = ""
    organisation: str = ""
    last_contact: str = ""
    sort: str = "strength"
    descending: bool = True


def awaiting_confirmation(person_id: int) -> list[Interaction]:
    """Interactions the other side logged that this person has not yet confirmed or disputed."""
    return list(db.session.scalars(
        select(Interaction).join(Relationship)
        .where(my_relationships_clause(person_id), Interaction.status == InteractionStatus.PENDING,
               Interaction.logged_by_id != person_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())))


def connection_requests(person_id: int) -> list[tuple[Relationship, Person]]:
    """Pending requests to connect that this person has been asked to answer."""
    return list(db.session.execute(
        select(Relationship, Person).join(Person, Person.id == Relationship.requested_by_id)
        .where(my_relationships_clause(person_id), Relationship.status == ConnectionStatus.PENDING,
               Relationship.requested_by_id != person_id)))


@dataclass(frozen=True)
class Activity:
    """One line of recent activity, safe to show to either party."""

    when: object
    actor: str
    action: str
    kind: str
    relationship_id: int | None


def recent_activity(person_id: int, limit: int = 15) -> list[Activity]:
    """The latest audit events on this person's relationships, newest first."""
    rows = db.session.execute(
        select(AuditEvent, Relationship).join(Relationship,
                                              AuditEvent.relationship_id == Relationship.id)
        .where(my_relationships_clause(person_id))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit))
    people = {}
    out = []
    for event, _rel in rows:
        actor = people.get(event.actor_user_id)
        if actor is None and event.actor_user_id:
            actor = db.session.scalar(select(Person.name).where(
                Person.user_id == event.actor_user_id)) or "Someone"
            people[event.actor_user_id] = actor
        detail = json.loads(event.detail or "{}")
        out.append(Activity(event.created_at, actor or "Someone", event.action,
                            detail.get("kind", ""), event.relationship_id))
    return out


def sort_values_for(person_id: int, sort: str, today: date) -> dict[int, float]:
    """For ordering search results: my trust score, or my last contact, per person id, read
    from the stored columns as plain rows (a large network is not loaded as objects)."""
    mine = Relationship.a_id == person_id
    query = (select(Person.id, Relationship.last_contact_on,
                    case((mine, Relationship.trust_base_a), else_=Relationship.trust_base_b),
                    case((mine, Relationship.trust_held_a), else_=Relationship.trust_held_b),
                    Relationship.trust_last_contact, Relationship.trust_last_confirmed,
                    Relationship.trust_last_event)
             .join(Person, other_person_join(person_id))
             .where(my_relationships_clause(person_id),
                    Relationship.status == ConnectionStatus.ACCEPTED,
                    Person.merged_into_id.is_(None)))
    rows = db.session.execute(query)
    if sort == "trust":
        return {pid: score_from(base, held, last, confirmed, event, today)
                for pid, _on, base, held, last, confirmed, event in rows if event is not None}
    return {pid: on.toordinal() for pid, on, *_trust in rows if on}
