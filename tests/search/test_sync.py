"""The index follows the change log: in order, idempotently, across crashes and processes."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.engine import (
    SearchIndex,
    Viewer,
    apply_pending,
    check,
    fingerprint,
    last_applied,
    open_index,
)
from search.index import write_lock

ROOT = Path(__file__).resolve().parents[2]
RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")
WORKER = """
import sqlite3, sys, time, json
from search.sync import apply_pending
db, index_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
conn = sqlite3.connect(db, timeout=30)
def fetch(after, limit):
    return conn.execute("SELECT id, person_id FROM search_change WHERE id > ? ORDER BY id "
                        "LIMIT ?", (after, limit)).fetchall()
def load(ids):
    rows = dict(conn.execute("SELECT id, doc FROM people WHERE id IN (%s)"
                             % ",".join("?" * len(ids)), ids).fetchall())
    return {i: json.loads(rows[i]) if i in rows else None for i in ids}
if mode == "once":
    apply_pending(index_path, fetch, load, batch=int(sys.argv[4]))
else:  # "loop": keep applying until told to stop, then drain once more
    stop = sys.argv[4]
    import os
    while not os.path.exists(stop):
        apply_pending(index_path, fetch, load)
        time.sleep(0.005)
    apply_pending(index_path, fetch, load)
print("done")
"""


def doc(pid, version=0):
    return {"id": pid, "name": f"Person {pid}", "headline": f"Version {version}",
            "title": "HR Business Partner", "organisation": "Acme", "location": "London",
            "skills": ["Payroll", f"Skill{pid % 7}"], "summary": f"Summary v{version} " * 20,
            "role": "candidate", "open_to_work": False, "visibility": "recruiters",
            "owner": 5, "audience": [], "notes": []}


class Database:
    """A stand-in for the app's database: people and an append-only change log."""

    def __init__(self, path):
        self.path = str(path)
        self.conn = sqlite3.connect(self.path, timeout=30)
        self.conn.executescript(
            "CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, doc TEXT);"
            "CREATE TABLE IF NOT EXISTS search_change (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " person_id INTEGER);")

    def save(self, d):
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO people VALUES (?, ?)",
                              (d["id"], json.dumps(d)))
            self.conn.execute("INSERT INTO search_change (person_id) VALUES (?)", (d["id"],))

    def delete(self, pid):
        with self.conn:
            self.conn.execute("DELETE FROM people WHERE id = ?", (pid,))
            self.conn.execute("INSERT INTO search_change (person_id) VALUES (?)", (pid,))

    def fetch(self, after, limit):
        return self.conn.execute("SELECT id, person_id FROM search_change WHERE id > ? "
                                 "ORDER BY id LIMIT ?", (after, limit)).fetchall()

    def load(self, ids):
        rows = dict(self.conn.execute(
            "SELECT id, doc FROM people WHERE id IN (%s)" % ",".join("?" * len(ids)), ids))
        return {i: json.loads(rows[i]) if i in rows else None for i in ids}

    def expected(self):
        return {pid: fingerprint(json.loads(d))
                for pid, d in self.conn.execute("SELECT id, doc FROM people")}

    def max_change(self):
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM search_change").fetchone()[0]


def worker(db, index_path, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WORKER, db.path, str(index_path), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "app.db")
    yield database
    database.conn.close()


def test_changes_apply_in_order_and_record_the_last_id(tmp_path, db):
    path = tmp_path / "idx"
    db.save(doc(1))
    db.save(doc(2))
    db.save(doc(1, version=1))
    db.delete(2)
    assert apply_pending(path, db.fetch, db.load) == 4
    assert last_applied(path) == 4
    assert check(path, db.expected()).ok
    assert apply_pending(path, db.fetch, db.load) == 0  # nothing left
    page = open_index(path).search_profiles("version", RECRUITER)
    assert [(h.person_id, h.highlights["headline"]) for h in page.hits] == [
        (1, "<mark>Version</mark> 1")]


def test_reapplying_is_harmless_and_a_rebuild_keeps_the_position(tmp_path, db):
    path = tmp_path / "idx"
    for pid in range(1, 6):
        db.save(doc(pid))
    apply_pending(path, db.fetch, db.load, batch=2)
    index = open_index(path)
    index.rebuild(db.load(list(range(1, 6))).values())
    assert index.last_applied() == 5
    assert apply_pending(path, lambda after, limit: db.fetch(0, limit) if after < 5 else [],
                         db.load) == 0
    assert check(index, db.expected()).ok


def test_another_holder_of_the_lock_makes_apply_return_at_once(tmp_path, db):
    path = tmp_path / "idx"
    open_index(path)
    db.save(doc(1))
    with write_lock(str(path), None) as held:
        assert held
        assert apply_pending(path, db.fetch, db.load) == 0
    assert apply_pending(path, db.fetch, db.load) == 1


def test_check_reports_missing_stale_and_extra(tmp_path):
    index = open_index(tmp_path / "idx")
    index.rebuild([doc(1), doc(2), doc(3)])
    report = check(index, {1: fingerprint(doc(1)), 2: fingerprint(doc(2, 9)), 4: "x"})
    assert (report.agree, report.missing, report.stale, report.extra) == (1, 1, 1, 1)
    assert report.examples == {"missing": [4], "stale": [2], "extra": [3]}


def test_many_small_commits_merge_without_losing_or_reviving_documents(tmp_path):
    index = open_index(tmp_path / "idx")
    other = SearchIndex(index.path)  # another process's view of the same directory
    for pid in range(1, 41):
        index.index_profile(doc(pid))
        if pid % 3 == 0:
            index.remove_profile(pid - 1)
        assert other.doc_count() == pid - pid // 3
    assert other.search_profiles("payroll", RECRUITER).total == 27
    other.close()


def test_a_writer_killed_mid_commit_loses_nothing_after_restart(tmp_path, db):
    path = tmp_path / "idx"
    open_index(path)
    rng = random.Random(5)
    for pid in range(1, 1501):
        db.save(doc(pid))
    for round_ in range(4):
        proc = worker(db, path, "once", "600")
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        for pid in rng.sample(range(1, 1501), 150):  # the app keeps writing meanwhile
            db.save(doc(pid, version=round_ + 1))
        for pid in rng.sample(range(1, 1501), 10):
            db.delete(pid)
    apply_pending(path, db.fetch, db.load)
    reopened = SearchIndex(open_index(path).path)
    report = check(reopened, db.expected())
    assert report.ok, report
    assert reopened.last_applied() == db.max_change()
    assert reopened.search_profiles("payroll", RECRUITER).total == len(db.expected())
    reopened.close()


def test_two_processes_applying_at_once_lose_no_update(tmp_path, db):
    path = tmp_path / "idx"
    open_index(path)
    stop = tmp_path / "stop"
    procs = [worker(db, path, "loop", str(stop)) for _ in range(2)]
    rng = random.Random(9)
    for i in range(300):
        db.save(doc(rng.randint(1, 60), version=i))
        if i % 50 == 0:
            time.sleep(0.05)
    stop.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(err == "" for _, err in outputs), outputs
    report = check(SearchIndex(open_index(path).path), db.expected())
    assert report.ok, report
    assert last_applied(path) == db.max_change()
