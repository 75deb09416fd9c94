"""Ranking: BM25 over the matched documents, without scoring every match when possible."""

import heapq
import math

import numpy as np

from search import bits
from search.segments import K1

SCORED_PER_RESULT = 25  # documents fully scored per wanted result before ranking settles


def scales(snap, weighted_terms):
    """(field, text, idf * boost * (K1 + 1)) for the terms that occur at all."""
    n = max(snap.count, 1)
    out = []
    for field, text, boost in weighted_terms:
        df = (snap.mask(field, text) & snap.live).bit_count()
        if df:
            out.append((field, text, math.log(1 + (n - df + 0.5) / (df + 0.5)) * boost
                        * (K1 + 1)))
    return out


def top(snap, matched: int, weighted_terms, want: int, settle: int | None = None) -> list:
    """The `want` best (docnum, score) among matched documents that hold a term, best first.

    `settle` (default `want`) sets how many results the walk's early stop is sized for: a
    caller that re-orders a larger pool itself needs its members, not their exact order.

    Fagin's threshold algorithm per segment: walk each term's postings from its highest
    BM25 part down, score each new document fully, and stop once the k-th best score is at
    least the best any unseen document could still reach. Usually reads a few hundred
    postings instead of every match; exact unless the walk is cut short (see _threshold).
    """
    terms = scales(snap, weighted_terms)
    found = []
    for data, offset in snap.leaves:
        local = (matched >> offset) & ((1 << data.size) - 1)
        if not local or not terms:
            continue
        inside = local.to_bytes((data.size + 7) >> 3, "little")
        lists = []
        for field, text, scale in terms:
            p = data.postings(field, text)
            if p.ids and local & p.mask:
                lists.append((scale,) + p.ranked(data.norms()))
        found += [(d + offset, score)
                  for d, score in _threshold(lists, inside, want, settle or want)]
    found.sort(key=lambda ds: -ds[1])
    return found[:want]


def top_exact(snap, matched: int, weighted_terms, want: int, among=()) -> tuple[list, list]:
    """The `want` best (docnum, score) of the matched documents, exactly, best first (ties by
    person id), and (docnum, score) of every matched document whose person id is in `among`.

    Scores every document in bulk with numpy (a few milliseconds for 100,000 profiles, however
    many match), where `top`'s threshold walk slows down as `want` grows into the hundreds.
    """
    terms = scales(snap, weighted_terms)
    size = snap.size
    raw = np.frombuffer(matched.to_bytes((size + 7) >> 3, "little"), dtype=np.uint8)
    docs = np.flatnonzero(np.unpackbits(raw, bitorder="little")[:size])
    if not len(docs):
        return [], []
    scores = np.zeros(size, dtype=np.float64)
    for field, text, scale in terms:
        for data, offset in snap.leaves:
            p = data.postings(field, text)
            if p.ids:
                ids, parts = p.parts(data.norms())
                scores[offset:offset + data.size][ids] += scale * parts
    pids = np.frombuffer(snap.pids(), dtype=np.int32)
    wanted = np.fromiter(among, dtype=np.int32)
    hits = docs[np.isin(pids[docs], wanted)] if len(wanted) else docs[:0]
    found = scores[docs]
    if len(docs) > want:  # keep the `want` best, and any tied with the last of them
        kth = np.partition(found, len(found) - want)[len(found) - want]
        docs, found = docs[found >= kth], found[found >= kth]
    order = np.lexsort((pids[docs], -found))[:want]
    return ([(int(d), float(x)) for d, x in zip(docs[order], found[order], strict=True)],
            [(int(d), float(x)) for d, x in zip(hits, scores[hits], strict=True)])


def scores(snap, matched: int, weighted_terms) -> dict:
    """docnum -> BM25 score over `all`/`notes` terms, for the matched documents only."""
    out: dict = {}
    if not matched:
        return out
    n = max(snap.count, 1)
    wanted = set(bits.ones(matched))
    for field, text, boost in weighted_terms:
        df = (snap.mask(field, text) & snap.live).bit_count()
        if not df:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        scale = idf * boost * (K1 + 1)
        for data, offset in snap.leaves:
            p = data.postings(field, text)
            if not p.ids:
                continue
            norms, get = data.norms(), out.get
            # walking the posting list with a set test runs mostly in C
            for d, w in zip(p.ids, p.weights, strict=True):
                g = d + offset
                if g in wanted:
                    out[g] = get(g, 0.0) + scale * w / (w + norms[d])
    return out


def _threshold(lists, inside: bytes, want: int, settle: int) -> list:
    """Top `want` (local id, score) over ranked term lists, counting only ids in `inside`.

    The walk is that of the top `settle` (at most `want`): it stops once the `settle`-th best
    beats anything unseen, or after scoring SCORED_PER_RESULT documents per `settle` results
    (then the order is that of the documents with the highest single-term parts, close to
    exact and bounded). The other `want - settle` are the best of the documents it scored.
    """
    settle = min(settle, want)
    heap: list = []  # the best `settle`, which decide when to stop
    pool: list = []  # the best `want`
    seen = set()
    pos = [0] * len(lists)
    while True:
        threshold = 0.0
        moved = False
        for i, (scale, order, parts, _lookup) in enumerate(lists):
            j, end = pos[i], len(order)
            while j < end and not inside[order[j] >> 3] >> (order[j] & 7) & 1:
                j += 1
            if j == end:
                pos[i] = j
                continue
            moved = True
            d = order[j]
            threshold += scale * parts[j]
            pos[i] = j + 1
            if d not in seen:
                seen.add(d)
                score = sum(sc * lk.get(d, 0.0) for sc, _o, _p, lk in lists)
                item = (score, -d)
                if len(heap) < settle:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
                if len(pool) < want:
                    heapq.heappush(pool, item)
                elif item > pool[0]:
                    heapq.heapreplace(pool, item)
        if not moved or (len(heap) >= settle and heap[0][0] >= threshold):
            break
        if len(seen) >= SCORED_PER_RESULT * settle + 200:
            break
    return [(-negd, score) for score, negd in pool]
