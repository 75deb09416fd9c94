"""The parts of the trust score, and every constant the score depends on.

Pure Python. A `History` reads a relationship's days in order and turns them into the parts of
the score (each 0..1) and the base (0..100); score.py builds the public answers from it.

    score = round(base * recency(days since the last counted contact))
    base  = 100 * (RECIPROCITY_FLOOR + (1 - RECIPROCITY_FLOOR) * reciprocity)
                * (W_REGULARITY * regularity + W_DURATION * duration + W_DEPTH * depth)
                * (CONFIRMATION_FLOOR + (1 - CONFIRMATION_FLOOR) * confirmation)

`base` depends only on the history and `recency` only on the days of silence, so a stored base
and last-contact day give the exact score on any later day. Every part of `base` only grows when
a counted event is added or confirmed: that is why more confirmed giving never lowers the score.
"""

import math
from datetime import date

from referrals.kinds import ASK, KIND_UNITS
from referrals.trust.ledger import SIDES

# --- Constants: every number the score depends on, and why it has that value. ----------------

# What one interaction of each kind is worth: its units in the kinds table (referrals/kinds.py).
# Granovetter's "reciprocal services" and Gilbert & Karahalios' intensity dimensions: a referral
# or a placement costs the giver real effort and reputation, a message costs a minute. An ask
# counts for the side that answered it (they gave their time), like a call.
KIND_WEIGHTS = KIND_UNITS

# An interaction only one side vouches for counts for 40% of a confirmed one: it may well be
# true, but a score that self-reports could inflate would be worth nothing to a third party.
UNCONFIRMED_WEIGHT = 0.4
# With nothing confirmed, the whole base is scaled to 60%; fully confirmed, to 100%. Together
# with UNCONFIRMED_WEIGHT this keeps a self-reported history at or below 60% of the same history
# confirmed, which is what makes the score hard to game.
CONFIRMATION_FLOOR = 0.6

# One-way histories keep 20% of what a balanced one earns: contact and years still mean something,
# but "a relationship where only one side takes is not one anybody will vouch for". With the
# other factors at most 1, a history in which one side only asks can never pass 20.
RECIPROCITY_FLOOR = 0.2
# Weighted reciprocity min(given by a, given by b) (Squartini et al. 2013), in weight units.
# 4 units each way (two pieces of advice, or a referral and a call) gives 63% of the part.
RECIPROCITY_SCALE = 4.0
# Active quarters (Navarro et al.: the rhythm of contact predicts which ties persist). Counting
# distinct quarters rewards contact spread over years and cannot be lowered by one more event,
# as a mean interval could. 8 quarters gives 63%; a decade of annual check-ins about 71%.
REGULARITY_SCALE = 8.0
# Years between the first and the last counted contact (Gilbert & Karahalios: duration).
# 4 years gives 63%, 9 years 90%.
DURATION_SCALE_YEARS = 4.0
# Weight units of everything exchanged (Granovetter: intensity and intimacy). 20 units, e.g. four
# referrals and four pieces of advice, gives 63%.
DEPTH_SCALE = 20.0
# How the three history parts mix. Regularity leads because trust is built over time, not in one
# go; a burst of many deep exchanges in one month still ends up well below steady contact.
W_REGULARITY = 0.4
W_DURATION = 0.3
W_DEPTH = 0.3

# Recency: no loss for half a year (an annual check-in rhythm should not feel like neglect),
# then the score halves every 18 months of silence. The half-life is fixed, never relative to the
# usual interval, so that one more contact can only help. After 5 years of silence a perfect tie
# keeps 12%, i.e. it is dormant.
RECENCY_GRACE_DAYS = 182
RECENCY_HALF_LIFE_DAYS = 540

# A gap this long with no contact makes a following ask "out of the blue" (the essay's "you
# haven't heard from me for years"), and so does an ask before any other contact: such asks count
# for nothing, do not refresh recency, and "Before you ask" warns about them. 18 months: longer
# than any yearly rhythm plus slack.
LONG_SILENCE_DAYS = 548

# "Balanced" (a flag for wild cards, not part of the score): the side that gave less gave at least
# a third of what the other gave. A surplus either way is normal; a one-way street is not.
BALANCED_RATIO = 1 / 3

# Bands. Strong: a wild-card recommendation can lean on it. Steady: alive and worth keeping up.
# Dormant: faint AND silent longer than LONG_SILENCE. Fading: everything else that has a history.
STRONG_FROM = 70
STEADY_FROM = 45
DORMANT_BELOW = 20

DAYS_PER_YEAR = 365.25


def band_for(score: int, days_silent: int | None) -> str:
    """The band for a score (0..100) and days since the last counted contact; with no counted
    contact, days since the latest event (asks out of the blue); None when there are no events."""
    if days_silent is None:
        return "new"
    if score >= STRONG_FROM:
        return "strong"
    if score >= STEADY_FROM:
        return "steady"
    if score < DORMANT_BELOW and days_silent > LONG_SILENCE_DAYS:
        return "dormant"
    return "fading"


def recency(days_silent: int) -> float:
    """The recency factor, 1.0 within RECENCY_GRACE_DAYS, then halving every half-life; 0..1."""
    if days_silent <= RECENCY_GRACE_DAYS:
        return 1.0
    return 0.5 ** ((days_silent - RECENCY_GRACE_DAYS) / RECENCY_HALF_LIFE_DAYS)


def score_from(base: float, last_contact: date | None, now: date) -> int:
    """The score (0..100): base (0..100) times the recency of last_contact seen from now."""
    if last_contact is None:
        return 0
    value = base * recency((now - last_contact).days)
    return max(0, min(100, math.floor(value + 0.5)))


def _saturate(amount: float, scale: float) -> float:
    # 0 at 0, 63% at `scale`, approaching 1: more always helps, with diminishing returns.
    return 1.0 - math.exp(-amount / scale)


def _asker(giver: str) -> str | None:
    # The side that asked is the side that did not give; a "mutual" ask has no single asker.
    return {"a": "b", "b": "a"}.get(giver)


class History:
    """Running totals of a history read day by day, oldest first."""

    def __init__(self) -> None:
        self.counted: dict[tuple[str, str, bool], int] = {}  # (kind, giver, confirmed) -> n
        self.quarters: set[int] = set()
        self.confirmed_quarters: set[int] = set()
        self.first = self.last = self.first_confirmed = self.last_confirmed = None
        self._last_items: list = []  # the last counted day's items, for last_kind
        # Asks out of the blue: (day, asker, days of silence before it or None if there was no
        # contact at all before it, confirmed, count).
        self.late: list[tuple[date, str | None, int | None, bool, int]] = []

    def feed(self, day: date, items) -> None:
        """Take in one day's (kind, giver, logged_by, confirmed, count) items."""
        # Any other kind of contact that day means the ask did not come out of the blue. Late is
        # decided from counted contact only, so a late ask cannot excuse the next one. "No contact
        # before" counts as an endless silence: then adding an event anywhere can only turn a late
        # ask into a counted one, never the reverse, which keeps the score monotone.
        gap = (day - self.last).days if self.last is not None else None
        if (gap is None or gap > LONG_SILENCE_DAYS) and all(item[0] == ASK for item in items):
            self.late.extend((day, _asker(giver), gap, confirmed, count)
                             for _, giver, _, confirmed, count in items)
            return
        quarter = day.year * 4 + (day.month - 1) // 3
        self.quarters.add(quarter)
        counted = self.counted
        for kind, giver, _, confirmed, count in items:
            key = (kind, giver, confirmed)
            counted[key] = counted.get(key, 0) + count
            if confirmed:
                self.confirmed_quarters.add(quarter)
                self.first_confirmed = self.first_confirmed or day
                self.last_confirmed = day
        self.first = self.first or day
        self.last = day
        self._last_items = items

    @property
    def last_seen(self) -> date | None:
        """The latest day read, counted or not (None if nothing was read)."""
        days = [late[0] for late in self.late]
        if self.last is not None:
            days.append(self.last)
        return max(days, default=None)

    @property
    def last_kind(self) -> str | None:
        """The kind of the last counted contact (the weightiest, if that day had several)."""
        kinds = [item[0] for item in self._last_items]
        return max(kinds, key=KIND_WEIGHTS.__getitem__) if kinds else None

    def given(self) -> dict[str, float]:
        """Units each side gave ("a", "b"), mutual exchanges counting for both, pending at 0.4."""
        given: dict[str, list[float]] = {"a": [], "b": []}
        for (kind, giver, confirmed), n in sorted(self.counted.items()):
            value = KIND_WEIGHTS[kind] * n * (1.0 if confirmed else UNCONFIRMED_WEIGHT)
            for side in SIDES:
                if giver in (side, "mutual"):
                    given[side].append(value)
        # math.fsum is exact, so totals never depend on order and one more term never lowers them.
        return {side: math.fsum(values) for side, values in given.items()}

    def balanced(self) -> bool:
        """Whether both sides gave and the lesser gave at least BALANCED_RATIO of the greater."""
        low, high = sorted(self.given().values())
        return low > 0 and low >= BALANCED_RATIO * high

    def parts(self) -> dict[str, float]:
        """The history parts, each 0..1 (recency is added by the caller)."""
        depth, confirmed_w, pending_w = [], [], []
        for (kind, _, confirmed), n in sorted(self.counted.items()):
            weight = KIND_WEIGHTS[kind] * n
            depth.append(weight if confirmed else weight * UNCONFIRMED_WEIGHT)
            (confirmed_w if confirmed else pending_w).append(weight)
        # An unconfirmed ask out of the blue still counts against the confirmed share: it is a
        # claim the other side has not backed. Confirmed late asks count for nothing at all.
        pending_w.extend(KIND_WEIGHTS[ASK] * n for *_, confirmed, n in self.late if not confirmed)
        take = min(self.given().values())
        quarters = (len(self.confirmed_quarters)
                    + UNCONFIRMED_WEIGHT * len(self.quarters - self.confirmed_quarters))
        span_all = (self.last - self.first).days if self.first else 0
        span_confirmed = (self.last_confirmed - self.first_confirmed).days \
            if self.first_confirmed else 0
        years = max(span_confirmed, UNCONFIRMED_WEIGHT * span_all) / DAYS_PER_YEAR
        conf, pend = math.fsum(confirmed_w), math.fsum(pending_w)
        return {
            "reciprocity": _saturate(take, RECIPROCITY_SCALE),
            "regularity": _saturate(quarters, REGULARITY_SCALE),
            "duration": _saturate(years, DURATION_SCALE_YEARS),
            "depth": _saturate(math.fsum(depth), DEPTH_SCALE),
            "confirmation": conf / (conf + pend) if conf + pend else 0.0,
        }

    def base(self, parts: dict[str, float] | None = None) -> float:
        """The score before recency, 0..100 (pass `parts()` if already computed)."""
        if self.last is None:
            return 0.0
        parts = parts or self.parts()
        balance = RECIPROCITY_FLOOR + (1 - RECIPROCITY_FLOOR) * parts["reciprocity"]
        history = (W_REGULARITY * parts["regularity"] + W_DURATION * parts["duration"]
                   + W_DEPTH * parts["depth"])
        vouched = CONFIRMATION_FLOOR + (1 - CONFIRMATION_FLOOR) * parts["confirmation"]
        return 100.0 * balance * history * vouched


def fold(days: list, now: date | None = None) -> History:
    """The History of `Ledger.by_day()` output up to `now` (all of it when now is None)."""
    history = History()
    for day, items in days:
        if now is not None and day > now:
            break
        history.feed(day, items)
    return history
