"""Who may see or change what: the ownership and visibility rules in one place."""

from flask import abort
from sqlalchemy import and_, case, or_, select

from auth.employers import employer_keys, is_employer
from extensions import db
from referrals.models import Interaction, Person, Relationship
from referrals.statuses import (
    ConnectionStatus,
    DecisionAction,
    OpeningStatus,
    PipelineStage,
    Role,
    Visibility,
)


def pair(p1: int, p2: int) -> tuple[int, int]:
    """The (a_id, b_id) order a relationship between two people is stored in."""
    return (p1, p2) if p1 < p2 else (p2, p1)


def relationship_between(p1: int, p2: int) -> Relationship | None:
    """The relationship row between two people, whatever its status."""
    a_id, b_id = pair(p1, p2)
    return db.session.scalar(
        select(Relationship).where(Relationship.a_id == a_id, Relationship.b_id == b_id))


def connected_ids(person_id: int) -> list[int]:
    """Ids of everyone with an accepted relationship to this person."""
    rows = db.session.execute(
        select(Relationship.a_id, Relationship.b_id).where(
            Relationship.status == ConnectionStatus.ACCEPTED,
            or_(Relationship.a_id == person_id, Relationship.b_id == person_id)))
    return [b if a == person_id else a for a, b in rows]


def can_view_profile(user, person: Person) -> bool:
    """Whether a user may read a person's profile under its visibility and their connections."""
    if user is None or not user.is_authenticated or person.merged_into_id:
        return False
    if person.owner_id == user.id or person.user_id == user.id:
        return True
    if user.role == Role.CLIENT and _recommended_to(user, person):
        return True  # whatever the profile's visibility: they agreed to be put forward
    if person.user is not None and not person.user.is_verified:
        return False  # an account nobody has proven yet cannot be found by others
    if person.visibility == Visibility.PRIVATE:
        return False
    if person.visibility == Visibility.RECRUITERS and user.role == Role.RECRUITER:
        return True
    own = user.person
    if own is None:
        return False
    rel = relationship_between(own.id, person.id)
    if rel is None:
        return False
    # Someone who asked to connect shows themself to the person they asked, who must see who
    # is asking before answering.
    return rel.status == ConnectionStatus.ACCEPTED or (
        rel.status == ConnectionStatus.PENDING and rel.requested_by_id == person.id)


def employer_keys_of(user) -> frozenset[str]:
    """The employer keys that are this user's verified organisation (empty without one)."""
    organisation = getattr(user, "organisation", None) if user is not None else None
    if organisation is None:
        return frozenset()
    return employer_keys(organisation.name, [d.domain for d in organisation.domains
                                             if d.verified_at is not None])


def open_to_work_shown(user, person: Person) -> bool:
    """Whether to show this user that a person is open to work: never to someone whose
    verified organisation is the person's current employer (their own records excepted)."""
    if not person.open_to_work:
        return False
    if user is None or not user.is_authenticated:
        return False
    if person.owner_id == user.id or person.user_id == user.id:
        return True
    return not is_employer(person.organisation, employer_keys_of(user))


def _recommended_to(user, person: Person) -> bool:
    """Whether the person is recommended to this client on an open opening, still open for
    them (not answered "not now"). A recommendation exists only once the candidate agreed."""
    if user.person is None:
        return False
    # Read through the tables, not the openings models: the shared ground sits below openings.
    tables = db.metadata.tables
    decisions, openings = tables["opening_decisions"], tables["openings"]
    return db.session.execute(
        select(decisions.c.id).join(openings, openings.c.id == decisions.c.opening_id).where(
            decisions.c.person_id == person.id, decisions.c.action == DecisionAction.RECOMMENDED,
            decisions.c.stage != PipelineStage.NOT_NOW, openings.c.client_id == user.person.id,
            openings.c.status == OpeningStatus.OPEN).limit(1)).first() is not None


def can_edit_person(user, person: Person) -> bool:
    """Only a record's owner edits it: the person themself, or the recruiter keeping it."""
    return user.is_authenticated and person.owner_id == user.id and not person.merged_into_id


def get_person_or_404(person_id: int) -> Person:
    """A live (not merged-away) person, or 404."""
    person = db.session.get(Person, person_id)
    if person is None or person.merged_into_id:
        abort(404)
    return person


def side_or_404(user, rel: Relationship | None) -> str:
    """The user's side of a relationship; 404 for non-parties so ids reveal nothing."""
    if rel is None or user.person is None:
        abort(404)
    side = rel.side_of(user.person.id)
    if side is None:
        abort(404)
    return side


def interaction_for_party_or_404(user, interaction_id: int) -> tuple[Interaction, str]:
    """An interaction the user is a party to, with the user's side; else 404."""
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None:
        abort(404)
    return interaction, side_or_404(user, interaction.rel)


def my_relationships_clause(person_id: int):
    """SQL condition: relationships this person is a party to."""
    return or_(Relationship.a_id == person_id, Relationship.b_id == person_id)


def other_person_join(person_id: int):
    """SQL join condition from Relationship to the other party's Person row."""
    # One equality on the other party's id, not an OR of the two sides: the database then
    # finds each person with one probe of their key instead of two and a recheck.
    other = case((Relationship.a_id == person_id, Relationship.b_id), else_=Relationship.a_id)
    return and_(Person.id == other, my_relationships_clause(person_id))
