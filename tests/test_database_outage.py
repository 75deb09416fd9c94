"""A database that goes away and comes back: a 503 with Retry-After while it is down, never a
bare 500, and no failed request once it is back.

The restart tests run their own PostgreSQL server (initdb into a temporary folder, as the
`postgres` system user), so that restarting it disturbs nothing else on the machine.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from auth import services
from extensions import db
from tests.conftest import PASSWORD, PG_URL, login
from tests.http_server import Browser, Server

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
own_server = pytest.mark.skipif(
    PG_BIN is None or shutil.which("runuser") is None or os.geteuid() != 0,
    reason="needs PostgreSQL's server binaries and root to run them as the postgres user")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A PostgreSQL server of the test's own, on a free port, that the test may restart."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="outage-pg-"))
        self.folder.chmod(0o755)
        self.data, self.port = self.folder / "data", _free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                          "--no-sync", "-E", "UTF8")
        self.start()
        self._as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U",
                          "postgres", "outage")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/outage"

    def _as_postgres(self, *command):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True,
                       capture_output=True, cwd=self.folder)

    def _ctl(self, *args):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-w", "-t", "30", *args)

    def start(self):
        """Start it, listening on 127.0.0.1 only."""
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                   f"{self.folder} -c fsync=off")
        self._ctl("-o", options, "-l", self.folder / "server.log", "start")

    def stop(self):
        """A fast shutdown: every open connection is cut."""
        self._ctl("-m", "fast", "stop")

    def remove(self):
        """Stop it if it runs and delete its files."""
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_pg():
    """A migrated database on a PostgreSQL server of this test's own, with one recruiter."""
    pg = PrivatePostgres()
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": pg.url,
                          "SECRET_KEY": "t" * 40, "SEARCH_INDEX_DIR": str(pg.folder / "idx")})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            rita = services.register_user(name="Rita Outage", email="rita@example.com",
                                          password=PASSWORD)
            rita.role = rita.person.role = "recruiter"  # granted directly, as in tests/conftest
            db.session.commit()
            db.engine.dispose()
        yield pg
    finally:
        pg.remove()


@pytest.fixture
def outage_server(private_pg, tmp_path):
    """`gunicorn -w 2` serving the private database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFERRALS_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=private_pg.url, SECRET_KEY=secrets.token_urlsafe(48),
               APP_ENV="development", REFERRALS_SEARCH_INDEX_DIR=str(tmp_path / "index"))
    log_path = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [str(gunicorn), "-w", "2", "-b", "127.0.0.1:0", "--graceful-timeout", "10",
             "--no-control-socket", "app:create_app()"], cwd=ROOT, env=env, stdout=log_file,
            stderr=subprocess.STDOUT)
    try:
        server = Server(proc, log_path)
        yield server
    finally:
        proc.terminate()  # workers may take a while to exit on a loaded machine: then killed
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _hammer(browser: Browser, stop: threading.Event, replies: list):
    """Read the dashboard until told to stop, keeping (time, status, Retry-After) of each."""
    while not stop.is_set():
        reply = browser.get("/")
        replies.append((time.monotonic(), reply.status, reply.body))
        time.sleep(0.02)


@own_server
def test_a_database_restart_costs_no_failed_request_after_it_is_back(private_pg, outage_server):
    """Down: only 503s that say so; back: every request succeeds, on every worker."""
    browsers = [outage_server.browser([]).sign_in("rita@example.com") for _ in range(4)]
    stop, replies = threading.Event(), []
    threads = [threading.Thread(target=_hammer, args=(b, stop, replies)) for b in browsers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        stopping_at = time.monotonic()
        private_pg.stop()
        time.sleep(1.5)
        private_pg.start()
        back_at = time.monotonic()
        time.sleep(2.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    statuses = [status for _, status, _ in replies]
    unavailable = [body for _, status, body in replies if status == 503]
    assert unavailable, "the database was down for 1.5 s and nobody was told"
    assert all("cannot reach our database" in body for body in unavailable)
    after = [status for at, status, _ in replies if at > back_at + 0.2]
    assert after and set(after) == {200}, after
    assert {s for at, s, _ in replies if at < stopping_at} == {200}, statuses
    assert set(statuses) <= {200, 503}, f"a request caught by the shutdown failed: {statuses}"


@own_server
def test_while_the_database_is_down_pages_answer_503_with_retry_after(private_pg,
                                                                      outage_server):
    """Signed in or not, a page says the database is unreachable and when to try again."""
    browser = outage_server.browser([]).sign_in("rita@example.com")
    private_pg.stop()
    try:
        for path in ("/", "/login", "/search/?q=hr"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                browser.opener.open(browser.base + path, timeout=30)
            assert answer.value.code == 503, path
            assert answer.value.headers["Retry-After"] == "5"
            assert "cannot reach our database" in answer.value.read().decode()
    finally:
        private_pg.start()
    assert browser.get("/").status == 200


@pytest.mark.skipif(not PG_URL, reason="cuts a PostgreSQL server's connection")
def test_a_connection_cut_after_the_page_is_made_still_sends_the_page(app, make, client):
    """A shutdown that cuts the connection between the page and the end of the request (the
    rollback then fails) costs nothing: the page made is sent, the next one works too."""
    recruiter = make.user("recruiter")
    cut = []

    @app.after_request
    def cut_the_connection(response):
        if cut:
            pid = db.session.scalar(text("SELECT pg_backend_pid()"))
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                other.commit()
        return response

    login(client, recruiter.email)
    cut.append(True)
    answer = client.get("/")
    assert answer.status_code == 200 and "<title>Dashboard" in answer.get_data(as_text=True)
    cut.clear()
    assert client.get("/").status_code == 200
