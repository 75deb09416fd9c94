"""Two app hosts (gunicorn groups), each with its own index folder, on one database."""

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from referrals.models import Person
from tests.http_server import (
    PEOPLE_LINK,
    ROOT,
    Browser,
    Reply,
    Server,
    _edit,
    _in_parallel,
    _server_failures,
    _word,
)

WORKERS = 2  # per group: the machine is small and shared
FOUND_WITHIN = 15.0  # seconds for an edit to reach both folders once the edits stop


def _env(db_url: str, index: Path, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFERRALS_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    # One SECRET_KEY: a browser signed in on one host is signed in on the other (a balancer).
    env.update(DATABASE_URL=db_url, SECRET_KEY=secret, APP_ENV="development",
               REFERRALS_SEARCH_INDEX_DIR=str(index))
    return env


@pytest.fixture
def hosts(db_url, tmp_path):
    """Two `gunicorn -w 2` groups on one database, with index folders host-a and host-b."""
    secret, procs, servers = secrets.token_urlsafe(48), [], []
    gunicorn = Path(sys.executable).with_name("gunicorn")
    try:
        for name in ("host-a", "host-b"):
            log_path = tmp_path / f"{name}.log"
            with open(log_path, "w") as log_file:
                proc = subprocess.Popen(
                    [str(gunicorn), "-w", str(WORKERS), "-b", "127.0.0.1:0",
                     "--graceful-timeout", "10", "--no-control-socket", "app:create_app()"],
                    cwd=ROOT, env=_env(db_url, tmp_path / name, secret), stdout=log_file,
                    stderr=subprocess.STDOUT)
            procs.append(proc)
            server = Server(proc, log_path)
            server.index, server.env = tmp_path / name, _env(db_url, tmp_path / name, secret)
            servers.append(server)
        yield servers
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def _lock_holder(index: Path) -> int | None:
    """The pid holding the index folder's writer lock (the applier), if any."""
    try:
        inode = os.stat(index / "write.lock").st_ino
        with open("/proc/locks") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        parts = line.split()
        if "->" not in parts and len(parts) > 5 and parts[1] == "FLOCK":
            if int(parts[5].rsplit(":", 1)[1]) == inode:
                return int(parts[4])
    return None


def _kill_applier(server: Server, stop: threading.Event, killed: list) -> None:
    """SIGKILL the first worker of `server` seen holding its folder's writer lock."""
    while not stop.is_set():
        pid = _lock_holder(server.index)
        if pid is not None and pid != server.proc.pid:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            return
        time.sleep(0.001)


def _get(browser: Browser, path: str) -> Reply | None:
    """A GET that tolerates the connection of a worker killed under it."""
    try:
        return browser.get(path)
    except OSError:
        return None


def _finds(browser: Browser, word: str) -> set[int] | None:
    reply = _get(browser, f"/search/?q={word}")
    if reply is None or reply.status != 200 or "Search is being rebuilt" in reply.body:
        return None
    return {int(p) for p in PEOPLE_LINK.findall(reply.body)}


def _through(host: Server, browser: Browser) -> Browser:
    """The same signed-in session, sent to another host (as a load balancer would)."""
    twin = Browser(host.base, browser.log, token=browser.token)
    for cookie in browser.jar:
        twin.jar.set_cookie(cookie)
    return twin


def _edits(browsers: tuple, person: tuple, saved: list, times: int = 3) -> None:
    for turn in range(times):
        word = _word()
        _edit(browsers[turn % 2], *person, word)
        saved.append(word)


def test_two_hosts_each_find_every_edit_despite_a_killed_applier(hosts, make):
    """Six people edit through both hosts while each host's applier is killed once."""
    searcher = make.user("recruiter")
    editors = [make.user("candidate") for _ in range(6)]
    people = [(u.person.id, u.person.name) for u in editors]
    emails, searcher_email = [u.email for u in editors], searcher.email
    db.session.commit()

    log: list[Reply] = []
    signed = _in_parallel([lambda e=e: hosts[0].browser(log).sign_in(e) for e in emails])
    through = [(b, _through(hosts[1], b)) for b in signed]  # one session, either host
    finders = [h.browser(log).sign_in(searcher_email) for h in hosts]

    saved: list[list] = [[] for _ in editors]
    killed: list = []
    for victim in hosts:  # a round of edits for each host's applier to be killed in
        stop = threading.Event()
        killer = threading.Thread(target=_kill_applier, args=(victim, stop, killed))
        killer.start()
        try:  # each person edits three times, alternately through either host
            _in_parallel([lambda i=i, p=p: _edits(through[i], p, saved[i])
                          for i, p in enumerate(people)])
        finally:
            stop.set()
            killer.join()
    assert len(killed) == 2, f"an applier was not caught holding the lock: {killed}"

    last = {pid: saved[i][-1] for i, (pid, _) in enumerate(people)}
    for host, finder in zip(hosts, finders, strict=True):
        deadline = time.monotonic() + FOUND_WITHIN
        missing = dict(last)
        while missing and time.monotonic() < deadline:
            for pid, word in list(missing.items()):
                if pid in (_finds(finder, word) or set()):
                    del missing[pid]
            time.sleep(0.05)
        assert missing == {}, f"{host.index.name} never found these edits: {missing}"
        for i, (pid, _) in enumerate(people):  # earlier words were replaced
            old = _finds(finder, saved[i][0])
            assert old is not None and pid not in old, (host.index.name, saved[i][0], old)

    for host in hosts:
        check = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app",
                                "app:create_app", "search", "check"], cwd=ROOT, env=host.env,
                               capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, (host.index.name, check.stdout, check.stderr)
        assert "The index agrees with the database." in check.stdout
    assert _server_failures(log) == []
    for host in hosts:
        assert any("was sent SIGKILL" in line for line in host.errors_logged())
        assert [line for line in host.errors_logged()
                if "was sent SIGKILL" not in line and "sync deferred" not in line] == []
    db.session.rollback()
    headlines = dict(db.session.execute(select(Person.id, Person.headline).where(
        Person.id.in_(list(last)))).all())
    assert headlines == {pid: f"Analyst {word} here" for pid, word in last.items()}
