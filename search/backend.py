"""What the app needs from a search engine, declared: the Whoosh engine is one implementation.

search/services.py talks to a SearchBackend only. docs/search.md says what another engine (an
OpenSearch cluster, for firms past one machine) would have to provide to take its place.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from search.results import SearchPage, TopScores, Viewer
    from search.sync import CheckReport

# A profile as the index stores it (search/documents.py): field name -> value.
Document = dict[str, Any]


class IndexUnavailable(Exception):
    """The index is missing, unreadable or corrupt: search is being rebuilt."""


class IndexBusy(Exception):
    """Another process kept the index's writer for longer than a blocking writer would wait."""


@runtime_checkable
class SearchBackend(Protocol):
    """One replica of the searchable profiles, fed from the database's change log.

    Documents are plain dicts (search/documents.py); `viewer` is a search.results.Viewer; every
    read answers only with what that viewer may see. Reads raise IndexUnavailable and writes
    IndexBusy; nothing else escapes for bad input (problems with a query are in its answer).
    """

    def replica_id(self) -> str:
        """A stable identity of this copy of the index (its position in the log is its own)."""

    def position(self) -> object:
        """The change-log position stored with the documents (see apply_changes)."""

    def index_profile(self, doc: Document) -> None:
        """Add or replace one profile."""

    def remove_profile(self, person_id: int) -> None:
        """Remove one profile, if present."""

    def apply_changes(self, fetch_changes: Callable[..., Any],
                      load_documents: Callable[..., Any], wait: float | None = None,
                      on_applied: Callable[..., Any] | None = None,
                      limit: int | None = None) -> int:
        """Apply the log past position(): fetch_changes(position, limit) -> sync.Batch,
        load_documents([person_id]) -> {person_id: doc or None}; each batch's documents and
        new position are committed together. Returns how many changes this call applied (0
        when another process of the same replica is applying them; at most `limit`, and
        when that many, more may be left for a later call)."""

    def search_profiles(self, query: str, viewer: "Viewer",
                        filters: dict[str, Any] | None = None, page: int = 1,
                        per_page: int = 20, sort: str = "relevance",
                        sort_values: dict[int, Any] | None = None,
                        exact: bool = False) -> "SearchPage":
        """One page (search.results.SearchPage) of the profiles matching `query` (`exact`: the
        words as typed, with no typo correction)."""

    def typeahead(self, prefix: str, viewer: "Viewer", limit: int = 8) -> list[dict[str, Any]]:
        """Names and skills starting with `prefix`: [{"label", "kind", "id"?}]."""

    def relevance(self, query: str, viewer: "Viewer", limit: int = 500,
                  among: Iterable[int] = (), work: float | None = None) -> "TopScores":
        """search.results.TopScores: the best `limit` matches' scores, those of `among` who
        match, the match count, and whether the query was refused as too costly (its
        estimated cold work past `work`, by default search.results.WORK_BUDGET)."""

    def rebuild(self, docs: Iterable[Document], procs: int = 1,
                applied: object = None) -> int:
        """Replace every document at once (readers see the old set until then), storing
        `applied` as the position; returns how many profiles."""

    def check(self, expected: dict[int, str]) -> "CheckReport":
        """A sync.CheckReport comparing the index with {person_id: fingerprint(doc)}."""

    def warm(self) -> None:
        """Load what the first searches read, at a worker's start (nothing if no index yet)."""
