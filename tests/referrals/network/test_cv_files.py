"""The CV check, without the app: real PDFs and Word files accepted, hostile ones refused."""

import zipfile

import pytest

from referrals.network.cv_files import (
    DOCX_TYPE,
    MAX_CV_BYTES,
    PDF_TYPE,
    CvRefused,
    check_cv,
    safe_filename,
)
from tests import cv_samples


def refusal(filename: str, data: bytes) -> str:
    with pytest.raises(CvRefused) as caught:
        check_cv(filename, data)
    assert caught.value.status == 400
    return caught.value.message


def test_a_pdf_is_accepted_with_its_type_size_and_digest():
    data = cv_samples.pdf()
    checked = check_cv("Grace Liu CV.pdf", data)
    assert checked.content_type == PDF_TYPE and checked.size == len(data)
    assert checked.filename == "Grace Liu CV.pdf" and len(checked.sha256) == 64


def test_a_word_document_is_accepted():
    checked = check_cv("cv.docx", cv_samples.docx())
    assert checked.content_type == DOCX_TYPE and checked.filename == "cv.docx"


def test_the_type_comes_from_the_content_not_the_name():
    """A real PDF named .docx is a PDF, and is offered back as .pdf."""
    checked = check_cv("cv.docx", cv_samples.pdf())
    assert checked.content_type == PDF_TYPE and checked.filename == "cv.pdf"


def test_an_empty_file_is_refused():
    assert "empty" in refusal("cv.pdf", b"")


def test_a_file_over_5_mb_is_refused():
    data = cv_samples.pdf() + b"%" * MAX_CV_BYTES
    assert "larger than 5 MB" in refusal("cv.pdf", data)


def test_a_file_of_exactly_5_mb_is_accepted():
    base = cv_samples.pdf()
    data = base[:9] + b"%" * (MAX_CV_BYTES - len(base)) + base[9:]
    assert check_cv("cv.pdf", data).size == MAX_CV_BYTES


@pytest.mark.parametrize("data", [b"MZ\x90\x00 windows program", b"<html><script>", b"GIF89a",
                                  "Grace Liu, HR Business Partner".encode()],
                         ids=["program", "html", "image", "text"])
def test_another_type_renamed_pdf_is_refused(data):
    assert "not a PDF or a Word (.docx) document" in refusal("cv.pdf", data)


@pytest.mark.parametrize("make", [cv_samples.pdf_with_script, cv_samples.pdf_with_hidden_script,
                                  cv_samples.pdf_with_launch, cv_samples.pdf_with_attachment],
                         ids=["javascript", "hidden in an object stream", "launch",
                              "embedded file"])
def test_a_pdf_that_runs_script_or_carries_files_is_refused(make):
    message = refusal("cv.pdf", make())
    assert "contains script or embedded files" in message and "Print to PDF" in message


def test_a_pdf_opening_at_its_first_page_is_not_mistaken_for_script():
    data = cv_samples.pdf(extra_catalog="/OpenAction [3 0 R /Fit] ")
    assert check_cv("cv.pdf", data).content_type == PDF_TYPE


def test_a_pdf_cut_short_is_refused():
    assert "cut short" in refusal("cv.pdf", cv_samples.pdf()[:200])


def test_a_zip_bomb_named_docx_is_refused_from_its_directory():
    data = cv_samples.zip_bomb(1)  # 1 GB of zeros
    assert len(data) < 2 * 1024 * 1024  # a gigabyte in a small upload
    assert "zip bomb" in refusal("cv.docx", data)


def test_a_word_document_with_macros_is_refused():
    assert "macros" in refusal("cv.docx", cv_samples.docx_with_macros())


def test_macros_declared_only_in_the_content_types_are_refused():
    data = cv_samples.docx(content_types=cv_samples.MACRO_CONTENT_TYPES)
    assert "macros" in refusal("cv.docx", data)


def test_a_zip_that_is_not_a_word_document_is_refused():
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", "Name\nAda\n")
    assert "not a Word document" in refusal("cv.docx", buffer.getvalue())


def test_a_damaged_zip_is_refused():
    assert "damaged" in refusal("cv.docx", cv_samples.docx()[:60])


@pytest.mark.parametrize("given, expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\grace\\My CV (2026).pdf", "My CV (2026).pdf"),
    ('cv"; filename="evil.exe.pdf', "cv_filename_evil.exe.pdf"),
    ("\u202egnp.pdf", "gnp.pdf"),
    ("Zoë Brück CV.pdf", "Zoë Brück CV.pdf"),
    ("", "cv.pdf"), ("....pdf", "cv.pdf"),
    ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ("résumé.exe", "résumé.pdf"),
])
def test_the_offered_name_is_safe(given, expected):
    assert safe_filename(given, ".pdf") == expected


def test_a_zip_bomb_whose_directory_lies_about_its_size_is_refused():
    """A directory claiming a tiny part that really inflates to megabytes is caught: the part
    is inflated only up to its claimed size, and its checksum then fails."""
    import io
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", cv_samples.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Rewrite the big part's uncompressed size (central directory) to 100 bytes.
    central = data.rfind(b"PK\x01\x02")
    assert data[central + 46:central + 46 + 17] == b"word/document.xml"
    data[central + 24:central + 28] = struct.pack("<I", 100)
    assert "damaged" in refusal("cv.docx", bytes(data))
