"""The search engine's public interface, in one place for the app to import.

    from search.engine import open_index, Viewer, IndexUnavailable, apply_pending

The app glue (search/services.py) talks to a SearchBackend (search/backend.py); WhooshBackend
is the implementation over these parts.
"""

from search.backend import IndexBusy, IndexUnavailable, SearchBackend
from search.index import SearchIndex, open_index
from search.results import Hit, SearchPage, Viewer
from search.schema import fingerprint
from search.sync import Batch, CheckReport, apply_pending, check, last_applied
from search.whoosh_backend import WhooshBackend

__all__ = [
    "Batch",
    "CheckReport",
    "Hit",
    "IndexBusy",
    "IndexUnavailable",
    "SearchBackend",
    "SearchIndex",
    "SearchPage",
    "Viewer",
    "WhooshBackend",
    "apply_pending",
    "check",
    "fingerprint",
    "last_applied",
    "open_index",
]
