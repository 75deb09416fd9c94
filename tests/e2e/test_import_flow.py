"""Importing a LinkedIn export end to end, in headless Chromium, through the UI only: upload,
review the preview, merge a duplicate, import, undo, import again, find someone in search."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_invite_flow import sign_in
from tests.imports.samples import linkedin

pytestmark = pytest.mark.e2e

RECRUITER_EMAIL = "rita@example.com"
CONNECTIONS = linkedin([
    ("Ada", "Lovelace", "https://www.linkedin.com/in/ada", "", "Analytical Engines",
     "Head of People", "22 Dec 2025"),
    ("Grace", "Hopper", "https://www.linkedin.com/in/grace", "grace@navy.example", "Navy",
     "Talent Partner", "08 Jan 2018"),
    ("Alan", "Turing", "https://www.linkedin.com/in/alan", "", "Bletchley", "Analyst",
     "01 Jun 2020"),
    ("Bad", "Mail", "", "not-an-email", "", "", "01 Jun 2020"),
])


def upload(page, shot=None, name=""):
    """Open the import page from the menu and send the LinkedIn file."""
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import your network")).to_be_visible()
    page.get_by_label("File").set_input_files(
        {"name": "Connections.csv", "mimeType": "text/csv", "buffer": CONNECTIONS})
    if shot:
        shot(page, name)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("^Preview"))).to_be_visible()


def test_recruiter_imports_undoes_and_imports_again_then_finds_someone(make, new_actor, shot):
    rita_user = make.user("recruiter", name="Rita Recruiter", email=RECRUITER_EMAIL)
    make.contact(rita_user, "Grace B. Hopper", email="grace@navy.example")
    rita = new_actor("recruiter")
    sign_in(rita, RECRUITER_EMAIL)

    upload(rita, shot, "import-01-upload")
    expect(rita.get_by_text("2 to add, 1 already in your network, 1 refused")).to_be_visible()
    expect(rita.get_by_text("Already in your network: the same e-mail.")).to_be_visible()
    expect(rita.get_by_text("'not-an-email' is not an e-mail address.")).to_be_visible()
    rita.get_by_label(re.compile("Choice for line")).select_option("merge")
    shot(rita, "import-02-preview")
    rita.get_by_role("button", name="Import 3 people").click()
    expect(rita.get_by_text(re.compile("2 added, 1 merged, 0 skipped, 1 refused")).first
           ).to_be_visible()
    shot(rita, "import-03-imported")

    rita.get_by_role("button", name="Undo this import").click()
    expect(rita.get_by_text("Import undone: 2 removed, 1 restored.")).to_be_visible()
    shot(rita, "import-04-undone")

    upload(rita)
    rita.get_by_role("button", name="Import 3 people").click()
    expect(rita.get_by_text(re.compile("2 added, 1 merged")).first).to_be_visible()

    rita.locator("#site-search").fill("Lovelace")
    rita.keyboard.press("Enter")
    result = rita.get_by_role("link", name=re.compile("Ada.*Lovelace"))
    expect(result.first).to_be_visible()
    shot(rita, "import-05-search")
    result.first.click()
    expect(rita.get_by_role("heading", name="Ada Lovelace")).to_be_visible()


def test_export_and_deletion_pages_read_well(make, new_actor, shot):
    """Not a flow: the pages people reach from the menu, looked at in a real browser."""
    rita_user = make.user("recruiter", name="Rita Recruiter", email=RECRUITER_EMAIL)
    kept = make.contact(rita_user, "Grace B. Hopper", email="grace@navy.example")
    rita = new_actor("recruiter")
    sign_in(rita, RECRUITER_EMAIL)
    rita.get_by_role("link", name="Export", exact=True).click()
    expect(rita.get_by_role("heading", name="Take your data with you")).to_be_visible()
    shot(rita, "export-01-page")
    rita.get_by_role("link", name="Delete your account").click()
    expect(rita.get_by_role("button", name="Delete my account for good")).to_be_visible()
    shot(rita, "erasure-01-account")
    rita.goto(f"/people/{kept.id}")
    rita.get_by_role("link", name="Delete", exact=True).click()
    rita.get_by_role("button", name="Delete Grace B. Hopper for good").click()
    expect(rita.get_by_text("Grace B. Hopper and everything you kept about them are deleted."))\
        .to_be_visible()
    shot(rita, "erasure-02-person-deleted")
    rita.get_by_role("link", name="Import", exact=True).click()
    rita.get_by_label("File").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv",
         "buffer": b"Who;Mail;Firm\nRosalind Franklin;rf@kings.example;King's College\n"})
    rita.get_by_role("button", name="Preview the import").click()
    expect(rita.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    shot(rita, "import-06-mapping")
