"""Taking one's data out: complete, one's own private notes only, and safe in a spreadsheet."""

import csv
import io
import json
import zipfile
from datetime import date

import vobject

from referrals.exports.writers import safe_cell
from tests.conftest import login

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _world(make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    candidate = make.user("candidate", name="Cara Candidate", headline="Reward lead",
                          visibility="recruiters")
    hidden = make.user("candidate", name="Hana Hidden", headline="HIDDEN-HEADLINE",
                       visibility="private")
    rel = make.connect(recruiter, candidate)
    make.connect(recruiter, hidden)
    make.log(recruiter, rel, kind="advice", direction="i_gave", day=date(2023, 4, 1),
             note="Shared market data", private_note="RITA-PRIVATE", confirm_by=candidate)
    make.log(candidate, rel, kind="referral", direction="i_gave", day=date(2024, 2, 1),
             private_note="CARA-PRIVATE")
    make.contact(recruiter, FORMULA, email="kept@example.com", organisation="+44 Ltd",
                 title="@head")
    return recruiter, candidate


def test_json_export_is_complete_and_holds_only_my_private_notes(app, make):
    recruiter, candidate = _world(make)
    response = _signed_in(app, candidate).get("/export/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert set(data) == {"schema_version", "exported_at", "account", "profile", "network",
                         "histories", "openings", "recommendations"}
    assert data["profile"]["headline"] == "Reward lead"
    (rita,) = data["network"]
    # One piece of advice in 2023: by now a faded standing, but a computed one.
    assert rita["name"] == "Rita Recruiter" and isinstance(rita["score"], int)
    assert 0 <= rita["score"] <= 100
    assert [(h["kind"], h["logged_by"], h["private_note"]) for h in data["histories"]] == [
        ("advice", "them", ""), ("referral", "me", "CARA-PRIVATE")]
    assert "RITA-PRIVATE" not in response.get_data(as_text=True)


def test_a_private_profile_gives_only_its_name_in_a_connections_export(app, make):
    recruiter, _ = _world(make)
    body = _signed_in(app, recruiter).get("/export/data.json").get_data(as_text=True)
    assert "Hana Hidden" in body and "HIDDEN-HEADLINE" not in body
    assert "RITA-PRIVATE" in body and "CARA-PRIVATE" not in body


def test_csv_tables_neutralise_formulas(app, make):
    recruiter, _ = _world(make)
    response = _signed_in(app, recruiter).get("/export/tables.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert {"README.txt", "profile.csv", "network.csv", "histories.csv", "openings.csv",
            "recommendations.csv"} == set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("network.csv").decode("utf-8-sig"))))
    kept = next(row for row in rows if row["email"] == "kept@example.com")
    assert (kept["name"], kept["organisation"], kept["title"]) == (
        "'" + FORMULA, "'+44 Ltd", "'@head")
    cells = [cell for name in archive.namelist() if name.endswith(".csv")
             for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
             for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_safe_cell_leaves_ordinary_text_alone():
    assert [safe_cell(v) for v in ("Ada", "-5", "\tx", "a=b", None, 42)] == [
        "Ada", "'-5", "'\tx", "a=b", "", "42"]


def test_vcard_export_reads_back_as_the_network(app, make):
    recruiter, _ = _world(make)
    response = _signed_in(app, recruiter).get("/export/contacts.vcf")
    assert response.mimetype == "text/vcard"
    cards = list(vobject.readComponents(response.get_data(as_text=True)))
    names = sorted(card.fn.value for card in cards)
    assert names == sorted(["Cara Candidate", "Hana Hidden", FORMULA])
    kept = next(card for card in cards if card.fn.value == FORMULA)
    assert kept.email.value == "kept@example.com"


def test_export_page_counts_what_will_be_taken(app, make):
    recruiter, _ = _world(make)
    page = _signed_in(app, recruiter).get("/export").get_data(as_text=True)
    assert "the 3 people in your network" in page and "the 2 entries" in page
