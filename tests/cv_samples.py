"""Real small CV files built here: PDFs (plain, with script, packed in object streams), Word
documents (plain, with macros) and a zip bomb named .docx."""

import functools
import io
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml")
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def pdf(text: str = "Grace Liu - CV", extra_catalog: str = "", extra_objects=()) -> bytes:
    """A one-page PDF showing `text`, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {extra_catalog}>>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def pdf_with_script() -> bytes:
    """A PDF that runs JavaScript when opened."""
    return pdf(extra_catalog="/OpenAction 6 0 R ",
               extra_objects=[b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"])


def pdf_with_hidden_script() -> bytes:
    """A PDF whose script action hides in a compressed object stream, its name #-escaped."""
    packed = zlib.compress(b"6 0 << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
    objstm = (b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
              + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream")
    return pdf(extra_catalog="/OpenAction 6 0 R ", extra_objects=[objstm])


def pdf_with_launch() -> bytes:
    """A PDF that launches a program when opened."""
    return pdf(extra_catalog="/OpenAction << /S /Launch /F (cmd.exe) >> ")


def pdf_with_attachment() -> bytes:
    """A PDF carrying another file inside it."""
    return pdf(extra_catalog="/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> ",
               extra_objects=[b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                              b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"])


def docx(text: str = "Grace Liu - CV", extra: dict | None = None,
         content_types: str = CONTENT_TYPES) -> bytes:
    """A minimal Word document saying `text`, the same bytes on every call."""
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                f'main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        members = {"[Content_Types].xml": content_types, "_rels/.rels": RELS,
                   "word/document.xml": document, **(extra or {})}
        for name, data in members.items():
            # A fixed date: by default a member is stamped with the current time (to two
            # seconds), so two calls either side of a tick would differ.
            member = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_with_macros() -> bytes:
    """A macro-enabled Word document (.docm) named .docx."""
    return docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
                content_types=MACRO_CONTENT_TYPES)


@functools.cache
def zip_bomb(gigabytes: float = 1) -> bytes:
    """A Word-shaped zip whose member inflates to `gigabytes` of zeros (about 1 MB per GB
    zipped), written in chunks so that building it never holds the gigabyte in memory; built
    once per test process (it takes seconds)."""
    buffer = io.BytesIO()
    chunk, total = b"\0" * (8 * 1024 * 1024), int(gigabytes * 1024 ** 3)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(total // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def multipart(fields: dict) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type, encoded here (the test client would
    spool a big one to a temporary file it never closes); a (bytes, name) value is a file."""
    boundary = "kinship-cv-boundary"
    body = b""
    for key, value in fields.items():
        if isinstance(value, tuple):
            data, name = value
            head = (f'Content-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                    "Content-Type: application/octet-stream")
        else:
            data, head = str(value).encode(), f'Content-Disposition: form-data; name="{key}"'
        body += f"--{boundary}\r\n{head}\r\n\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send_cv(client, person_id: int, data: bytes, name: str = "Grace Liu CV.pdf",
            token_from: str | None = None):
    """Upload a file through the profile's CV form, as the browser does."""
    from tests.conftest import csrf_token

    token = csrf_token(client, token_from or f"/people/{person_id}")
    body, content_type = multipart({"csrf_token": token, "file": (data, name)})
    return client.post(f"/people/{person_id}/cv", data=body, content_type=content_type)
