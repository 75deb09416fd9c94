"""Search documents built from the database, the source of truth the index is derived from."""

from sqlalchemy import and_, or_, select

from extensions import db
from referrals.models import Interaction, Person, Relationship
from search import fields as registry


def load_documents(person_ids: list[int]) -> dict[int, dict | None]:
    """Documents for these people; None for anyone merged away or gone (remove from index)."""
    ids = sorted(set(person_ids))
    docs: dict[int, dict | None] = dict.fromkeys(ids)
    if not ids:
        return docs
    people = db.session.scalars(select(Person).where(Person.id.in_(ids),
                                                     Person.merged_into_id.is_(None))).all()
    audience = {p.id: [] for p in people}
    for a_id, b_id in db.session.execute(select(Relationship.a_id, Relationship.b_id).where(
            Relationship.status == "accepted",
            or_(Relationship.a_id.in_(ids), Relationship.b_id.in_(ids)))):
        if a_id in audience:
            audience[a_id].append(b_id)
        if b_id in audience:
            audience[b_id].append(a_id)
    notes = {p.id: [] for p in people}
    rows = db.session.execute(
        select(Relationship.a_id, Relationship.b_id, Interaction.logged_by_id,
               Interaction.logged_by_user_id, Interaction.private_note)
        .join(Relationship, Interaction.relationship_id == Relationship.id)
        .where(Interaction.private_note != "",
               or_(and_(Relationship.a_id.in_(ids), Interaction.logged_by_id == Relationship.b_id),
                   and_(Relationship.b_id.in_(ids),
                        Interaction.logged_by_id == Relationship.a_id))))
    for a_id, b_id, logged_by, author, text in rows:
        about = b_id if logged_by == a_id else a_id  # a private note is about the other side
        if about in notes:
            notes[about].append({"author": author, "text": text})
    for person in people:
        docs[person.id] = document_of(person, audience[person.id], notes[person.id])
    return docs


def document_of(person: Person, audience: list[int], notes: list[dict]) -> dict:
    """One person's search document: the registered fields (search/fields.py) and who sees it."""
    # An account whose address nobody has proven yet is found by its owner alone.
    visibility = ("private" if person.user is not None and not person.user.is_verified
                  else person.visibility)
    return {
        "id": person.id, **registry.REGISTRY.read(person), "visibility": visibility,
        "owner": person.owner_id,
        "audience": [] if visibility == "private" else sorted(audience),
        "notes": notes,
    }


def every_document(chunk: int = 1000):
    """(person id, document) of every live person, read `chunk` people at a time (a document
    may be None for someone merged away since the ids were read)."""
    ids = all_person_ids()
    for start in range(0, len(ids), chunk):
        yield from load_documents(ids[start:start + chunk]).items()


def all_person_ids() -> list[int]:
    """Every live person, for a full rebuild or a check."""
    return list(db.session.scalars(select(Person.id).where(Person.merged_into_id.is_(None))
                                   .order_by(Person.id)))
