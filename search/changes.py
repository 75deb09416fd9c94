"""Logging changes that search must see, inside the transaction that makes them.

Deliberately light: the use cases that record history import this, and must not load the
search engine to do so (an import contract says so).
"""

from flask import g, has_app_context

from extensions import db
from search.models import SearchChange

# Set on `g` by a request that logged a change, so that it syncs the index after responding.
SEARCH_CHANGED = "search_changed"


def note_search_change(*person_ids: int) -> None:
    """Queue these people for re-indexing; lands or vanishes with the caller's transaction."""
    for person_id in sorted(set(person_ids)):
        db.session.add(SearchChange(person_id=person_id))
    if has_app_context():
        setattr(g, SEARCH_CHANGED, True)
