"""The app's side of search: which index, whose view, keeping it in step with the database.

The engine (search/index.py, search/sync.py) knows nothing of Flask or the ORM; this module
hands it plain documents and callables, and turns its answers into what the pages need.
"""

import threading

from flask import current_app, g, has_app_context
from sqlalchemy import select

from extensions import db
from search import documents
from search.models import SearchChange

_open_indexes: dict[str, object] = {}  # one index (and so one reused searcher) per process
_lock = threading.Lock()


def index_path() -> str:
    """Where this app's index lives."""
    return current_app.config["SEARCH_INDEX_DIR"]


def get_index():
    """This process's handle on the index, opened once and reused across requests."""
    from search.index import open_index

    path = index_path()
    with _lock:
        index = _open_indexes.get(path)
        if index is None:
            index = _open_indexes[path] = open_index(path)
    return index


def forget_index() -> None:
    """Drop this process's handle (after a rebuild replaced the files)."""
    with _lock:
        index = _open_indexes.pop(index_path(), None)
    if index is not None:
        index.close()


def fetch_changes(after_id: int, limit: int) -> list[tuple[int, int]]:
    """The change log after `after_id`, oldest first."""
    return [tuple(row) for row in db.session.execute(
        select(SearchChange.id, SearchChange.person_id).where(SearchChange.id > after_id)
        .order_by(SearchChange.id).limit(limit))]


def apply_pending() -> int:
    """Bring the index up to date with the change log; returns how many changes were applied."""
    from search.sync import apply_pending as apply

    applied = apply(index_path(), fetch_changes, documents.load_documents)
    db.session.commit()  # end the read transaction the fetches opened
    return applied


def mark_changed() -> None:
    """Remember that this request wrote to the change log, so it syncs after responding."""
    if has_app_context():
        g.search_changed = True


def viewer_of(user):
    """The engine's view of a signed-in user."""
    from search.index import Viewer

    return Viewer(user_id=user.id, person_id=user.person.id if user.person else None,
                  role=user.role)
