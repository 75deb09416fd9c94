"""The score over time, for the trust panel: the chart's line, its marks and the trend.

Pure Python: reads `Ledger`s and returns values (charts.py draws them).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from referrals.trust.ledger import Ledger
from referrals.trust.score import score_at
from referrals.trust.standing import Views, fold


def score_series(ledger: Ledger, start: date, end: date, points: int = 60,
                 perspective: str = "a") -> list[tuple[date, int]]:
    """The score at `points` evenly spaced days from start to end (inclusive), each counting only
    the events up to that day; repeated days are dropped when the span is short."""
    if end < start:
        raise ValueError("end must not be before start")
    if points < 2:
        return [(end, score_at(fold(ledger.by_day(), end), end, perspective))]
    span = (end - start).days
    moments = sorted({start + timedelta(days=round(i * span / (points - 1)))
                      for i in range(points)})
    days, views, series, i = ledger.by_day(), Views(), [], 0
    for moment in moments:
        while i < len(days) and days[i][0] <= moment:
            views.feed(*days[i])
            i += 1
        series.append((moment, score_at(views, moment, perspective)))
    return series


@dataclass(frozen=True)
class Mark:
    """A day on which confirmed entries moved the score, and by how much."""

    day: date
    score: int  # the score that day, after the entries
    change: int  # the score after minus the score that day without them
    kinds: tuple[str, ...]  # the confirmed kinds of that day


def marks(ledger: Ledger, start: date, end: date, perspective: str = "a") -> list[Mark]:
    """Each day from start to end with confirmed entries that changed the score that day."""
    found, views = [], Views()
    for day, items in ledger.by_day():
        if day > end:
            break
        before = score_at(views, day, perspective) if day >= start else 0
        views.feed(day, items)
        confirmed = tuple(sorted({kind for kind, _, _, sure, _ in items if sure}))
        if day < start or not confirmed:
            continue
        after = score_at(views, day, perspective)
        if after != before:
            found.append(Mark(day, after, after - before, confirmed))
    return found


def trend(ledger: Ledger, now: date, days: int = 90, perspective: str = "a",
          then_ledger: Ledger | None = None) -> int:
    """Today's score minus the score shown `days` earlier (-100..100).

    `then_ledger` is the history as it had been logged and confirmed by then (default: the
    events dated by then), so that entries logged since, back-dated ones included, count as
    change.
    """
    before = now - timedelta(days=days)
    earlier = (then_ledger if then_ledger is not None else ledger).by_day()
    return (score_at(fold(ledger.by_day(), now), now, perspective)
            - score_at(fold(earlier, before), before, perspective))
