"""The search engine's public interface, in one place for the app to import.

    from search.engine import open_index, Viewer, IndexUnavailable, apply_pending
"""

from search.index import IndexBusy, IndexUnavailable, SearchIndex, open_index
from search.results import Hit, SearchPage, Viewer
from search.schema import fingerprint
from search.sync import CheckReport, apply_pending, check, last_applied

__all__ = [
    "CheckReport",
    "Hit",
    "IndexBusy",
    "IndexUnavailable",
    "SearchIndex",
    "SearchPage",
    "Viewer",
    "apply_pending",
    "check",
    "fingerprint",
    "last_applied",
    "open_index",
]
