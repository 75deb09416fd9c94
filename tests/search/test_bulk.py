"""A rebuild's bulk writer makes the index Whoosh's own writer makes from the same profiles."""

import os

from whoosh import index as windex
from whoosh.writing import CLEAR

from bench.search_bench import synthetic_people
from search.bulk import BulkSegment
from search.index import meta_fields
from search.schema import build_schema, to_fields
from search.whoosh_internals import codec, read_toc

PEOPLE = list(synthetic_people(600, seed=3))
EDGE = [  # an empty profile, repeated skills, accents, a long name, a note without text
    {"id": 9001, "name": "", "skills": [], "visibility": "private", "audience": [], "notes": []},
    {"id": 9002, "name": "Zoë Ærøskøbing-Ünlü Long-Name-Of-Many-Parts", "skills":
     ["Payroll", "payroll", " Payroll "], "summary": "Payroll payroll PAYROLL " * 40,
     "visibility": "connections", "audience": [1, 1, 2], "owner": 3,
     "notes": [{"author": 4, "text": "Payroll"}, {"author": 4, "text": ""}]},
]


def build(path, bulk: bool):
    """The segment's files, by name without the segment id, built one way or the other."""
    os.makedirs(path)
    ix = windex.create_in(path, build_schema())
    w = ix.writer(codec=codec())
    docs = [to_fields(d) for d in PEOPLE + EDGE] + [meta_fields(7)]
    if bulk:
        segment = BulkSegment(w)
        for fields in docs:
            segment.add(fields)
        segment.flush()
    else:
        for fields in docs:
            w.add_document(**fields)
    w.commit(mergetype=CLEAR)
    (seg,) = read_toc(windex.open_dir(path)).segments
    seg.compound = False  # read the parts as written, before they were joined
    storage = seg.open_compound_file(ix.storage)
    segid = seg.segment_id()
    files = {name.replace(segid, "*"): bytes(storage.open_file(name).read())
             for name in storage.list()}
    return files, ix


def test_bulk_segment_files_are_byte_for_byte_whooshs(tmp_path):
    whoosh_files, _ = build(str(tmp_path / "whoosh"), bulk=False)
    bulk_files, ix = build(str(tmp_path / "bulk"), bulk=True)
    assert sorted(bulk_files) == sorted(whoosh_files)
    for name, data in whoosh_files.items():
        assert bulk_files[name] == data, name
    with ix.searcher() as s:  # and Whoosh reads them: a term found, a profile stored
        assert s.doc_count() == len(PEOPLE) + len(EDGE) + 1
        assert s.document(pid="9002")["doc"]["skills"] == ["Payroll", "payroll"]
