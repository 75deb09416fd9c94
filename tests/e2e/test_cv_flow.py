"""CVs end to end: a candidate attaches a CV on their profile, a recruiter who may see the
profile downloads it, and a PDF with script is refused with its reason beside the field."""

import pytest
from playwright.sync_api import expect

from tests import cv_samples
from tests.e2e.test_invite_flow import sign_in

pytestmark = pytest.mark.e2e


def test_candidate_attaches_a_cv_and_a_recruiter_downloads_it(make, new_actor, shot, tmp_path):
    grace = make.user("candidate", name="Grace Liu", visibility="recruiters",
                      headline="HR Business Partner", skills="Employee relations\nCIPD Level 7")
    recruiter = make.user("recruiter", name="Priya Recruiter")
    cv_file, bad_file = tmp_path / "Grace Liu CV.pdf", tmp_path / "innocent.pdf"
    cv_file.write_bytes(cv_samples.pdf("Grace Liu - HR Business Partner"))
    bad_file.write_bytes(cv_samples.pdf_with_script())

    page = new_actor("candidate")
    sign_in(page, grace.email)
    page.goto(f"/people/{grace.person.id}")
    expect(page.get_by_text("No CV attached yet.")).to_be_visible()
    page.get_by_label("CV file (PDF or Word .docx)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Attach a CV").click()
    expect(page.locator("#file-err")).to_contain_text("contains script or embedded files")
    shot(page, "31-cv-refused")
    page.get_by_label("CV file (PDF or Word .docx)").set_input_files(str(cv_file))
    page.get_by_role("button", name="Attach a CV").click()
    expect(page.get_by_text("CV attached.")).to_be_visible()
    link = page.get_by_role("link", name="Download Grace Liu’s CV")
    expect(link).to_be_visible()
    expect(page.locator("#cv")).to_contain_text("PDF ·")
    expect(page.get_by_role("button", name="Replace the CV")).to_be_visible()
    shot(page, "30-profile-with-cv")

    priya = new_actor("recruiter")
    sign_in(priya, recruiter.email)
    priya.goto(f"/people/{grace.person.id}")
    expect(priya.get_by_role("button", name="Replace the CV")).to_have_count(0)
    with priya.expect_download() as download:
        priya.get_by_role("link", name="Download Grace Liu’s CV").click()
    saved = download.value
    assert saved.suggested_filename == "Grace Liu CV.pdf"
    assert saved.path().read_bytes() == cv_file.read_bytes()
