"""Writing a previewed batch into the network in chunks, and undoing it within seven days.

Each chunk commits on its own, so a 10,000-row file never holds the write lock for long; the
batch's records say what each chunk wrote, so undo works on whatever was written. The
"Connected on" date becomes a first-contact check-in logged through the history services
(unconfirmed, so the score counts it as self-reported), keeping the trust ledger exact.
"""

import json
from datetime import timedelta

from sqlalchemy import delete, select

from extensions import begin_write, db, utcnow
from referrals.access import pair, relationship_between
from referrals.history import services as history
from referrals.imports.models import ImportBatch, ImportRecord
from referrals.imports.staging import ImportRefused, first_contact_of, proposals_of
from referrals.models import AuditEvent, Interaction, Invitation, Person, Relationship
from referrals.openings.models import Opening, OpeningDecision
from referrals.statuses import AuditAction, InteractionStatus
from search.changes import note_search_change

CHUNK = 500
UNDO_WINDOW = timedelta(days=7)
CHOICES = ("merge", "skip", "add")
FILLED = ("email", "organisation", "title")  # what a merge may fill in on a kept record
CHECK_IN_NOTE = "First contact (from {source})"


def import_batch(user, batch: ImportBatch, choices: dict, role: str = "candidate") -> None:
    """Write a previewed batch: add new rows, and merge, skip or add each match. Commits."""
    begin_write()
    db.session.refresh(batch, with_for_update=True)  # a second click waits, then is refused
    if batch.status != "preview":
        raise ImportRefused("This batch is not waiting to be imported.")
    bad = {c for c in choices.values() if c not in CHOICES}
    if bad:
        raise ImportRefused("Choose merge, skip or add for each match.")
    proposals = proposals_of(batch)
    batch.status, batch.imported_at = "imported", utcnow()
    for start in range(0, len(proposals), CHUNK):
        begin_write()  # each chunk is its own write transaction
        _write_chunk(user, batch, proposals[start:start + CHUNK], choices, role)
        db.session.commit()
    batch.staged = ""  # the file's contents are not kept once imported
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.IMPORTED, detail=json.dumps(
        {"batch": batch.id, "source": batch.source, "added": batch.added,
         "merged": batch.merged, "skipped": batch.skipped, "refused": batch.refused})))
    db.session.commit()


def _write_chunk(user, batch: ImportBatch, proposals: list, choices: dict, role: str) -> None:
    """Write one chunk: people to add go in together (a few statements for the whole chunk)."""
    to_add = []
    for proposal in proposals:
        verdict, row = proposal["verdict"], proposal["row"]
        choice = choices.get(str(proposal["line"]), "merge")
        if verdict == "refused":
            continue
        if verdict == "match" and choice == "skip":
            batch.skipped += 1
            continue
        if verdict == "match" and choice == "merge":
            target = db.session.get(Person, proposal["match_id"])
            if target is not None and target.merged_into_id is None:
                _merge_into(user, batch, target, row)
                batch.merged += 1
                continue
        to_add.append(row)
    if to_add:
        _add_all(user, batch, to_add, role)
        batch.added += len(to_add)


def _add_all(user, batch: ImportBatch, rows: list, role: str) -> None:
    me = user.person.id
    people = [Person(owner_id=user.id, role=role, visibility="connections", name=row["name"],
                     email=row["email"] or None, organisation=row["organisation"],
                     title=row["title"]) for row in rows]
    db.session.add_all(people)
    db.session.flush()
    rels = []
    for person in people:
        a_id, b_id = pair(me, person.id)
        rels.append(Relationship(a_id=a_id, b_id=b_id, status="accepted", requested_by_id=me,
                                 responded_at=utcnow()))
    db.session.add_all(rels)
    db.session.flush()
    dated = [(rel, rel.side_of(me), _first_contact(batch, row))
             for rel, row in zip(rels, rows, strict=True) if first_contact_of(row)]
    # Those with a first contact are noted for search by the history service that logs it;
    # noting them here as well would index each person twice.
    note_search_change(me, *(person.id for person, row in zip(people, rows, strict=True)
                             if not first_contact_of(row)))
    logged = iter(history.record_first_entries(user, dated))
    db.session.add_all([
        ImportRecord(batch_id=batch.id, person_id=person.id, action="added",
                     url=row["url"][:300],
                     interaction_id=next(logged).id if first_contact_of(row) else None)
        for person, row in zip(people, rows, strict=True)])


def _first_contact(batch: ImportBatch, row: dict) -> dict:
    """The check-in that records when the recruiter and this person first connected."""
    return {"occurred_on": first_contact_of(row), "kind": "check_in", "direction": "mutual",
            "note": CHECK_IN_NOTE.format(source=batch.source), "private_note": ""}


def _merge_into(user, batch: ImportBatch, target: Person, row: dict) -> None:
    before = {}
    if target.owner_id == user.id and not target.is_claimed:  # only records the recruiter keeps
        for field in FILLED:
            if not getattr(target, field) and row[field]:
                before[field] = getattr(target, field)
                setattr(target, field, row[field])
        if before:
            note_search_change(target.id)
    rel = relationship_between(user.person.id, target.id)
    interaction_id = None
    if rel is not None and rel.status == "accepted" and not _has_check_in(rel, row):
        interaction_id = _check_in(user, batch, rel, row)
    db.session.add(ImportRecord(batch_id=batch.id, person_id=target.id, action="merged",
                                url=row["url"][:300], before=json.dumps(before),
                                interaction_id=interaction_id))


def _has_check_in(rel: Relationship, row: dict) -> bool:
    day = first_contact_of(row)
    return day is None or db.session.scalar(select(Interaction.id).where(
        Interaction.relationship_id == rel.id, Interaction.kind == "check_in",
        Interaction.occurred_on == day).limit(1)) is not None


def _check_in(user, batch: ImportBatch, rel: Relationship, row: dict) -> int | None:
    day = first_contact_of(row)
    if day is None:
        return None
    interaction = history.record_interaction(user, rel.id, rel.side_of(user.person.id),
                                             **_first_contact(batch, row))
    return interaction.id


def undo_deadline(batch: ImportBatch):
    """When the batch can no longer be undone, or None if it is not imported."""
    return batch.imported_at + UNDO_WINDOW if batch.status == "imported" else None


def undo_batch(user, batch: ImportBatch) -> dict:
    """Take a batch back: remove whom it added, restore what it merged. Commits.

    Returns counts: removed, restored, kept (added people who have since claimed an account,
    been merged, become a client or been merged into by a later batch: left alone).
    """
    begin_write()
    db.session.refresh(batch, with_for_update=True)
    deadline = undo_deadline(batch)
    if deadline is None:
        raise ImportRefused("Only an imported batch can be undone.")
    if utcnow() > deadline:
        raise ImportRefused("This batch was imported more than 7 days ago; it can no longer "
                            "be undone as a whole.")
    counts = {"removed": 0, "restored": 0, "kept": 0}
    batch.status, batch.undone_at = "undone", utcnow()  # committed with the first chunk
    records = db.session.scalars(select(ImportRecord).where(ImportRecord.batch_id == batch.id)
                                 .order_by(ImportRecord.id.desc())).all()
    for start in range(0, len(records), CHUNK):
        begin_write()
        chunk = records[start:start + CHUNK]
        db.session.execute(delete(ImportRecord).where(
            ImportRecord.id.in_([r.id for r in chunk])))
        for record in (r for r in chunk if r.action == "merged"):
            _restore(user, record, db.session.get(Person, record.person_id))
            counts["restored"] += 1
        added = [r.person_id for r in chunk if r.action == "added"]
        busy = _in_use(added)
        removable = [pid for pid in added if pid not in busy]
        _remove_all(user, removable)
        counts["removed"] += len(removable)
        counts["kept"] += len(busy)
        db.session.commit()
    begin_write()
    db.session.add(AuditEvent(actor_user_id=user.id, action=AuditAction.IMPORT_UNDONE,
                              detail=json.dumps({"batch": batch.id, **counts})))
    db.session.commit()
    return counts


def _in_use(person_ids: list[int]) -> set[int]:
    """Those of these added people who have since become more than the import made them:
    claimed, merged either way, a client, on an opening's list, or in a later batch."""
    if not person_ids:
        return set()
    ids = person_ids
    queries = (select(Person.id).where(Person.id.in_(ids), Person.user_id.is_not(None)
                                       | Person.merged_into_id.is_not(None)),
               select(Person.merged_into_id).where(Person.merged_into_id.in_(ids)),
               select(Opening.client_id).where(Opening.client_id.in_(ids)),
               select(OpeningDecision.person_id).where(OpeningDecision.person_id.in_(ids)),
               select(ImportRecord.person_id).where(ImportRecord.person_id.in_(ids)))
    return {pid for query in queries for pid in db.session.scalars(query)}


def _restore(user, record: ImportRecord, person: Person) -> None:
    for field, value in json.loads(record.before).items():
        setattr(person, field, value)
    note_search_change(person.id)
    interaction = (db.session.get(Interaction, record.interaction_id)
                   if record.interaction_id else None)
    if interaction is not None and interaction.status == InteractionStatus.PENDING:
        history.remove_interaction(user, interaction, commit=False)


def _remove_all(user, person_ids: list[int]) -> None:
    """Delete people the batch added, with the relationships and entries it made them."""
    if not person_ids:
        return
    rel_ids = list(db.session.scalars(select(Relationship.id).where(
        Relationship.a_id.in_(person_ids) | Relationship.b_id.in_(person_ids))))
    db.session.execute(delete(Interaction).where(Interaction.relationship_id.in_(rel_ids)))
    db.session.execute(delete(AuditEvent).where(AuditEvent.relationship_id.in_(rel_ids)))
    db.session.execute(delete(Invitation).where(Invitation.person_id.in_(person_ids)))
    db.session.execute(delete(Relationship).where(Relationship.id.in_(rel_ids)))
    note_search_change(user.person.id, *person_ids)
    db.session.execute(delete(Person).where(Person.id.in_(person_ids)))
    db.session.expire_all()
