"""Reading import files: each real-world shape is recognised by its header, and each bad file
gets a reason a person can act on. Pure: no app, no database."""

import codecs
import io
import zipfile
from datetime import date

import pytest

from referrals.imports import formats, vcards
from referrals.imports.decoding import FileRefused, decode_upload
from referrals.imports.matcher import ADD, MATCH, REFUSED, Known, propose
from referrals.imports.records import MAX_ROWS, Checked, Contact, checked
from tests.imports import samples

TODAY = date(2026, 12, 3)


def contacts(data: bytes) -> tuple[str, list[Contact]]:
    """The shape's label and the contacts, as the upload step reads them."""
    text, _ = decode_upload(data)
    if vcards.looks_like_vcard(text):
        return "vCard", vcards.read_cards(text)
    table = formats.read_table(text)
    return (table.shape.label if table.shape else "CSV",
            formats.contacts_of(table) if table.shape else [])


def test_linkedin_export_of_today_is_read_past_its_notes_preamble():
    data = samples.linkedin([
        ("Ada", "Lovelace", "https://www.linkedin.com/in/ada", "", "Analytical, Ltd",
         "Head of People", "22 Dec 2025"),
        ("Grace", "Hopper", "https://www.linkedin.com/in/grace", "grace@navy.example", "Navy",
         "", "08 Jan 2018")])
    label, rows = contacts(data)
    assert label == "LinkedIn connections"
    assert [(r.name, r.organisation, r.connected_on) for r in rows] == [
        ("Ada Lovelace", "Analytical, Ltd", "22 Dec 2025"), ("Grace Hopper", "Navy", "08 Jan 2018")]
    first = checked(rows[0], TODAY)
    assert first.first_contact == date(2025, 12, 22) and first.url.endswith("/in/ada")


def test_older_linkedin_export_with_us_dates_and_times():
    data = samples.linkedin_old([("Alan", "Turing", "", "Bletchley", "Analyst",
                                  "1/8/18, 6:14 PM")])
    label, rows = contacts(data)
    assert label == "LinkedIn connections (older export)"
    assert checked(rows[0], TODAY).first_contact == date(2018, 1, 8)


def test_google_contacts_current_and_legacy():
    label, rows = contacts(samples.google("Mary", "Jackson", "NASA", "Engineer",
                                          "mary@nasa.example"))
    assert label == "Google Contacts"
    assert (rows[0].name, rows[0].email, rows[0].title) == ("Mary Jackson", "mary@nasa.example",
                                                            "Engineer")
    label, rows = contacts(samples.google_legacy("Katherine Johnson", "NASA", "kj@nasa.example"))
    assert label == "Google Contacts (legacy)"
    assert (rows[0].name, rows[0].organisation) == ("Katherine Johnson", "NASA")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_outlook_in_utf16_or_windows_1252(encoding):
    label, rows = contacts(samples.outlook("José", "Núñez", "Café Ltd", "HRBP",
                                           "jose@example.com", encoding))
    assert label == "Outlook contacts"
    assert (rows[0].name, rows[0].organisation) == ("José Núñez", "Café Ltd")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcards_one_or_many(version):
    data = samples.vcard({"fn": "Dorothy Vaughan", "email": "dv@example.com", "org": "NASA",
                          "title": "Supervisor", "url": "https://linkedin.com/in/dv"},
                         {"fn": "Annie Easley"}, version=version)
    label, rows = contacts(data)
    assert label == "vCard"
    assert [(r.name, r.email, r.organisation) for r in rows] == [
        ("Dorothy Vaughan", "dv@example.com", "NASA"), ("Annie Easley", "", "")]


def test_unknown_csv_is_mapped_by_the_user():
    table = formats.read_table("Who;Mail;Firm\nRosalind Franklin;rf@kings.example;King's\n")
    assert table.shape is None and table.header == ["Who", "Mail", "Firm"]
    mapping = {"name": "Who", "email": "Mail", "organisation": "Firm"}
    (row,) = formats.contacts_of(table, mapping)
    assert (row.name, row.email, row.organisation) == ("Rosalind Franklin", "rf@kings.example",
                                                       "King's")
    assert formats.guess_mapping(["Full Name", "E-mail", "Company"])["email"] == "E-mail"


def test_a_bom_is_not_part_of_the_first_header():
    data = codecs.BOM_UTF8 + samples.linkedin_old([("A", "B", "", "C", "D", "22 Dec 2025")])
    assert contacts(data)[0] == "LinkedIn connections (older export)"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", "First Name,Last Name\n")
    return buffer.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"", "empty"), (b"  \r\n ", "empty"),
    (_zip(), "zip archive"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
    (bytes(range(256)) * 4, "not a text file"),
    ("First Name,Company\nJosé,Café\n".encode() + "Zoë,Ärzte\n".encode("cp1252"),
     "mixes text encodings"),
    (b"x" * (10 * 1024 * 1024 + 1), "larger than 10 MB"),
], ids=["empty", "blank", "zip", "png", "binary", "mixed", "too big"])
def test_bad_files_are_refused_with_a_reason(data, says):
    with pytest.raises(FileRefused, match=says):
        decode_upload(data)


@pytest.mark.parametrize("text, says", [
    ('First Name,Last Name\n"Ada,Lovelace\n', "broken near line"),
    ("Name\n" + "x\n" * (MAX_ROWS + 1), "more than 30,000 rows"),
    ("Name,Email\n", "no people"),
], ids=["broken quoting", "too many rows", "header only"])
def test_unreadable_tables_are_refused_with_a_reason(text, says):
    with pytest.raises(formats.TableRefused, match=says):
        formats.read_table(text)


@pytest.mark.parametrize("contact, says", [
    (Contact(1, name=""), "no name"),
    (Contact(1, name="<script>alert(1)</script>"), "markup"),
    (Contact(1, name="Ada", email="not-an-email"), "not an e-mail address"),
    (Contact(1, name="Ada", email="<b>@x"), "not an e-mail address"),
    (Contact(1, name="A\x00da"), "control characters"),
    (Contact(1, name="x" * 121), "longer than 120"),
    (Contact(1, name="Ada", connected_on="sometime"), "not a date"),
    (Contact(1, name="Ada", connected_on="22 Dec 2099"), "between 1950 and today"),
])
def test_bad_rows_are_refused_with_a_reason(contact, says):
    assert says in checked(contact, TODAY)


def test_formula_text_is_kept_as_text_for_exports_to_neutralise():
    row = checked(Contact(1, name="=HYPERLINK(\"http://x\")", organisation="+1 Corp"), TODAY)
    assert isinstance(row, Checked) and row.name.startswith("=")


def _row(line, name, email="", org="", url=""):
    return Checked(line, name, email, org, "", url, None)


def test_matches_by_email_url_or_name_and_organisation_and_repeats_are_refused():
    known = [Known(7, "Ada Lovelace", "ada@example.com", "", ""),
             Known(8, "José Núñez", "", "Café Ltd", ""),
             Known(9, "Grace", "", "", "linkedin.com/in/grace")]
    rows = [_row(2, "A. Lovelace", "ADA@example.com"), _row(3, "jose  nunez", org="CAFÉ LTD"),
            _row(4, "Grace H", url="https://www.linkedin.com/in/grace/"),
            _row(5, "New Person", "new@example.com"), _row(6, "New P.", "new@example.com"),
            (7, "There is no name.")]
    got = [(p.line, p.verdict, p.match_id) for p in propose(rows, known)]
    assert got == [(2, MATCH, 7), (3, MATCH, 8), (4, MATCH, 9), (5, ADD, None),
                   (6, REFUSED, None), (7, REFUSED, None)]
    assert "line 5" in propose(rows, known)[4].because
