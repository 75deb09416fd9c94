"""Staging an upload: read the file, map its columns if needed, and store the preview.

Nothing of the network is written here; a batch row holds what the file proposes until the
recruiter imports it or walks away. A file that cannot be read writes nothing at all.
"""

import json
from datetime import date

from sqlalchemy import func, or_, select

from extensions import db, utcnow
from referrals.imports import formats, vcards
from referrals.imports.decoding import FileRefused, decode_upload
from referrals.imports.matcher import Known, propose
from referrals.imports.models import ImportBatch, ImportRecord
from referrals.imports.records import Checked, Contact, checked
from referrals.models import Person, Relationship
from referrals.refusals import Refused


class ImportRefused(Refused):
    """An upload or step that cannot go ahead; the message is for the user."""


def stage_upload(user, filename: str, data: bytes) -> ImportBatch:
    """Read an uploaded file into a new batch awaiting its preview or its mapping. Commits."""
    try:
        text, _encoding = decode_upload(data)
        if vcards.looks_like_vcard(text):
            contacts, source, table = vcards.read_cards(text), "vCard", None
        else:
            table = formats.read_table(text)
            source = table.shape.label if table.shape else "CSV"
            contacts = formats.contacts_of(table) if table.shape else None
    except (FileRefused, formats.TableRefused, vcards.CardsRefused) as exc:
        raise ImportRefused(str(exc)) from exc
    batch = ImportBatch(owner_id=user.id, source=source, filename=filename[:200])
    if contacts is None:
        batch.status = "mapping"
        batch.staged = json.dumps({"header": table.header, "rows": table.rows})
    else:
        _stage_proposals(user, batch, contacts)
    db.session.add(batch)
    db.session.commit()
    return batch


def map_columns(user, batch: ImportBatch, mapping: dict) -> None:
    """Read a mapped CSV's rows with the recruiter's field -> header choices. Commits."""
    if batch.status != "mapping":
        raise ImportRefused("This file's columns are already mapped.")
    if not (mapping.get("name") or mapping.get("first_name") or mapping.get("last_name")):
        raise ImportRefused("Choose which column holds the name (or first and last names).")
    staged = json.loads(batch.staged)
    unknown = set(mapping.values()) - set(staged["header"]) - {""}
    if unknown:
        raise ImportRefused("Choose columns from the file's header.")
    table = formats.Table(header=staged["header"], rows=staged["rows"], shape=None)
    _stage_proposals(user, batch, formats.contacts_of(table, mapping))
    db.session.commit()


def _stage_proposals(user, batch: ImportBatch, contacts: list[Contact]) -> None:
    today = utcnow().date()
    rows = []
    for contact in contacts:
        row = checked(contact, today)
        rows.append(row if isinstance(row, Checked) else (contact.line, row))
    proposals = propose(rows, known_people(user))
    batch.status = "preview"
    batch.refused = sum(p.verdict == "refused" for p in proposals)
    batch.staged = json.dumps({"proposals": [_as_json(p) for p in proposals]})


def _as_json(proposal) -> dict:
    row = proposal.row
    return {"line": proposal.line, "verdict": proposal.verdict, "match_id": proposal.match_id,
            "because": proposal.because,
            "row": None if row is None else {
                "name": row.name, "email": row.email, "organisation": row.organisation,
                "title": row.title, "url": row.url,
                "first_contact": row.first_contact.isoformat() if row.first_contact else None}}


def proposals_of(batch: ImportBatch) -> list[dict]:
    """The staged proposals as stored: line, verdict, match_id, because, row."""
    return json.loads(batch.staged or "{}").get("proposals", [])


def first_contact_of(row: dict) -> date | None:
    """The staged row's first-contact date."""
    return date.fromisoformat(row["first_contact"]) if row.get("first_contact") else None


def known_people(user) -> list[Known]:
    """Everyone in the recruiter's network: the people they keep and their connections."""
    me = user.person.id
    connected = select(func.coalesce(
        func.nullif(Relationship.a_id, me), Relationship.b_id)).where(
        Relationship.status == "accepted", or_(Relationship.a_id == me, Relationship.b_id == me))
    urls = dict(db.session.execute(
        select(ImportRecord.person_id, ImportRecord.url).join(ImportBatch).where(
            ImportBatch.owner_id == user.id, ImportBatch.status == "imported",
            ImportRecord.url != "")).all())
    rows = db.session.execute(select(
        Person.id, Person.name, Person.email, Person.organisation).where(
        Person.merged_into_id.is_(None), Person.id != me,
        or_(Person.owner_id == user.id, Person.id.in_(connected))))
    return [Known(id=pid, name=name, email=(email or ""), organisation=org or "",
                  url=urls.get(pid, "")) for pid, name, email, org in rows]


def discard(user, batch: ImportBatch) -> None:
    """Drop a staged batch without writing anything to the network. Commits."""
    if batch.status not in ("mapping", "preview"):
        raise ImportRefused("Only a batch that is not imported yet can be discarded.")
    batch.status, batch.staged = "discarded", ""
    db.session.commit()
