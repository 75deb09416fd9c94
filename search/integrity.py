"""Whether an index folder holds what was committed to it: a checksum per file, kept at commit.

Whoosh's files never change once written (a commit adds segments and a new table of contents,
merges replace segments), so each commit records `state.json`: the generation, the position
in the change log and the number of profiles it reflects, and the size and CRC-32 of every file
of that generation. A reader verifies each file once when it first uses it, and again only if
the file's size, modification time or inode changed (a stat per file per search), so an
overwritten or corrupted file is found at the next search without checksumming per request.
"""

import json
import os
import zlib
from collections.abc import Callable
from typing import Any

from search.backend import IndexUnavailable

STATE_FILE = "state.json"
TOC_PREFIX = "_MAIN_"
CHUNK = 1 << 20


class IndexMissing(IndexUnavailable):
    """There is no index in the folder (or no folder): it must be rebuilt."""


class IndexDamaged(IndexUnavailable):
    """A file of the index is unreadable or not what was committed: it must be rebuilt."""


def generation_files(path: str, toc: Any) -> list[str]:
    """The files a generation reads: its table of contents and its segments' files."""
    names = os.listdir(path)
    prefixes = tuple(f"{segment.segment_id()}." for segment in toc.segments)
    return sorted([f"{TOC_PREFIX}{toc.generation}.toc",
                   *(n for n in names if prefixes and n.startswith(prefixes))])


def checksum(file_path: str) -> list[int]:
    """[size, crc32] of a file, read in chunks."""
    crc, size = 0, 0
    with open(file_path, "rb") as f:
        while chunk := f.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return [size, crc]


def stat_key(file_path: str) -> tuple[int, int, int]:
    """What changes when a file is replaced or written to (cheap: one stat)."""
    st = os.stat(file_path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def load_state(path: str) -> dict[str, Any]:
    """The state recorded at the last commit ({} when none was, or it is unreadable)."""
    try:
        with open(os.path.join(path, STATE_FILE)) as f:
            state = json.load(f)
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def record(path: str, toc: Any, count: int, position: object) -> None:
    """Write the state of the generation just committed (the caller holds the write lock).

    Files already recorded keep their checksum (files never change); new ones are read once.
    Best effort: a folder that cannot take the file still serves searches unverified.
    """
    old = load_state(path).get("files", {})
    files = {}
    for name in generation_files(path, toc):
        full = os.path.join(path, name)
        size = os.path.getsize(full)
        files[name] = old[name] if name in old and old[name][0] == size else checksum(full)
    state = {"generation": toc.generation, "count": count, "position": position,
             "files": files}
    draft = os.path.join(path, f"{STATE_FILE}.{os.getpid()}.tmp")
    with open(draft, "w") as f:
        json.dump(state, f)
    os.replace(draft, os.path.join(path, STATE_FILE))


def verify(path: str, names: list[str], state: dict[str, Any]) -> list[str]:
    """Problems with these files against the recorded state (files it does not list, from a
    commit whose state was not written yet, are taken as they are)."""
    known = state.get("files", {})
    problems = []
    for name in names:
        if name not in known:
            continue
        try:
            got = checksum(os.path.join(path, name))
        except OSError as exc:
            problems.append(f"{name} is unreadable ({exc.strerror or exc})")
            continue
        if got[0] != known[name][0]:
            problems.append(f"{name} holds {got[0]:,} bytes, {known[name][0]:,} were committed")
        elif got[1] != known[name][1]:
            problems.append(f"{name} does not match its checksum at commit (corrupt)")
    return problems


def inspect(path: str, read_toc: Callable[[str], Any], writable: bool = True) -> list[str]:
    """Every fault of the folder's files, for `flask search check` (never raises):
    missing folder or index, unreadable table of contents, missing or corrupt files,
    a folder that cannot be written to."""
    if not os.path.isdir(path):
        return [f"the index folder {path} is missing"]
    faults = []
    try:
        toc = read_toc(path)
    except Exception as exc:  # whatever Whoosh raises on a damaged table of contents
        return [f"the index in {path} is missing or unreadable: {exc!r}"[:300]]
    state = load_state(path)
    if not state:
        faults.append(f"{STATE_FILE} is missing: the files cannot be verified")
    try:
        names = generation_files(path, toc)
    except OSError as exc:
        return [f"the index folder {path} cannot be listed: {exc}"]
    for name in names:
        if not os.path.exists(os.path.join(path, name)):
            faults.append(f"{name} is missing")
    faults += verify(path, [n for n in names if os.path.exists(os.path.join(path, n))], state)
    if writable:
        faults += writable_faults(path)
    return faults


def writable_faults(path: str) -> list[str]:
    """Why the folder cannot take a commit (read-only, full), if it cannot."""
    probe = os.path.join(path, f".probe.{os.getpid()}")
    try:
        with open(probe, "wb") as f:
            f.write(b"\0" * 4096)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        return [f"the index folder {path} cannot be written to ({exc.strerror or exc})"]
    finally:
        try:
            os.unlink(probe)
        except OSError:
            pass
    return []
