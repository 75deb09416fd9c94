"""The pages benchmark runs end to end at a tiny size: build, gunicorn, sign-in, every page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
PAGES = ("dashboard", "relationship", "log_interaction", "search", "opening", "typeahead")


def _run(tmp_path, *extra) -> dict:
    out = tmp_path / "pages.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "pages_bench.py"),
                           "--people", "300", "--relationships", "60", "--interactions", "3000",
                           "--runs", "2", "--throughput-seconds", "1", "--load", "python",
                           "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "| page | c | p50 ms |" in proc.stderr  # the table
    return json.loads(out.read_text())


def _check(report: dict, database: str) -> None:
    assert report["database"] == database
    assert report["counts"]["people"] == 300
    assert report["counts"]["interactions"] >= 3000
    assert report["relationship"]["interactions"] > 0
    for page in PAGES:
        for key in ("c1", "c4"):
            result = report["pages"][page][key]
            assert result["requests"] > 0, (page, key)
            assert result["errors"] == 0, (page, key, result["statuses"])
            assert 0 < result["p50_ms"] <= result["p95_ms"], (page, key)
            assert len(result["load_average_before"]) == 3
    # The log-interaction POST was accepted each time (a redirect back to the page).
    assert report["pages"]["log_interaction"]["c1"]["statuses"] == [302]
    assert len(report["pages"]["rss_mb_after_warming"]) == 4
    assert all(mb > 0 for mb in report["pages"]["rss_mb_after_warming"])
    assert report["search_w2"]["requests"] > 0 and report["search_w2"]["errors"] == 0
    assert report["rebuild_timed"]["indexed"] == 300


def _script(name: str, *args) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


def test_pages_bench_times_every_page_on_sqlite(tmp_path):
    report = _run(tmp_path, "--workdir", str(tmp_path / "world"), "--time-rebuild")
    _check(report, "sqlite")
    # The in-process profilers read the world the benchmark kept.
    lines = _script("dashboard_profile.py", "--database-url",
                    f"sqlite:///{tmp_path / 'world' / 'bench.db'}", "--runs", "2", "--stale")
    assert "first dashboard of the day:" in lines
    assert lines.count("ms CPU") == 1 + 5, lines  # the stale first page, then five pages
    openings = json.loads(_script("opening_cpu.py", "--workdir", str(tmp_path / "world"),
                                  "--runs", "1"))["openings"]
    assert len(openings) == len(report["openings"]) and openings
    # A second run reuses the world it left in the workdir.
    again = _run(tmp_path, "--workdir", str(tmp_path / "world"), "--time-rebuild",
                 "--pages", "typeahead")
    assert again["build"] == report["build"]
    assert set(again["pages"]) >= {"typeahead"} and "dashboard" not in again["pages"]


@pytest.mark.skipif(not PG_URL.startswith("postgres"), reason="TEST_DATABASE_URL is not PostgreSQL")
def test_pages_bench_times_every_page_on_postgresql(tmp_path):
    base = PG_URL.rsplit("/", 1)[0]
    report = _run(tmp_path, "--database-url", f"{base}/pages_bench_smoke", "--time-rebuild")
    _check(report, "postgresql")
