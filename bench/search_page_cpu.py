"""CPU per search page and per typeahead request, in process, on a world pages_bench built.

    .venv/bin/python bench/search_page_cpu.py --workdir /tmp/pages-pg \\
        --database-url postgresql://postgres@127.0.0.1:5432/pages_bench
    .venv/bin/python bench/search_page_cpu.py --workdir /tmp/pages-pg ... --profile 25

Opens the world of `bench/pages_bench.py` (its --workdir: the index, and for SQLite the
database file) with the Flask test client, signs its recruiter in through the login form,
warms each request twice, then requests each of pages_bench's 10 searches and 10 typeahead
prefixes `--rounds` times, and reports the CPU time (time.process_time) of this process per
request: median and p95 over every request, per kind. Wall time is left out on purpose: this
machine is shared, and CPU is what a worker spends. `--profile N` also prints cProfile's top N
functions by cumulative time over the search requests. `--per-query` also lists each search's
CPU round by round (after the two warm-up rounds). The load average is recorded.
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages_bench import (  # noqa: E402
    PASSWORD,
    PREFIXES,
    RECRUITER_EMAIL,
    SEARCHES,
    SECRET_KEY,
    load_average,
    server_env,
)
from bench.search_bench import percentiles  # noqa: E402

TOKEN_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def signed_in_client(app):
    """A test client signed in as the world's recruiter through the login form."""
    client = app.test_client()
    token = TOKEN_RE.search(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"csrf_token": token.group(1), "email": RECRUITER_EMAIL,
                                         "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    return client


def cpu_seconds(client, urls: list[str], rounds: int, profiler=None) -> list[float]:
    """CPU seconds of each request of `urls`, `rounds` times over (each must answer 200)."""
    samples = []
    for _ in range(rounds):
        for url in urls:
            if profiler:
                profiler.enable()
            start = time.process_time()
            answer = client.get(url)
            samples.append(time.process_time() - start)
            if profiler:
                profiler.disable()
            if answer.status_code != 200:
                raise SystemExit(f"{url} answered {answer.status_code}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True, help="a world pages_bench built and kept")
    parser.add_argument("--database-url", help="its PostgreSQL URL (default: its SQLite file)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    parser.add_argument("--per-query", action="store_true",
                        help="also each search's CPU per round, in order (first runs apart)")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    url = args.database_url or json.loads((workdir / "built.json").read_text())["url"]
    for name, value in server_env(url, workdir).items():
        os.environ.setdefault(name, value)

    from app import create_app

    app = create_app({"SECRET_KEY": SECRET_KEY})
    client = signed_in_client(app)
    searches = [f"/search/?q={quote(q)}" for q in SEARCHES]
    prefixes = [f"/search/typeahead?q={quote(p)}" for p in PREFIXES]
    load_before = load_average()
    cpu_seconds(client, searches + prefixes, 2)  # warm: the index's caches, templates, statements
    profiler = cProfile.Profile() if args.profile else None
    search = cpu_seconds(client, searches, args.rounds, profiler)
    typeahead = cpu_seconds(client, prefixes, args.rounds)
    report = {"database": url.partition(":")[0], "rounds": args.rounds,
              "search_cpu_ms": percentiles(search), "typeahead_cpu_ms": percentiles(typeahead),
              "load_average": [load_before, load_average()]}
    if args.per_query:  # rounds of the 10 searches, in order: the first rounds show warming
        report["per_query_cpu_ms"] = {
            query: [round(search[n * len(searches) + i] * 1000, 1) for n in range(args.rounds)]
            for i, query in enumerate(SEARCHES)}
    print(json.dumps(report, indent=1))
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(
            args.profile)


if __name__ == "__main__":
    main()
