"""CPU time of the relationship page and of logging an interaction, in-process, one at a time.

    .venv/bin/python bench/relationship_profile.py --workdir /tmp/relpage-world \\
        --database-url postgresql://postgres@127.0.0.1:5432/relpage_world \\
        --people 20000 --relationships 3000 --interactions 200000
    .venv/bin/python bench/relationship_profile.py --workdir /tmp/relpage-sqlite \\
        --people 4000 --relationships 800 --interactions 60000 --profile first

Builds (or reuses) `bench/pages_bench.py`'s world at the sizes given, signs its recruiter in
through the app's test client (the login form, a real CSRF token) and times, as CPU seconds of
this process (time.process_time: the machine's other load does not count, the database
server's work does not either): the relationship page with the most nearly 500 interactions
(shown again, and as the first view after a change: its trust figures not yet kept), the
log-interaction POST answered with a redirect (a form without JavaScript) and the same POST
made in place (the fragment static/js/inplace.js swaps in). The entries it logs are deleted
afterwards and the stored trust ledger rebuilt, so the world is left as it was.
--profile page|first|log|inplace prints that request's cProfile on stderr (CPU time, the 30 first
functions in --sort order).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pages_bench  # noqa: E402
from bench.common import write_report  # noqa: E402

NOTE = "Bench profile: caught up on the market."


def _app(url: str, workdir: Path):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": pages_bench.SECRET_KEY,
                       "APP_ENV": "development", "RATELIMIT_ENABLED": False,
                       "SEARCH_INDEX_DIR": str(workdir / "idx")})


def _token(body: bytes) -> str:
    match = pages_bench.TOKEN_RE.search(body)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1).decode()


def _timed(send, runs: int, profile: str) -> dict:
    """CPU milliseconds of `runs` calls of send() after two warm-up calls; with `profile` (a
    pstats sort key), the cProfile of one more call printed on stderr."""
    for _ in range(2):
        send()
    spent = []
    for _ in range(runs):
        start = time.process_time()
        send()
        spent.append((time.process_time() - start) * 1000)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        send()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(profile).print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    return {"runs": runs, "cpu_ms_median": round(statistics.median(spent), 1),
            "cpu_ms_min": round(min(spent), 1), "cpu_ms_max": round(max(spent), 1)}


def measure(app, rel_id: int, runs: int, profile: str, sort_by: str = "tottime") -> dict:
    """Sign in and time the page, the plain POST and the in-place POST."""
    from referrals.trust import panel as trust_panel

    client = app.test_client()
    login = client.get("/login").data
    answer = client.post("/login", data={"csrf_token": _token(login), "password":
                                         pages_bench.PASSWORD,
                                         "email": pages_bench.RECRUITER_EMAIL})
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in gave {answer.status_code}")
    page = f"/relationships/{rel_id}"
    first = client.get(page)
    size = len(first.data)
    form = {"csrf_token": _token(first.data), "occurred_on": date.today().isoformat(),
            "kind": "message", "direction": "i_gave", "note": NOTE}

    def get():
        assert client.get(page).status_code == 200

    def first_view():
        # As the first view after a change: the trust figures kept per ledger are let go.
        trust_panel.figures.cache_clear()
        trust_panel.score_on.cache_clear()
        get()

    def post(headers=None):
        def send():
            code = client.post(f"{page}/interactions", data=form, headers=headers).status_code
            assert code in (200, 302), code
        return send

    load = pages_bench.load_average()
    def sort(name: str) -> str:
        return sort_by if profile == name else ""

    out = {"page": _timed(get, runs, sort("page")),
           "page_first_view": _timed(first_view, runs, sort("first")),
           "log": _timed(post(), runs, sort("log")),
           "log_in_place": _timed(post({"X-Requested-With": "fetch"}), runs, sort("inplace")),
           "page_kb": round(size / 1024, 1)}
    out["load_average"] = [load, pages_bench.load_average()]
    return out


def tidy(app, rel_id: int, since) -> int:
    """Delete the entries this script logged (and their audit and mail, queued `since`),
    rebuild the ledger."""
    from sqlalchemy import delete, select

    from extensions import db
    from mail.models import OutboxMessage
    from referrals.history import services as history
    from referrals.models import AuditEvent, Interaction, Relationship
    from referrals.trust import store as trust_store

    with app.app_context():
        ids = db.session.scalars(select(Interaction.id).where(
            Interaction.relationship_id == rel_id, Interaction.note == NOTE)).all()
        db.session.execute(delete(AuditEvent).where(AuditEvent.interaction_id.in_(ids)))
        db.session.execute(delete(Interaction).where(Interaction.id.in_(ids)))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.kind == "entries",
                                                   OutboxMessage.created_at >= since))
        rel = db.session.get(Relationship, rel_id)
        trust_store.rebuild(rel)
        history._refresh_last_contact(rel)
        db.session.commit()
    return len(ids)


def main(argv=None) -> dict:
    """Build or reuse the world, time the three requests, print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--relationships", type=int, default=3_000)
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", choices=("", "page", "first", "log", "inplace"), default="")
    parser.add_argument("--sort", default="tottime", help="the profile's order (pstats): "
                        "tottime, what each function spends itself, or cumulative")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / 'bench.db'}"
    if args.database_url:
        from app import _normalise_db_url

        url = _normalise_db_url(args.database_url)
        pages_bench.create_database(url)
    world = pages_bench.prepare(SimpleNamespace(
        people=args.people, relationships=args.relationships, interactions=args.interactions,
        procs=args.procs, time_rebuild=False), workdir, url)
    rel = world["relationship"]
    app = _app(url, workdir)
    since = datetime.now(timezone.utc)
    try:
        figures = measure(app, rel["id"], args.runs, args.profile, args.sort)
    finally:
        removed = tidy(app, rel["id"], since)
    report = {"database": url.partition(":")[0].partition("+")[0], "relationship": rel,
              "entries_logged": removed,
              **figures}
    write_report(report, args.out)
    return report


if __name__ == "__main__":
    main()
