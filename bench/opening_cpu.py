"""CPU time of an opening's page, in-process, over a world kept by `bench/pages_bench.py`.

    .venv/bin/python bench/opening_cpu.py --workdir /tmp/pages-pg --runs 10
    .venv/bin/python bench/opening_cpu.py --workdir /tmp/pages-pg --profile /tmp/opening.prof

Reuses the world in --workdir (its database and index, as pages_bench left them), signs the
bench recruiter in through the login form of a Flask test client, and requests each of the four
openings' pages (GET /openings/<id>, both lists): one warm-up each, then --runs timed requests.
CPU, not wall time, because the machine is shared: the app's CPU (time.process_time of this
process) and, on PostgreSQL, the CPU its server backends spent meanwhile (utime + stime from
/proc/<pid>/stat of every backend connected to the database). Also the page's `both_lists`
alone (its SQL, search relevance and ranking, without the template). The load average is
recorded before and after. --profile writes a cProfile of the timed requests (pstats format).
--as-worker first runs gunicorn.conf.py's worker start (warm the index, freeze what is loaded).
"""

import argparse
import cProfile
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import start_worker, write_report  # noqa: E402
from bench.pages_bench import PASSWORD, RECRUITER_EMAIL, SECRET_KEY, TOKEN_RE  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(db) -> float:
    """CPU seconds so far of every PostgreSQL backend connected to this database (0 on
    SQLite): the server runs on this machine, so its work is read from /proc."""
    if db.engine.dialect.name != "postgresql":
        return 0.0
    pids = db.session.scalars(db.text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
    db.session.rollback()
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile, or another server's
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def sign_in(client) -> None:
    """The bench recruiter, through the real login form."""
    token = TOKEN_RE.search(client.get("/login").data)
    response = client.post("/login", data={"csrf_token": token.group(1).decode(),
                                           "email": RECRUITER_EMAIL, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(ordered[-1], 1)}


def measure(app, openings: list[int], runs: int, profile: str) -> dict:
    """Per opening: app CPU and database CPU per page request, and `both_lists` alone."""
    from auth.models import User
    from extensions import db, utcnow
    from referrals.openings import services
    from referrals.openings.models import Opening

    client = app.test_client()
    sign_in(client)
    profiler = cProfile.Profile() if profile else None
    report = {}
    with app.app_context():
        recruiter_id = db.session.scalar(db.select(User.id).where(User.email == RECRUITER_EMAIL))
    for oid in openings:
        url = f"/openings/{oid}"
        response = client.get(url)  # warm-up: the first view in this process
        if response.status_code != 200:
            raise SystemExit(f"GET {url} gave {response.status_code}")
        app_ms, db_ms, lists_ms = [], [], []
        for _ in range(runs):  # each request in its own app context, as in a server
            with app.app_context():
                server = backend_cpu(db)
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            app_ms.append((time.process_time() - cpu) * 1000)
            with app.app_context():
                db_ms.append((backend_cpu(db) - server) * 1000)
            assert response.status_code == 200
        for _ in range(runs):
            with app.app_context():
                opening, recruiter = db.session.get(Opening, oid), db.session.get(
                    User, recruiter_id)
                cpu = time.process_time()
                relevance, ranking = services.both_lists(opening, recruiter, utcnow().date())
                lists_ms.append((time.process_time() - cpu) * 1000)
        title = re.search(rb"<h1>([^<]+)", response.data).group(1).decode().strip()
        report[title] = {"page_app_cpu": _stats(app_ms), "page_db_cpu": _stats(db_ms),
                         "both_lists_app_cpu": _stats(lists_ms),
                         "html_kb": round(len(response.data) / 1024, 1),
                         "shortlist": [ranking.shortlist_total, len(ranking.shortlist)],
                         "wildcards": [ranking.wildcards_total, len(ranking.wildcards)],
                         "pool": len(relevance.scores), "notice": relevance.notice}
    if profiler:
        profiler.dump_stats(profile)
    return report


def main(argv=None) -> dict:
    """Reuse the kept world, time the opening pages, print and return the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True, help="a world kept by bench/pages_bench.py")
    parser.add_argument("--runs", type=int, default=10, help="timed requests per opening")
    parser.add_argument("--profile", default="", help="write a cProfile of the timed requests")
    parser.add_argument("--out", default="", help="also write the JSON report here")
    parser.add_argument("--as-worker", action="store_true",
                        help="start as a gunicorn worker does first (gunicorn.conf.py: warm "
                             "the index, then freeze what is loaded)")
    args = parser.parse_args(argv)
    from app import create_app

    workdir = Path(args.workdir)
    world = json.loads((workdir / "built.json").read_text())
    app = create_app({"SQLALCHEMY_DATABASE_URI": world["url"], "SECRET_KEY": SECRET_KEY,
                      "APP_ENV": "development", "SEARCH_INDEX_DIR": str(workdir / "idx"),
                      "RATELIMIT_ENABLED": False})
    if args.as_worker:
        start_worker(app)
    before = [round(x, 2) for x in os.getloadavg()]
    openings = measure(app, world["openings"], args.runs, args.profile)
    report = {"url": world["url"].rsplit("@", 1)[-1], "sizes": world["sizes"],
              "runs": args.runs, "as_worker": args.as_worker,
              "load_average_before": before,
              "load_average_after": [round(x, 2) for x in os.getloadavg()],
              "openings": openings}
    write_report(report, args.out)
    return report


if __name__ == "__main__":
    main()
