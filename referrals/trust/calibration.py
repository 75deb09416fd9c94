"""Archetypal histories the score is calibrated against (docs/trust.md, "Calibration").

Pure data and one function: each archetype is a history seen from side "a" ("you") on TODAY.
`bench/trust_calibration.py` writes the table in docs/trust.md from these, with the first
edition's scores beside them; tests/referrals/test_trust_calibration.py holds the table's order.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from referrals.trust.ledger import Event, Ledger

TODAY = date(2026, 6, 1)


def _ev(day: date, kind: str = "check_in", giver: str = "mutual", logged_by: str = "a",
        confirmed: bool = True) -> Event:
    return Event(day, kind, giver, logged_by, confirmed)


def _every(start: date, days: int, n: int) -> list[date]:
    return [start + timedelta(days=days * i) for i in range(n)]


def _long_partner(confirmed: bool = True) -> list[Event]:
    kinds = ("referral", "check_in", "advice", "market_insight", "introduction", "call")
    return [_ev(day, kinds[i % 6], "mutual" if i % 3 == 1 else "ab"[i % 2], confirmed=confirmed)
            for i, day in enumerate(_every(date(2016, 5, 1), 91, 41))]


def _given_by(giver: str, step: int) -> list[Event]:
    kinds = ("referral", "introduction", "advice", "market_insight")
    return [_ev(day, kinds[i % 4], giver) for i, day in enumerate(_every(date(2020, 6, 1), step,
                                                                        int(2160 / step)))]


def _thinner_balanced() -> list[Event]:
    kinds = ("referral", "introduction", "advice", "market_insight")
    return [_ev(day, kinds[i % 4], "ab"[i % 2])
            for i, day in enumerate(_every(date(2020, 6, 1), 240, 9))]


def _strong_then_silent() -> list[Event]:
    kinds = ("referral", "advice", "check_in", "market_insight")
    return [_ev(day, kinds[i % 4], "ab"[i % 2])
            for i, day in enumerate(_every(date(2012, 2, 1), 91, 25))]


def _annual_with_substance() -> list[Event]:
    return ([_ev(date(2016 + i, 5, 20)) for i in range(11)]
            + [_ev(date(2018, 3, 1), "hire", "a"), _ev(date(2022, 3, 1), "hire", "a")]
            + [_ev(date(2017 + 2 * i, 9, 1), "referral", "b") for i in range(3)])


# (name, what it is, events). Names are the first column of the table in docs/trust.md.
ARCHETYPES = (
    ("long partner", "10 years, a substantive exchange or a check-in every quarter, both ways",
     _long_partner()),
    ("generous giver", "they gave you a referral, introduction or advice every 4 months for "
     "6 years and never asked", _given_by("b", 120)),
    ("thinner balanced", "the same 6 years, turn and turn about, every 8 months",
     _thinner_balanced()),
    ("taker", "you gave them the generous giver's history; they never gave back",
     _given_by("a", 120)),
    ("annual check-ins with substance", "yearly check-ins for 10 years, 2 placements, "
     "3 referrals from them", _annual_with_substance()),
    ("small talk only", "a message every month for 10 years",
     [_ev(day, "message") for day in _every(date(2016, 6, 1), 30, 121)]),
    ("new client", "6 years of yearly check-ins and two placements you made with them",
     [_ev(date(2020 + i, 4, 2)) for i in range(7)]
     + [_ev(date(2022, 9, 1), "hire", "a"), _ev(date(2025, 2, 1), "hire", "a")]),
    ("revived with sustained contact", "the neglected tie below, then monthly contact for "
     "5 months", _strong_then_silent() + [_ev(TODAY - timedelta(days=31 * m))
                                          for m in range(5)]),
    ("neglected then revived", "strong for 6 years, 8 years of silence, one message 10 days "
     "ago", _strong_then_silent() + [_ev(TODAY - timedelta(days=10), "message")]),
    ("burst", "20 referrals and pieces of advice both ways within one month",
     [_ev(date(2026, 5, 1) + timedelta(days=i), ("referral", "advice")[i % 2], "ab"[i % 2])
      for i in range(20)]),
    ("self-reported only", "the long partner's history, none of it confirmed",
     _long_partner(confirmed=False)),
    ("out-of-the-blue asker", "met you at an event in 2017, asked for job support last month",
     [_ev(date(2017, 3, 9), "event"), _ev(date(2026, 5, 4), "ask", "a", logged_by="b")]),
)
# The long partner with 50 unconfirmed favours the other side logged last month: in the table,
# to show that a burst of claims moves a score a few points at most.
BURST_OF_CLAIMS = _long_partner() + [_ev(date(2026, 5, 2), "favour", "b", logged_by="b",
                                         confirmed=False)] * 50


def rows() -> list[tuple[str, str, list[Event]]]:
    """Every archetype of the table, in the table's order."""
    return [*ARCHETYPES[:1],
            ("long partner + 50 claims", "the long partner, and 50 favours they logged last month "
             "that you have not confirmed", BURST_OF_CLAIMS), *ARCHETYPES[1:]]


class _Scored(Protocol):
    """What `scores` reads of an assessment (score.TrustScore, or an older edition's)."""

    @property
    def score(self) -> int: ...


def scores(assess: Callable[[Ledger, date, str], _Scored]) -> dict[str, int]:
    """Each archetype's score from side "a" on TODAY, by `assess(ledger, today, side)`."""
    return {name: assess(Ledger.from_events(events), TODAY, "a").score
            for name, _, events in rows()}
