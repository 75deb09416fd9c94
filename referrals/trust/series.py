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
    return timeline(ledger, start, end, points, perspective)[0]


@dataclass(frozen=True)
class Mark:
    """A day on which confirmed entries moved the score, and by how much."""

    day: date
    score: int  # the score that day, after the entries
    change: int  # the score after minus the score that day without them
    kinds: tuple[str, ...]  # the confirmed kinds of that day


def marks(ledger: Ledger, start: date, end: date, perspective: str = "a") -> list[Mark]:
    """Each day from start to end with confirmed entries that changed the score that day."""
    return timeline(ledger, start, end, 2, perspective)[1]


def timeline(ledger: Ledger, start: date | None, end: date, points: int = 60,
             perspective: str = "a", views: Views | None = None,
             ) -> tuple[list[tuple[date, int]], list[Mark]]:
    """The chart's line (score_series) and its marks (marks) from one reading of the ledger.

    start None: from the first counted contact (none: no line, no marks). views: fed every day
    up to `end` (a fresh Views by default), for a caller that also wants the state on `end`.
    """
    if start is not None and end < start:
        raise ValueError("end must not be before start")
    views = Views() if views is None else views
    series: list[tuple[date, int]] = []
    found: list[Mark] = []
    moments = _moments(start, end, points) if start is not None else []
    next_moment = 0
    for day, items in ledger.by_day():
        if day > end:
            break
        # A moment counts the events up to and including its own day.
        while next_moment < len(moments) and moments[next_moment] < day:
            series.append((moments[next_moment],
                           score_at(views, moments[next_moment], perspective)))
            next_moment += 1
        confirmed = tuple(sorted({kind for kind, _, _, sure, _ in items if sure}))
        before = score_at(views, day, perspective) if confirmed else 0
        views.feed(day, items)
        if start is None and views.claimed.first is not None:
            start = views.claimed.first  # this day: the first counted contact
            moments = _moments(start, end, points)
        if start is None or day < start or not confirmed:
            continue
        after = score_at(views, day, perspective)
        if after != before:
            found.append(Mark(day, after, after - before, confirmed))
    series += [(moment, score_at(views, moment, perspective))
               for moment in moments[next_moment:]]
    return series, found


def _moments(start: date, end: date, points: int) -> list[date]:
    """`points` evenly spaced days from start to end, without repeats (just `end` below 2)."""
    if points < 2:
        return [end]
    span = (end - start).days
    return sorted({start + timedelta(days=round(i * span / (points - 1))) for i in range(points)})


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
