"""The relationship profile runs end to end at a tiny size and leaves the world as it found it."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_relationship_profile_times_the_page_and_the_posts_and_tidies_up(tmp_path):
    world, out = tmp_path / "world", tmp_path / "profile.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "relationship_profile.py"),
                           "--people", "300", "--relationships", "60", "--interactions", "3000",
                           "--workdir", str(world), "--runs", "2", "--profile", "log",
                           "--out", str(out)], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Ordered by: internal time" in proc.stderr  # the profile of one log POST
    report = json.loads(out.read_text())
    assert report["database"] == "sqlite"
    for request in ("page", "page_first_view", "log", "log_in_place"):
        figures = report[request]
        assert 0 < figures["cpu_ms_min"] <= figures["cpu_ms_median"] <= figures["cpu_ms_max"]
    # Two warm-up and two timed POSTs of each kind, plus the profiled one; all deleted after.
    assert report["entries_logged"] == 9
    with sqlite3.connect(world / "bench.db") as conn:
        left = conn.execute("SELECT count(*) FROM interactions WHERE relationship_id = ?",
                            (report["relationship"]["id"],)).fetchone()[0]
    assert left == report["relationship"]["interactions"]
