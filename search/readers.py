"""Segment readers kept open across index generations.

Whoosh-Reloaded 2.7.5's own reuse (`searcher.refresh()`, `ix.reader(reuse=...)`) is broken:
it matches segments by id only, so a refreshed searcher keeps seeing deleted documents, and it
appends the old segments to the new list, so merged-away segments come back (we measured
doc_count 4 for 2 documents after an optimize). Opening a fresh searcher instead costs about
150 ms per 50,000-document segment. So: one SegmentReader per segment id, reused while the
segment lives; when only its deletions changed, the reader is rebound to the new segment record
(the term index, the expensive part, is shared; the per-document reader is cheap and renewed).
"""

from whoosh.reading import EmptyReader, MultiReader, SegmentReader

from search.whoosh_internals import read_toc, rebind_segment_reader

RETRIES = 5


class ReaderPool:
    """The reader of an index's latest generation, rebuilt from reusable segment readers."""

    def __init__(self, ix):
        self.ix = ix
        self.generation = None
        self.reader = None
        self.segments: dict = {}  # segment id -> SegmentReader
        self.toc = None
        # Whether readers of merged-away segments were closed since the caller last looked:
        # their files stay mapped until Whoosh's reference cycles are collected.
        self.dropped = False

    def current(self):
        """The reader of the latest generation (the same object while nothing changed)."""
        gen = self.ix.latest_generation()
        if self.reader is not None and gen == self.generation:
            return self.reader
        for attempt in range(RETRIES):
            try:
                toc = read_toc(self.ix)
                break
            except OSError:  # a concurrent commit removed the TOC we listed: list again
                if attempt == RETRIES - 1:
                    raise
        fresh = {}
        leaves = []
        for segment in toc.segments:
            sid = segment.segment_id()
            r = self.segments.get(sid)
            if r is None:
                r = SegmentReader(self.ix.storage, toc.schema, segment, generation=toc.generation)
            elif r.segment().deleted_count() != segment.deleted_count():
                # deletions only grow, so equal counts mean the same set
                r = rebind_segment_reader(r, segment)
            fresh[sid] = r
            leaves.append(r)
        for sid, r in self.segments.items():
            if sid not in fresh:
                _close(r)
                self.dropped = True
        self.segments = fresh
        if not leaves:
            self.reader = EmptyReader(toc.schema)
        elif len(leaves) == 1:
            self.reader = leaves[0]
        else:
            self.reader = MultiReader(leaves, generation=toc.generation)
        self.generation = toc.generation
        self.toc = toc
        return self.reader

    def close(self):
        """Close every segment reader."""
        for r in self.segments.values():
            _close(r)
        self.dropped = self.dropped or bool(self.segments)
        self.segments = {}
        self.reader = None
        self.generation = None
        self.toc = None


def _close(reader) -> None:
    try:
        reader.close()
    except Exception:  # already closed or half-open after a failure
        pass
