"""CVs over HTTP: attach, download, replace, remove; who may have them; atomic files; erasure
and export."""

import json
from pathlib import Path

import pytest
from flask import current_app

from extensions import db
from referrals.erasure import accounts
from referrals.erasure.people import delete_kept_person
from referrals.network import cvs
from referrals.network.cv_files import DOCX_TYPE, PDF_TYPE
from referrals.network.models import CvFile
from tests import cv_samples
from tests.conftest import database_rows, login, post
from tests.cv_samples import send_cv


def signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def stored_files() -> list[Path]:
    directory = Path(current_app.config["CV_STORAGE_DIR"])
    return sorted(directory.iterdir()) if directory.exists() else []


def test_a_candidate_attaches_a_cv_and_downloads_it_safely(app, make):
    candidate = make.user(name="Grace Liu")
    client = signed_in(app, candidate)
    pid = candidate.person.id
    response = send_cv(client, pid, cv_samples.pdf(), name="../../Grace Liu CV.pdf")
    assert response.status_code == 302
    page = client.get(f"/people/{pid}").get_data(as_text=True)
    assert "CV attached." in page and "Download Grace Liu’s CV" in page and "PDF · " in page
    got = client.get(f"/people/{pid}/cv")
    assert got.status_code == 200 and got.get_data() == cv_samples.pdf()
    assert got.headers["Content-Type"] == PDF_TYPE
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="Grace Liu CV.pdf"' in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(db.select(CvFile))
    assert row.uploaded_by_id == candidate.id and row.size == len(cv_samples.pdf())
    [stored] = stored_files()
    assert stored.name == row.stored_name and "Grace" not in stored.name
    assert "static" not in stored.parts


def test_replacing_a_cv_swaps_the_file_and_leaves_no_old_one(app, make):
    candidate = make.user()
    client = signed_in(app, candidate)
    pid = candidate.person.id
    send_cv(client, pid, cv_samples.pdf())
    first = stored_files()
    response = send_cv(client, pid, cv_samples.docx(), name="cv.docx")
    assert response.status_code == 302
    assert "CV replaced." in client.get(f"/people/{pid}").get_data(as_text=True)
    got = client.get(f"/people/{pid}/cv")
    assert got.headers["Content-Type"] == DOCX_TYPE and got.get_data() == cv_samples.docx()
    assert len(stored_files()) == 1 and stored_files() != first


def test_removing_a_cv_deletes_row_and_file(app, make):
    candidate = make.user()
    client = signed_in(app, candidate)
    pid = candidate.person.id
    send_cv(client, pid, cv_samples.pdf())
    response = post(client, f"/people/{pid}/cv/remove", token_from=f"/people/{pid}")
    assert response.status_code == 302
    assert db.session.scalar(db.select(CvFile)) is None and stored_files() == []
    assert client.get(f"/people/{pid}/cv").status_code == 404
    assert "No CV attached yet." in client.get(f"/people/{pid}").get_data(as_text=True)


def test_the_recruiter_keeping_a_record_attaches_its_cv(app, make):
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, "Kept Candidate")
    client = signed_in(app, recruiter)
    assert send_cv(client, contact.id, cv_samples.pdf()).status_code == 302
    assert client.get(f"/people/{contact.id}/cv").status_code == 200


def test_others_may_download_only_where_the_profile_is_visible_and_never_upload(app, make):
    candidate, recruiter, stranger = (make.user(visibility="recruiters"),
                                      make.user("recruiter"), make.user())
    signed_in(app, candidate)
    send_cv(signed_in(app, candidate), candidate.person.id, cv_samples.pdf())
    pid = candidate.person.id
    seer, other = signed_in(app, recruiter), signed_in(app, stranger)
    assert seer.get(f"/people/{pid}/cv").status_code == 200
    assert "Download" in seer.get(f"/people/{pid}").get_data(as_text=True)
    assert other.get(f"/people/{pid}/cv").status_code == 404
    before = database_rows()
    assert send_cv(seer, pid, cv_samples.docx(), "x.docx").status_code == 403
    assert post(seer, f"/people/{pid}/cv/remove").status_code == 403
    assert database_rows() == before
    assert "Attach a CV" not in seer.get(f"/people/{pid}").get_data(as_text=True)


@pytest.mark.parametrize("data, name, message", [
    (b"", "cv.pdf", "Choose your CV file"),
    (b"MZ\x90\x00 a program", "cv.pdf", "not a PDF or a Word (.docx) document"),
    (cv_samples.pdf_with_script(), "cv.pdf", "contains script or embedded files"),
    (cv_samples.docx_with_macros(), "cv.docx", "contains macros"),
], ids=["empty", "renamed program", "script", "macros"])
def test_a_refused_file_says_why_and_writes_nothing(app, make, data, name, message):
    candidate = make.user()
    client = signed_in(app, candidate)
    before = database_rows()
    response = send_cv(client, candidate.person.id, data, name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert database_rows() == before and stored_files() == []


def test_a_body_over_the_cv_limit_gets_a_clear_413(app, make):
    candidate = make.user()
    client = signed_in(app, candidate)
    response = send_cv(client, candidate.person.id, b"%PDF-" + b"x" * (6 * 1024 * 1024))
    assert response.status_code == 413
    assert "A CV may be at most 5 MB." in response.get_data(as_text=True)


def test_a_failed_commit_leaves_no_file_behind(app, make, monkeypatch):
    candidate = make.user()

    def broken_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        cvs.attach_cv(candidate, candidate.person, "cv.pdf", cv_samples.pdf())
    monkeypatch.undo()
    assert stored_files() == [] and db.session.scalar(db.select(CvFile)) is None


def test_the_purge_sweeps_files_without_rows(app, make, runner):
    import os
    import time

    candidate = make.user()
    cvs.attach_cv(candidate, candidate.person, "cv.pdf", cv_samples.pdf())
    directory = cvs.storage_dir()
    old, fresh = directory / ".upload-crashed.tmp", directory / "feedbeef.cv"
    old.write_bytes(b"half"), fresh.write_bytes(b"in flight")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert cvs.sweep_orphans() == 1
    assert not old.exists() and fresh.exists() and len(stored_files()) == 2


def test_deleting_a_kept_person_deletes_their_cv(app, make):
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, "Kept Candidate")
    cvs.attach_cv(recruiter, contact, "cv.pdf", cv_samples.pdf())
    delete_kept_person(recruiter, contact)
    assert db.session.scalar(db.select(CvFile)) is None and stored_files() == []


def test_deleting_an_account_deletes_its_cv(app, make):
    candidate = make.user()
    cvs.attach_cv(candidate, candidate.person, "cv.pdf", cv_samples.pdf())
    accounts.delete_account(candidate)
    assert db.session.scalar(db.select(CvFile)) is None and stored_files() == []


def test_a_claimed_record_keeps_the_cv_the_recruiter_attached(app, make):
    from referrals.network import merging

    recruiter = make.user("recruiter")
    keep = make.contact(recruiter, "Kept", email="same@example.com")
    drop = make.contact(recruiter, "Kept again", email="same@example.com")
    cvs.attach_cv(recruiter, drop, "cv.pdf", cv_samples.pdf())
    merging.merge_duplicate(recruiter, keep, drop)
    assert cvs.cv_of(db.session.get(type(keep), keep.id)) is not None


def test_the_export_lists_the_cv_without_its_bytes(app, make):
    candidate = make.user()
    client = signed_in(app, candidate)
    send_cv(client, candidate.person.id, cv_samples.pdf(), "My CV.pdf")
    exported = json.loads(client.get("/export/data.json").get_data())
    cv = exported["profile"]["cv"]
    assert cv["filename"] == "My CV.pdf" and cv["content_type"] == PDF_TYPE
    assert cv["size"] == len(cv_samples.pdf()) and len(cv["sha256"]) == 64
