"""The wild-card benchmark still runs end to end (at a tiny size)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wildcard_bench_runs_at_a_tiny_size_and_reports_both_lists(tmp_path):
    out = tmp_path / "wildcards.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "wildcard_bench.py"),
                           "--people", "400", "--relationships", "60", "--interactions", "3000",
                           "--runs", "3", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["people"] == 400 and report["interactions"] == 3000
    assert report["build"]["recomputed"] == report["relationships"]
    assert report["build"]["indexed"] == 400
    assert report["overall"]["runs"] == 3 * len(report["openings"])
    assert 0 < report["overall"]["median_ms"] <= report["overall"]["p95_ms"]
    for opening in report["openings"]:
        assert 0 < opening["median_ms"] <= opening["p95_ms"]
        sizes = opening["sizes"]
        assert sizes["pool"] >= sizes["contenders"] >= sizes["with_trust_facts"] >= 0
        assert sizes["pool"] > 0
        assert sizes["shortlist_total"] >= sizes["shortlist_shown"] >= 0
        assert sizes["wildcards_total"] >= sizes["wildcards_shown"] >= 0
        assert set(opening["breakdown_median_ms"]) == {"may_vouch_for", "relevance",
                                                       "rank_opening", "gathering", "pure_rank"}
        assert opening["breakdown_median_ms"]["rank_opening"] > 0
        # Once for both lists, and once more for the evidence of the wild cards shown, if any.
        assert opening["calls_per_run"]["pure_rank"] == 1 + bool(sizes["wildcards_shown"])
    # Both lists are computed: somebody somewhere is shortlisted and somebody is a wild card.
    assert sum(o["sizes"]["shortlist_total"] for o in report["openings"]) > 0
    assert sum(o["sizes"]["wildcards_total"] for o in report["openings"]) > 0
    assert any(o["qualifications"] for o in report["openings"])
    assert any(o["sizes"]["with_trust_facts"] for o in report["openings"])
