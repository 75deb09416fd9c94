"""Real-HTTP helpers for the tests that run the app under gunicorn: a browser, a server, threads."""

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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, TOKEN_RE

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 4
START_TIMEOUT = 90.0  # seconds for gunicorn to bind and a worker to answer (a busy CI box)
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
PEOPLE_LINK = re.compile(r'href="/people/(\d+)"')


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


@contextmanager
def running_server(db_url: str, tmp_path: Path, env: dict | None = None) -> Iterator["Server"]:
    """`gunicorn -w 4` on a free port of 127.0.0.1, serving `db_url`; stopped on leaving.
    `env` adds settings (REFERRALS_...) to the app's environment."""
    # It boots while the caller seeds its data; the first browser waits until a worker answers.
    settings = env or {}
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFERRALS_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(settings)
    env.update(DATABASE_URL=db_url, SECRET_KEY=secrets.token_urlsafe(48),
               APP_ENV="development", REFERRALS_SEARCH_INDEX_DIR=str(tmp_path / "index"))
    log_path = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [str(gunicorn), "-w", str(WORKERS), "-b", "127.0.0.1:0", "--graceful-timeout", "10",
             "--no-control-socket", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield Server(proc, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class Server:
    """A gunicorn being started or running: its base URL once it answers, and its log."""

    def __init__(self, proc: subprocess.Popen, log_path: Path):
        self.proc, self.log_path, self._base = proc, log_path, ""

    @property
    def base(self) -> str:
        """The base URL, once a worker answers; fails if gunicorn exits or is too slow."""
        deadline = time.monotonic() + START_TIMEOUT
        while not self._base:
            if self.proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.proc.returncode}:\n{self._log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer in {START_TIMEOUT} s:\n{self._log()}")
            match = LISTENING.search(self._log())
            if match:
                try:
                    base = f"http://127.0.0.1:{match.group(1)}"
                    self._base = base if Browser(base).get("/login").status == 200 else ""
                except OSError:
                    pass
            time.sleep(0 if self._base else 0.05)
        return self._base

    def _log(self) -> str:
        return self.log_path.read_text()

    def browser(self, log: list) -> Browser:
        """A new browser on this server, recording its replies in `log`."""
        return Browser(self.base, log)

    def errors_logged(self) -> list[str]:
        """Lines of the server log that report an error in a worker."""
        return [line for line in self._log().splitlines() if any(word in line for word in (
            "Traceback", "Error", "[ERROR]", "[CRITICAL]", "sync deferred"))]


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
    """A browser signed in for each e-mail (a new session each), all signing in at once."""
    browsers = [server.browser(log) for _ in emails]
    return _in_parallel([lambda b=b, e=e: b.sign_in(e)
                         for b, e in zip(browsers, emails, strict=True)])


def _word() -> str:
    return "zq" + "".join(random.choices(string.ascii_lowercase, k=10))


def _profile(name: str, headline: str) -> dict:
    return {"name": name, "headline": headline, "title": "Payroll Analyst",
            "organisation": "Acme", "location": "Leeds", "skills": "Payroll\nExcel",
            "summary": "", "years_experience": "4", "visibility": "recruiters"}


def _edit(browser: Browser, pid: int, name: str, word: str) -> float:
    reply = browser.post(f"/people/{pid}/edit", _profile(name, f"Analyst {word} here"))
    assert reply.status == 302, (reply.status, reply.body[:500])
    return time.monotonic()

