"""Turning an uploaded file's bytes into text, or refusing it with a reason a person can act on.

Pure: no Flask, no database. Outlook writes UTF-16 or Windows-1252, spreadsheets add a BOM, and
a file stitched together from two sources mixes encodings; each gets a clear answer.
"""

import codecs

MAX_BYTES = 10 * 1024 * 1024  # LinkedIn's 30,000-connection cap is about 4 MB; UTF-16 doubles it
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x7fELF")


class FileRefused(Exception):
    """A file that cannot be imported; the message is for the user."""


def decode_upload(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding read, from raw bytes; raises FileRefused."""
    if not data.strip():
        raise FileRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(ZIP_MAGIC):
        raise FileRefused("This is a zip archive, not a CSV or vCard file. Unzip it first and "
                          "upload the file inside (LinkedIn's export holds Connections.csv).")
    if data.startswith(BINARY_MAGIC):
        raise FileRefused("This is not a text file. Upload a CSV or vCard (.vcf) file.")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    guessed = _utf16_without_bom(data)
    if guessed:
        return _strict(data, guessed), guessed
    if b"\x00" in data:
        raise FileRefused("This is not a text file. Upload a CSV or vCard (.vcf) file.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _has_utf8_sequences(data):
        raise FileRefused("The file mixes text encodings (part UTF-8, part something else). "
                          "Open it in a spreadsheet and save it again as CSV UTF-8.")
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        raise FileRefused("The file's text encoding is not one we can read. Save it again as "
                          "CSV UTF-8.")
    return text, "cp1252"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(f"The file says it is {encoding.upper()} but is not readable as "
                          "such. Save it again as CSV UTF-8.") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows as every other byte being zero in ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether some non-ASCII bytes form valid UTF-8 (so the rest is a second encoding)."""
    text = data.decode("utf-8", errors="replace")
    return any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
