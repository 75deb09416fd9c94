"""A rebuild's writer: postings gathered per term as documents arrive, written a term at a time.

Whoosh's writer handles each posting in Python several times over (a tuple into a sorting pool,
the sort, a field-writer call, a posting-writer call): about 10 µs a posting, and a profile has
about 84. A rebuild writes every document of a new segment in order, so document numbers ascend
by themselves: this writer files each posting under its term in a few arrays, sorts only the
terms, and encodes each term's blocks in one go. The files are the ones Whoosh's
writer makes from the same documents, byte for byte (tests/search/test_bulk.py compares them),
so readers, incremental updates and merges work on them unchanged.
"""

import multiprocessing
import queue
from array import array
from collections import Counter
from itertools import islice

from whoosh import formats
from whoosh.analysis import IDTokenizer

from search.whoosh_internals import (
    commit_segments,
    document_column,
    document_field,
    finish_document,
    finish_segment,
    sibling_writer,
    start_document,
    write_field_postings,
)

_UINT = formats.pack_uint
BATCH = 500  # documents handed to a helper process at a time


def write_all(writer, docs, prepare, last: dict, procs: int = 1) -> int:
    """Write `prepare(doc)` of every doc, then `last`, and commit them as the whole index.

    With procs > 1, procs - 1 forked helpers each write a segment of their own from every
    procs-th batch of documents while this process writes the rest. Returns the number of docs.
    """
    context = multiprocessing.get_context("fork")
    jobs, results = context.Queue(maxsize=2 * procs), context.Queue()
    helpers = [context.Process(target=_helper, args=(writer, prepare, jobs, results),
                               daemon=True) for _ in range(procs - 1)]
    for helper in helpers:
        helper.start()
    own, count = BulkSegment(writer), 0
    try:
        batches = iter(lambda: list(islice(docs, BATCH)), [])
        for i, batch in enumerate(batches):
            count += len(batch)
            if i % procs == 0:
                for doc in batch:
                    own.add(prepare(doc))
            else:
                _send(jobs, batch, helpers)
        own.add(last)
        own.flush()
        for _helper_process in helpers:
            _send(jobs, None, helpers)
        segments = [_segment(results, helpers) for _ in helpers]
        for helper in helpers:
            helper.join()
    finally:
        for helper in helpers:
            if helper.is_alive():
                helper.kill()
    commit_segments(writer, [s for s in segments if s is not None])
    return count


def _send(jobs, batch, helpers) -> None:
    """Queue a batch for the helpers; raises if they have all died (the queue would stay full)."""
    while True:
        try:
            jobs.put(batch, timeout=1.0)
            return
        except queue.Full:
            if not any(h.is_alive() for h in helpers):
                raise RuntimeError("the rebuild's helper processes died") from None


def _segment(results, helpers):
    """The next helper's finished segment; raises its error, or if they died without one."""
    while True:
        try:
            kind, value = results.get(timeout=1.0)
            break
        except queue.Empty:
            if not any(h.is_alive() for h in helpers):
                raise RuntimeError("the rebuild's helper processes died") from None
    if kind == "error":
        raise RuntimeError(f"a rebuild helper failed: {value}")
    return value


def _helper(writer, prepare, jobs, results) -> None:
    """A forked helper: write the batches it is given into a segment of its own."""
    try:
        mine = sibling_writer(writer)
        segment = BulkSegment(mine)
        while (batch := jobs.get()) is not None:
            for doc in batch:
                segment.add(prepare(doc))
        segment.flush()
        results.put(("segment", finish_segment(mine)))
    except BaseException as exc:  # reported to the parent, which raises it
        results.put(("error", repr(exc)))


class BulkSegment:
    """The documents of one new segment of a Whoosh writer; `flush` before the commit."""

    def __init__(self, writer):
        self.writer = writer
        self.schema = writer.schema
        self.fields = {}  # name -> (field, indexer, scorable, stored, column)
        for name, field in self.schema.items():
            if field.separate_spelling() or field.vector:
                raise ValueError(f"{name}: spelling and vector fields are not bulk-written")
            self.fields[name] = (field, _indexer(field) if field.indexed else None,
                                 field.scorable, field.stored, field.column_type)
        self.postings = {name: {} for name, (_f, ix, *_r) in self.fields.items() if ix}

    def add(self, values: dict) -> None:
        """Add one document: {field name: value}, as for Whoosh's add_document (no boosts)."""
        writer = self.writer
        docnum = start_document(writer)
        for name in sorted(values):
            value = values[name]
            if value is None:
                continue
            field, indexer, scorable, stored, column = self.fields[name]
            length = 0
            if indexer is not None:
                terms = self.postings[name]
                for btext, freq, weight, vbytes in indexer(value):
                    if scorable:
                        length += freq
                    lists = terms.get(btext)
                    if lists is None:
                        lists = terms[btext] = (array("I"), array("f"), [])
                    lists[0].append(docnum)
                    lists[1].append(weight)
                    if vbytes:
                        lists[2].append(vbytes)
            document_field(writer, name, field, value if stored else None, length)
            if column is not None:
                document_column(writer, name, column, field.to_column_value(value))
        finish_document(writer)

    def flush(self) -> None:
        """Write the gathered postings into the writer's segment (once, before its commit)."""
        for name in sorted(self.postings):
            terms = self.postings[name]
            if terms:
                write_field_postings(self.writer, name, self.fields[name][0], terms)
        self.postings = {}


def _indexer(field):
    """The field's postings for a value: (term bytes, frequency, weight, encoded value).

    Exact-match fields are the bulk of the terms and their postings are trivial, so they are
    computed here without Whoosh's token stream; the results are Whoosh's own (checked by
    tests/search/test_bulk.py). Everything else goes through the field's `index`.
    """
    fmt, boost = type(field.format), field.format.field_boost
    exact_id = isinstance(field.analyzer, IDTokenizer)
    if fmt is formats.Existence:
        def existence(value):
            if isinstance(value, (list, tuple)):
                return [(t.encode("utf-8"), 1, boost, b"") for t in set(value)]
            if exact_id:
                return [(value.encode("utf-8"), 1, boost, b"")]
            return field.index(value)
        return existence
    if fmt is formats.Frequency:
        def frequency(value):
            if isinstance(value, (list, tuple)):
                return [(t.encode("utf-8"), n, n * boost, _UINT(n))
                        for t, n in Counter(value).items()]
            return field.index(value)
        return frequency
    return field.index
