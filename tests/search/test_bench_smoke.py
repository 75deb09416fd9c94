"""The search benchmark still runs end to end (at its tiny size)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_at_300_people_and_reports_every_number(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "search_bench.py"),
                           "--people", "300", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["ours"]["build"]["people"] == 300
    assert report["ours"]["doc_count"] == 300
    for section in (report["ours"], report["naive_whoosh"], report["fts5"]):
        assert section["mix"]["p50_ms"] > 0
    assert report["ours"]["update_visible"]["n"] == 10
    assert report["ours"]["totals"]["HRBP"] > 0
    assert set(report["ratios"]) >= {"fts5_over_ours_p50", "naive_whoosh_over_ours_p95"}


def test_hostile_bench_runs_at_300_people_and_times_every_query(tmp_path):
    from bench.hostile_bench import hostile_queries

    out = tmp_path / "hostile.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "hostile_bench.py"),
                           "--people", "300", "--rounds", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["doc_count"] == 300
    assert set(report["queries"]) == set(hostile_queries())
    for timing in report["queries"].values():
        assert timing["cold_cpu_ms"] > 0 and timing["warm_ms"] > 0
    assert report["worst"]["cold_ms"] > 0 and len(report["load_average_at_start"]) == 3


def test_warmup_bench_runs_at_300_people_and_reports_the_warm_up(tmp_path):
    from bench.warmup_bench import ORDINARY

    out = tmp_path / "warmup.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "warmup_bench.py"),
                           "--people", "300", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["warmed"]["words"] > 0 and report["warm_cpu_ms"] > 0
    assert report["memory_after_warm_mb"]["VmRSS"] > 0
    assert set(report["queries"]) == set(ORDINARY)
