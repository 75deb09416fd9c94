"""Hostile searches cannot starve other pages: sign-in answers while eight of them run.

Eight browsers (eight accounts, so no one person's search limit stops them) send searches of
24 unknown 40-letter words, new words each time, in a loop, to `gunicorn -w 4`. Before the
search budget each took over a second of CPU even on this small index (the typo automaton of a
long word costs the same whatever the index's size), so they held all four workers and a
sign-in waited for more than 30 seconds. The one timing check the issue asks for: sign-in
answers within a second meanwhile. Within a second of how long it takes while the same eight
browsers send ordinary searches, that is: any eight browsers in a loop compete for the CPU
with the sign-in's argon2 check (on a busy CI machine that alone can take seconds); what
hostile searches must not do is hold the workers. On a machine so loaded that the ordinary
sign-in takes over a second, the allowance grows with it (twice the ordinary time): starving
still fails by far (a 30 s client timeout, against 5 to 8 s at a load average of 30 on 2 cores).
"""

import random
import statistics
import string
import threading
import time

import pytest

from extensions import db
from tests.conftest import PASSWORD
from tests.http_server import _server_failures, _sign_in_all, running_server

SEARCHERS = 8
SIGN_INS = 3
SIGN_IN_WITHIN_S = 1.0  # more than while searches are ordinary; starving adds 30 s and more


def _hostile(rng) -> str:
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(40))
                    for _ in range(24))


def _ordinary(rng) -> str:
    return rng.choice(["payroll", "reward manager", "payroll london", "contact"])


@pytest.fixture
def server(db_url, tmp_path):
    """`gunicorn -w 4` with search limits out of the way (their own tests cover them)."""
    with running_server(db_url, tmp_path, {"REFERRALS_RATELIMIT_SEARCH": "100000 per minute",
                                           "REFERRALS_RATELIMIT_SIGN_IN_ADDRESS":
                                           "100000 per minute"}) as running:
        yield running


def test_sign_in_answers_within_a_second_while_hostile_searches_run(server, make):
    searchers = [make.user("recruiter", skills="Payroll\nReward") for _ in range(SEARCHERS)]
    someone = make.user("candidate")
    for n in range(30):
        make.contact(searchers[n % SEARCHERS], f"Contact {n}", title="Payroll Manager")
    db.session.commit()
    log: list = []
    browsers = _sign_in_all(server, log, [u.email for u in searchers])
    ordinary = _sign_ins_while_searching(server, log, browsers, _ordinary, someone.email)
    hostile = _sign_ins_while_searching(server, log, browsers, _hostile, someone.email)
    assert not _server_failures(log)
    usual = statistics.median(ordinary)
    assert statistics.median(hostile) < usual + max(SIGN_IN_WITHIN_S, usual), (ordinary, hostile)


def _sign_ins_while_searching(server, log, browsers, queries, email) -> list[float]:
    """Seconds each of SIGN_INS sign-ins took while every browser searched in a loop."""
    stop = threading.Event()
    searched: list = []

    def search(browser, seed):
        rng = random.Random(seed)
        while not stop.is_set():
            reply = browser.get("/search/?q=" + queries(rng).replace(" ", "+"))
            searched.append(reply.status)

    threads = [threading.Thread(target=search, args=(b, n)) for n, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    waits = []
    try:
        time.sleep(1.5)  # every worker busy with searches
        for _ in range(SIGN_INS):
            waits.append(_sign_in(server, log, email))
            time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert set(searched) == {200} and len(searched) >= len(browsers)
    return waits


def _sign_in(server, log, email) -> float:
    """Seconds a sign-in (the form's POST) takes to answer, from a new browser."""
    browser = server.browser(log)
    browser.refresh_token("/login")
    start = time.monotonic()
    reply = browser.post("/login", {"email": email, "password": PASSWORD})
    assert reply.status == 302, (reply.status, reply.body[:300])
    return time.monotonic() - start
