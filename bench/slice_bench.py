"""Benchmark one slice of the after-response index sync: CPU seconds to apply 200 changes.

    nice -n 10 .venv/bin/python bench/slice_bench.py                  # 2,000 people, SQLite
    nice -n 10 .venv/bin/python bench/slice_bench.py --database-url postgresql://...

Adds `--people` contacts (each logs one change), then applies the log a slice at a time as an
after-response sync would (search.services.catch_up with the slice as its limit). Prints JSON:
CPU seconds of each slice (median and max) and how many slices drained the log.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.common import write_report  # noqa: E402
from extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from auth import services as accounts
    from referrals.network import people
    from search import services

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40,
                          "APP_ENV": "development", "SEARCH_INDEX_DIR": f"{folder}/idx"})
        with app.app_context():
            upgrade()
            recruiter = accounts.register_user(name="Bench Recruiter",
                                               email="bench@example.com",
                                               password="correct horse battery staple")
            recruiter.role = recruiter.person.role = "recruiter"
            db.session.commit()
            services.catch_up()
            for i in range(args.people):
                people.add_contact(recruiter, role="candidate", name=f"Bench Person{i}",
                                   headline="Payroll analyst", skills="Payroll\nExcel",
                                   location="Leeds", organisation=f"Firm {i % 50}")
            cpu = []
            while True:
                started = time.process_time()
                applied = services.catch_up(limit=services.AFTER_RESPONSE_SLICE)
                cpu.append(time.process_time() - started)
                if applied < services.AFTER_RESPONSE_SLICE:
                    break
            db.session.remove()
            db.engine.dispose()
    write_report({"people": args.people, "slice": services.AFTER_RESPONSE_SLICE,
                  "slices": len(cpu), "cpu_s_median": round(statistics.median(cpu), 3),
                  "cpu_s_max": round(max(cpu), 3)}, args.out)


if __name__ == "__main__":
    main()
