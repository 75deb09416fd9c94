"""An opening's search relevance: which profiles match its skills, qualifications and title,
and how well, for the ranking of its two lists (referrals/openings/matching.py)."""

from search.bits import LRU
from search.results import affordable_work
from search.services import DEGRADED, REBUILDING, backend, prepare, unanswerable, viewer_of

OPENING_POOL = 500  # how many of the most relevant profiles an opening's ranking considers
# Opening queries (by index path and text) whose phrases this process found too costly to check:
# their next ranking goes word by word at once instead of spending the search budget again.
_WORD_BY_WORD = LRU(1024)


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

    rebuilding = prepare()
    try:
        engine, viewer = backend(), viewer_of(user)
        query, words = opening_query(opening), opening_query(opening, phrases=False)
        word_by_word = query != words and _WORD_BY_WORD.get((engine.path, query)) is not None
        if not word_by_word:
            # Tried as phrases only when the estimated work fits the reading budget: past it,
            # the check would be cut and the opening searched again word by word, and each
            # worker's first view of it paid for both. Without phrases there is no other way.
            found = engine.relevance(query, viewer, OPENING_POOL, among,
                                     work=affordable_work() if query != words else None)
            # Common phrases: checking each one's positions is the cost, and a check cut short
            # may have reached no one at all; their words alone are read whole, far cheaper.
            word_by_word = query != words and (found.too_costly or found.cut)
            if word_by_word:
                _WORD_BY_WORD.put((engine.path, query), True)
        if word_by_word:
            found = engine.relevance(words, viewer, OPENING_POOL, among)
    except DEGRADED as exc:
        unanswerable(exc)
        return Relevance({}, 0, f"{REBUILDING} For now only people you could vouch for were "
                                "checked against this opening, on their skills and title.",
                         searched=False)
    if found.too_costly:
        return Relevance({}, 0, "This opening's words are too common for search to rank "
                                "profiles by them, so only people you could vouch for were "
                                "checked against its criteria. Fewer or rarer skills would "
                                "widen it.", searched=False)
    scores, total = found.scores, found.total
    top = max(scores.values(), default=0.0) or 1.0
    notices = [REBUILDING] if rebuilding else []
    if word_by_word:
        notices.append("Skills of several words were matched word by word, not as written: "
                       "checking them as phrases across every profile took too long.")
    if found.cut:
        notices.append("Search stopped early to stay quick, so some profiles that match this "
                       "opening's words were not reached; fewer or rarer skills would let it "
                       "finish.")
    if total > len(scores):
        notices.append(f"{total:,} profiles match this opening's words; the {OPENING_POOL:,} "
                       "most relevant are checked against its criteria, with everyone you "
                       "could vouch for among them.")
    notice = " ".join(notices) or None
    return Relevance({pid: min(1.0, score / top) for pid, score in scores.items()}, total,
                     notice)
