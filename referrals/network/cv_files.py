"""Checking an uploaded CV: a PDF or a Word (.docx) document, told from its content.

Pure Python: no Flask, no database. `check_cv(filename, data)` returns what to store (a safe
name, the content type, size and SHA-256) or raises `CvRefused` with a message for the user.
The type comes from the bytes, never from the name; PDFs that can run script or carry other
files, Word files with macros, and zip bombs are refused. Every check reads at most a bounded
amount: a PDF is scanned once (and its object streams inflated up to a cap); a DOCX is judged
from its zip directory first, then its parts are inflated to nowhere (never written out, at
most 50 MB in all) to check that the directory told the truth.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from referrals.refusals import Refused

MAX_CV_BYTES = 5 * 1024 * 1024
MAX_CV_MB = MAX_CV_BYTES // (1024 * 1024)
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF_TYPE: ".pdf", DOCX_TYPE: ".docx"}

# PDF names that run code, open other programs or carry files inside the document. /OpenAction
# alone (open at page 1) is harmless; one that runs script names /JS or /JavaScript.
PDF_ACTIVE_NAMES = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                    "/RichMedia", "/XFA")
MAX_INFLATED_PDF_BYTES = 20 * 1024 * 1024  # object streams inflated to look inside, in all

# A Word document's parts inflate to a few times their zipped size (XML compresses about 10:1);
# a zip bomb inflates to thousands of times. Both limits come from the zip directory alone.
MAX_DOCX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_MEMBERS = 2000
DOCX_REQUIRED = ("[Content_Types].xml", "word/document.xml")
MAX_CONTENT_TYPES_BYTES = 256 * 1024
MAX_FILENAME_CHARS = 100

NOT_A_CV = "This file is not a PDF or a Word (.docx) document. Save your CV as one and try again."
PDF_ACTIVE = ("This PDF contains script or embedded files ({names}), which could run on the "
              "reader's computer. Save it again as a plain PDF (for example with Print to PDF) "
              "and upload that.")


class CvRefused(Refused):
    """A CV file that cannot be accepted; the message says why, for the user."""

    status = 400


@dataclass(frozen=True)
class CheckedCv:
    """An accepted CV: the name to offer it under, its type, size and SHA-256 (hex)."""

    filename: str
    content_type: str
    size: int
    sha256: str


def check_cv(filename: str, data: bytes) -> CheckedCv:
    """Accept a PDF or DOCX of 1 byte to 5 MB, its type told from the content; else CvRefused."""
    if not data:
        raise CvRefused("The file is empty. Choose your CV file again.")
    if len(data) > MAX_CV_BYTES:
        raise CvRefused(f"The file is larger than {MAX_CV_MB} MB. Save a smaller version "
                        "(fewer or smaller images) and try again.")
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        content_type = PDF_TYPE
    elif data.startswith(b"PK\x03\x04"):
        check_docx(data)
        content_type = DOCX_TYPE
    else:
        raise CvRefused(NOT_A_CV)
    return CheckedCv(filename=safe_filename(filename, EXTENSIONS[content_type]),
                     content_type=content_type, size=len(data),
                     sha256=hashlib.sha256(data).hexdigest())


# --- PDF -------------------------------------------------------------------------------------

NAME = re.compile(rb"/[^\s/\[\]()<>{}%]*")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM_START = re.compile(rb"stream\r?\n")


def check_pdf(data: bytes) -> None:
    """Refuse a PDF whose dictionaries (plain, or packed in object streams) name an action
    that runs script, launches a program or embeds a file."""
    if b"%%EOF" not in data:
        raise CvRefused("This PDF is cut short (it has no end). Save it again and upload that.")
    found = active_names(data)
    if found:
        raise CvRefused(PDF_ACTIVE.format(names=", ".join(sorted(found))))


def active_names(data: bytes) -> set[str]:
    """The active PDF names found outside stream bodies and inside object streams."""
    dictionaries: list[bytes] = []
    budget = MAX_INFLATED_PDF_BYTES
    for head, body in _split_streams(data):
        dictionaries.append(head)
        if body is not None and b"/ObjStm" in head[-2048:]:
            inflated = _inflate(body, budget) if b"/FlateDecode" in head[-2048:] else body
            budget -= len(inflated)
            dictionaries.append(inflated)
    names = {_decoded_name(m.group()) for part in dictionaries for m in NAME.finditer(part)}
    return names & set(PDF_ACTIVE_NAMES)


def _split_streams(data: bytes) -> Iterator[tuple[bytes, bytes | None]]:
    """(text before a stream, the stream's body) pairs; the last has body None. Linear: each
    stream body runs to the next `endstream`, or the end of the file."""
    start = 0
    while True:
        match = STREAM_START.search(data, start)
        if match is None:
            yield data[start:], None
            return
        end = data.find(b"endstream", match.end())
        body_end = len(data) if end < 0 else end
        yield data[start:match.start()], data[match.end():body_end]
        if end < 0:
            return
        start = end + len(b"endstream")


def _inflate(body: bytes, budget: int) -> bytes:
    """A Flate stream inflated to at most `budget` bytes (a broken one gives what it gave)."""
    if budget <= 0:
        raise CvRefused("This PDF packs more inside it than a CV would. Save it again as a "
                        "plain PDF and upload that.")
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, budget)
    except zlib.error:
        return b""
    if inflater.unconsumed_tail:
        raise CvRefused("This PDF packs more inside it than a CV would. Save it again as a "
                        "plain PDF and upload that.")
    return out


def _decoded_name(raw: bytes) -> str:
    """A PDF name with its #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    decoded = HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return decoded.decode("latin-1")


# --- DOCX ------------------------------------------------------------------------------------


def check_docx(data: bytes) -> None:
    """Refuse a zip that is not a Word document, is a zip bomb, or carries macros; judged from
    the zip directory and [Content_Types].xml, then every part's checksum."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise CvRefused("This .docx file is damaged (it is not a valid zip archive). Save "
                        "it again from Word and upload that.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_DOCX_MEMBERS:
            raise CvRefused("This file holds thousands of parts; it is not a Word CV.")
        names = {info.filename for info in members}
        if not all(name in names for name in DOCX_REQUIRED):
            raise CvRefused("This zip archive is not a Word document. Save your CV as a PDF "
                            "or a .docx file and try again.")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise CvRefused(MACROS)
        _refuse_zip_bomb(members)
        if b"macroenabled" in _read_small(archive, "[Content_Types].xml").lower():
            raise CvRefused(MACROS)
        _verify_members(archive, members)


MACROS = ("This Word document contains macros, which could run on the reader's computer. "
          "Save it as a plain Word document (.docx) or a PDF and upload that.")
ZIP_BOMB = ("This file unpacks to far more than a CV could hold (a \"zip bomb\"), so it was "
            "not opened. Save your CV again from Word and upload that.")


def _refuse_zip_bomb(members: list[zipfile.ZipInfo]) -> None:
    unzipped = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members) or 1
    if unzipped > MAX_DOCX_UNZIPPED_BYTES or unzipped > MAX_DOCX_RATIO * packed:
        raise CvRefused(ZIP_BOMB)


def _verify_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Inflate every member to nowhere, checking its CRC: a directory that lies about sizes
    (to slip a bomb past `_refuse_zip_bomb`) fails here. Bounded: zipfile stops at each
    member's declared size, and those add up to at most MAX_DOCX_UNZIPPED_BYTES."""
    try:
        for info in members:
            with archive.open(info) as member:
                while member.read(1024 * 1024):
                    pass
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
            zlib.error):
        raise CvRefused("This .docx file is damaged. Save it again from Word and upload "
                        "that.") from None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member read up to a cap: the directory's sizes can lie, so never trust them alone."""
    try:
        with archive.open(name) as member:
            data = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
            zlib.error):
        raise CvRefused("This .docx file is damaged. Save it again from Word and upload "
                        "that.") from None
    if len(data) > MAX_CONTENT_TYPES_BYTES:
        raise CvRefused(ZIP_BOMB)
    return data


# --- Names -----------------------------------------------------------------------------------


def safe_filename(filename: str, extension: str) -> str:
    """The uploaded name without folders, control or odd characters, at most 100 characters,
    ending in the extension the content has ("cv.pdf" when nothing usable is left)."""
    base = re.split(r"[/\\]", filename or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    kept = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in stem)
    kept = re.sub(r"[\s_]+", lambda m: "_" if "_" in m.group() else " ", kept)
    kept = kept.strip(" ._-")[:MAX_FILENAME_CHARS - len(extension)].strip(" ._-")
    return (kept or "cv") + extension
