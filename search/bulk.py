"""A rebuild's writer: postings gathered per term as documents arrive, written a block at a time.

Whoosh's writer handles each posting in Python several times over (a tuple into a sorting pool,
the sort, a field-writer call, a posting-writer call): about 10 µs a posting, and a profile has
about 84. A rebuild writes every document of a new segment in order, so document numbers ascend
by themselves: this writer files each posting under its term in a few arrays, sorts only the
terms, and hands each term's postings to the codec in blocks. The files are the ones Whoosh's
writer makes from the same documents, byte for byte (tests/search/test_bulk.py compares them),
so readers, incremental updates and merges work on them unchanged.
"""

from array import array
from collections import Counter

from whoosh import formats
from whoosh.analysis import IDTokenizer

from search.whoosh_internals import (
    document_column,
    document_field,
    finish_document,
    start_document,
    write_field_postings,
)

_UINT = formats.pack_uint


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
