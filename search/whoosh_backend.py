"""The Whoosh engine as a SearchBackend: one index folder is one replica.

The folder holds the index, its writer lock and `replica.id` (the replica's uuid). See
search/index.py for the index itself and search/sync.py for how it follows the change log.
"""

import os
import uuid
from collections.abc import Callable, Iterable

from whoosh import index as windex

from search import integrity, sync
from search.index import REPLICA_FILE, SearchIndex, open_index, rebuild_beside
from search.whoosh_internals import close_leaked_files, read_toc

ID_FILE = REPLICA_FILE


class WhooshBackend:
    """The search backend over the Whoosh index in folder `path` (see search/backend.py)."""

    def __init__(self, path: str):
        self.path = os.path.realpath(os.fspath(path))

    @property
    def index(self) -> SearchIndex:
        """This process's SearchIndex of the folder (created empty if there is none)."""
        return open_index(self.path)

    def replica_id(self) -> str:
        """The uuid kept in the folder, created on first use (copy a folder: delete it)."""
        name = os.path.join(self.path, ID_FILE)
        try:
            with open(name) as f:
                return f.read().strip()
        except FileNotFoundError:
            pass
        os.makedirs(self.path, exist_ok=True)
        draft = f"{name}.{uuid.uuid4().hex}"
        with open(draft, "w") as f:
            f.write(f"{uuid.uuid4()}\n")
        try:
            os.link(draft, name)  # atomic and exclusive: two processes agree on one identity
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
        with open(name) as f:
            return f.read().strip()

    def position(self) -> object:
        """The change-log position committed with the documents."""
        return self.index.last_applied()

    def index_profile(self, doc: dict) -> None:
        """Add or replace one profile."""
        self.index.index_profile(doc)

    def remove_profile(self, person_id: int) -> None:
        """Remove one profile, if present."""
        self.index.remove_profile(person_id)

    def apply_changes(self, fetch_changes: Callable, load_documents: Callable,
                      wait: float | None = None, on_applied: Callable | None = None,
                      limit: int | None = None) -> int:
        """Apply the change log past the stored position (see sync.apply_pending)."""
        return sync.apply_pending(self.path, fetch_changes, load_documents, wait=wait,
                                  on_applied=on_applied, limit=limit)

    def search_profiles(self, query: str, viewer, filters: dict | None = None, page: int = 1,
                        per_page: int = 20, sort: str = "relevance",
                        sort_values: dict | None = None, exact: bool = False):
        """One page of matching profiles `viewer` may see (see SearchIndex.search_profiles)."""
        return self.index.search_profiles(query, viewer, filters=filters, page=page,
                                          per_page=per_page, sort=sort, sort_values=sort_values,
                                          exact=exact)

    def typeahead(self, prefix: str, viewer, limit: int = 8) -> list[dict]:
        """Names and skills starting with `prefix` among profiles `viewer` may see."""
        return self.index.typeahead(prefix, viewer, limit=limit)

    def relevance(self, query: str, viewer, limit: int = 500, among: Iterable = (),
                  work: float | None = None):
        """Scores of the best matches and of those among `among` (see SearchIndex)."""
        return self.index.relevance(query, viewer, limit, among, work)

    def rebuild(self, docs: Iterable[dict], procs: int = 1, applied: object = None) -> int:
        """Replace every document at once, storing `applied` as the position: built in a new
        folder and swapped in, so a missing or damaged folder is replaced whole."""
        self.index.close()
        return rebuild_beside(self.path, docs, procs=procs, applied=applied)

    def faults(self, writable: bool = True) -> list[str]:
        """Everything wrong with the folder's files (missing, unreadable, corrupt, and with
        `writable`, cannot be written to); never raises."""
        def toc_of(path):
            ix = windex.open_dir(path, schema=None)
            try:
                return read_toc(ix)
            except Exception as exc:
                close_leaked_files(exc)
                raise
        try:
            return integrity.inspect(self.path, toc_of, writable)
        except Exception as exc:  # a fault we did not foresee is still a fault, not a crash
            return [f"the index folder {self.path} could not be inspected: {exc!r}"[:300]]

    def doc_count(self) -> int:
        """How many profiles the index holds (raises IndexUnavailable)."""
        return self.index.doc_count()

    def check(self, expected: dict) -> sync.CheckReport:
        """Compare the index with {person_id: fingerprint(doc)}."""
        return sync.check(self.index, expected)

    def warm(self) -> None:
        """Load what the first searches read (see SearchIndex.warm), e.g. at worker start; a
        folder without an index is left alone (warming would create an empty one)."""
        if os.path.isdir(self.path) and windex.exists_in(self.path):
            self.index.warm()
