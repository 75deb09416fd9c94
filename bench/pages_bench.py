"""The pages a recruiter opens, timed over HTTP under `gunicorn -w 4`, signed in, at scale.

    .venv/bin/python bench/pages_bench.py --workdir /tmp/pages-pg \\
        --database-url postgresql://postgres@127.0.0.1:5432/pages_bench   # 100k / 30k / 1M
    .venv/bin/python bench/pages_bench.py --workdir /tmp/pages-sqlite      # the same on SQLite
    .venv/bin/python bench/pages_bench.py --people 300 --relationships 60 --interactions 3000

Builds (or, with --workdir, reuses) the world of `bench/wildcard_bench.py`: 100,000 people,
30,000 relationships (10,000 of them one recruiter's, the rest among other people) and
1,000,000 interactions, the stored trust aggregates, the search index and four openings; on
PostgreSQL (the database in --database-url, created if missing) or SQLite (a file in the
workdir). Then serves it with `gunicorn -w 4`, signs the recruiter in through the login form
(a real POST with its CSRF token) and times, at 1 and 4 connections: the dashboard, the
relationship page with about 500 interactions, an opening with both lists, the search page,
typeahead and the log-interaction POST (its 302, i.e. server time). Also: the search page's
throughput under `gunicorn -w 2`, each worker's RSS after warming the index, and (with
--time-rebuild, or when it builds) the full index rebuild's wall and CPU time. The load average
is recorded beside every figure: the machine may be busy with other work. Uses wrk when
installed for the GET pages, else a Python load generator (a thread per connection,
http.client keep-alive connections, every latency recorded). Prints a table on stderr and the
JSON report on stdout (and --out).
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from datetime import date
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import write_report  # noqa: E402
from bench.search_bench import percentiles  # noqa: E402
from bench.search_page_bench import _cookie_header, _cookies, fetch, served, wrk_load  # noqa: E402

PASSWORD = "bench pages pass phrase 1"
RECRUITER_EMAIL = "bench@bench.example.com"  # wildcard_bench's recruiter
SECRET_KEY = "q" * 40
TOKEN_RE = re.compile(rb'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
SEARCHES = ["payroll", "reward", "employee relations", "HRBP", "talent acquisition london",
            '"change management"', "recru*", "workday", "head of reward", "coaching"]
PREFIXES = ["rew", "emp", "tal", "pay", "har", "sop", "coa", "hea", "wor", "chr"]
TARGETS_MS = {"dashboard": 200, "relationship": 150, "log_interaction": 100, "search": 150,
              "opening": 300, "typeahead": 50}
TARGET_SEARCH_RPS_W2 = 60
TARGET_RSS_MB = 250
TARGET_REBUILD_S = 90


def log(message: str) -> None:
    """Progress on stderr (stdout carries the JSON report)."""
    print(f"[pages_bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------------------------------------
# The world: wildcard_bench's network, a password for its recruiter, the pages to time


def create_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def prepare(args, workdir: Path, url: str) -> dict:
    """Build the world (or reuse the one in workdir); returns its ids and the build figures."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, update

    from app import create_app
    from auth.models import User
    from auth.passwords import hash_password
    from bench import wildcard_bench
    from extensions import db
    from referrals.models import Interaction, Relationship
    from search import services

    sizes = [args.people, args.relationships, args.interactions]
    marker = workdir / "built.json"
    kept = json.loads(marker.read_text()) if marker.exists() else None
    if kept is not None and (kept["sizes"] != sizes or kept["url"] != url):
        raise SystemExit(f"{workdir} holds another world: {kept['sizes']} on {kept['url']}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY,
                      "APP_ENV": "development", "SEARCH_INDEX_DIR": str(workdir / "idx")})
    today = date.today()
    with app.app_context():
        try:
            if kept is None:
                log(f"building {args.people:,} people, {args.interactions:,} interactions")
                start, load_before = time.perf_counter(), load_average()
                built = wildcard_bench.build(SimpleNamespace(
                    people=args.people, relationships=args.relationships,
                    interactions=args.interactions), today, args.procs)
                built["build"].update(total_s=round(time.perf_counter() - start, 1),
                                      load_average_before=load_before,
                                      load_average_after=load_average())
                kept = {"sizes": sizes, "url": url, **built}
                marker.write_text(json.dumps(kept))
                log(f"built: {built['build']}")
            else:
                # A world kept from before organisations gets its recruiters' standing first.
                wildcard_bench.grant_standing()
                db.session.commit()
                upgrade(directory=str(ROOT / "migrations"))  # schema changes made since
                log(f"reusing the world in {workdir}")
            if db.engine.dialect.name == "postgresql":
                # What autovacuum does after a bulk load (it may be off, as on this machine):
                # statistics, and the visibility map that lets index-only scans skip the heap.
                db.session.commit()
                with db.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(db.text("VACUUM (ANALYZE)"))
            db.session.execute(update(User).where(User.email == RECRUITER_EMAIL).values(
                password_hash=hash_password(PASSWORD)))
            db.session.commit()
            me = kept["recruiter_person"]
            mine = select(Relationship.id).where(
                (Relationship.a_id == me) | (Relationship.b_id == me))
            counts = db.session.execute(
                select(Interaction.relationship_id, func.count()).where(
                    Interaction.relationship_id.in_(mine)).group_by(
                    Interaction.relationship_id)).all()
            rel_id, rel_count = min(counts, key=lambda rc: (abs(rc[1] - 500), rc[0]))
            rebuild = None
            if args.time_rebuild:
                log("timing a full index rebuild")
                start, cpu, load_before = time.perf_counter(), cpu_seconds(), load_average()
                indexed = services.rebuild(procs=args.procs)
                rebuild = {"indexed": indexed, "procs": args.procs,
                           "wall_s": round(time.perf_counter() - start, 1),
                           "cpu_s": round(cpu_seconds() - cpu, 1),
                           "load_average_before": load_before,
                           "load_average_after": load_average()}
                log(f"rebuild: {rebuild}")
            totals = {name: db.session.scalar(select(func.count()).select_from(
                db.metadata.tables[name])) for name in ("people", "relationships", "interactions")}
        finally:
            db.session.remove()
            db.engine.dispose()
    return {**kept, "relationship": {"id": rel_id, "interactions": rel_count},
            "rebuild_timed": rebuild, "counts": totals}


# ---------------------------------------------------------------------------------------------
# Load: a closed loop of keep-alive connections (Python), or wrk for GETs when installed


def sign_in(port: int) -> dict:
    """Sign the recruiter in through the login form; the headers a signed-in request carries."""
    status, headers, body = fetch(port, "/login")
    token = TOKEN_RE.search(body)
    if status != 200 or token is None:
        raise RuntimeError(f"GET /login gave {status} without a CSRF token")
    cookies = _cookies(headers, {})
    form = urlencode({"csrf_token": token.group(1).decode(), "email": RECRUITER_EMAIL,
                      "password": PASSWORD})
    status, headers, _ = fetch(port, "/login", "POST", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies)})
    if status != 302:
        raise RuntimeError(f"POST /login gave {status}, not a redirect: sign-in failed")
    return {"Cookie": _cookie_header(_cookies(headers, cookies))}


def python_load(port: int, requests: list[tuple], headers: dict, connections: int,
                count: int, max_seconds: float) -> dict:
    """`count` requests shared by `connections` keep-alive connections (a closed loop), stopped
    early after `max_seconds` once each connection has had one answer."""
    lock, samples = threading.Lock(), []
    issued = [0]
    deadline = time.perf_counter() + max_seconds

    def client(offset: int) -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=300)
        mine, n = [], offset
        try:
            while True:
                with lock:
                    if issued[0] >= count or (mine and time.perf_counter() > deadline):
                        break
                    issued[0] += 1
                method, path, body = requests[n % len(requests)]
                n += 1
                extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
                start = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers={**headers, **extra})
                    response = conn.getresponse()
                    data = response.read()
                    status = response.status
                except (OSError, HTTPException):
                    conn.close()
                    status, data = 0, b""
                mine.append((time.perf_counter() - start, status, len(data)))
        finally:
            conn.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    ok = {200, 302}
    return {"requests": len(samples), "elapsed_s": round(elapsed, 2),
            "requests_per_s": round(len(samples) / elapsed, 2) if elapsed else 0.0,
            "errors": sum(1 for s in samples if s[1] not in ok),
            "statuses": sorted({s[1] for s in samples}),
            "bytes_max": max((s[2] for s in samples), default=0),
            **percentiles([s[0] for s in samples])}


def timed(name: str, port: int, requests: list[tuple], headers: dict, connections: int,
          args, generator: str, workdir: Path) -> dict:
    """One page at one concurrency, with the load average before and after."""
    before = load_average()
    gets = all(method == "GET" for method, _, _ in requests)
    if generator == "wrk" and gets:
        result = wrk_load(port, [path for _, path, _ in requests], headers, connections,
                          args.wrk_seconds, workdir)
        result["load_generator"] = "wrk"
    else:
        result = python_load(port, requests, headers, connections,
                             args.runs * connections, args.max_seconds)
        result["load_generator"] = "python"
    result.update(page=name, connections=connections, load_average_before=before,
                  load_average_after=load_average())
    log(f"{name} c={connections}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"{result['requests']} requests, {result['errors']} errors, load {before[0]}")
    return result


def worker_rss_mb(master: int, field: str = "VmRSS") -> list[float]:
    """VmRSS (or another field of /proc/<pid>/status) of each gunicorn worker, in MB."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rpartition(")")[2].split()[1])
            if ppid != master:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    out.append(round(int(line.split()[1]) / 1024, 1))
        except (OSError, ValueError):
            continue
    return sorted(out)


def gunicorn_master(port: int) -> int:
    """The pid of the gunicorn master listening on `port` (found through its command line)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"gunicorn" in b" ".join(cmd) and f"127.0.0.1:{port}".encode() in cmd:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
                parent = (Path("/proc") / str(ppid) / "cmdline")
                if parent.exists() and b"gunicorn" in parent.read_bytes():
                    return ppid
                return int(entry.name)
    raise RuntimeError(f"no gunicorn on port {port}")


def server_env(url: str, workdir: Path) -> dict:
    """The environment gunicorn serves the benchmark's world with."""
    return {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "APP_ENV": "development",
            "REFERRALS_SEARCH_INDEX_DIR": str(workdir / "idx"),
            # One person requesting hundreds of pages a second is the load generator, not
            # abuse: the per-person limits would turn the benchmark into 429s.
            "REFERRALS_RATELIMIT_ENABLED": "false",
            # gunicorn's default 30 s would kill a worker in the middle of a slow page (the old
            # dashboard took longer on a busy machine): time it instead, and keep the warm index.
            "GUNICORN_CMD_ARGS": "--timeout 300"}


def measure_pages(args, workdir: Path, url: str, world: dict, generator: str) -> dict:
    """Serve with gunicorn -w 4, sign in, warm the index, time every page at 1 and 4."""
    rel = world["relationship"]["id"]
    searches = [("GET", f"/search/?q={quote(q)}", None) for q in SEARCHES]
    out: dict = {}
    with served("app:create_app()", server_env(url, workdir), workdir / "gunicorn-w4.log",
                4) as (port, command):
        headers = sign_in(port)
        status, got, body = fetch(port, f"/relationships/{rel}", headers=headers)
        token = TOKEN_RE.search(body)
        # the page's form put its CSRF token in the session: keep the cookie that holds it
        cookies = dict(part.split("=", 1) for part in headers["Cookie"].split("; "))
        headers = {"Cookie": _cookie_header(_cookies(got, cookies))}
        if status != 200 or token is None:
            raise RuntimeError(f"relationship page gave {status} without a CSRF token")
        csrf = token.group(1).decode()
        master = gunicorn_master(port)
        out["command"] = "gunicorn -w 4 --timeout 300 'app:create_app()'"
        out["rss_mb_before_warming"] = worker_rss_mb(master)
        start = time.perf_counter()
        warm = python_load(port, searches + [
            ("GET", f"/search/typeahead?q={p}", None) for p in PREFIXES], headers, 8,
            len(SEARCHES) * 8 + len(PREFIXES) * 4, 600)
        out["warming"] = {"requests": warm["requests"], "errors": warm["errors"],
                          "seconds": round(time.perf_counter() - start, 1)}
        out["rss_mb_after_warming"] = worker_rss_mb(master)
        # RSS counts the index's mapped pages, which the kernel shares between the workers
        out["rss_anon_mb_after_warming"] = worker_rss_mb(master, "RssAnon")
        out["rss_file_mb_after_warming"] = worker_rss_mb(master, "RssFile")
        out["rss_load_average"] = load_average()
        log(f"workers' RSS after warming: {out['rss_mb_after_warming']} MB")
        today = date.today().isoformat()
        pages = {
            "dashboard": [("GET", "/", None)],
            "relationship": [("GET", f"/relationships/{rel}", None)],
            "opening": [("GET", f"/openings/{oid}", None) for oid in world["openings"]],
            "search": searches,
            "typeahead": [("GET", f"/search/typeahead?q={p}", None) for p in PREFIXES],
            "log_interaction": [("POST", f"/relationships/{rel}/interactions", urlencode({
                "csrf_token": csrf, "occurred_on": today, "kind": "message",
                "direction": "i_gave", "note": "Bench: caught up on the market."}))],
        }
        wanted = [p for p in args.pages.split(",") if p]
        for name in wanted:
            out[name] = {}
            for connections in (1, 4):
                out[name][f"c{connections}"] = timed(name, port, pages[name], headers,
                                                     connections, args, generator, workdir)
        out["rss_mb_at_end"] = worker_rss_mb(master)
    return out


def measure_search_w2(args, workdir: Path, url: str, generator: str) -> dict:
    """The search page's throughput under gunicorn -w 2, 4 connections, after warming."""
    searches = [("GET", f"/search/?q={quote(q)}", None) for q in SEARCHES]
    with served("app:create_app()", server_env(url, workdir), workdir / "gunicorn-w2.log",
                2) as (port, _command):
        headers = sign_in(port)
        python_load(port, searches, headers, 4, len(SEARCHES) * 4, 600)
        before = load_average()
        if generator == "wrk":
            result = wrk_load(port, [p for _, p, _ in searches], headers, 4, args.wrk_seconds,
                              workdir)
        else:
            result = python_load(port, searches, headers, 4, 10**9, args.throughput_seconds)
        result.update(command="gunicorn -w 2 --timeout 300 'app:create_app()'", connections=4,
                      load_average_before=before, load_average_after=load_average())
    log(f"search -w 2: {result['requests_per_s']} req/s, p95 {result['p95_ms']} ms")
    return result


# ---------------------------------------------------------------------------------------------
# The table


def table(report: dict) -> str:
    """A Markdown table of every figure, with its target and the load average beside it."""
    pages = report["pages"]
    rows = ["| page | c | p50 ms | p95 ms | req/s | n | max bytes | target p95 | load (1 min) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, target in TARGETS_MS.items():
        for key in ("c1", "c4"):
            r = pages.get(name, {}).get(key)
            if r:
                rows.append(f"| {name} | {key[1:]} | {r['p50_ms']} | {r['p95_ms']} | "
                            f"{r['requests_per_s']} | {r['requests']} | "
                            f"{r.get('bytes_max', '')} | < {target} | "
                            f"{r['load_average_before'][0]}–{r['load_average_after'][0]} |")
    w2 = report.get("search_w2")
    if w2:
        rows.append(f"| search, gunicorn -w 2 | 4 | {w2['p50_ms']} | {w2['p95_ms']} | "
                    f"**{w2['requests_per_s']}** | {w2['requests']} | | ≥ "
                    f"{TARGET_SEARCH_RPS_W2} req/s | {w2['load_average_before'][0]}–"
                    f"{w2['load_average_after'][0]} |")
    rss = pages.get("rss_mb_after_warming")
    if rss:
        rows.append(f"| worker RSS after warming (MB) | | {', '.join(map(str, rss))} | | | | | "
                    f"< {TARGET_RSS_MB} | {pages['rss_load_average'][0]} |")
        anon = pages.get("rss_anon_mb_after_warming")
        if anon:
            rows.append(f"| of which private (RssAnon, MB) | | {', '.join(map(str, anon))} | | | "
                        f"| | | |")
    for label, rebuild in (("rebuild (build)", report["build"]),
                           ("rebuild (timed)", report.get("rebuild_timed"))):
        if rebuild and rebuild.get("wall_s") is not None:
            rows.append(f"| full index {label}: wall s (CPU s) | | {rebuild['wall_s']} "
                        f"({rebuild.get('cpu_s', '?')}) | | | | | < {TARGET_REBUILD_S} | "
                        f"{rebuild['load_average_before'][0]}–"
                        f"{rebuild['load_average_after'][0]} |")
    return "\n".join(rows)


def main(argv=None) -> dict:
    """Build or reuse the world, serve it, time the pages; print the table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=10_000,
                        help="the recruiter's relationships (as many again among others, x2)")
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL URL (database created if missing); default SQLite")
    parser.add_argument("--workdir", default="", help="build here and keep it; reuse it if it "
                        "holds the same world (default: a temp dir, removed)")
    parser.add_argument("--procs", type=int, default=None,
                        help="index rebuild processes (default 2, or 1 below 5,000 people)")
    parser.add_argument("--runs", type=int, default=30,
                        help="requests per connection for each page")
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="stop a page's measurement after this long (slow pages)")
    parser.add_argument("--wrk-seconds", type=float, default=15.0)
    parser.add_argument("--throughput-seconds", type=float, default=20.0,
                        help="length of the -w 2 search throughput run")
    parser.add_argument("--pages", default=",".join(TARGETS_MS),
                        help="comma-separated pages to time, in that order")
    parser.add_argument("--time-rebuild", action="store_true",
                        help="time a full index rebuild before serving (also on a reused world)")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--out", default="", help="also write the JSON report here")
    args = parser.parse_args(argv)
    args.procs = args.procs or (1 if args.people < 5000 else 2)
    unknown = {p for p in args.pages.split(",") if p} - set(TARGETS_MS)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    generator = "wrk" if shutil.which("wrk") and args.load != "python" else "python"
    report = {"cores": os.cpu_count(), "load_generator": generator,
              "load_average_at_start": load_average(), "targets_p95_ms": TARGETS_MS}
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.database_url:
            from app import _normalise_db_url

            url = _normalise_db_url(args.database_url)
            create_database(url)
        else:
            url = f"sqlite:///{workdir / 'bench.db'}"
        report["database"] = url.partition(":")[0].partition("+")[0]
        try:
            world = prepare(args, workdir, url)
            report.update(counts=world["counts"], relationship=world["relationship"],
                          openings=world["openings"], build=world["build"],
                          rebuild_timed=world["rebuild_timed"])
            report["build"]["wall_s"] = report["build"].get("index_rebuild_s")
            report["pages"] = measure_pages(args, workdir, url, world, generator)
            if "search" in args.pages.split(","):
                report["search_w2"] = measure_search_w2(args, workdir, url, generator)
        finally:
            if args.database_url and not args.workdir:
                drop_tables(url)
    report["load_average_at_end"] = load_average()
    report["table"] = table(report)
    print(report["table"], file=sys.stderr)
    write_report(report, args.out)
    return report


def drop_tables(url: str) -> None:
    """Leave a throwaway PostgreSQL database empty again."""
    from app import create_app
    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY,
                      "APP_ENV": "development"})
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so gunicorn is stopped on SIGTERM
    main()
