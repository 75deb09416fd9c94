"""Writing an export's plain data as JSON, CSV tables (safe to open in a spreadsheet) and vCard.

Pure: no Flask, no database. The data is the dict collect.collect_export returns; its shape is
documented in docs/export.md.
"""

import csv
import io
import json
import zipfile

import vobject

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TABLES = ("profile", "network", "histories", "openings", "recommendations")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_json(data: dict) -> str:
    """The whole export as indented JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def as_csv_tables(data: dict) -> dict[str, str]:
    """One CSV text per table (file name -> text); every cell formula-safe."""
    files = {}
    for name in TABLES:
        rows = data.get(name) or []
        rows = [rows] if isinstance(rows, dict) else rows
        columns = list(dict.fromkeys(key for row in rows for key in row)) or ["id"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(_flat(row.get(c))) for c in columns])
        files[f"{name}.csv"] = out.getvalue()
    return files


def _flat(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def as_zip(files: dict[str, str], readme: str) -> bytes:
    """A zip of the CSV files (UTF-8 with a BOM, so spreadsheets read accents) and a readme."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, text in files.items():
            archive.writestr(name, "\ufeff" + text)
    return buffer.getvalue()


def as_vcards(contacts: list[dict]) -> str:
    """vCard 3.0 cards for the people in one's network (name, e-mail, organisation, title)."""
    cards = []
    for person in contacts:
        card = vobject.vCard()
        card.add("fn").value = person["name"]
        parts = person["name"].rsplit(" ", 1)
        card.add("n").value = vobject.vcard.Name(family=parts[-1] if len(parts) > 1 else "",
                                                 given=parts[0])
        if person.get("email"):
            card.add("email").value = person["email"]
        if person.get("organisation"):
            card.add("org").value = [person["organisation"]]
        if person.get("title"):
            card.add("title").value = person["title"]
        cards.append(card.serialize())
    return "".join(cards)
