"""Search page under load: `gunicorn -w 2` serving GET /search/?q= over N synthetic people.

    .venv/bin/python bench/search_page_bench.py                  # 100,000 people, 16 x 10 s
    .venv/bin/python bench/search_page_bench.py --people 300 --seconds 2 --connections 4
    .venv/bin/python bench/search_page_bench.py --out bench/results/search_page.json

Builds a migrated SQLite database and the real index in a temp dir, serves the app with gunicorn
(sync workers), signs in as a recruiter over HTTP and loads the search page with a fixed query
mix; then serves SQLite FTS5 and naive Whoosh pages the same way, under the same load, for the
ratios. Uses wrk when it is installed, else a Python load generator. Prints JSON.
"""

import argparse
import html
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import insert_batches, write_report  # noqa: E402
from bench.search_bench import FTS_FIELDS, MIX, percentiles, synthetic_people  # noqa: E402

PASSWORD = "bench search pass phrase 1"
RECRUITER_EMAIL = "recruiter@bench.example.com"
SECRET_KEY = "p" * 40
VIEWER_OWNER = 7  # synthetic owner id whose profiles the signed-in recruiter owns
TARGET = {"requests_per_s": 40.0, "p99_ms": 1000.0}
# Served earlier on this machine (gunicorn -w 2): the figures this benchmark replaces.
REFERENCE_RPS = {"naive_whoosh_new_searcher": 10, "naive_whoosh_reused_searcher": 22,
                 "fts5": 237}
UNAVAILABLE = b"Search is being rebuilt"
TOTAL_RE = re.compile(rb'role="status">([\d,]+) (?:person|people)')
SERVERS = ("ours", "fts5", "naive_whoosh", "naive_whoosh_reused")


def log(message: str) -> None:
    """Progress on stderr (stdout carries the JSON report)."""
    print(f"[search_page_bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr,
          flush=True)


# ---------------------------------------------------------------------------------------------
# The data: a migrated database, the real index, and an FTS5 table of the same people


def person_row(doc: dict, recruiter: int, owner: int) -> dict:
    """A `people` row for one synthetic profile."""
    return {"owner_id": recruiter if doc["owner"] == VIEWER_OWNER else owner,
            "role": doc["role"], "name": doc["name"], "headline": doc["headline"],
            "title": doc["title"], "organisation": doc["organisation"],
            "location": doc["location"], "skills": "\n".join(doc["skills"]),
            "summary": doc["summary"], "open_to_work": doc["open_to_work"],
            "visibility": doc["visibility"], "consent_required": False}


def build_site(workdir: Path, people: int, procs: int) -> dict:
    """A migrated SQLite database with `people` profiles, then `search.services.rebuild`."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app import create_app
    from auth.models import User
    from auth.passwords import hash_password
    from extensions import db, utcnow
    from referrals.models import Person
    from search import services
    from search.engine import open_index

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(workdir), "SECRET_KEY": SECRET_KEY,
                      "APP_ENV": "development", "SEARCH_INDEX_DIR": str(workdir / "index")})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        start = time.perf_counter()
        recruiter = db.session.execute(insert(User).values(
            email=RECRUITER_EMAIL, password_hash=hash_password(PASSWORD), role="recruiter",
            is_disabled=False, timezone="UTC", email_verified_at=utcnow()
        ).returning(User.id)).scalar_one()
        owner = db.session.execute(insert(User).values(
            email="owner@bench.example.com", password_hash="x", role="recruiter",
            is_disabled=False, timezone="UTC", email_verified_at=utcnow()
        ).returning(User.id)).scalar_one()
        db.session.execute(insert(Person).values(
            user_id=recruiter, owner_id=recruiter, role="recruiter", name="Bench Recruiter",
            email=RECRUITER_EMAIL, headline="Recruiter", visibility="recruiters",
            open_to_work=False, consent_required=False))
        insert_batches(Person, (person_row(doc, recruiter, owner)
                                for doc in synthetic_people(people)))
        db.session.commit()
        inserted = time.perf_counter() - start
        log(f"inserted {people:,} people in {inserted:.1f} s; rebuilding the index")
        start = time.perf_counter()
        indexed = services.rebuild(procs=procs)
        rebuilt = time.perf_counter() - start
        open_index(services.index_path()).close()
        db.session.remove()
        db.engine.dispose()
    log(f"indexed {indexed:,} profiles in {rebuilt:.1f} s")
    return {"insert_s": round(inserted, 1), "indexed": indexed, "rebuild_s": round(rebuilt, 1),
            "rebuild_procs": procs}


def database_url(workdir: Path) -> str:
    """The benchmark database's SQLAlchemy URL."""
    return f"sqlite:///{workdir / 'bench.db'}"


def build_fts5(path: Path, people: int) -> float:
    """An FTS5 table (porter, accents removed) of the same synthetic people; returns seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE VIRTUAL TABLE people USING fts5({', '.join(FTS_FIELDS)}, "
                     "tokenize='porter unicode61 remove_diacritics 2')")
        with conn:
            conn.executemany(
                f"INSERT INTO people (rowid, {', '.join(FTS_FIELDS)}) VALUES "
                f"(?, {', '.join('?' * len(FTS_FIELDS))})",
                ([d["id"]] + [", ".join(d[f]) if f == "skills" else d[f] for f in FTS_FIELDS]
                 for d in synthetic_people(people)))
    finally:
        conn.close()
    return time.perf_counter() - start


def build(workdir: Path, people: int, procs: int) -> dict:
    """The database, index and FTS5 table in `workdir`, or the ones a previous run left there."""
    marker = workdir / "build.json"
    if marker.exists():
        setup = json.loads(marker.read_text())
        if setup.get("people") == people:
            log(f"reusing the build of {people:,} people in {workdir}")
            return setup | {"reused": True}
        raise SystemExit(f"{workdir} holds a build of {setup.get('people')} people, not {people}")
    if any(workdir.iterdir()):
        raise SystemExit(f"{workdir} is not empty")
    log(f"building {people:,} people in {workdir}")
    setup = {"people": people, **build_site(workdir, people, procs)}
    setup["fts5_build_s"] = round(build_fts5(workdir / "fts5.db", people), 1)
    marker.write_text(json.dumps(setup))
    return setup


# ---------------------------------------------------------------------------------------------
# The comparison pages: tiny WSGI apps that gunicorn imports from this module

_WORKER: dict = {}


def _page(query: str, total: int, rows: list[tuple]) -> bytes:
    """A bare results page: the total and, per hit, its fields (already-escaped HTML)."""
    items = "".join(f"<li>{''.join(f'<p>{cell}</p>' for cell in row)}</li>" for row in rows)
    return (f"<!doctype html><title>{html.escape(query)}</title>"
            f'<p role="status">{total:,} {"person" if total == 1 else "people"}</p>'
            f"<ol>{items}</ol>").encode("utf-8")


def _respond(start_response, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Length", str(len(body)))])
    return [body]


def fts5_app(environ, start_response):
    """FTS5 page: the top 20 by bm25 with a summary snippet, and the total (no permissions)."""
    conn = _WORKER.get("fts5")
    if conn is None:
        conn = _WORKER["fts5"] = sqlite3.connect(os.environ["BENCH_FTS5_DB"])
    query = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
    try:
        rows = conn.execute(
            "SELECT name, headline, title, organisation, location, skills, "
            "snippet(people, 6, char(2), char(3), '…', 16) FROM people WHERE people MATCH ? "
            "ORDER BY rank LIMIT 20", (query,)).fetchall()
        total = conn.execute("SELECT count(*) FROM people WHERE people MATCH ?",
                             (query,)).fetchone()[0]
    except sqlite3.OperationalError as exc:
        return _respond(start_response, "400 Bad Request", html.escape(str(exc)).encode())
    shown = [tuple(html.escape(cell or "").replace("\x02", "<mark>").replace("\x03", "</mark>")
                   for cell in row) for row in rows]
    return _respond(start_response, "200 OK", _page(query, total, shown))


def naive_whoosh_app(environ, start_response):
    """Naive Whoosh page: the default QueryParser, a new searcher per request unless reused."""
    from whoosh import index as windex
    from whoosh.qparser import QueryParser

    if "ix" not in _WORKER:
        ix = windex.open_dir(os.environ["BENCH_WHOOSH_DIR"])
        _WORKER.update(ix=ix, parser=QueryParser("all", ix.schema), searcher=None)
    reuse = os.environ.get("BENCH_WHOOSH_REUSE") == "1"
    if reuse:
        searcher = _WORKER["searcher"]
        searcher = _WORKER["searcher"] = (searcher.refresh() if searcher is not None
                                          else _WORKER["ix"].searcher())
    else:
        searcher = _WORKER["ix"].searcher()
    query = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
    try:
        results = searcher.search(_WORKER["parser"].parse(query), limit=20)
        total = len(results)
        docs = [hit.get("doc") or {} for hit in results]
    finally:
        if not reuse:
            searcher.close()
    shown = [tuple(html.escape(str(d.get(f) or "")) for f in
                   ("name", "headline", "title", "organisation", "location"))
             + (html.escape(", ".join(d.get("skills") or ())),) for d in docs]
    return _respond(start_response, "200 OK", _page(query, total, shown))


# ---------------------------------------------------------------------------------------------
# Serving: gunicorn -w 2 (sync) on a free port, always stopped


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, method: str = "GET", body: str | None = None,
          headers: dict | None = None) -> tuple[int, list, bytes]:
    """One request on its own connection: status, headers and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


@contextmanager
def served(target: str, env: dict, log_path: Path, workers: int):
    """Run `gunicorn -w workers` (sync) on `target`; yields (port, command); stops it on exit."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               target]
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n"
                                   + log_path.read_text(errors="replace")[-3000:])
            try:
                fetch(port, "/login" if target.startswith("app:") else "/?q=ready")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 120 s") from None
                time.sleep(0.2)
        yield port, command
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (SIGTERM), or kill its process group after 40 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def sign_in(port: int) -> str:
    """Sign the recruiter in through the login form; returns the Cookie header value."""
    status, headers, body = fetch(port, "/login")
    token = re.search(rb'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or token is None:
        raise RuntimeError(f"GET /login gave {status} without a CSRF token")
    cookies = _cookies(headers, {})
    form = urlencode({"csrf_token": token.group(1).decode(), "email": RECRUITER_EMAIL,
                      "password": PASSWORD})
    status, headers, _ = fetch(port, "/login", "POST", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies)})
    if status != 302:
        raise RuntimeError(f"POST /login gave {status}, not a redirect: sign-in failed")
    cookie = _cookie_header(_cookies(headers, cookies))
    status, _, body = fetch(port, "/search/?q=payroll", headers={"Cookie": cookie})
    if status != 200 or b"People matching" not in body:
        raise RuntimeError(f"the signed-in search page gave {status}")
    return cookie


def _cookies(headers: list, jar: dict) -> dict:
    jar = dict(jar)
    for name, value in headers:
        if name.lower() == "set-cookie":
            for key, morsel in SimpleCookie(value).items():
                if morsel.value:
                    jar[key] = morsel.value
                else:
                    jar.pop(key, None)
    return jar


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# ---------------------------------------------------------------------------------------------
# Load: wrk with a Lua script when installed, else Python threads on keep-alive connections


def python_load(port: int, paths: list[str], headers: dict, connections: int,
                seconds: float | None = None, queue: list[str] | None = None) -> dict:
    """Closed loop: each connection cycles through `paths` for `seconds` (or drains `queue`)."""
    deadline = time.perf_counter() + (seconds or 0)
    lock = threading.Lock()
    samples: list[tuple[str, float, int, bool, bytes]] = []
    pending = list(reversed(queue or []))

    def next_path(n: int) -> str | None:
        if queue is None:
            return paths[n % len(paths)] if time.perf_counter() < deadline else None
        with lock:
            return pending.pop() if pending else None

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        n = offset
        try:
            while (path := next_path(n)) is not None:
                n += 1
                start = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()  # reconnects on the next request
                    status, body = 0, b""
                mine.append((path, time.perf_counter() - start, status, UNAVAILABLE in body,
                             body if queue is not None else b""))
        finally:
            conn.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i * len(paths) // connections,))
               for i in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return summarise(samples, elapsed) | {"_samples": samples}


def summarise(samples: list, elapsed: float) -> dict:
    """Requests, requests/s, errors and latency percentiles of the Python load generator."""
    kinds = {}
    for kind, ours, fts in MIX:
        kinds[ours] = kinds[fts] = kind
    by_kind: dict[str, list[float]] = {}
    for path, seconds, _status, _gone, _body in samples:
        query = parse_qs(path.partition("?")[2]).get("q", [""])[0]
        by_kind.setdefault(kinds.get(query, "other"), []).append(seconds)
    non_200 = sum(1 for s in samples if s[2] not in (0, 200))
    socket_errors = sum(1 for s in samples if s[2] == 0)
    gone = sum(1 for s in samples if s[2] == 200 and s[3])
    lat = percentiles([s[1] for s in samples]) if samples else {}
    return {"requests": len(samples), "elapsed_s": round(elapsed, 2),
            "requests_per_s": round(len(samples) / elapsed, 1) if elapsed else 0.0,
            "errors": non_200 + socket_errors + gone, "non_200": non_200,
            "socket_errors": socket_errors, "unavailable_pages": gone,
            "p50_ms": lat.get("p50_ms"), "p95_ms": lat.get("p95_ms"),
            "p99_ms": lat.get("p99_ms"), "max_ms": lat.get("max_ms"),
            "by_kind": {k: {p: v for p, v in percentiles(v).items() if p != "max_ms"}
                        for k, v in sorted(by_kind.items())}}


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
non200 = 0
unavailable = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7)
end

function init(args)
  counter = offset or 0
  wrk.headers["Cookie"] = %(cookie)s
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif body and string.find(body, "Search is being rebuilt", 1, true) then
    unavailable = unavailable + 1
  end
end

function done(summary, latency, requests)
  local bad, gone = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non200") or 0)
    gone = gone + (t:get("unavailable") or 0)
  end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%.0f, "duration_us": %%.0f, "non_200": %%.0f, '
    .. '"unavailable_pages": %%.0f, "socket_errors": %%.0f, "p50_us": %%.0f, "p95_us": %%.0f, '
    .. '"p99_us": %%.0f, "max_us": %%.0f}\\n', summary.requests, summary.duration, bad, gone,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_load(port: int, paths: list[str], headers: dict, connections: int, seconds: float,
             workdir: Path) -> dict:
    """wrk -c connections for `seconds`, the mix and cookie from a Lua script, its latencies."""
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(_lua_string(p) for p in paths),
                                    "cookie": _lua_string(headers.get("Cookie", ""))})
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s",
               "--timeout", "30s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=seconds + 120)
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    elapsed = raw["duration_us"] / 1e6
    return {"requests": raw["requests"], "elapsed_s": round(elapsed, 2),
            "requests_per_s": round(raw["requests"] / elapsed, 1),
            "errors": raw["non_200"] + raw["socket_errors"] + raw["unavailable_pages"],
            "non_200": raw["non_200"], "socket_errors": raw["socket_errors"],
            "unavailable_pages": raw["unavailable_pages"],
            **{f"{p}_ms": round(raw[f"{p}_us"] / 1000, 2) for p in ("p50", "p95", "p99", "max")}}


# ---------------------------------------------------------------------------------------------
# One server: start, sign in, warm, load, stop


def measure(name: str, workdir: Path, args, generator: str) -> dict:
    """Serve one of SERVERS with gunicorn, warm both workers, put it under load, stop it."""
    column = 2 if name == "fts5" else 1
    queries = [row[column] for row in MIX]
    paths = [f"/search/?q={quote(q)}" if name == "ours" else f"/?q={quote(q)}" for q in queries]
    env = {"BENCH_FTS5_DB": str(workdir / "fts5.db"),
           "BENCH_WHOOSH_DIR": str(workdir / "index"),
           "BENCH_WHOOSH_REUSE": "1" if name == "naive_whoosh_reused" else "0",
           "DATABASE_URL": database_url(workdir), "SECRET_KEY": SECRET_KEY,
           "APP_ENV": "development", "REFERRALS_SEARCH_INDEX_DIR": str(workdir / "index"),
           # One signed-in person searching hundreds of times a second is the load generator,
           # not abuse: the per-person search limit would turn the benchmark into 429s.
           "REFERRALS_RATELIMIT_ENABLED": "false"}
    target = {"ours": "app:create_app()", "fts5": "bench.search_page_bench:fts5_app"}.get(
        name, "bench.search_page_bench:naive_whoosh_app")
    with served(target, env, workdir / f"gunicorn-{name}.log", args.workers) as (port, command):
        headers = {"Cookie": sign_in(port)} if name == "ours" else {}
        # a few requests per query, several at once, so that every worker sees every query
        warm = python_load(port, paths, headers, min(4, args.connections),
                           queue=[p for p in paths for _ in range(args.warm)])
        if warm["errors"]:
            bad = sorted({(s[0], s[2]) for s in warm["_samples"] if s[2] != 200 or s[3]})
            raise RuntimeError(f"{name}: warm-up errors {bad[:5]}")
        totals = {}
        for path, _s, _status, _gone, body in warm["_samples"]:
            found = TOTAL_RE.search(body)
            totals[queries[paths.index(path)]] = (int(found.group(1).replace(b",", b""))
                                                  if found else None)
        log(f"{name}: warmed ({warm['requests']} requests); loading {args.connections} "
            f"connections for {args.seconds:g} s")
        if generator == "wrk":
            result = wrk_load(port, paths, headers, args.connections, args.seconds, workdir)
        else:
            result = python_load(port, paths, headers, args.connections, args.seconds)
            del result["_samples"]
    result["command"] = shlex.join(["gunicorn", *command[3:]])  # run as `python -m gunicorn`
    result["totals"] = {q: totals.get(q) for q in queries}
    log(f"{name}: {result['requests_per_s']} requests/s, p99 {result['p99_ms']} ms, "
        f"{result['errors']} errors")
    return result


def ratios(report: dict) -> dict:
    """Ours against each comparison: requests/s ours over theirs, and p50/p99 ours over theirs."""
    ours, out = report["ours"], {}
    for name in SERVERS[1:]:
        other = report.get(name)
        if other and other["requests_per_s"] and other["p99_ms"]:
            out[f"requests_per_s_ours_over_{name}"] = round(
                ours["requests_per_s"] / other["requests_per_s"], 2)
            for p in ("p50", "p99"):
                out[f"{p}_ours_over_{name}"] = round(ours[f"{p}_ms"] / other[f"{p}_ms"], 2)
    return out


def main(argv=None) -> dict:
    """Run the benchmark; print (and optionally write) its JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--warm", type=int, default=3, help="warm-up requests per query")
    parser.add_argument("--procs", type=int, default=2, help="index rebuild processes")
    parser.add_argument("--compare", default="fts5,naive_whoosh,naive_whoosh_reused",
                        help="comma-separated comparisons to serve too ('' for none)")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator (auto: wrk if installed)")
    parser.add_argument("--out", help="also write the JSON report here")
    parser.add_argument("--workdir", help="a dir to build in and keep; a build of the same "
                        "size found there is reused (default: a temp dir, removed)")
    args = parser.parse_args(argv)
    compare = [c for c in args.compare.split(",") if c]
    unknown = set(compare) - set(SERVERS[1:])
    if unknown:
        parser.error(f"unknown comparisons: {', '.join(sorted(unknown))}")
    wrk = shutil.which("wrk")
    if args.load == "wrk" and not wrk:
        parser.error("wrk is not installed (apt-get install wrk)")
    generator = "wrk" if wrk and args.load != "python" else "python"
    if generator == "python" and args.load == "auto":
        log("wrk is not installed (apt-get install wrk); using the Python load generator")
    report = {"people": args.people, "connections": args.connections, "seconds": args.seconds,
              "workers": args.workers, "cores": os.cpu_count(),
              "load_generator": generator if generator == "wrk" else
              "python (a thread per connection, http.client, every latency recorded)",
              "queries": [{"kind": k, "ours": o, "fts5": f} for k, o, f in MIX],
              "target": dict(TARGET), "reference_rps_measured_earlier": REFERENCE_RPS,
              "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="search-page-bench-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        report["setup"] = build(workdir, args.people, args.procs)
        for name in ["ours", *compare]:
            report[name] = measure(name, workdir, args, generator)
    report["ratios"] = ratios(report)
    ours = report["ours"]
    report["target"]["met"] = bool(ours["requests_per_s"] >= TARGET["requests_per_s"]
                                   and (ours["p99_ms"] or 1e9) < TARGET["p99_ms"]
                                   and ours["errors"] == 0)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_report(report, args.out)
    return report


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so gunicorn is stopped on SIGTERM
    main()
