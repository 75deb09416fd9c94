"""The parts of the trust score, and every constant the score depends on.

Pure Python. A `Track` reads a stretch of a relationship's history, day by day, and turns it into
the parts of one side's standing of the other (each 0..1) and a base (0..100); standing.py reads
whole histories with Tracks (revival, confirmed and claimed views) and score.py builds the
public answers.

    base(you) = 100 * (GIVING_FLOOR + (1 - GIVING_FLOOR) * giving(what they gave you))
                    * (W_REGULARITY * regularity + W_DURATION * duration + W_DEPTH * depth
                       + W_SUBSTANCE * substance)

Every part only grows when an entry is added to the stretch or confirmed: that is why adding an
entry never lowers a score (docs/trust.md, law 5).
"""

import math
from collections.abc import Sequence
from datetime import date
from functools import cache

from referrals.kinds import BOTH_WAYS_KINDS as KIND_BOTH_WAYS
from referrals.kinds import KIND_UNITS
from referrals.kinds import SUBSTANCE_KINDS as KIND_SUBSTANCE
from referrals.trust.ledger import DayItem

# --- Constants: every number the score depends on, and why it has that value. ----------------

# What one interaction of each kind is worth: its units in the kinds table (referrals/kinds.py).
# Granovetter's "reciprocal services" and Gilbert & Karahalios' intensity dimensions: a referral
# or a placement costs the giver real effort and reputation, a message costs a minute. An ask
# counts for the side that answered it (they gave their time), like a call.
KIND_WEIGHTS = KIND_UNITS
# Substance (the essay's "referrals, advice, market trend views, hiring") and placements, which
# count as value given by both sides: both from the kinds table.
SUBSTANCE_KINDS = KIND_SUBSTANCE
BOTH_WAYS_KINDS = KIND_BOTH_WAYS

# An interaction only one side vouches for counts for 40% of a confirmed one in the claimed view
# (standing.py); all that the claimed view adds over the confirmed one is capped anyway.
UNCONFIRMED_WEIGHT = 0.4
# What entries the other side has not confirmed may add, at most, in points: "a burst of
# unconfirmed entries from one side moves the score by at most a few points". It fades like any
# score, from the last contact.
PENDING_ALLOWANCE = 4.0

# A history in which they gave you nothing keeps 20% of what a generous one earns: contact and
# years still mean something, but "a relationship where only one side takes is not one anybody
# will vouch for". Taking is what is gated, not giving: what you gave them does not enter here.
GIVING_FLOOR = 0.2
# What they gave you, in weight units (mutual exchanges and placements count for both sides).
# 4 units (two pieces of advice, or a referral and a call) give 63% of the part.
GIVING_SCALE = 4.0
# Active quarters (Navarro et al.: the rhythm of contact predicts which ties persist). Counting
# distinct quarters rewards contact spread over years and cannot be lowered by one more event,
# as a mean interval could. 8 quarters gives 63%; a decade of annual check-ins about 71%.
REGULARITY_SCALE = 8.0
# Years of contact (Gilbert & Karahalios: duration): the time from the first to the last counted
# contact, less every silence longer than LONG_SILENCE_DAYS, so that one message after eight
# silent years does not make "known for fourteen years" (splitting a silence with a contact can
# only add years, so this stays monotone). 4 years gives 63%, 9 years 90%.
DURATION_SCALE_YEARS = 4.0
# Weight units of everything exchanged either way (Granovetter: intensity and intimacy).
DEPTH_SCALE = 20.0
# Weight units of substance either way: one placement and a referral, or four pieces of advice,
# give 63%. Small talk of any rhythm leaves it at 0.
SUBSTANCE_SCALE = 8.0
# How the four history parts mix. Time leads (regularity and duration, 70%) because trust is
# built over years, not in one go: a burst of deep exchanges in one month keeps under half of
# what the same exchanges spread over years earn. Substance is a fifth, so that small talk alone,
# however steady, stays below the same rhythm with placements, referrals and advice in it; depth
# (all units) is the smallest because substance already weighs what matters most in it.
W_REGULARITY = 0.4
W_DURATION = 0.3
W_DEPTH = 0.1
W_SUBSTANCE = 0.2

# Recency: no loss for half a year (an annual check-in rhythm should not feel like neglect),
# then the standing halves every 18 months of silence.
RECENCY_GRACE_DAYS = 182
RECENCY_HALF_LIFE_DAYS = 540
# ... and, beyond the grace, loses 2 points a year outright, so that a faint score keeps fading
# as shown (1.49 fading to 0.93 would still show 1): with nothing new, every non-zero score is
# strictly lower a year later. 2 is the least that guarantees it with the half-life above.
FADE_POINTS_PER_YEAR = 2.0

# Revival (Burt 2002: bridges decay and rarely revive; Navarro et al.: a gap far beyond the usual
# rhythm signals decay). What silence took is given back by sustained contact, not one message:
# each contact restores at most REVIVAL_STEP of the old standing, in proportion to the time since
# the contact before it, up to a month. Four months of monthly contact restore it all; a burst
# of daily messages restores one month's worth. An annual rhythm keeps the whole standing.
REVIVAL_STEP = 0.25
REVIVAL_MONTH_DAYS = 30

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
    factor: float = 0.5 ** ((days_silent - RECENCY_GRACE_DAYS) / RECENCY_HALF_LIFE_DAYS)
    return factor


def faded(base: float, days_silent: int) -> float:
    """A base (0..100) after `days_silent` days without contact: recency, then the yearly fade."""
    lost = FADE_POINTS_PER_YEAR * max(0, days_silent - RECENCY_GRACE_DAYS) / DAYS_PER_YEAR
    return max(0.0, base * recency(days_silent) - lost)


def revived(standing: float, gap_days: int) -> float:
    """The share of the old standing (0..1) after a contact that ends `gap_days` of silence."""
    restored = REVIVAL_STEP * min(1.0, gap_days / REVIVAL_MONTH_DAYS)
    return min(1.0, standing * recency(gap_days) + restored)


def saturate(amount: float, scale: float) -> float:
    """0 at 0, 63% at `scale`, approaching 1: more always helps, with diminishing returns."""
    return 1.0 - math.exp(-amount / scale)


def _contact_days(gap: int) -> int:
    # A gap counts as time in touch unless it is a long silence.
    return gap if gap <= LONG_SILENCE_DAYS else 0


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


@cache
def _traits(key: tuple[str, str, bool]) -> tuple[float, float, bool, bool, bool]:
    """What a counted (kind, giver, confirmed) adds: its kind's weight, the factor of its
    confirmation, whether it is substance, and whether it counts as given by "a" and by "b"."""
    kind, giver, confirmed = key
    both = kind in BOTH_WAYS_KINDS
    return (KIND_WEIGHTS[kind], 1.0 if confirmed else UNCONFIRMED_WEIGHT,
            kind in SUBSTANCE_KINDS, both or giver in ("a", "mutual"),
            both or giver in ("b", "mutual"))


class Track:
    """Running totals of one stretch of history (from a day on), read day by day, oldest first."""

    def __init__(self) -> None:
        self.counted: dict[tuple[str, str, bool], int] = {}  # (kind, giver, confirmed) -> n
        self.quarters: set[int] = set()
        self.confirmed_quarters: set[int] = set()
        self.first: date | None = None
        self.last: date | None = None
        self.first_confirmed: date | None = None
        self.last_confirmed: date | None = None
        self.span = self.span_confirmed = 0  # days of contact, long silences left out
        self.standing = 1.0  # share of this stretch's base that revival has restored (0..1)
        # The units of each counted key, in the sums it belongs to: given by "a", given by "b",
        # depth and substance. A feed changes a few keys; the sums are taken again when asked.
        self._units: tuple[dict[tuple[str, str, bool], float], ...] = ({}, {}, {}, {})
        # (given, depth, substance), until the next feed
        self._totals: tuple[dict[str, float], float, float] | None = None

    def feed(self, day: date, items: Sequence[DayItem]) -> None:
        """Take in one counted day's (kind, giver, logged_by, confirmed, count) items."""
        quarter = day.year * 4 + (day.month - 1) // 3
        self.quarters.add(quarter)
        if self.last is not None:
            self.span += _contact_days((day - self.last).days)
        if self.last_confirmed is not None and any(item[3] for item in items):
            self.span_confirmed += _contact_days((day - self.last_confirmed).days)
        given_a, given_b, depth, substance = self._units
        for kind, giver, _, confirmed, count in items:
            key = (kind, giver, confirmed)
            n = self.counted[key] = self.counted.get(key, 0) + count
            weight, factor, of_substance, by_a, by_b = _traits(key)
            depth[key] = value = weight * n * factor
            if of_substance:
                substance[key] = value
            if by_a:
                given_a[key] = value
            if by_b:
                given_b[key] = value
            if confirmed:
                self.confirmed_quarters.add(quarter)
                self.first_confirmed = self.first_confirmed or day
                self.last_confirmed = day
        self.first = self.first or day
        self.last = day
        self._totals = None

    def _sums(self) -> tuple[dict[str, float], float, float]:
        # What each side gave, all units and units of substance.
        if self._totals is None:
            given_a, given_b, depth, substance = (units.values() for units in self._units)
            # math.fsum is exact: totals never depend on order, one more term never lowers them.
            self._totals = ({"a": math.fsum(given_a), "b": math.fsum(given_b)},
                            math.fsum(depth), math.fsum(substance))
        return self._totals

    def given(self) -> dict[str, float]:
        """Units each side gave ("a", "b"); mutual exchanges and placements count for both,
        pending ones at UNCONFIRMED_WEIGHT."""
        return dict(self._sums()[0])

    def balanced(self) -> bool:
        """Whether both sides gave and the lesser gave at least BALANCED_RATIO of the greater."""
        low, high = sorted(self.given().values())
        return low > 0 and low >= BALANCED_RATIO * high

    def parts(self, perspective: str) -> dict[str, float]:
        """The history parts of `perspective`'s standing of the other side, each 0..1."""
        given, depth, substance = self._sums()
        quarters = (len(self.confirmed_quarters)
                    + UNCONFIRMED_WEIGHT * len(self.quarters - self.confirmed_quarters))
        years = max(self.span_confirmed, UNCONFIRMED_WEIGHT * self.span) / DAYS_PER_YEAR
        return {
            "giving": saturate(given[_other(perspective)], GIVING_SCALE),
            "regularity": saturate(quarters, REGULARITY_SCALE),
            "duration": saturate(years, DURATION_SCALE_YEARS),
            "depth": saturate(depth, DEPTH_SCALE),
            "substance": saturate(substance, SUBSTANCE_SCALE),
        }

    def base(self, perspective: str, parts: dict[str, float] | None = None) -> float:
        """`perspective`'s standing of the other before revival and recency, 0..100."""
        if self.last is None:
            return 0.0
        parts = parts or self.parts(perspective)
        giving = GIVING_FLOOR + (1 - GIVING_FLOOR) * parts["giving"]
        history = (W_REGULARITY * parts["regularity"] + W_DURATION * parts["duration"]
                   + W_DEPTH * parts["depth"] + W_SUBSTANCE * parts["substance"])
        return 100.0 * giving * history
