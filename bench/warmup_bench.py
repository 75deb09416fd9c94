"""Worker warm-up benchmark: what `warm()` costs, and whether ordinary searches then finish on
their first run.

Run `python bench/warmup_bench.py --index DIR` on an index built earlier (for instance by
`bench/hostile_bench.py --keep DIR`, 100,000 people), or without `--index` to build one of
`--people` (default 100,000: about 2 minutes). It opens the index as a new worker does, times
`warm()` in this thread's CPU seconds, reads the process's memory, then runs each ordinary
query twice: cold (its first run) and warm, in CPU milliseconds, with whether the search was
cut short (partial). Each run of the script is one fresh process: nothing is cached before.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDINARY = ['"employee relations"', '"talent acquisition" london', '"learning and development"',
            "head of reward", "hr business partner london", "recruitment manager", "payroll",
            '"change management" manchester', "people director", "HRBP", "L&D london",
            "recuitment", 'skills:"employee relations" location:london', "talent", "london"]


def memory_mb() -> dict:
    """This process's resident memory, all and private (anonymous), in MB."""
    with open("/proc/self/status") as f:
        rows = dict(line.split(":", 1) for line in f)
    return {key: int(rows[key].split()[0]) // 1024 for key in ("VmRSS", "RssAnon", "RssFile")}


def cpu_ms(fn):
    """(this thread's CPU milliseconds, value) of fn()."""
    start = time.thread_time()
    value = fn()
    return (time.thread_time() - start) * 1000, value


def run(index, viewer) -> dict:
    """Per ordinary query: cold and warm CPU ms, total, and whether each run was partial."""
    out = {}
    for query in ORDINARY:
        cold, page = cpu_ms(lambda q=query: index.search_profiles(q, viewer))
        warm, again = cpu_ms(lambda q=query: index.search_profiles(q, viewer))
        out[query] = {"cold_cpu_ms": round(cold), "warm_cpu_ms": round(warm),
                      "total": again.total, "partial": [page.partial, again.partial]}
    return out


def main(argv=None):
    """Run the benchmark and print (and optionally write) its JSON report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--index", help="an index built earlier (read, never written)")
    parser.add_argument("--out", help="also write the JSON report here")
    args = parser.parse_args(argv)
    sys.path.insert(0, ROOT)
    from bench.common import write_report
    from bench.search_bench import synthetic_people
    from search.engine import Viewer, open_index

    viewer = Viewer(user_id=7, person_id=None, role="recruiter")
    workdir = tempfile.mkdtemp(prefix="warmup-bench-")
    path = args.index or os.path.join(workdir, "index")
    report = {"load_average_at_start": os.getloadavg()}
    try:
        if not args.index:
            built = open_index(path)
            built.rebuild(synthetic_people(args.people), procs=1 if args.people < 5000 else 2)
            built.close()
        index = open_index(path)
        report["memory_before_warm_mb"] = memory_mb()
        ms, warmed = cpu_ms(index.warm)
        report["warm_cpu_ms"] = round(ms)
        report["warmed"] = asdict(warmed)
        report["memory_after_warm_mb"] = memory_mb()
        report["queries"] = run(index, viewer)
        report["memory_after_queries_mb"] = memory_mb()
        index.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report["load_average_at_end"] = os.getloadavg()
    write_report(report, args.out)
    return report


if __name__ == "__main__":
    main()
