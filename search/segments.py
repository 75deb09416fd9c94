"""What one index segment holds, decoded once and kept while the segment lives.

Whoosh segments never change (new writes make new segments; deletions are a separate list),
so decoded posting lists, bitsets, lengths and person ids can be cached per segment and reused
by every later snapshot. Reading a posting list through Whoosh's matchers costs about a
microsecond per posting; these caches make repeated terms free and new small segments cheap.
"""

import sys
from array import array
from bisect import bisect_left
from itertools import accumulate

import numpy as np
from whoosh.formats import Positions

from search import bits
from search.whoosh_internals import has_column, length_column, raw_column
from search.whoosh_internals import read_postings as _read_raw

K1, B = 1.2, 0.6
_POSITIONS = Positions()
_BYTE_TO_LENGTH = None


def _byte_to_length():
    global _BYTE_TO_LENGTH
    if _BYTE_TO_LENGTH is None:
        from whoosh.util.numeric import byte_to_length

        _BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]
    return _BYTE_TO_LENGTH


class Postings:
    """One term's postings in one segment: local ids, weights and a bitset of the ids."""

    __slots__ = ("ids", "weights", "mask", "_ranked", "_parts")

    def __init__(self, ids, weights, size):
        self.ids = ids
        self.weights = weights
        self.mask = bits.from_ids(ids, size)
        self._ranked = None
        self._parts = None

    def parts(self, norms) -> tuple:
        """(ids, BM25 term parts) as numpy arrays in posting order, built once (see ranked)."""
        if self._parts is None:
            ids = np.frombuffer(self.ids, dtype=np.int32)
            weights = np.frombuffer(self.weights, dtype=np.float32).astype(np.float64)
            lengths = np.frombuffer(norms, dtype=np.float32).astype(np.float64)[ids]
            self._parts = (ids, weights / (weights + lengths))
        return self._parts

    def ranked(self, norms):
        """(ids by BM25 term part descending, those parts, lookup of a local id's part), built
        once.

        The part is w / (w + norm): what the term adds to a document's score before idf and
        boost, which are the same for every document. Sorted lists let the top documents be
        found without scoring every match (threshold algorithm, see ranking.top).
        """
        if self._ranked is None:
            # in numpy: sorting a common word's 50,000 postings in Python cost 50 ms cold
            ids, parts = self.parts(norms)
            order = np.argsort(-parts, kind="stable")  # ties in posting order, as before
            self._ranked = (_array("i", ids[order].astype(np.int32)),
                            _array("f", parts[order].astype(np.float32)),
                            PartLookup(self.ids, _array("d", parts)))
        return self._ranked


def _array(code: str, values: np.ndarray) -> array:
    """A numpy array's values as an array.array of the same item type."""
    out = array(code)
    out.frombytes(values.tobytes())
    return out


class PartLookup:
    """A local id's term part, found by bisection in the ascending posting ids.

    A dict of id -> part cost about 100 bytes per posting and was held for every cached term;
    two arrays cost 12 (the parts as doubles: scores as before), for a bisection per
    document scored by the threshold walk.
    """

    __slots__ = ("ids", "parts")

    def __init__(self, ids: array, parts: array):
        self.ids, self.parts = ids, parts

    def get(self, docnum: int, default: float = 0.0) -> float:
        """The part of `docnum`, or `default` if the term is not in it."""
        i = bisect_left(self.ids, docnum)
        return self.parts[i] if i < len(self.ids) and self.ids[i] == docnum else default


class PostingValues:
    """local id -> encoded positions of one term's postings: one bytes blob and offsets.

    A dict of bytes objects cost about 120 bytes per posting plus the values; this costs 12.
    """

    __slots__ = ("ids", "ends", "blob")

    def __init__(self, ids: array, values: list):
        self.ids = ids
        values = [v or b"" for v in values]
        self.ends = array("q", accumulate(map(len, values)))
        self.blob = b"".join(values)

    def __getitem__(self, docnum: int) -> bytes:
        i = bisect_left(self.ids, docnum)
        if i >= len(self.ids) or self.ids[i] != docnum:
            raise KeyError(docnum)
        return self.blob[self.ends[i - 1] if i else 0:self.ends[i]]

    def nbytes(self) -> int:
        """Roughly what it holds in memory."""
        return 12 * len(self.ids) + len(self.blob) + 200


EMPTY = Postings(array("i"), array("f"), 0)
SCORED_FIELDS = ("all", "notes")  # the fields ranking.py scores


def posting_cost(field, postings: int, size: int) -> int:
    """Bytes a term's cached postings come to in a segment of `size` documents: ids and
    weights (8 per posting) and the bitset, and in a scored field the ranked lists and lookup
    built when scoring (16) and the numpy parts of exact scoring (12). Facets, permissions
    and person ids are never scored: counting those 28 bytes for them took half the budget."""
    per_posting = 36 if field in SCORED_FIELDS else 8
    return per_posting * postings + size // 8 + 200


def read_postings(reader, field, text, values=False, reads=None, wanted=None, start=0):
    """(ids, weights, values or None, stop) of a term in one segment from local document
    `start` on, deleted documents included; `stop` is None when read to the end, else the
    first document not read when `reads(local document)` stopped it (see budget.Budget); with
    `wanted` (a local bitset), only the blocks holding some of those documents."""
    ids, weights, vals = array("i"), array("f"), [] if values else None
    stop = None
    if (field, text) in reader:
        stop = _read_raw(reader, field, text, ids, weights, vals, reads, wanted, start)
    return ids, weights, vals, stop


def positions(value) -> list[int]:
    """Decoded positions of one posting of a positional field."""
    return _POSITIONS.decode_positions(value)


class Caches:
    """Decoded postings of all segments under one memory budget (bytes, roughly)."""

    # Each budget bounds what its cache really holds (the costs below are measured bytes):
    # 64 MB holds about 1.9 million postings, more than the 200 MB of estimates did before
    # their lookups became arrays (issue 13: a warmed worker held 400 MB).
    def __init__(self, term_bytes=64_000_000, value_bytes=24_000_000):
        self.terms = bits.LRU(term_bytes)
        self.values = bits.LRU(value_bytes)


class SegmentData:
    """Decoded, cached contents of one segment; `reader` is refreshed by each snapshot."""

    def __init__(self, reader, caches):
        self.reader = reader
        self.segid = reader.segment().segment_id()
        self.size = reader.doc_count_all()
        self.caches = caches  # shared by all segments so that one memory budget bounds them
        self.derived = bits.LRU(4096)
        self._norms = None
        self._pids = None

    def postings(self, field, text) -> Postings:
        """A term's postings (cached)."""
        return self.postings_read(field, text)[0]

    def postings_read(self, field, text, reads=None) -> tuple[Postings, bool]:
        """A term's postings (cached) and whether they are complete: `reads(local document)`
        may stop the reading; what was read is then returned, and the next reading goes on
        from where this one stopped."""
        key = (self.segid, field, text)
        hit = self.caches.terms.get(key)
        if hit is None:
            # Begun again at every search, a common word's reading cut by the budget cost each
            # search the same and never finished; kept, it finishes within a few.
            partial = ("partial", *key)
            kept_ids, kept_weights, start = (self.caches.terms.get(partial)
                                             or (array("i"), array("f"), 0))
            more_ids, more_weights, _, stop = read_postings(self.reader, field, text,
                                                            reads=reads, start=start)
            ids, weights = kept_ids + more_ids, kept_weights + more_weights  # new arrays
            hit = Postings(ids, weights, self.size) if ids else EMPTY
            if stop is not None:
                self.caches.terms.put(partial, (ids, weights, stop), 8 * len(ids) + 200)
                return hit, False
            self.caches.terms.discard(partial)
            self.caches.terms.put(key, hit, posting_cost(field, len(ids), self.size))
        return hit, True

    def posting_values(self, field, text) -> PostingValues:
        """local id -> encoded positions of a term (cached)."""
        return self.posting_values_read(field, text)[0]

    def posting_values_read(self, field, text, reads=None, wanted=None
                            ) -> tuple[PostingValues, bool]:
        """local id -> encoded positions of a term (cached; phrases and field bands need them),
        and whether complete (`reads` as for `postings`); with `wanted`, at least those
        documents' (read for them only, and then not kept)."""
        key = (self.segid, field, text)
        hit = self.caches.values.get(key)
        if hit is None:
            ids, _, vals, stop = read_postings(self.reader, field, text, True, reads, wanted)
            values = PostingValues(ids, vals)
            if stop is not None or wanted is not None:
                return values, stop is None
            hit = self.caches.values.put(key, values, values.nbytes())
        return hit, True

    def cached(self, key, compute):
        """A derived value (facet masks), computed once per segment."""
        hit = self.derived.get(key)
        if hit is None:
            hit = self.derived.put(key, compute())
        return hit

    def norms(self) -> array:
        """Per document, BM25's length normalisation of `all` (K1 * (1 - B + B * len / avg))."""
        if self._norms is None:
            table = _byte_to_length()
            col = length_column(self.reader, "all")
            raw = raw_column(col, self.size, 1) if col is not None else bytes(self.size)
            lengths = [table[b] for b in raw]
            avg = (sum(lengths) / len(lengths)) if lengths else 1.0
            avg = avg or 1.0
            self._norms = array("f", [K1 * (1 - B + B * n / avg) for n in lengths])
        return self._norms

    def pids(self) -> array:
        """Per document, the person id (0 for the meta document)."""
        if self._pids is None:
            if has_column(self.reader, "pidn"):
                col = self.reader.column_reader("pidn", translate=False)
                ids = array("i", raw_column(col, self.size, 4))
            else:
                ids = array("i", bytes(4 * self.size))
            if sys.byteorder == "little":  # Whoosh stores numeric columns big-endian
                ids.byteswap()
            self._pids = ids
        return self._pids
