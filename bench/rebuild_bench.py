"""Rebuild benchmark: CPU seconds and wall time of a full index rebuild of synthetic profiles.

Run `nice -n 10 .venv/bin/python bench/rebuild_bench.py --people 20000 --procs 2 --runs 2`.
CPU seconds (this process and its helpers) are what a busy machine cannot shrink: with one
core taken, the wall time of a rebuild approaches them. The fastest run is reported.
"""

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.search_bench import synthetic_people  # noqa: E402
from search.index import open_index  # noqa: E402


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the rebuild's helpers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(people: int, procs: int, runs: int) -> dict:
    """Rebuild an index of `people` profiles `runs` times; the fastest run by CPU."""
    docs = list(synthetic_people(people))
    results = []
    for _ in range(runs):
        folder = tempfile.mkdtemp(prefix="rebuild-bench-")
        try:
            index = open_index(os.path.join(folder, "index"))
            cpu, wall = cpu_seconds(), time.perf_counter()
            count = index.rebuild(docs, procs=procs)
            results.append({"people": count, "procs": procs,
                            "cpu_seconds": round(cpu_seconds() - cpu, 1),
                            "wall_seconds": round(time.perf_counter() - wall, 1),
                            "load_average": os.getloadavg()})
            index.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {"fastest": min(results, key=lambda r: r["cpu_seconds"]), "runs": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--procs", type=int, default=2, help="rebuild processes")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.people, args.procs, max(1, args.runs)), indent=2))


if __name__ == "__main__":
    main()
