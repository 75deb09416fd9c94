"""The trust panel's figures, from a relationship's stored ledger text, a day and a side.

Pure Python. The figures depend on nothing else, so the latest FIGURES_KEPT are kept: a page
shown again on the same day, its history unchanged, reads neither the ledger nor the history
again. Any change to the history changes the stored text, so nothing kept is ever stale. The
figures returned are shared between callers: read them, never change them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from referrals.trust.charts import score_charts
from referrals.trust.ledger import Ledger
from referrals.trust.score import TrustScore, assess_folded, score_at
from referrals.trust.series import Mark, timeline
from referrals.trust.standing import Views, fold

# Each set of figures of a 500-entry history holds about 100 KB (mostly its marks).
FIGURES_KEPT = 64


@dataclass(frozen=True)
class Figures:
    """One side's score today, the chart's line, the marks on it, and the chart's SVG ("" with
    fewer than two points on the line)."""

    score: TrustScore
    series: tuple[tuple[date, int], ...]
    marks: tuple[Mark, ...]
    chart: str


@lru_cache(maxsize=FIGURES_KEPT)
def figures(ledger_text: str, today: date, side: str) -> Figures:
    """The figures of the ledger stored as `ledger_text` ("" for none), for `side` ("a" or "b")
    on `today`."""
    ledger, views = Ledger.from_json(ledger_text), Views()
    # One reading of the history gives the line, its marks and (in `views`) today's state.
    series, marks = timeline(ledger, None, today, perspective=side, views=views)
    score = assess_folded(ledger.by_day(), views, today, side)
    chart = score_charts(series, marks) if len(series) > 1 else ""
    return Figures(score, tuple(series), tuple(marks), chart)


@lru_cache(maxsize=FIGURES_KEPT)
def score_on(ledger_text: str, day: date, side: str) -> int:
    """`side`'s score on `day` of the ledger stored as `ledger_text`, events after it ignored."""
    return score_at(fold(Ledger.from_json(ledger_text).by_day(), day), day, side)


def trend(ledger_text: str, then_text: str, today: date, days: int, side: str) -> int:
    """Today's score minus the one shown `days` earlier, when the history as then logged was the
    ledger stored as `then_text` (series.trend, on stored texts)."""
    return (figures(ledger_text, today, side).score.score
            - score_on(then_text, today - timedelta(days=days), side))
