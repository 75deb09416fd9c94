"""Benchmark importing a LinkedIn Connections.csv: preview, import, and searchable.

    .venv/bin/python bench/import_bench.py                   # 10,000 rows, SQLite (target < 30 s)
    .venv/bin/python bench/import_bench.py --rows 200        # smoke size
    .venv/bin/python bench/import_bench.py --database-url postgresql://postgres@127.0.0.1/bench

Builds a realistic export (preamble, header, accented names, URLs, "22 Dec 2025" dates, 5% with
an e-mail, 2% repeated rows), then times, through the services the pages use: the upload read
into a preview (`stage_upload`), the import in chunks with a first-contact check-in per person
(`import_batch`), and the search index catching up (`catch_up`) until the last imported person
is found by name; then the undo of the whole batch, timed apart. Prints JSON with the seconds
of each step (wall and this process's CPU), the sum of the first three and the load average.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.common import write_report  # noqa: E402
from extensions import db  # noqa: E402

FIRST = ("Ada", "Grace", "José", "Zoë", "Amara", "Priya", "Liam", "Chen", "Fatima", "Olu",
         "Søren", "Marta", "Hiro", "Élodie", "Kwame", "Ines", "Tomás", "Aiko", "Ravi", "Niamh")
LAST = ("Lovelace", "Hopper", "Núñez", "Okafor", "Patel", "Murphy", "Wang", "Haddad", "Adeyemi",
        "Kierkegaard", "Kowalska", "Tanaka", "Dubois", "Mensah", "García", "Sato", "Rao")
COMPANIES = ("Acme People Ltd", "Globex", "Initech", "Umbrella Health", "Stark Retail",
             "Wayne Logistics", "Soylent Foods", "Hooli", "Vandelay Industries", "Kinship")
TITLES = ("HR Business Partner", "Head of Reward", "Talent Acquisition Lead", "L&D Manager",
          "Chief People Officer", "Recruiter", "ER Specialist", "DEI Lead", "HR Director")


def linkedin_csv(rows: int, seed: int = 1) -> bytes:
    """A Connections.csv as LinkedIn exports it today, with `rows` connections."""
    rng = random.Random(seed)
    lines = ["Notes:", '"When exporting your connection data, you may notice that some of the '
             'email addresses are missing."', "",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    previous = None
    for n in range(rows):
        if previous and rng.random() < 0.02:
            lines.append(previous)  # LinkedIn exports do carry the odd repeated row
            continue
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{n}"
        email = f"{first.lower()}.{n}@example.com" if rng.random() < 0.05 else ""
        day = date(2008, 1, 1) + timedelta(days=rng.randrange(6500))
        previous = (f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{n},{email},"
                    f"{rng.choice(COMPANIES)},{rng.choice(TITLES)},{day:%d %b %Y}")
        lines.append(previous)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(rows: int) -> dict:
    """Time preview, import and index catch-up inside the current app context."""
    from auth import services as accounts
    from referrals.imports import batches, staging
    from search import services as search

    recruiter = accounts.register_user(name="Bench Recruiter", email="r@bench.example.com",
                                       password="bench pass phrase 1")
    recruiter.role = recruiter.person.role = "recruiter"  # granted directly, as tests do
    data = linkedin_csv(rows)
    wall, cpu = {}, {}

    def timed(step, work):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall[step] = round(time.perf_counter() - start, 2)
        cpu[step] = round(time.process_time() - start_cpu, 2)
        return result

    batch = timed("preview", lambda: staging.stage_upload(recruiter, "Connections.csv", data))
    timed("import", lambda: batches.import_batch(recruiter, batch, {}))
    last = data.decode().rstrip().rsplit("\r\n", 1)[-1].split(",")
    found = timed("index", lambda: (search.catch_up(wait=60), search.search_people(
        recruiter, f'"{last[0]} {last[1]}"', {}, 1, "relevance", None))[1])
    undone = timed("undo", lambda: batches.undo_batch(recruiter, batch))
    return {"rows": rows, "file_bytes": len(data), "added": batch.added,
            "refused": batch.refused, "preview_s": wall["preview"],
            "import_s": wall["import"], "index_s": wall["index"],
            "total_s": round(wall["preview"] + wall["import"] + wall["index"], 2),
            "cpu_s": cpu, "undo_s": wall["undo"], "undo_removed": undone["removed"],
            "last_row_found": bool(found.page and found.page.total)}


def main(argv=None) -> dict:
    """Run the benchmark and print (and return) its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        url = args.database_url or f"sqlite:///{instance / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40,
                          "APP_ENV": "development", "SEARCH_INDEX_DIR": str(instance / "idx")})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            result = run(args.rows)
            db.session.remove()  # an open read would make DROP TABLE wait for ever
            if args.database_url:
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            db.session.remove()
            db.engine.dispose()
    result = {"database": "postgresql" if args.database_url else "sqlite", **result,
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    write_report(result)
    return result


if __name__ == "__main__":
    main()
