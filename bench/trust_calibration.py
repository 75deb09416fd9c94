"""Write the calibration table of docs/trust.md: each archetype's score, before and after.

"After" is this edition's score (referrals/trust/calibration.py). "Before" is the first edition's,
computed by that edition's own code read from git (FIRST_EDITION), so neither column is typed by
hand. Run from the project root:

    .venv/bin/python -m bench.trust_calibration          # rewrites the table in docs/trust.md
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from referrals.trust.calibration import TODAY, rows, scores
from referrals.trust.score import assess

# The last commit with the first edition of the score.
FIRST_EDITION = "c52367e"
OLD_FILES = ("referrals/__init__.py", "referrals/kinds.py", "referrals/trust/__init__.py",
             "referrals/trust/ledger.py", "referrals/trust/parts.py",
             "referrals/trust/reasons.py", "referrals/trust/score.py")
DOC = Path("docs/trust.md")
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"

_OLD_SCORER = """
import json, sys
from datetime import date
from referrals.trust.score import Event, Ledger, assess
histories = json.load(sys.stdin)
print(json.dumps({name: assess(Ledger.from_events(
    Event(date.fromisoformat(d), k, g, by, c) for d, k, g, by, c in events),
    date.fromisoformat(today), "a").score for name, (today, events) in histories.items()}))
"""


def before_scores() -> dict[str, int]:
    """The first edition's scores of every archetype, by its own code."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in OLD_FILES:
            text = subprocess.run(["git", "show", f"{FIRST_EDITION}:{name}"], check=True,
                                  capture_output=True, text=True).stdout
            target = Path(tmp, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        histories = {name: (TODAY.isoformat(), [
            (e.day.isoformat(), e.kind, e.giver, e.logged_by, e.confirmed) for e in events])
            for name, _, events in rows()}
        done = subprocess.run([sys.executable, "-c", _OLD_SCORER], input=json.dumps(histories),
                              check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": tmp}, cwd=tmp)
    return json.loads(done.stdout)


def table(before: dict[str, int], after: dict[str, int]) -> str:
    """The markdown table, highest score after this change first."""
    lines = ["| History (seen from your side) | What happened | Before | After |",
             "|---|---|---|---|"]
    order = sorted(rows(), key=lambda row: -after[row[0]])
    lines += [f"| {name} | {what} | {before[name]} | {after[name]} |"
              for name, what, _ in order]
    return "\n".join(lines)


def main() -> None:
    """Rewrite the table between the calibration markers of docs/trust.md."""
    text = DOC.read_text()
    head, rest = text.split(START)
    _, tail = rest.split(END)
    new = table(before_scores(), scores(assess))
    DOC.write_text(f"{head}{START}\n{new}\n{END}{tail}")
    print(new)


if __name__ == "__main__":
    main()
