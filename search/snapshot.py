"""A consistent view of the index at one generation: bitsets, permissions, facets, vocabulary.

Global document numbers are Whoosh's (segment offset + local number). Everything here is
computed from per-segment caches, so a new generation after a small update costs only the
new segment's share.
"""

from array import array

from search import bits
from search import fields as registry
from search.schema import BAND, META_ID
from search.segments import SegmentData, positions

PHRASE_WORK = 3  # cost units (about a microsecond each) to check one candidate per word
PHRASE_BATCH = 32  # phrase candidates checked between two looks at a search's budget
POSITIONAL_READ = 1.3  # per posting of `all`/`notes`, which carry positions
PLAIN_READ = 0.3  # per posting of the other fields


class Snapshot:
    """The index at one generation; `segments` maps segment id -> SegmentData (reused)."""

    def __init__(self, reader, generation, segments: dict, caches):
        self.reader = reader
        self.generation = generation
        self.leaves: list[tuple[SegmentData, int]] = []
        self._masks = bits.LRU(40_000_000)
        self._allowed = bits.LRU(64)
        # small per-document or per-word values that ranking and corrections re-derive
        # (a document's re-rank zones, a viewer's correction of a word): kept per generation
        self.memo = bits.LRU(50_000)
        self._facets = {}
        self._pids = None
        self._names = None
        live = 0
        alive = {}
        for r, offset in reader.leaf_readers():
            if r.segment() is None:  # an index without segments
                continue
            data = segments.get(r.segment().segment_id()) or SegmentData(r, caches)
            data.reader = r
            alive[data.segid] = data
            self.leaves.append((data, offset))
            deleted = bits.from_ids(r.deleted_docs_set, data.size) if r.has_deletions() else 0
            live |= (((1 << data.size) - 1) ^ deleted) << offset
        segments.clear()
        segments.update(alive)
        self.size = reader.doc_count_all()
        self.alive = live
        self.live = live & ~self.mask("pid", META_ID)
        self.count = self.live.bit_count()

    # bitsets

    def mask(self, field, text, budget=None) -> int:
        """Documents holding a term (deleted ones included: intersect with `live`); with a
        search's `budget`, exact only below its horizon once it stopped the reading."""
        key = ("t", field, text)
        hit = self._masks.get(key)
        if hit is None:
            hit = 0
            for data, offset in self.leaves:
                if budget is not None and not budget.reads(offset):
                    break
                hit |= data.postings_read(field, text, _local(budget, offset))[0].mask << offset
            if budget is None or budget.horizon is None:
                self._masks.put(key, hit, self.size // 8 + 64)
        return hit

    def positional(self, field, terms, band, budget=None, within=None) -> int:
        """Documents with the terms at consecutive positions, inside one field's band if given
        (`budget` as for `mask`); only those of `within`, when it saves checking most."""
        key = ("p", field, tuple(terms), band)
        hit = self._masks.get(key)
        if hit is not None:
            return hit
        # A check narrowed to `within` (say, the profiles a viewer may see) is kept with it, for
        # the next search with the same `within`: the same viewer's again, typically.
        narrowed_key = (*key, hash(within))
        known = self._masks.get(narrowed_key) if within is not None else None
        if known is not None and known[0] == within:
            return known[1]
        hit, kept, narrowed = 0, True, False
        for data, offset in self.leaves:
            if budget is not None and not budget.reads(offset):
                kept = False
                break
            local = data.derived.get(key)
            if local is None:
                part = None if within is None else within >> offset & ((1 << data.size) - 1)
                local, whole, only_part = _resumed_phrase(data, key, terms, band,
                                                          _local(budget, offset), part)
                kept, narrowed = kept and whole, narrowed or only_part
            hit |= local << offset
        if kept and (budget is None or budget.horizon is None):
            if narrowed:
                self._masks.put(narrowed_key, (within, hit), 2 * (self.size // 8 + 64))
            else:
                self._masks.put(key, hit, self.size // 8 + 64)
        return hit

    def has_mask(self, field, text) -> bool:
        """Whether a term's documents are at hand (read whole before): free to use."""
        return self._masks.get(("t", field, text)) is not None

    def allowed(self, viewer) -> int:
        """The profiles a viewer may see: own records, recruiters' profiles, connections."""
        key = (viewer.user_id, viewer.person_id, viewer.role)
        hit = self._allowed.get(key)
        if hit is None:
            hit = self.mask("owner", str(viewer.user_id))
            if viewer.role == "recruiter":
                hit |= self.mask("visibility", "recruiters")
            if viewer.person_id is not None:
                hit |= self.mask("audience", str(viewer.person_id)) & ~self.mask(
                    "visibility", "private")
            hit = self._allowed.put(key, hit & self.live)
        return hit

    def facet_masks(self, name) -> dict:
        """Facet value -> documents with it, for a field of the registry with a facet."""
        hit = self._facets.get(name)
        if hit is None:
            field = registry.REGISTRY.by_name[name].facet_field
            hit = {}
            for data, offset in self.leaves:
                local = data.cached(("facet", field), lambda d=data: _facet_masks(d, field))
                for value, mask in local.items():
                    hit[value] = hit.get(value, 0) | mask << offset
            self._facets[name] = hit
        return hit

    # per-document values

    def pids(self) -> array:
        """Person id per global document number."""
        if self._pids is None:
            out = array("i")
            for data, _ in self.leaves:
                out.extend(data.pids())
            self._pids = out
        return self._pids

    def name(self, docnum) -> str:
        """The display name of a document, from its column (no stored-field load)."""
        if self._names is None:
            self._names = self.reader.column_reader("namec", translate=False)
        return bytes(self._names[docnum]).decode("utf-8", "replace")

    def docnum_meta(self) -> int | None:
        """The live meta document (last applied change id), or None."""
        return bits.first(self.mask("pid", META_ID) & self.alive)

    def docnum(self, person_id) -> int | None:
        """The live document of a person, or None."""
        return bits.first(self.mask("pid", str(int(person_id))) & self.live)

    # vocabulary

    def doc_frequency(self, field, text) -> int:
        """How many documents hold a term (from the lexicon: cheap, counts deleted ones too)."""
        try:
            return self.reader.doc_frequency(field, text)
        except Exception:  # a term the field cannot encode is simply absent
            return 0

    def read_cost(self, field, text) -> float:
        """Estimated work units to decode a term's postings, zero when already cached."""
        if self._masks.get(("t", field, text)) is not None:
            return 0.0
        unit = POSITIONAL_READ if field in ("all", "notes") else PLAIN_READ
        return unit * self.doc_frequency(field, text)

    def prefix_terms(self, field, prefix, scan) -> tuple[list, bool]:
        """([(term, doc frequency)], complete) for terms starting with prefix, `scan` at most."""
        out = []
        for i, (btext, info) in enumerate(self.reader.iter_prefix(field, prefix)):
            if i >= scan:
                return out, False
            out.append((btext.decode("utf-8"), info.doc_frequency()))
        return out, True

    def typo_terms(self, field, surface, stem, own="", accept=None, allows=None) -> list[str]:
        """Index terms a mistyped word may have meant, closest first; with `accept`, only
        terms it accepts.

        The word and its stem are compared first. The index holds stems, which drop word
        endings ("compensation" -> "compens"), so when nothing acceptable is that close the
        typed word is also compared by its leading characters ("compnsa" ~ "compens").
        `allows()` (a search's budget) is asked before each comparison: False stops them.
        """
        found: dict = {}
        words = {stem, surface}
        prefixes = {surface[:n] for n in range(len(surface) - 4, len(surface)) if n >= 5}
        # nearest first (a distance-2 automaton costs several times a distance-1 one)
        for probes, most in ((words, 1), (words, 2), (prefixes - words, 2)):
            for probe in sorted(probes, key=len, reverse=True):
                maxdist = min(most, 1 if len(probe) <= 5 else 2)
                if probes is words and maxdist < most:
                    continue  # a short word: already compared at its one edit
                if allows is not None and not allows():
                    break
                for term in self.fuzzy_terms(field, own + probe, maxdist, len(own) + 1):
                    if accept is None or accept(term):
                        dist = distance(term[len(own):], probe)
                        found[term] = min(found.get(term, 9), dist)
            if found:
                break
        return sorted(found, key=lambda t: (found[t], -self.doc_frequency(field, t), t))

    def fuzzy_terms(self, field, text, maxdist, prefix) -> list[str]:
        """Terms within `maxdist` edits sharing `prefix` characters, closest and commonest first."""
        if len(text) <= prefix:
            return []  # too short to vary (and Whoosh's automaton indexes past the end)
        found = set()
        for data, _ in self.leaves:
            found.update(data.reader.terms_within(field, text, maxdist, prefix=prefix))
        ranked = sorted(found, key=lambda t: (distance(t, text), -self.doc_frequency(field, t)))
        return ranked


def distance(a, b) -> int:
    """Damerau-Levenshtein distance (restricted), for ranking a handful of candidates."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _local(budget, offset):
    """A segment's `reads(local document)` for a search's budget (None: no budget)."""
    return None if budget is None else lambda d: budget.reads(offset + d)


def _facet_masks(data: SegmentData, field) -> dict:
    out = {}
    for btext in data.reader.lexicon(field):
        value = btext.decode("utf-8")
        out[value] = data.postings(field, value).mask
    return out


def _resumed_phrase(data: SegmentData, key, terms, band, reads, within
                    ) -> tuple[int, bool, bool]:
    """`_phrase` of one segment, taken up where a run for the same `within` was cut short, its
    progress kept when this run is cut short too; the whole result is kept unless narrowed.

    A common phrase (HRBP, "change management") can take more than one search's budget to
    check across 100,000 profiles: begun again from the first document, every run would stop
    at about the same place, and each search would be cut short until the budget happened
    to suffice. Taken up where the last stopped, each run adds to what is known.
    """
    progress_key = ("progress", *key)
    start, found, narrowed = 0, 0, False
    known = data.derived.get(progress_key)
    if known is not None and known[0] == within:
        _, start, found, narrowed = known
    hits, stop, only_part = _phrase(data, key[1], terms, band, reads, within, start)
    hits, narrowed = hits | found, narrowed or only_part
    if stop == data.size:
        data.derived.discard(progress_key)
        if not narrowed:
            data.derived.put(key, hits)
        return hits, True, narrowed
    if stop > start:
        data.derived.put(progress_key, (within, stop, hits & ((1 << stop) - 1), narrowed))
    return hits, False, narrowed


def _phrase(data: SegmentData, field, terms, band, reads=None,
            within=None, start: int = 0) -> tuple[int, int, bool]:
    """(local bitset of documents from `start` on where `terms` occur in order (and inside
    `band`, if given), the document where it stopped (the segment's size if it read them all),
    whether only those of `within` were checked).

    `reads(local document)`, asked per block and per PHRASE_BATCH candidates, may stop it:
    the bitset is then exact only below where it stopped. Candidates outside `within` are
    not checked when that leaves less than half of them (the rest of the query excludes
    them): positions are the costly part of a common phrase. From a `start` past the first
    document, positions are read only for the candidates from there on.
    """
    cand = (1 << data.size) - 1 >> start << start
    stop = data.size  # documents from here on were not all read
    for t in terms:
        p, whole = data.postings_read(field, t, reads)
        cand &= p.mask
        if not whole:
            stop = min(stop, p.ids[-1] + 1 if p.ids else 0)
        if not cand & ((1 << stop) - 1):
            return 0, stop, False
    lo, hi = (band * BAND, (band + 1) * BAND) if band is not None else (0, 1 << 62)
    cand &= (1 << stop) - 1
    wanted = cand if start else None  # positions of these candidates only
    narrowed = within is not None and 2 * (cand & within).bit_count() < cand.bit_count()
    if narrowed:
        cand &= within
        wanted = cand
    vals = []
    for t in terms:
        v, complete = data.posting_values_read(field, t, reads, wanted)
        vals.append(v)
        if not complete:
            stop = min(stop, v.ids[-1] + 1 if v.ids else start)
    cand &= (1 << stop) - 1
    last = len(terms) - 1
    hits = []
    for i, d in enumerate(bits.ones(cand)):
        if reads is not None and i % PHRASE_BATCH == 0 and not reads(d):
            stop = d
            break
        starts = {p for p in positions(vals[0][d]) if lo <= p and p + last < hi}
        for k in range(1, len(terms)):
            if not starts:
                break
            at = set(positions(vals[k][d]))
            starts = {s for s in starts if s + k in at}
        if starts:
            hits.append(d)
    return bits.from_ids(hits, data.size), stop, narrowed
