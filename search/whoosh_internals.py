"""Every use of Whoosh-Reloaded's private internals, for the one version they were written for.

The engine reads Whoosh's segments faster than its matchers can (raw posting blocks and
columns), keeps segment readers across generations (Whoosh's own reuse is broken in 2.7.5), and
closes files Whoosh leaves open when it fails on a damaged index. Each of those reaches into
attributes that are not Whoosh's API and can change in any release, so they live here, and
importing this module refuses a Whoosh-Reloaded other than SUPPORTED with a clear message.
The rest of the engine uses only Whoosh's public API. To move to a new Whoosh: read each
function below against its source, run tests/search, then add the version to SUPPORTED.
"""

import io
import os
import zlib
from importlib import metadata
from itertools import accumulate

import whoosh
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3TermInfo,
)
from whoosh.compat import dumps
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode
from whoosh.writing import SegmentWriter

SUPPORTED = ("2.7.5",)  # the pin in requirements.txt
DISTRIBUTION = "Whoosh-Reloaded"


class UnsupportedWhoosh(RuntimeError):
    """The installed Whoosh-Reloaded is not a version this engine was written for."""


def installed_version() -> str:
    """The installed Whoosh-Reloaded's version, from its package metadata."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # installed without metadata: ask the module
        return whoosh.versionstring()


def require_supported_version(version: str | None = None) -> str:
    """The installed version; raises UnsupportedWhoosh if it is not one in SUPPORTED."""
    version = version or installed_version()
    if version not in SUPPORTED:
        raise UnsupportedWhoosh(
            f"The search engine was written for {DISTRIBUTION} {', '.join(SUPPORTED)}, but "
            f"{version} is installed. It reads Whoosh's private internals "
            f"(search/whoosh_internals.py), which change between versions, so it refuses to "
            f"start rather than risk a wrong or corrupt index. Install the pinned version "
            f"(pip install -r requirements.txt), or review that module against {version} and "
            f"add it to SUPPORTED.")
    return version


VERSION = require_supported_version()


def codec() -> W3Codec:
    """Whoosh's codec for every writer, without per-block length statistics.

    They serve only Whoosh's own block-max scoring, which this engine does not use (it reads
    document lengths from their column, see segments.norms); looking up each posting's
    document length to compute them cost 12% of a rebuild's CPU.
    """
    w3 = W3Codec()
    w3.length_stats = False
    return w3


# Segment files: mapped, not copied

class _ViewFile:
    """A read-only file over a memoryview: what BytesIO(view) gives, without copying the view."""

    def __init__(self, view: memoryview):
        self._view, self._pos = view, 0

    def read(self, n: int | None = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(len(self._view), self._pos + n)
        out = bytes(self._view[self._pos:end])
        self._pos += len(out)
        return out

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self, limit: int = -1) -> bytes:
        start = end = self._pos
        size = len(self._view) if limit is None or limit < 0 else min(len(self._view),
                                                                       start + limit)
        while end < size:
            chunk = bytes(self._view[end:min(size, end + 256)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        return self.read(end - start)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, pos: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class MappedBufferFile(BufferFile):
    """Whoosh's BufferFile over a slice of a segment's memory map, without BytesIO's copy.

    Whoosh 2.7.5 opens each file inside a compound segment as BytesIO(memoryview of the mmap),
    which copies it: every worker held a private copy of the posting lists, term index and
    columns it had opened (about 140 MB at 100,000 profiles). Read through the view, the pages
    stay the kernel's page cache, shared by every worker.
    """

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _ViewFile(memoryview(buf))


def share_mapped_segment_files() -> None:
    """Make compound segments open their files as MappedBufferFile (idempotent)."""
    compound.BufferFile = MappedBufferFile


share_mapped_segment_files()


# Index and segment readers

def read_toc(ix):
    """The table of contents (generation, schema, segments) of the latest generation."""
    return ix._read_toc()


def rebind_segment_reader(old: SegmentReader, segment) -> SegmentReader:
    """A reader of `segment` sharing `old`'s open term index; only the deletions differ."""
    new = object.__new__(SegmentReader)
    new.__dict__.update({k: v for k, v in old.__dict__.items() if k != "deleted_docs_set"})
    new._segment = segment
    new._perdoc = old._codec.per_document_reader(old._storage, segment)
    old._perdoc.close()
    return new


# Raw postings and columns

def read_postings(reader, field, text, ids, weights, vals, reads=None, wanted=None,
                  start=0) -> int | None:
    """Append a term's postings in one segment from local document `start` on (a block's
    first, as returned) to `ids`, `weights` (and `vals`, if a list), deleted documents
    included, decoding whole blocks at a time; None when done, or the first document not read
    when `reads(local document)`, asked before each block decoded after the first, stopped it
    there. With `wanted` (a bitset of local documents), blocks holding none of them are
    skipped, not decoded, and `reads` is asked at the block's first wanted document."""
    m = reader.postings(field, text)
    if isinstance(m, FilterMatcher):  # deletions are applied by the snapshot, in bulk
        m = m.child
    if isinstance(m, W3LeafMatcher):
        # Whoosh's per-posting matcher calls are the slow part: read each block's arrays
        low = 0  # the first document the block can hold (its header gives its last)
        while m.is_active() and m._maxid < start:  # read before: headers only
            low = m._maxid + 1
            m._next_block()
        while m.is_active():
            first = low  # the first document of interest the block can hold
            if wanted is not None:
                inside = wanted >> low & ((1 << (m._maxid + 1 - low)) - 1)
                if not inside:
                    low = m._maxid + 1
                    m._next_block()
                    continue
                first = low + (inside & -inside).bit_length() - 1
            if reads is not None and low > start and not reads(first):
                return low
            if m._data is None:
                m._read_data()
            data, n = m._data, m._blocklength
            ids.extend(accumulate(data[0]))
            w = data[1]
            weights.extend([1.0] * n if w is None else [w] * n if isinstance(w, float) else w)
            if vals is not None:
                vals.extend(data[2] if data[2] is not None else [None] * n)
            low = m._maxid + 1
            m._next_block()
    else:  # short lists are stored inline in the term index, and read at once
        while m.is_active():
            if m.id() >= start:
                ids.append(m.id())
                weights.append(m.weight())
                if vals is not None:
                    vals.append(m.value())
            m.next()
    return None


def raw_column(col, count: int, itemsize: int) -> bytes:
    """The raw bytes of a fixed-width column, padded with zeros to `count` documents."""
    raw = col._dbfile.get(col._basepos, min(col._count, count) * itemsize)
    return bytes(raw) + b"\0" * (count * itemsize - len(raw))


def length_column(reader, field: str):
    """The column of a field's (byte-encoded) document lengths, or None."""
    return reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)


def has_column(reader, name: str) -> bool:
    """Whether a segment stores the column `name` (absent when no document set it)."""
    return reader._perdoc.has_column(name)


# Failures

def close_leaked_files(exc: BaseException) -> None:
    """Close files that Whoosh opened and left open when it failed on a damaged index."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, (StructFile, io.IOBase)):
                try:
                    value.close()
                except Exception:  # best effort: the file may be half-initialised
                    pass
        tb = tb.tb_next


def raised_in_whoosh(exc: BaseException) -> bool:
    """Whether an error was raised inside Whoosh's code (decoding files, for instance)."""
    tb = exc.__traceback__
    while tb is not None:
        if f"{os.sep}whoosh{os.sep}" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


def abandon_writer(writer) -> None:
    """Cancel a writer whose commit failed (a read-only or full folder): Whoosh's own cancel
    then fails on the half-closed segment and keeps the index's lock held, so every later
    writer in this process would wait for it and fail; release it and its temporary files."""
    try:
        writer.cancel()
        return
    except Exception:  # already half-closed by the failed commit
        pass
    for release in (lambda: writer._tempstorage.destroy(), lambda: writer.writelock.release()):
        try:
            release()
        except Exception:  # best effort: nothing more can be done with this writer
            pass
    writer.is_closed = True


def release_leaked_lock(exc: BaseException) -> None:
    """Release Whoosh's index lock taken by a writer whose constructor then failed (it takes
    the lock before creating its temporary folder, which a read-only or full folder refuses):
    the half-built writer is unreachable, and its lock would block every later writer of this
    process until the garbage collector happened to find it."""
    tb = exc.__traceback__
    while tb is not None:
        lock = getattr(tb.tb_frame.f_locals.get("self"), "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:  # not held after all
                pass
        tb = tb.tb_next


# Bulk writing (a rebuild: see search/bulk.py)

def start_document(writer) -> int:
    """Begin the writer's next document without its posting pool; returns its number."""
    writer.perdocwriter.start_doc(writer.docnum)
    return writer.docnum


def document_field(writer, name: str, field, stored, length: int) -> None:
    """Record a field's stored value and length in the current document."""
    writer.perdocwriter.add_field(name, field, stored, length)


def document_column(writer, name: str, column, value) -> None:
    """Record a column value of the current document."""
    writer.perdocwriter.add_column_value(name, column, value)


def finish_document(writer) -> None:
    """End the current document (as SegmentWriter.add_document does after its fields)."""
    writer.perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def write_field_postings(writer, name: str, field, terms: dict) -> None:
    """Write one field's {term bytes: (ids, weights, values)} to the writer's segment, in
    term order, each term's blocks in one write.

    The bytes are those Whoosh's W3PostingsWriter and W3FieldWriter write posting by posting
    (blocks of the codec's size, each a pickled and compressed (ids, weights, values) with its
    statistics, then the term's info in the term table): the same encoding, done a term at a
    time. `ids` ascend; `values` holds only the non-empty values, as Whoosh's buffer does.
    Called before commit: the writer's own pool is empty, so its flush adds nothing.
    """
    fieldwriter, w3 = writer.fieldwriter, writer.codec
    fieldwriter.start_field(name, field)
    postfile, add_term = fieldwriter._postfile, fieldwriter._tindex.add
    fieldid = pack_ushort(fieldwriter._fieldid)
    size, level = w3._blocklimit, w3._compression
    fixed = field.format.fixed_value_size()
    no_length, zero_length = length_to_byte(None), length_to_byte(0)
    for btext in sorted(terms):
        ids, weights, values = terms[btext]
        count, offset = len(ids), postfile.tell()
        info = W3TermInfo()
        info._df, info._minid, info._maxid = count, ids[0], ids[-1]
        parts = [WHOOSH3_HEADER_MAGIC]
        for start in range(0, count, size):
            end = min(start + size, count)
            block = weights[start:end]
            top = max(0, max(block))
            info._weight += sum(block)
            info._maxweight = max(info._maxweight, top)
            data = dumps((tuple(delta_encode(ids[start:end])), _mini_weights(block),
                          _mini_values(values[start:end], fixed)), 2)
            if level:
                data = zlib.compress(data, level)
            stats = dumps((end - start, ids[end - 1], top, level, no_length, zero_length), 2)
            length = len(stats) + len(data)
            parts += [pack_int(-length if end == count else length), stats, data]
        blob = b"".join(parts)
        postfile.write(blob)
        info.set_extent(offset, len(blob))
        add_term(fieldid + btext, info.to_bytes())
    fieldwriter.finish_field()


def _mini_weights(weights):
    """A block's weights as W3PostingsWriter._mini_weights stores them."""
    if all(w == 1.0 for w in weights):
        return None
    if all(w == weights[0] for w in weights):
        return weights[0]
    return tuple(weights)


def _mini_values(values, fixed):
    """A block's values as W3PostingsWriter._mini_values stores them."""
    if fixed is None or fixed < 0:
        return tuple(values)
    if fixed == 0:
        return None
    return b"".join(values)


def sibling_writer(writer):
    """A writer of another new segment of `writer`'s index, for a process `writer`'s holder
    started (as Whoosh's multiprocessing writer makes them): it takes no lock."""
    ix = writer.storage.open_index(writer.indexname)
    return SegmentWriter(ix, _lk=False, codec=writer.codec)


def finish_segment(writer):
    """Close a sibling writer's segment and return it for its parent to commit (None if it
    has no documents: its files are removed by that commit)."""
    if not writer._added:
        writer._close_segment()
        return None
    return writer._finalize_segment()


def commit_segments(writer, segments: list) -> None:
    """Commit `writer`'s own documents and the siblings' `segments`, replacing every segment
    the index held before (as Whoosh's multiprocessing writer does with multisegment=True)."""
    final = list(segments)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()
