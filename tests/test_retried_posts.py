"""Retried and doubled POSTs on `gunicorn -w 4`: one token, one write, the same answer for all.

A browser that lost the answer to a form sends it again, perhaps while the first is still
running on another worker. Eight identical POSTs (one token) released at once must log one
entry; every one of them gets the first POST's redirect, none a 5xx.
"""

import re

import pytest
from sqlalchemy import func, select

from extensions import db
from referrals.models import Interaction
from referrals.submissions import Submission
from tests.http_server import _in_parallel, _server_failures, running_server

SUBMISSION = re.compile(r'<input[^>]*name="submission_token"[^>]*value="([^"]+)"')
ENTRY = {"occurred_on": "3 Mar 2024", "kind": "call", "direction": "mutual", "note": "Call"}


@pytest.fixture
def server(db_url, tmp_path):
    """`gunicorn -w 4` on a free port of 127.0.0.1, serving the test's database."""
    with running_server(db_url, tmp_path) as running:
        yield running


def _entries() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(Interaction.id)))


def test_identical_posts_at_once_log_one_entry_and_all_get_its_answer(server, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel_id = make.connect(recruiter, candidate).id
    db.session.commit()
    log: list = []
    browser = server.browser(log).sign_in(recruiter.email)
    for round_ in range(3):
        page = browser.get(f"/relationships/{rel_id}").body
        form = {**ENTRY, "submission_token": SUBMISSION.search(page).group(1)}
        tabs = [browser.copy() for _ in range(8)]  # one session, the form sent 8 times at once
        replies = _in_parallel([lambda t=t, form=form: t.post(
            f"/relationships/{rel_id}/interactions", form) for t in tabs])
        assert not _server_failures(log)
        assert {(r.status, r.location.removeprefix(browser.base)) for r in replies} <= {
            (302, f"/relationships/{rel_id}"), (303, f"/relationships/{rel_id}")}
        assert _entries() == round_ + 1
        retried = browser.post(f"/relationships/{rel_id}/interactions", form)
        assert retried.status in (302, 303) and _entries() == round_ + 1
    assert db.session.scalar(select(func.count(Submission.id))) == 3
    assert not server.errors_logged()
