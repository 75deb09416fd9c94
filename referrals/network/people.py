"""Use cases for people: recruiters' contacts, profile edits and connections."""

from sqlalchemy import select, update

from extensions import begin_write, db, utcnow
from referrals.access import pair, relationship_between
from referrals.models import Person, Relationship
from referrals.refusals import Refused
from referrals.statuses import ConnectionStatus, Visibility
from search.changes import note_search_change

PROFILE_FIELDS = ("name", "email", "headline", "title", "organisation", "location",
                  "years_experience", "skills", "summary", "open_to_work", "visibility",
                  "consent_required")


class ConnectionRefused(Refused):
    """A connection request that cannot be made; the message is for the user."""


def add_contact(recruiter, *, role: str, **fields) -> Person:
    """Add someone without an account to a recruiter's network, already connected. Commits."""
    person = Person(owner_id=recruiter.id, role=role, visibility=Visibility.CONNECTIONS,
                    **{k: v for k, v in fields.items() if k in PROFILE_FIELDS})
    db.session.add(person)
    db.session.flush()
    a_id, b_id = pair(recruiter.person.id, person.id)
    db.session.add(Relationship(a_id=a_id, b_id=b_id, status=ConnectionStatus.ACCEPTED,
                                requested_by_id=recruiter.person.id, responded_at=utcnow()))
    note_search_change(person.id, recruiter.person.id)
    db.session.commit()
    return person


def update_profile(person: Person, **fields) -> None:
    """Save the owner's edits to a profile. Commits."""
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(person, key, value)
    if person.user is not None and "email" in fields:
        person.email = person.user.email  # an account's e-mail is its sign-in; not edited here
    person.updated_at = utcnow()  # "last saved", even when nothing differed
    note_search_change(person.id)
    db.session.commit()


def request_connection(user, target: Person) -> Relationship:
    """Ask to connect; accepts at once if the other side had already asked. Commits."""
    me = user.person
    if target.id == me.id:
        raise ConnectionRefused("You cannot connect with yourself.")
    if not target.is_claimed:
        raise ConnectionRefused("This person has no account yet; invite them instead.")
    rel = relationship_between(me.id, target.id)
    if rel is None:
        a_id, b_id = pair(me.id, target.id)
        rel = Relationship(a_id=a_id, b_id=b_id, status=ConnectionStatus.PENDING,
                           requested_by_id=me.id)
        db.session.add(rel)
    elif rel.status == ConnectionStatus.ACCEPTED:
        raise ConnectionRefused("You are already connected.")
    elif rel.status == ConnectionStatus.PENDING and rel.requested_by_id == target.id:
        rel.status, rel.responded_at = ConnectionStatus.ACCEPTED, utcnow()
    else:
        rel.status, rel.requested_by_id, rel.responded_at = ConnectionStatus.PENDING, me.id, None
    note_search_change(me.id, target.id)
    db.session.commit()
    return rel


def respond_to_connection(user, rel_id: int, *, accept: bool) -> Relationship:
    """The asked side accepts or declines a pending request. Commits."""
    begin_write()
    rel = db.session.scalars(select(Relationship).where(Relationship.id == rel_id)
                             .with_for_update()).one()
    if rel.status != ConnectionStatus.PENDING:
        raise ConnectionRefused(f"This request was already {rel.status}.")
    if rel.requested_by_id == user.person.id:
        raise ConnectionRefused("The other side answers your request.")
    rel.status = ConnectionStatus.ACCEPTED if accept else ConnectionStatus.DECLINED
    rel.responded_at = utcnow()
    note_search_change(rel.a_id, rel.b_id)
    db.session.commit()
    return rel


def set_cadence(rel_id: int, side: str, days: int | None) -> None:
    """Store one side's stay-in-touch cadence in days (None turns the reminder off). Commits."""
    column = "cadence_a_days" if side == "a" else "cadence_b_days"
    db.session.execute(update(Relationship).where(Relationship.id == rel_id)
                       .values({column: days}))
    db.session.commit()
