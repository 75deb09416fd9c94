"""Logging changes that search must see, inside the transaction that makes them."""

from extensions import db
from search.models import SearchChange
from search.services import note_written


def note_search_change(*person_ids: int) -> None:
    """Queue these people for re-indexing; lands or vanishes with the caller's transaction."""
    for person_id in sorted(set(person_ids)):
        db.session.add(SearchChange(person_id=person_id))
    note_written()
