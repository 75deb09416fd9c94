"""The trust-strength score of a relationship: for each side, a number from 0 to 100 with named
parts and reasons, answering "how far can I vouch for them?".

This is the module the app uses. It is pure Python: it reads a `Ledger` (the stored aggregate of
a history, ledger.py) and returns values. How the parts are computed, and every constant with the
reason for its value, is in parts.py (re-exported here); revival and the claimed and confirmed
views in standing.py; the wording of reasons in reasons.py; the chart's series and the trend in
series.py; docs/trust.md explains the score to the people it describes.

Two ways to read a score:
- `assess(ledger, now, perspective)`: everything (parts, reasons, counts), from one side's view;
- `current_score(summary, now, perspective)`: the same number in O(1) from a stored `Summary`.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from referrals.kinds import ASK
from referrals.trust import reasons as trust_reasons
from referrals.trust.ledger import SIDES, DayItem, Event, Ledger
from referrals.trust.parts import (  # noqa: F401  (the constants are part of this API)
    BALANCED_RATIO,
    BOTH_WAYS_KINDS,
    DAYS_PER_YEAR,
    DEPTH_SCALE,
    DORMANT_BELOW,
    DURATION_SCALE_YEARS,
    FADE_POINTS_PER_YEAR,
    GIVING_FLOOR,
    GIVING_SCALE,
    KIND_WEIGHTS,
    LONG_SILENCE_DAYS,
    PENDING_ALLOWANCE,
    RECENCY_GRACE_DAYS,
    RECENCY_HALF_LIFE_DAYS,
    REGULARITY_SCALE,
    REVIVAL_MONTH_DAYS,
    REVIVAL_STEP,
    STEADY_FROM,
    STRONG_FROM,
    SUBSTANCE_KINDS,
    SUBSTANCE_SCALE,
    UNCONFIRMED_WEIGHT,
    W_DEPTH,
    W_DURATION,
    W_REGULARITY,
    W_SUBSTANCE,
    band_for,
    faded,
    recency,
)
from referrals.trust.standing import History, Views, fold, rounded, value

__all__ = [
    "Event", "Ledger", "TrustScore", "Summary", "assess", "summarize", "current_score",
    "current_band", "score_and_band", "reachable_since", "band_for", "recency", "score_at",
    "ask_warning", "History", "Views", "faded",
]


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


@dataclass(frozen=True)
class TrustScore:
    """One side's standing of the other on a day ("you" = perspective): how far you can vouch
    for them. Each side has its own: what they gave you raises yours of them."""

    score: int  # 0..100
    band: str  # "strong", "steady", "fading", "dormant"; "new" when there are no events yet
    base: float  # the claimed standing at the last contact, before recency, 0..100
    held: float  # the same from confirmed entries only, at the last confirmed contact
    # Each 0..1: giving, regularity, duration, depth, substance (the whole history's parts),
    # revival (how much of the old standing sustained contact has restored) and recency.
    parts: dict[str, float]
    reasons: list[str]  # plain language, from the perspective side
    gave: int  # interactions in which you gave (asks of theirs you answered included)
    received: int  # interactions in which they gave (asks of yours they answered included)
    mutual: int  # exchanges both sides gained from; counted in neither gave nor received
    asks_made: int  # your asks (they gave their time)
    asks_received: int  # their asks (you gave your time)
    confirmed_count: int
    pending_count: int  # logged by one side, not yet confirmed by the other
    awaiting_you: int  # pending ones the other side logged: you can confirm them
    late_asks: int  # asks before any contact or after LONG_SILENCE_DAYS; they count for nothing
    first_contact: date | None
    last_contact: date | None  # the last counted contact (an ask out of the blue is not one)
    last_contact_kind: str | None  # its kind (the weightiest, if that day had several)
    days_silent: int | None  # days from last_contact to the day assessed
    years_known: float  # years from first_contact to the day assessed
    # Both gave, the lesser at least BALANCED_RATIO of the greater (a flag, not part of the score).
    balanced: bool
    given_by_kind: dict[str, int] = field(default_factory=dict)  # kind -> times you gave
    received_by_kind: dict[str, int] = field(default_factory=dict)  # kind -> times they gave
    mutual_by_kind: dict[str, int] = field(default_factory=dict)
    last_late_ask: date | None = None  # the latest ask that did not count, if after last_contact
    pending_points: int = 0  # points the unconfirmed entries add today (at most the allowance)


def assess(ledger: Ledger, now: date, perspective: str = "a") -> TrustScore:
    """`perspective`'s ("a" or "b") full standing of the other side on `now`; later events
    ignored."""
    if perspective not in SIDES:
        raise ValueError("perspective must be 'a' or 'b'")
    days = ledger.by_day()
    return assess_folded(days, fold(days, now), now, perspective)


def assess_folded(days: Sequence[tuple[date, Sequence[DayItem]]], views: Views, now: date,
                  perspective: str) -> TrustScore:
    """assess, of a ledger's by_day() output already folded up to `now` into `views`."""
    other = _other(perspective)
    history, whole = views.claimed, views.claimed.whole
    base, held = views.bases(perspective)
    parts = whole.parts(perspective)
    whole_base = whole.base(perspective, parts)
    parts["revival"] = min(1.0, base / whole_base) if whole_base > 0 else 1.0
    days_silent = (now - history.last).days if history.last else None
    parts["recency"] = recency(days_silent) if days_silent is not None else 0.0
    raw = value(base, held, history.last, views.confirmed.last, now)
    score = rounded(raw)
    sure = rounded(value(held, held, views.confirmed.last, views.confirmed.last, now))

    tally = _tally(days, now)
    by_giver, confirmed, pending = tally.by_giver, tally.confirmed, tally.pending
    awaiting = tally.pending_logged_by[other]
    late = [(day, asker, gap) for day, asker, gap, _, count in history.late for _ in range(count)]
    late_after = [day for day, *_ in late if history.last is None or day > history.last]
    given, received = by_giver[perspective], by_giver[other]
    facts = trust_reasons.Facts(
        now=now, first_contact=history.first, last_contact=history.last, given_by_kind=given,
        received_by_kind=received, mutual=sum(by_giver["mutual"].values()),
        asks_made=received.get(ASK, 0), asks_received=given.get(ASK, 0),
        one_way=bool(history.last or history.late) and parts["giving"] == 0.0,
        quarters=len(whole.quarters), pending=pending, awaiting_you=awaiting,
        late_asks=late, perspective=perspective, grace_days=RECENCY_GRACE_DAYS,
        revival=parts["revival"], pending_points=max(0, score - sure))
    return TrustScore(
        score=score, band=band_for(score, _band_days(history.last or history.last_seen, now)),
        base=base, held=held, parts=parts,
        reasons=trust_reasons.reasons(facts), gave=sum(given.values()),
        received=sum(received.values()), mutual=facts.mutual, asks_made=facts.asks_made,
        asks_received=facts.asks_received, confirmed_count=confirmed, pending_count=pending,
        awaiting_you=awaiting, late_asks=len(late), first_contact=history.first,
        last_contact=history.last, last_contact_kind=history.last_kind, days_silent=days_silent,
        years_known=(now - history.first).days / DAYS_PER_YEAR if history.first else 0.0,
        balanced=whole.balanced(),
        given_by_kind=dict(given), received_by_kind=dict(received),
        mutual_by_kind=dict(by_giver["mutual"]), last_late_ask=max(late_after, default=None),
        pending_points=facts.pending_points)


@dataclass(frozen=True)
class _Tally:
    by_giver: dict[str, dict[str, int]]  # giver ("a", "b", "mutual") -> kind -> count
    confirmed: int
    pending: int
    pending_logged_by: dict[str, int]  # side -> pending events that side logged


def _tally(days: Sequence[tuple[date, Sequence[DayItem]]], now: date | None = None) -> _Tally:
    """Counts of `Ledger.by_day()` output up to `now` (all of it when now is None)."""
    by_giver: dict[str, dict[str, int]] = {"a": {}, "b": {}, "mutual": {}}
    confirmed = pending = 0
    pending_logged_by = dict.fromkeys(SIDES, 0)
    for day, items in days:
        if now is not None and day > now:
            break
        for kind, giver, logged_by, is_confirmed, count in items:
            by_giver[giver][kind] = by_giver[giver].get(kind, 0) + count
            if is_confirmed:
                confirmed += count
            else:
                pending += count
                pending_logged_by[logged_by] += count
    return _Tally(by_giver, confirmed, pending, pending_logged_by)


@dataclass(frozen=True)
class Summary:
    """What ranking needs of a ledger, in O(1): store it next to the ledger.

    Everything here describes the whole ledger, so it equals what `assess` reports on any day
    from `last_event` on (the usual case: histories are not logged ahead of time).
    """

    # side -> that side's claimed standing of the other at last_contact, 0..100
    base: dict[str, float]
    first_contact: date | None
    last_contact: date | None  # last counted contact; recency runs from here
    last_event: date | None  # latest event of any kind; scores are exact from this day on
    events: int  # number of events in the ledger
    confirmed: int = 0
    pending: int = 0
    # giver ("a", "b" or "mutual") -> kind -> count; asks are counted under who answered them.
    given: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"a": {}, "b": {}, "mutual": {}})
    balanced: bool = False  # as TrustScore.balanced
    last_kind: str | None = None  # as TrustScore.last_contact_kind
    # side -> the standing from confirmed entries only, at last_confirmed
    held: dict[str, float] = field(default_factory=lambda: {"a": 0.0, "b": 0.0})
    last_confirmed: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (dates as ISO text)."""
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {"base": self.base, "held": self.held, "first_contact": iso(self.first_contact),
                "last_contact": iso(self.last_contact), "last_event": iso(self.last_event),
                "last_confirmed": iso(self.last_confirmed),
                "events": self.events, "confirmed": self.confirmed, "pending": self.pending,
                "given": self.given, "balanced": self.balanced, "last_kind": self.last_kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Summary":
        """The Summary a `to_dict` value describes."""
        def day(s: str | None) -> date | None:
            return date.fromisoformat(s) if s else None

        def sides(d: dict[str, Any]) -> dict[str, float]:
            return {side: float(d[side]) for side in SIDES}

        return cls(base=sides(data["base"]), held=sides(data["held"]),
                   first_contact=day(data["first_contact"]),
                   last_contact=day(data["last_contact"]), last_event=day(data["last_event"]),
                   last_confirmed=day(data["last_confirmed"]),
                   events=int(data["events"]), confirmed=int(data["confirmed"]),
                   pending=int(data["pending"]),
                   given={giver: dict(kinds) for giver, kinds in data["given"].items()},
                   balanced=bool(data["balanced"]), last_kind=data["last_kind"])


def summarize(ledger: Ledger) -> Summary:
    """The snapshot of the whole ledger that `current_score` and ranking read."""
    days = ledger.by_day()
    views = fold(days)
    tally = _tally(days)
    bases = {side: views.bases(side) for side in SIDES}
    return Summary(base={side: bases[side][0] for side in SIDES},
                   held={side: bases[side][1] for side in SIDES},
                   first_contact=views.claimed.first, last_contact=views.claimed.last,
                   last_confirmed=views.confirmed.last, last_event=ledger.last_day(),
                   events=len(ledger), confirmed=tally.confirmed, pending=tally.pending,
                   given=tally.by_giver, balanced=views.claimed.whole.balanced(),
                   last_kind=views.claimed.last_kind)


def current_score(summary: Summary, now: date, perspective: str = "a") -> int:
    """`perspective`'s score (0..100) on `now`; equals assess(ledger, now, perspective).score
    when now >= last_event."""
    return score_and_band(summary.base[perspective], summary.held[perspective],
                          summary.last_contact, summary.last_confirmed, summary.last_event,
                          now)[0]


def score_and_band(base: float, held: float, last_contact: date | None,
                   last_confirmed: date | None, last_event: date | None,
                   now: date) -> tuple[int, str]:
    """Score and band on `now` from one side's stored base and held standing and the
    Summary's last contact, last confirmed contact and last event alone."""
    score = rounded(value(base, held, last_contact, last_confirmed, now))
    return score, band_for(score, _band_days(last_contact or last_event, now))


def reachable_since(min_score: int, now: date) -> date:
    """The earliest last contact from which a score of `min_score` (1..100) is still possible on
    `now`: any earlier and recency holds even a perfect base below it (for prefiltering)."""
    if not 1 <= min_score <= 100:
        raise ValueError("min_score must be from 1 to 100")
    # floor(base * recency - fade + 0.5) >= min_score needs recency >= (min_score - 0.5) / 100.
    longest = RECENCY_GRACE_DAYS + RECENCY_HALF_LIFE_DAYS * math.log2(100 / (min_score - 0.5))
    return now - timedelta(days=math.ceil(longest) + 1)  # a day to spare for float rounding


def current_band(summary: Summary, now: date, perspective: str = "a") -> str:
    """`perspective`'s band on `now`, from a Summary (see band_for)."""
    return score_and_band(summary.base[perspective], summary.held[perspective],
                          summary.last_contact, summary.last_confirmed, summary.last_event,
                          now)[1]


def _band_days(since: date | None, now: date) -> int | None:
    return (now - since).days if since is not None else None


def score_at(views: Views, now: date, perspective: str = "a") -> int:
    """The score on `now` of histories already folded into `views` (events up to `now`)."""
    base, held = views.bases(perspective)
    return rounded(value(base, held, views.claimed.last, views.confirmed.last, now))


def ask_warning(ledger: Ledger, asker: str, day: date) -> str | None:
    """Before you ask: a kind sentence if `asker` ("a"/"b") has not given, or the two have not
    been in touch, for more than LONG_SILENCE_DAYS before `day` (or ever); otherwise None."""
    if asker not in SIDES:
        raise ValueError("asker must be 'a' or 'b'")
    other = "b" if asker == "a" else "a"
    first = last_contact = last_given = None
    for when, items in ledger.by_day():
        if when > day:
            break
        for kind, giver, *_ in items:
            if kind == ASK and giver == other and when == day:
                continue  # the ask being made is not contact that excuses itself
            first = first or when
            last_contact = when
            if giver in (asker, "mutual"):
                last_given = when
    return trust_reasons.ask_warning_text(day, first, last_contact, last_given,
                                          LONG_SILENCE_DAYS)
