"""What the benchmark scripts share: bulk inserts and the JSON report."""

import importlib.util
import json
from itertools import islice
from pathlib import Path
from types import SimpleNamespace


def insert_batches(model, rows, size: int = 10_000) -> int:
    """Bulk-insert row dicts from any iterable, `size` at a time; returns how many."""
    from sqlalchemy import insert

    from extensions import db

    rows, count = iter(rows), 0
    while batch := list(islice(rows, size)):
        db.session.execute(insert(model), batch)
        count += len(batch)
    return count


def write_report(report: dict, out: str = "") -> str:
    """Print the JSON report, and also write it to `out` when given; returns the text."""
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    return text


def start_worker(app) -> None:
    """Run gunicorn.conf.py's post_worker_init on `app`, as gunicorn does in each worker."""
    conf_path = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", conf_path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    conf.post_worker_init(SimpleNamespace(wsgi=app))
