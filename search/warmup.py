"""Decoding the most frequent words of the index at worker start, within a bound.

Ordinary searches ("talent acquisition" london, HRBP) read the postings of common words of the
`all` field, where every searchable field is a band of positions (see schema.py). Decoding
those cold costs about a microsecond per posting, 190 ms for such a search at 100,000 profiles:
past the reading budget (budget.py), so their first run in a worker was cut short. Decoded once
here, in the order of document frequency, they are served from the per-segment caches
(segments.Caches) from the first search on, and the LRU forgets them like any other entry when
searches need the room.

The bound: a share of each cache's budget, and CPU seconds. A word whose postings would take
the postings' share past its bound is not decoded, nor any rarer one; positions (read by
phrases and field bands) stop at the first word that takes their share past its bound.
"""

import heapq
import time
from dataclasses import dataclass

from search.segments import posting_cost

WARM_FIELD = "all"
# how full each cache may be after warming, as a share of its budget (64 MB of postings, of
# which the facets take about 9 at 100,000 profiles; 24 MB of positions)
TERM_SHARE = 0.9
VALUE_SHARE = 0.75
# CPU seconds of this thread for each (decoding runs about a microsecond per posting)
TERM_SECONDS = 1.5
VALUE_SECONDS = 1.5
CANDIDATES = 500  # most frequent words considered (the bounds above stop well before)


@dataclass
class Warmed:
    """What a warm-up decoded: words, postings, the caches' costs (bytes) and its CPU seconds."""

    words: int = 0
    postings: int = 0
    positions_words: int = 0
    term_bytes: int = 0
    value_bytes: int = 0
    seconds: float = 0.0


def frequent_terms(reader, field: str, limit: int = CANDIDATES) -> list[tuple[int, str]]:
    """[(document frequency, word)] of a field's `limit` most frequent words, most first."""
    if field not in reader.schema:
        return []
    counted = ((info.doc_frequency(), btext) for btext, info in reader.iter_field(field))
    return [(df, btext.decode("utf-8")) for df, btext in heapq.nlargest(limit, counted)]


def warm(snapshot, caches, field: str = WARM_FIELD, term_share: float = TERM_SHARE,
         value_share: float = VALUE_SHARE, term_seconds: float = TERM_SECONDS,
         value_seconds: float = VALUE_SECONDS, clock=time.thread_time) -> Warmed:
    """Decode into `caches` the postings, then the positions, of `field`'s most frequent words
    of `snapshot`, each within its share of its cache's budget and its seconds of CPU."""
    start = clock()
    deadline = start + term_seconds
    term_room = int(caches.terms.max_cost * term_share) - caches.terms.cost
    value_room = int(caches.values.max_cost * value_share) - caches.values.cost
    out = Warmed()
    words = []
    for df, text in frequent_terms(snapshot.reader, field):
        cost = sum(posting_cost(field, data.reader.doc_frequency(field, text), data.size)
                   for data, _ in snapshot.leaves)
        if cost > term_room - out.term_bytes or clock() > deadline:
            break
        snapshot.mask(field, text)  # through every segment's cache, and the snapshot's
        out.words += 1
        out.postings += df
        out.term_bytes += cost
        words.append(text)
    before, deadline = caches.values.cost, clock() + value_seconds
    for text in words:
        if caches.values.cost - before >= value_room or clock() > deadline:
            break
        for data, _ in snapshot.leaves:
            data.posting_values(field, text)
        out.positions_words += 1
    out.value_bytes = caches.values.cost - before
    out.seconds = clock() - start
    return out
