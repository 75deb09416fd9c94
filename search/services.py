"""The app's side of search: which index, whose view, keeping it in step with the database.

The engine (search/engine.py) knows nothing of Flask or the ORM; this module hands it plain
documents and callables, and turns its answers into what the pages need. Every write that
changes a search document appends to the change log in its own transaction
(search/changes.py); after the response is sent, the worker applies the log to the index, and
every search first catches up, so a search always sees what was committed before it.
"""

import logging
import time
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import func, or_, select

from auth.domains import is_employer
from extensions import db
from referrals.access import employer_keys_of
from referrals.models import Person
from search import documents, replicas
from search.backend import IndexBusy, IndexUnavailable, SearchBackend
from search.changes import SEARCH_CHANGED
from search.index import REBUILD_MEMORY_MB
from search.results import SearchPage, Viewer
from search.schema import fingerprint
from search.whoosh_backend import WhooshBackend

log = logging.getLogger(__name__)
SEEN_EVERY_S = 60.0  # how often an idle replica refreshes its last-seen time
_SEEN: dict = {}  # replica id -> when this process last did
OPENING_POOL = 500  # how many of the most relevant profiles an opening's ranking considers
# A search waits this long for another worker that is applying the log, so that it sees every
# change committed before it (read-your-writes) without hanging behind a full rebuild.
SEARCH_WAIT_S = 2.0


def index_path() -> str:
    """Where this app's index lives."""
    return current_app.config["SEARCH_INDEX_DIR"]


def backend() -> SearchBackend:
    """This app's search backend: the Whoosh index in SEARCH_INDEX_DIR (one replica)."""
    return WhooshBackend(index_path())


def catch_up(wait: float | None = None) -> int:
    """Apply the change log to this folder's index; returns how many changes were applied.

    Another worker may be applying it already: by default this returns at once and that worker
    finishes the job; with `wait`, it waits up to that many seconds to apply what is left itself.
    A replica whose position was pruned (it was away longer than the retention) rebuilds.
    """
    engine = backend()
    rid = engine.replica_id()
    try:
        applied = engine.apply_changes(
            replicas.fetch, documents.load_documents, wait=wait,
            on_applied=lambda batch: replicas.record(rid, batch.position))
    except replicas.PositionPruned as gone:
        db.session.rollback()
        because = (f"its position in the change log ({gone.watermark}) had been pruned (up "
                   f"to {gone.horizon}): it was away longer than the retention")
        log.warning("search replica %s at %s rebuilds itself: %s", rid, index_path(), because)
        return rebuild(because=because)
    finally:
        db.session.rollback()  # end the read transaction the fetches opened
    if not applied:
        _keep_seen(engine, rid)
    return applied


def _keep_seen(engine: SearchBackend, rid: str) -> None:
    """Tell the log this replica is alive (at most once a minute per process)."""
    now = time.monotonic()
    if now - _SEEN.get(rid, float("-inf")) < SEEN_EVERY_S:
        return
    _SEEN[rid] = now
    try:
        replicas.record(rid, engine.position())
    finally:
        db.session.rollback()


def sync_after_response(response):
    """After a request that changed search documents, apply them once the response is sent."""
    if g.pop(SEARCH_CHANGED, False):
        app = current_app._get_current_object()

        def sync():
            with app.app_context():
                try:
                    catch_up()
                except (IndexUnavailable, IndexBusy, OSError):
                    # The next search or `flask search rebuild` catches up; the log keeps it.
                    log.exception("search index sync deferred")

        response.call_on_close(sync)
    return response


def viewer_of(user) -> Viewer:
    """The engine's view of a signed-in user."""
    return Viewer(user_id=user.id, person_id=user.person.id if user.person else None,
                  role=user.role, open_hidden=open_to_work_hidden(user))


def open_to_work_hidden(user) -> frozenset:
    """Ids of the people open to work whose employer is the user's verified organisation:
    the user must not learn it, whether from a badge, a filter or a count."""
    keys = employer_keys_of(user)
    if not keys:
        return frozenset()
    words = {key.split()[0] for key in keys}
    own = user.person.id if user.person else None
    rows = db.session.execute(select(Person.id, Person.organisation, Person.owner_id).where(
        Person.open_to_work.is_(True), Person.merged_into_id.is_(None),
        or_(*(func.lower(Person.organisation).contains(word, autoescape=True)
              for word in words))))
    return frozenset(pid for pid, organisation, owner_id in rows
                     if owner_id != user.id and pid != own and is_employer(organisation, keys))


@dataclass(frozen=True)
class Results:
    """A results page, or why there is none (the index is being rebuilt)."""

    page: SearchPage | None
    unavailable: bool = False


def search_people(user, query: str, filters: dict, page: int, sort: str,
                  sort_values: dict | None, exact: bool = False) -> Results:
    """One page of people `user` may see, after catching the index up with the database
    (`exact`: the words verbatim, no typo correction)."""
    try:
        catch_up(wait=SEARCH_WAIT_S)
        return Results(backend().search_profiles(query, viewer_of(user), filters=filters,
                                             page=page, per_page=20, sort=sort,
                                             sort_values=sort_values, exact=exact))
    except (IndexUnavailable, IndexBusy, OSError):
        return Results(None, unavailable=True)


def typeahead(user, prefix: str) -> list[dict]:
    """Name and skill suggestions for the search box; empty while the index is unavailable."""
    try:
        return backend().typeahead(prefix, viewer_of(user), limit=8)
    except (IndexUnavailable, IndexBusy, OSError):
        return []


def opening_query(opening, phrases: bool = True) -> str:
    """Search words for an opening: its skills, qualifications and title, any of them.

    With `phrases`, a skill of several words must appear as written; without, its words may
    appear anywhere in a profile (much cheaper: no positions are checked).
    """
    words = [*opening.must_list, *opening.nice_list, *opening.qualification_list,
             opening.title]
    terms, seen = [], set()
    for word in words:
        clean = " ".join(word.replace('"', " ").split())
        if clean and clean.lower() not in seen:
            seen.add(clean.lower())
            # Every word quoted, so that nothing typed into a skill reads as query syntax;
            # "a" "b" OR "c" is ("a" AND "b") OR "c": each skill stays one alternative.
            terms.append(f'"{clean}"' if phrases else " ".join(f'"{w}"' for w in clean.split()))
    return " OR ".join(terms[:20])


def opening_relevance(opening, user, among=()):
    """Normalised search relevance to an opening of the profiles `user` may see: the most
    relevant OPENING_POOL, and every match among the person ids `among`."""
    from referrals.openings.matching import Relevance

    try:
        catch_up(wait=SEARCH_WAIT_S)
        engine, viewer = backend(), viewer_of(user)
        found = engine.relevance(opening_query(opening), viewer, OPENING_POOL, among)
        if found.too_costly:  # common phrases: checking each one's positions is the cost
            found = engine.relevance(opening_query(opening, phrases=False), viewer, OPENING_POOL,
                                    among)
    except (IndexUnavailable, IndexBusy, OSError):
        return Relevance({}, 0, "Search is being rebuilt, so for now only people you could "
                                "vouch for were checked against this opening, on their skills "
                                "and title.", searched=False)
    if found.too_costly:
        return Relevance({}, 0, "This opening's words are too common for search to rank "
                                "profiles by them, so only people you could vouch for were "
                                "checked against its criteria. Fewer or rarer skills would "
                                "widen it.", searched=False)
    scores, total = found.scores, found.total
    top = max(scores.values(), default=0.0) or 1.0
    notice = None
    if total > len(scores):
        notice = (f"{total:,} profiles match this opening's words; the {OPENING_POOL:,} most "
                  "relevant are checked against its criteria, with everyone you could vouch "
                  "for among them.")
    return Relevance({pid: min(1.0, score / top) for pid, score in scores.items()}, total,
                     notice)


def rebuild(procs: int = 1, memory_mb: int | None = None,
            because: str = "`flask search rebuild` was run") -> int:
    """Rebuild the whole index from the database, then apply what changed meanwhile
    (`memory_mb`: each writer process's sorting buffer, see search.index.REBUILD_MEMORY_MB)."""
    position = replicas.start_position()  # before the documents: they reflect all below it
    ids = documents.all_person_ids()
    docs = (doc for chunk in _chunks(ids, 1000)
            for doc in documents.load_documents(chunk).values() if doc is not None)
    engine = backend()
    count = engine.rebuild(docs, procs=procs, applied=position,
                           limitmb=memory_mb or REBUILD_MEMORY_MB)
    db.session.rollback()
    replicas.record(engine.replica_id(), position, rebuilt_because=because)
    catch_up()
    return count


def check_index():
    """Compare the index with the database: a CheckReport (agree, missing, stale, extra)."""
    catch_up()
    expected = {}
    for chunk in _chunks(documents.all_person_ids(), 1000):
        for pid, doc in documents.load_documents(chunk).items():
            if doc is not None:
                expected[pid] = fingerprint(doc)
    db.session.rollback()
    return backend().check(expected)


def replica_lines() -> list[str]:
    """Every replica the change log knows (position, last seen, last rebuild and why)."""
    try:
        return replicas.describe(backend().replica_id())
    finally:
        db.session.rollback()


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
