"""Benchmark the trust score's storage: logging one interaction, and `flask trust recompute`.

    .venv/bin/python bench/trust_bench.py                      # 1,000,000 interactions, SQLite
    .venv/bin/python bench/trust_bench.py --database-url postgresql://postgres@127.0.0.1/bench
    .venv/bin/python bench/trust_bench.py --interactions 500 --relationships 20 --log-samples 5

Prints JSON: median and p95 milliseconds of one `history.log_interaction` (lock, insert, score
update, audit, commit), and the wall time of the `flask trust recompute` command.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from bench.common import insert_batches, write_report  # noqa: E402
from extensions import db, utcnow  # noqa: E402
from referrals.kinds import KIND_VALUES  # noqa: E402


def _app(url: str, instance: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40,
                       "APP_ENV": "development", "SEARCH_INDEX_DIR": str(instance / "idx")})


def time_logging(samples: int) -> dict:
    """Median and p95 ms of logging one interaction through the service, score update included."""
    from auth import services
    from referrals.history import services as history
    from referrals.network import people

    recruiter = services.register_user(name="Bench Recruiter", email="r@bench.example.com",
                                       password="bench pass phrase 1")
    recruiter.role = recruiter.person.role = "recruiter"  # granted directly, as tests do
    candidate = services.register_user(name="Bench Candidate", email="c@bench.example.com",
                                       password="bench pass phrase 1")
    people.request_connection(recruiter, candidate.person)
    rel = people.request_connection(candidate, recruiter.person)
    side, rel_id = rel.side_of(recruiter.person.id), rel.id
    timings = []
    for i in range(samples):
        start = time.perf_counter()
        history.log_interaction(recruiter, rel_id, side,
                                occurred_on=date(2010, 1, 1) + timedelta(days=i % 5000),
                                kind=KIND_VALUES[i % len(KIND_VALUES)], direction="i_gave",
                                note="bench", private_note="")
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {"samples": samples, "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2)}


def populate(interactions: int, relationships: int, seed: int = 1) -> float:
    """Insert a network of people, relationships and interactions in bulk; returns seconds."""
    from auth.models import User
    from referrals.models import Interaction, Person, Relationship

    rng = random.Random(seed)
    start = time.perf_counter()
    owner = db.session.execute(insert(User).values(
        email="owner@bench.example.com", password_hash="x", role="recruiter",
        is_disabled=False, timezone="UTC", email_verified_at=utcnow()).returning(User.id)
    ).scalar_one()
    first_person = db.session.execute(insert(Person).values(
        owner_id=owner, user_id=owner, role="recruiter", name="Owner", visibility="private",
        open_to_work=False, consent_required=False).returning(Person.id)).scalar_one()
    db.session.execute(insert(Person), [
        {"owner_id": owner, "role": "candidate", "name": f"Person {i}", "visibility": "private",
         "open_to_work": False, "consent_required": False} for i in range(relationships)])
    rels = [{"a_id": first_person, "b_id": first_person + 1 + i, "status": "accepted",
             "requested_by_id": first_person, "trust_ledger": "", "trust_summary": ""}
            for i in range(relationships)]
    db.session.execute(insert(Relationship), rels)
    rel_rows = db.session.execute(db.select(Relationship.id, Relationship.a_id,
                                            Relationship.b_id)).all()

    def rows():
        for n in range(interactions):
            rel_id, a_id, b_id = rel_rows[n % len(rel_rows)]
            logger = a_id if rng.random() < 0.5 else b_id
            yield {"relationship_id": rel_id, "kind": rng.choice(KIND_VALUES),
                   "occurred_on": date(2008, 1, 1) + timedelta(days=rng.randrange(6500)),
                   "giver": rng.choice(("a", "b", "mutual")), "logged_by_id": logger,
                   "logged_by_user_id": owner, "note": "", "private_note": "",
                   "status": rng.choice(("confirmed", "confirmed", "pending")),
                   "dispute_reason": ""}

    insert_batches(Interaction, rows(), 50_000)
    db.session.commit()
    return time.perf_counter() - start


def time_recompute(url: str, instance: Path) -> float:
    """Wall seconds of the real `flask trust recompute` command in a fresh process."""
    env = {**os.environ, "FLASK_APP": "app:create_app", "DATABASE_URL": url,
           "APP_ENV": "development", "SECRET_KEY": "b" * 40,
           "REFERRALS_SEARCH_INDEX_DIR": str(instance / "idx")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "trust", "recompute"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    print(done.stdout.strip(), file=sys.stderr)
    return elapsed


def main(argv=None) -> dict:
    """Run the benchmark and print (and return) its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--relationships", type=int, default=10_000)
    parser.add_argument("--log-samples", type=int, default=300)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        url = args.database_url or f"sqlite:///{instance / 'bench.db'}"
        app = _app(url, instance)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            logging = time_logging(args.log_samples)
            populate_s = populate(args.interactions, args.relationships)
            db.session.remove()
            db.engine.dispose()
        recompute_s = time_recompute(url, instance)
        if args.database_url:
            with app.app_context():
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
    result = {"database": "postgresql" if args.database_url else "sqlite",
              "log_interaction": logging, "interactions": args.interactions,
              "relationships": args.relationships, "populate_s": round(populate_s, 1),
              "recompute_s": round(recompute_s, 2)}
    write_report(result)
    return result


if __name__ == "__main__":
    main()
