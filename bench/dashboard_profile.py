"""CPU time of the dashboard's requests, in process: the app's test client, signed in through
the login form as the recruiter of a world that `bench/pages_bench.py --workdir` built.

    nice -n 10 .venv/bin/python bench/dashboard_profile.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/pages_bench --runs 20
    nice -n 10 .venv/bin/python bench/dashboard_profile.py \\
        --database-url sqlite:////tmp/pages-sqlite/bench.db --profile 25

For each page: the CPU milliseconds (time.process_time) of this process per request, median and
p95 over --runs after one warm-up, with the load average. On PostgreSQL the database server's
own CPU is not in it (another process), only in the wall median beside it (worth reading on a
quiet machine only); on SQLite it is in both. --stale first forgets the recruiter's
stored standings, to time the first dashboard of a day, which refreshes them. --profile N prints
cProfile's top N functions (by cumulative time) for the first page.
"""

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RECRUITER_EMAIL = "bench@bench.example.com"  # pages_bench's recruiter and password
PASSWORD = "bench pages pass phrase 1"
TOKEN_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
PAGES = ("/", "/?page=40", "/?sort=strength&dir=asc", "/?sort=name&page=3", "/losing-touch")


def signed_in(app):
    """A test client signed in as the bench recruiter through the real login form."""
    client = app.test_client()
    token = TOKEN_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": RECRUITER_EMAIL,
                                           "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return client


def timed_ms(client, path: str) -> tuple[float, float]:
    """CPU milliseconds of this process and wall milliseconds for one GET of `path` (which
    must answer 200)."""
    start, start_wall = time.process_time(), time.perf_counter()
    response = client.get(path)
    spent = (time.process_time() - start) * 1000, (time.perf_counter() - start_wall) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} gave {response.status_code}")
    return spent


def main() -> None:
    """Sign in, then time and optionally profile each page; print one line per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--stale", action="store_true")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()

    from app import create_app
    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "q" * 40,
                      "APP_ENV": "development", "RATELIMIT_ENABLED": False})
    client = signed_in(app)
    pages = args.pages.split(",")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    if args.stale:
        with app.app_context():
            db.session.execute(db.text("UPDATE relationships SET standing_on_a = NULL, "
                                       "standing_on_b = NULL"))
            db.session.commit()
        print(f"first dashboard of the day: {timed_ms(client, pages[0])[0]:.1f} ms CPU")
    for path in pages:
        timed_ms(client, path)  # warm
        runs = [timed_ms(client, path) for _ in range(args.runs)]
        times, walls = sorted(cpu for cpu, _ in runs), sorted(wall for _, wall in runs)
        size = len(client.get(path).get_data())
        print(f"{path:32} median {times[len(times) // 2]:7.1f} ms  p95 "
              f"{times[min(len(times) - 1, int(len(times) * 0.95))]:7.1f} ms CPU  "
              f"wall median {walls[len(walls) // 2]:7.1f} ms  "
              f"{size / 1024:6.1f} KB  (runs {args.runs}, load {os.getloadavg()[0]:.2f})")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(pages[0])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
