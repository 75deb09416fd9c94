"""The rebuild benchmark runs at a tiny size, with the forked second writer."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_rebuild_bench_indexes_every_profile_and_counts_its_cpu():
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "rebuild_bench.py"),
                           "--people", "1200", "--procs", "2"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    fastest = json.loads(proc.stdout)["fastest"]
    assert fastest["people"] == 1200 and fastest["procs"] == 2
    assert fastest["cpu_seconds"] > 0 and fastest["wall_seconds"] > 0
    assert len(fastest["load_average"]) == 3
