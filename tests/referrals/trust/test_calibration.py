"""The calibration table of docs/trust.md: its "After" column is what the code gives, and the
archetypes keep the order the essay asks for."""

import re
from pathlib import Path

from referrals.trust.calibration import rows, scores
from referrals.trust.score import assess

DOC = Path(__file__).resolve().parents[3] / "docs" / "trust.md"


def _table() -> list[tuple[str, int, int]]:
    text = DOC.read_text()
    block = text.split("<!-- calibration:start -->")[1].split("<!-- calibration:end -->")[0]
    found = re.findall(r"^\| ([^|]+?) \| [^|]+ \| (\d+) \| (\d+) \|$", block, re.MULTILINE)
    return [(name, int(before), int(after)) for name, before, after in found]


def test_the_table_holds_every_archetype_with_the_score_the_code_gives():
    table, now = _table(), scores(assess)
    assert sorted(name for name, *_ in table) == sorted(name for name, *_ in rows())
    assert {name: after for name, _, after in table} == now


def test_the_table_is_in_order_of_the_score():
    afters = [after for *_, after in _table()]
    assert afters == sorted(afters, reverse=True)


def test_the_archetypes_keep_the_order_the_essay_asks_for():
    s = scores(assess)
    # Generosity counts for the giver; taking is what is gated.
    assert s["generous giver"] >= s["thinner balanced"] > s["taker"] + 30
    # Substance over small talk; a placement is value to both sides.
    assert s["annual check-ins with substance"] > s["small talk only"]
    assert s["new client"] >= 60
    # No quick revival: one message is not sustained contact, and stays below the wild-card floor.
    assert s["revived with sustained contact"] > 70 > 55 > s["neglected then revived"]
    # Regularity over years beats a burst; claims alone count for little and never subtract.
    assert s["thinner balanced"] > s["burst"]
    assert s["long partner"] <= s["long partner + 50 claims"] <= s["long partner"] + 4
    assert s["self-reported only"] <= 4
    assert s["out-of-the-blue asker"] == 0
    assert s["long partner"] >= 70
