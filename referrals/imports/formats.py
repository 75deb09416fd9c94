"""Recognising an import file's shape by its header row, and reading its rows as contacts.

Pure: no Flask, no database. LinkedIn (today's export and the older one), Google Contacts
(current and legacy), Outlook and any other CSV once its columns are mapped.
"""

import csv
import io
from dataclasses import dataclass, field

from referrals.imports.records import MAX_ROWS, Contact

FIELDS = ("first_name", "last_name", "name", "email", "organisation", "title", "url",
          "connected_on")
FIELD_LABELS = {"first_name": "First name", "last_name": "Last name",
                "name": "Full name", "email": "E-mail", "organisation": "Organisation",
                "title": "Job title", "url": "LinkedIn or web address",
                "connected_on": "Connected on (first contact)"}


@dataclass(frozen=True)
class Shape:
    """A known file layout: its name, the headers that identify it, and field -> header."""

    label: str
    needs: frozenset
    columns: dict = field(default_factory=dict)


SHAPES = (
    Shape("LinkedIn connections", frozenset({"First Name", "Last Name", "URL", "Connected On"}),
          {"first_name": "First Name", "last_name": "Last Name", "url": "URL",
           "email": "Email Address", "organisation": "Company", "title": "Position",
           "connected_on": "Connected On"}),
    Shape("LinkedIn connections (older export)",
          frozenset({"First Name", "Last Name", "Company", "Position", "Connected On"}),
          {"first_name": "First Name", "last_name": "Last Name", "email": "Email Address",
           "organisation": "Company", "title": "Position", "connected_on": "Connected On"}),
    Shape("Google Contacts", frozenset({"First Name", "Last Name", "E-mail 1 - Value",
                                        "Organization Name"}),
          {"first_name": "First Name", "last_name": "Last Name", "email": "E-mail 1 - Value",
           "organisation": "Organization Name", "title": "Organization Title"}),
    Shape("Google Contacts (legacy)", frozenset({"Name", "Given Name", "Family Name",
                                                 "E-mail 1 - Value"}),
          {"name": "Name", "first_name": "Given Name", "last_name": "Family Name",
           "email": "E-mail 1 - Value", "organisation": "Organization 1 - Name",
           "title": "Organization 1 - Title"}),
    Shape("Outlook contacts", frozenset({"First Name", "Last Name", "E-mail Address",
                                         "Job Title"}),
          {"first_name": "First Name", "last_name": "Last Name", "email": "E-mail Address",
           "organisation": "Company", "title": "Job Title", "url": "Web Page"}),
)
TOO_MANY = (f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files and "
            "import them one by one.")
HEADER_SEARCH = 20  # LinkedIn puts a "Notes:" preamble and a blank line above its header


class TableRefused(Exception):
    """A CSV that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Table:
    """A CSV's header, its data rows (with the line each starts on) and the shape recognised."""

    header: list
    rows: list  # (line, cells)
    shape: Shape | None


def read_table(text: str) -> Table:
    """Split a CSV's text into header and rows and recognise its shape; raises TableRefused."""
    sample = text[:8192]
    delimiter = "," if sample.count(",") >= max(sample.count(";"), sample.count("\t")) else (
        ";" if sample.count(";") >= sample.count("\t") else "\t")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
                if len(rows) > MAX_ROWS + HEADER_SEARCH:
                    raise TableRefused(TOO_MANY)
    except csv.Error as exc:
        raise TableRefused(f"The CSV is broken near line {reader.line_num}: {exc}. Check its "
                           "quotes, or save it again from a spreadsheet.") from exc
    if not rows:
        raise TableRefused("The file holds no rows.")
    at, shape = 0, None
    for i, (_line, cells) in enumerate(rows[:HEADER_SEARCH]):
        shape = next((s for s in SHAPES if s.needs <= {c.strip() for c in cells}), None)
        if shape:
            at = i
            break
    header, rows = [c.strip() for c in rows[at][1]], rows[at + 1:]
    if len(rows) > MAX_ROWS:
        raise TableRefused(TOO_MANY)
    if not rows:
        raise TableRefused("The file has a header but no people in it.")
    return Table(header=header, rows=rows, shape=shape)


def guess_mapping(header: list) -> dict:
    """A starting mapping for an unknown CSV: field -> header, from common header names."""
    lowered = {h.lower().strip(): h for h in header}
    hints = {"first_name": ("first name", "given name", "firstname", "prénom"),
             "last_name": ("last name", "family name", "surname", "lastname", "nom"),
             "name": ("name", "full name", "display name"),
             "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
             "organisation": ("company", "organisation", "organization", "employer"),
             "title": ("title", "job title", "position", "role"),
             "url": ("url", "linkedin", "profile", "website", "web page"),
             "connected_on": ("connected on", "first contact", "met on", "date")}
    return {name: next((lowered[h] for h in names if h in lowered), "")
            for name, names in hints.items()}


def contacts_of(table: Table, mapping: dict | None = None) -> list[Contact]:
    """The table's rows as contacts, by the shape's columns or the given field -> header map."""
    columns = mapping if mapping is not None else table.shape.columns
    index = {h: i for i, h in reversed(list(enumerate(table.header)))}
    where = {name: index.get(columns.get(name, ""), -1) for name in FIELDS}

    def cell(cells, name):
        i = where[name]
        return cells[i].strip() if 0 <= i < len(cells) else ""

    contacts = []
    for line, cells in table.rows:
        values = {name: cell(cells, name) for name in FIELDS}
        name = values.pop("name") or " ".join(
            filter(None, (values.pop("first_name"), values.pop("last_name"))))
        values.pop("first_name", None)
        values.pop("last_name", None)
        contacts.append(Contact(line=line, name=name, **values))
    return contacts
