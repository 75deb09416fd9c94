"""The after-response slice benchmark runs at a tiny size and drains the log in slices."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_slice_bench_drains_a_backlog_in_slices(tmp_path):
    out = tmp_path / "slice.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "slice_bench.py"),
                           "--people", "250", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(out.read_text())
    # 250 contacts (and the recruiter) leave more changes than one slice holds.
    assert report["slices"] >= 2
    assert 0 < report["cpu_s_median"] <= report["cpu_s_max"]
