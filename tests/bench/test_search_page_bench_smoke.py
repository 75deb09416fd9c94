"""The search page benchmark runs end to end at a tiny size: gunicorn, sign-in, load, stop."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULT_KEYS = {"requests", "requests_per_s", "errors", "non_200", "socket_errors",
               "unavailable_pages", "p50_ms", "p95_ms", "p99_ms", "max_ms", "command", "totals"}


def test_search_page_bench_serves_every_page_without_errors(tmp_path):
    out = tmp_path / "page.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "search_page_bench.py"),
                           "--people", "300", "--seconds", "2", "--connections", "4",
                           "--warm", "1", "--procs", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(out.read_text())
    assert set(report) >= {"people", "connections", "seconds", "load_generator", "setup",
                           "ours", "fts5", "naive_whoosh", "naive_whoosh_reused", "ratios",
                           "target", "queries"}
    assert report["setup"]["indexed"] == 301  # the people and the recruiter's own profile
    for name in ("ours", "fts5", "naive_whoosh", "naive_whoosh_reused"):
        result = report[name]
        assert set(result) >= RESULT_KEYS, name
        assert result["requests"] > 0, name
        assert result["errors"] == 0, (name, result)
        assert 0 < result["p50_ms"] <= result["p99_ms"], name
    assert report["ours"]["command"].startswith("gunicorn -w 2 -b 127.0.0.1:")
    assert report["ours"]["totals"]["payroll"] > 0  # real result pages, signed in
    assert report["ours"]["totals"]["HRBP"] > 0
    assert set(report["ratios"]) >= {"requests_per_s_ours_over_fts5",
                                     "p99_ours_over_naive_whoosh"}
    assert isinstance(report["target"]["met"], bool)
