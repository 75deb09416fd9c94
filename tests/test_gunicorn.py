"""The app under `gunicorn -w 4` (sync workers) on real HTTP: several workers, one database."""

import http.cookiejar
import os
import random
import re
import secrets
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auth.models import UserSession
from extensions import db
from referrals import trust_store
from referrals.models import AuditEvent, Interaction, Person, Relationship
from tests.conftest import PASSWORD, TOKEN_RE

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 4
START_TIMEOUT = 30.0  # seconds for gunicorn to bind and a worker to answer
SEARCH_DEADLINE = 1.0  # the target: a profile edit is found by search within 1 s
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
PEOPLE_LINK = re.compile(r'href="/people/(\d+)"')
ANSWER_PATH = re.compile(r'action="/relationships/interactions/(\d+)/confirm"')


@dataclass
class Reply:
    """One HTTP answer: status, body and redirect target."""

    method: str
    path: str
    status: int
    body: str
    location: str = ""

    @property
    def to_login(self) -> bool:
        """A redirect to the sign-in page."""
        return self.status in (302, 303) and urllib.parse.urlsplit(self.location).path == "/login"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller, as answers to inspect."""

    def redirect_request(self, *args, **kwargs):
        """Follow nothing."""
        return None


@dataclass
class Browser:
    """One browser: its own cookie jar and CSRF token, a new connection for every request."""

    base: str
    log: list = field(default_factory=list)  # every Reply, to check for 5xx at the end
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    token: str = ""

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirects())

    def request(self, method: str, path: str, data: dict | None = None) -> Reply:
        """Send one request; 4xx and 5xx come back as replies, not exceptions."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            reply = Reply(method, path, response.getcode(),
                          response.read().decode("utf-8", "replace"),
                          response.headers.get("Location", ""))
        self.log.append(reply)
        return reply

    def get(self, path: str) -> Reply:
        """GET a page."""
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None) -> Reply:
        """POST a form with this session's CSRF token."""
        return self.request("POST", path, {"csrf_token": self.token, **(data or {})})

    def refresh_token(self, path: str) -> str:
        """Take the CSRF token from a page's form (it is bound to this session)."""
        reply = self.get(path)
        match = TOKEN_RE.search(reply.body)
        assert match, f"no CSRF token on {path}: {reply.status} {reply.body[:300]}"
        self.token = match.group(1)
        return self.token

    def sign_in(self, email: str) -> "Browser":
        """Sign in through the real form, then take the new session's token."""
        self.refresh_token("/login")
        reply = self.post("/login", {"email": email, "password": PASSWORD})
        assert reply.status == 302, (reply.status, reply.body[:500])
        self.refresh_token("/")  # the navigation's sign-out form carries it
        return self

    def copy(self) -> "Browser":
        """Another browser holding a copy of this one's cookies (a stolen or synced cookie)."""
        twin = Browser(self.base, self.log, token=self.token)
        for cookie in self.jar:
            twin.jar.set_cookie(cookie)
        return twin


@pytest.fixture
def server(app, db_url, tmp_path):
    """`gunicorn -w 4` on a free port of 127.0.0.1, serving the test's database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFERRALS_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=db_url, SECRET_KEY=secrets.token_urlsafe(48),
               APP_ENV="development", REFERRALS_SEARCH_INDEX_DIR=str(tmp_path / "index"))
    log_path = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [str(gunicorn), "-w", str(WORKERS), "-b", "127.0.0.1:0", "--graceful-timeout", "10",
             "--error-logfile", "-", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        base = _wait_until_serving(proc, log_path)
        yield Server(base, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@dataclass
class Server:
    """A running gunicorn: its base URL and its log."""

    base: str
    log_path: Path

    def browser(self, log: list) -> Browser:
        """A new browser on this server, recording its replies in `log`."""
        return Browser(self.base, log)

    def errors_logged(self) -> list[str]:
        """Lines of the server log that report an error in a worker."""
        text = self.log_path.read_text()
        return [line for line in text.splitlines()
                if any(word in line for word in ("Traceback", "Error", "[ERROR]", "deferred"))]


def _wait_until_serving(proc: subprocess.Popen, log_path: Path) -> str:
    """The base URL once a worker answers; fails if gunicorn exits or is too slow."""
    deadline = time.monotonic() + START_TIMEOUT
    base = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log_path.read_text()}")
        if not base:
            match = LISTENING.search(log_path.read_text())
            base = f"http://127.0.0.1:{match.group(1)}" if match else ""
        if base:
            try:
                if Browser(base).get("/login").status == 200:
                    return base
            except OSError:
                pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{log_path.read_text()}")


def _in_parallel(jobs):
    """Run each job in its own thread, all released at once; return their results in order."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs, timeout=120))


def _server_failures(replies: list[Reply]) -> list[tuple]:
    return [(r.method, r.path, r.status, r.body[:200]) for r in replies if r.status >= 500]


def _sign_in_all(server, log, emails):
    browsers = [server.browser(log) for _ in emails]
    return _in_parallel([lambda b=b, e=e: b.sign_in(e) for b, e in zip(browsers, emails)])


def test_two_parties_write_one_history_across_workers(server, make):
    """Logs, confirms and disputes from 8 sessions on 4 workers: one winner per answer, no loss."""
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    seeded = {"recruiter": [make.log(recruiter, rel, day=date(2024, 1, d)).id
                            for d in range(1, 5)],
              "candidate": [make.log(candidate, rel, day=date(2024, 2, d)).id
                            for d in range(1, 5)]}
    rel_id, emails = rel.id, {"recruiter": recruiter.email, "candidate": candidate.email}
    db.session.commit()

    log: list[Reply] = []
    sessions = {"recruiter": [], "candidate": []}
    for party, browser in zip(["recruiter"] * 4 + ["candidate"] * 4, _sign_in_all(
            server, log, [emails["recruiter"]] * 4 + [emails["candidate"]] * 4)):
        sessions[party].append(browser)
    claims = Counter()
    lock = threading.Lock()

    def claim(kind, reply, allowed):
        assert reply.status in allowed, (kind, reply.status, reply.body[:500])
        if reply.status == 302:
            with lock:
                claims[kind] += 1
        return reply

    # Phase 1: each session logs interactions while, in pairs, two sessions of the party who
    # did not log a seeded entry answer it at the same moment (one confirms, one disputes).
    pair_barriers = {iid: threading.Barrier(2) for ids in seeded.values() for iid in ids}
    races = {}

    def worker(party, index):
        browser = sessions[party][index]
        other = "candidate" if party == "recruiter" else "recruiter"
        pair = seeded[other][(index // 2) * 2:(index // 2) * 2 + 2]
        confirm_first = index % 2 == 0
        for n, iid in enumerate(pair):
            confirm = confirm_first == (n == 0)
            pair_barriers[iid].wait(timeout=60)
            if confirm:
                reply = browser.post(f"/relationships/interactions/{iid}/confirm")
            else:
                reply = browser.post(f"/relationships/interactions/{iid}/dispute",
                                     {"reason": f"Not how {party} remembers it."})
            claim("confirmed" if confirm else "disputed", reply, (302, 409))
            with lock:
                races.setdefault(iid, []).append(reply)
            day = date(2023, 1 + index * 2 + n, 10 + (party == "candidate"))
            claim("logged", browser.post(f"/relationships/{rel_id}/interactions", {
                "occurred_on": day.isoformat(), "kind": random.choice(["advice", "call",
                                                                        "introduction"]),
                "direction": random.choice(["i_gave", "they_gave", "mutual"]),
                "note": f"{party} {index}.{n}", "private_note": ""}), (302,))
        # Answering one's own entry is refused, whichever worker gets it.
        own = seeded[party][index]
        claim("own", browser.post(f"/relationships/interactions/{own}/confirm"), (409,))

    _in_parallel([lambda p=p, i=i: worker(p, i) for p in sessions for i in range(4)])
    for iid, replies in races.items():
        assert sorted(r.status for r in replies) == [302, 409], iid
        loser = next(r for r in replies if r.status == 409)
        assert "Not done" in loser.body and "This interaction is already" in loser.body, iid

    # Phase 2: all four sessions of a party answer every entry still pending for them at once.
    def pending_for(party):
        page = sessions[party][0].get(f"/relationships/{rel_id}")
        assert page.status == 200
        return [int(i) for i in ANSWER_PATH.findall(page.body)]

    jobs = []
    for party in sessions:
        ids = pending_for(party)
        assert len(ids) == 8, (party, ids)  # the 8 the other side logged over HTTP
        for iid in ids:
            for index, browser in enumerate(sessions[party]):
                if index % 2:
                    jobs.append(lambda b=browser, i=iid: ("disputed", i, b.post(
                        f"/relationships/interactions/{i}/dispute", {"reason": "No."})))
                else:
                    jobs.append(lambda b=browser, i=iid: ("confirmed", i, b.post(
                        f"/relationships/interactions/{i}/confirm")))
    outcomes = _in_parallel(jobs)
    winners = Counter()
    for kind, iid, reply in outcomes:
        claim(kind, reply, (302, 409))
        winners[iid] += reply.status == 302
    assert set(winners.values()) == {1}, winners  # exactly one of four answers won, each time
    assert not pending_for("recruiter") and not pending_for("candidate")

    assert _server_failures(log) == []
    assert server.errors_logged() == []
    db.session.rollback()  # a fresh snapshot of what the workers committed
    statuses = Counter(db.session.scalars(
        select(Interaction.status).where(Interaction.relationship_id == rel_id)))
    assert sum(statuses.values()) == 8 + claims["logged"] == 24
    assert statuses == {"confirmed": claims["confirmed"], "disputed": claims["disputed"]}
    assert claims["confirmed"] + claims["disputed"] == 24
    actions = Counter(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.relationship_id == rel_id)))
    assert actions == {"logged": 24, "confirmed": claims["confirmed"],
                       "disputed": claims["disputed"]}
    rel = db.session.get(Relationship, rel_id)
    stored = rel.trust_ledger, rel.trust_summary, rel.last_contact_on
    trust_store.rebuild(rel)  # the full recompute, on this session's copy of the row
    assert (rel.trust_ledger, rel.trust_summary) == stored[:2]
    assert stored[2] == db.session.scalar(select(func.max(Interaction.occurred_on)).where(
        Interaction.relationship_id == rel_id, Interaction.status != "disputed"))
    db.session.rollback()


def _word() -> str:
    return "zq" + "".join(random.choices(string.ascii_lowercase, k=10))


def _profile(name: str, headline: str) -> dict:
    return {"name": name, "headline": headline, "title": "Payroll Analyst",
            "organisation": "Acme", "location": "Leeds", "skills": "Payroll\nExcel",
            "summary": "", "years_experience": "4", "visibility": "recruiters"}


def test_concurrent_profile_edits_reach_search_within_a_second(server, make):
    """Six people edit at once while searches run; every edit is found within 1 s, none lost."""
    searcher = make.user("recruiter")
    editors = [make.user("candidate") for _ in range(6)]
    people = [(u.email, u.person.id, u.person.name) for u in editors]
    searcher_email = searcher.email
    db.session.commit()

    log: list[Reply] = []
    browsers = _sign_in_all(server, log, [e for e, _, _ in people] + [searcher_email] * 4)
    editing, searching = browsers[:6], browsers[6:]
    latencies, first_misses, previous = [], [], {}
    for _round in range(3):
        words = {pid: _word() for _, pid, _ in people}
        stop = threading.Event()

        def background(browser):
            while not stop.is_set():  # searches racing the edits and the index writers
                browser.get(f"/search/?q={random.choice(['payroll', 'leeds', 'zq*'])}")

        def edit(browser, pid, name):
            reply = browser.post(f"/people/{pid}/edit",
                                 _profile(name, f"Analyst {words[pid]} here"))
            assert reply.status == 302, (reply.status, reply.body[:500])
            return time.monotonic()

        with ThreadPoolExecutor(2) as pool:
            noise = [pool.submit(background, b) for b in searching[2:]]
            try:
                saved = _in_parallel([lambda b=b, p=p, n=n: edit(b, p, n)
                                      for b, (_, p, n) in zip(editing, people)])
            finally:
                stop.set()
            for future in noise:
                future.result(timeout=60)

        def find(browser, pid, saved_at):
            tries = 0
            while True:
                tries += 1
                reply = browser.get(f"/search/?q={words[pid]}")
                assert reply.status == 200, (reply.status, reply.body[:500])
                assert "Search is being rebuilt" not in reply.body
                if pid in {int(p) for p in PEOPLE_LINK.findall(reply.body)}:
                    return pid, time.monotonic() - saved_at, tries
                if time.monotonic() - saved_at > SEARCH_DEADLINE:
                    return pid, None, tries
                time.sleep(0.02)

        found = _in_parallel([lambda b=searching[i % 2], p=p, s=s: find(b, p, s)
                              for i, ((_, p, _), s) in enumerate(zip(people, saved))])
        assert [pid for pid, latency, _ in found if latency is None] == [], found
        latencies += [latency for _, latency, _ in found]
        first_misses += [pid for pid, _, tries in found if tries > 1]
        for pid, old in previous.items():  # the edit replaced the old words in the index
            reply = searching[0].get(f"/search/?q={old}")
            assert pid not in {int(p) for p in PEOPLE_LINK.findall(reply.body)}, old
        previous = words

    assert _server_failures(log) == []
    assert server.errors_logged() == []
    db.session.rollback()
    headlines = dict(db.session.execute(select(Person.id, Person.headline).where(
        Person.id.in_([pid for _, pid, _ in people]))).all())
    assert headlines == {pid: f"Analyst {previous[pid]} here" for _, pid, _ in people}
    print(f"search latency after an edit: max {max(latencies) * 1000:.0f} ms; "
          f"not found on the first try: {len(first_misses)} of {len(latencies)}")


def test_sign_out_in_one_worker_ends_the_session_in_all(server, make):
    """A copied session cookie stops working everywhere once its session signs out."""
    user, other = make.user("recruiter"), make.user("candidate")
    rel_id, email = make.connect(user, other).id, user.email
    db.session.commit()
    pages = ["/people/me", f"/relationships/{rel_id}", "/search/?q=payroll", "/password"] * 3

    log: list[Reply] = []
    original, elsewhere = _sign_in_all(server, log, [email, email])
    stolen = original.copy()
    assert all(r.status in (200, 302) and not r.to_login
               for r in _in_parallel([lambda p=p: stolen.get(p) for p in pages]))

    reply = original.post("/logout")
    assert reply.to_login, (reply.status, reply.location)
    after = _in_parallel([lambda p=p: stolen.get(p) for p in pages]
                         + [lambda: stolen.post(f"/relationships/{rel_id}/interactions", {
                             "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
                             "kind": "call", "direction": "mutual", "note": "after sign-out",
                             "private_note": ""})])
    assert [(r.path, r.status, r.location) for r in after if not r.to_login] == []
    assert original.get("/people/me").to_login
    assert elsewhere.get("/people/me").status == 302  # another sign-in is not ended by this one
    assert not elsewhere.get("/people/me").to_login

    assert _server_failures(log) == []
    assert server.errors_logged() == []
    db.session.rollback()
    assert db.session.scalar(select(func.count(Interaction.id))) == 0
    assert db.session.scalar(select(func.count(UserSession.id))) == 1  # only `elsewhere`
