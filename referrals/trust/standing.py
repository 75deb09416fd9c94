"""One side's standing of the other, read from a whole history: revival and confirmation.

Pure Python. A `History` reads counted days in order (asks out of the blue are set aside) and
keeps a `Track` for the whole history and one for each stretch that began after a silence longer
than the recency grace: the standing is the best of them, each weighed by how far sustained
contact has restored it (parts.revived). A `Views` pairs the claimed history (everything, pending
entries at UNCONFIRMED_WEIGHT) with the confirmed one (what both sides confirmed):

    value(you, now) = min(claimed(you, now), confirmed(you, now) + allowance(now))

where each term is a base faded from its own last contact (parts.faded) and the allowance is
PENDING_ALLOWANCE faded from the last contact. Everything here only grows when an entry is added
or confirmed, and only falls as time passes (docs/trust.md, laws 5 and 6).
"""

import math
from collections.abc import Sequence
from datetime import date

from referrals.kinds import ASK
from referrals.trust.ledger import DayItem
from referrals.trust.parts import (
    KIND_WEIGHTS,
    LONG_SILENCE_DAYS,
    PENDING_ALLOWANCE,
    RECENCY_GRACE_DAYS,
    Track,
    faded,
    revived,
)


def _asker(giver: str) -> str | None:
    # The side that asked is the side that did not give; a "mutual" ask has no single asker.
    return {"a": "b", "b": "a"}.get(giver)


class History:
    """Running totals of a history read day by day, oldest first."""

    def __init__(self) -> None:
        # tracks[0] reads the whole history; later ones each began after a long silence. A later
        # track is dropped once an earlier one has been restored at least as far: the earlier one
        # holds more history, so its base is at least as high from then on.
        self.tracks: list[Track] = []
        self.last: date | None = None
        self._last_items: Sequence[DayItem] = []  # the last counted day's items, for last_kind
        # Asks out of the blue: (day, asker, days of silence before it or None if there was no
        # contact at all before it, confirmed, count).
        self.late: list[tuple[date, str | None, int | None, bool, int]] = []

    def feed(self, day: date, items: Sequence[DayItem]) -> None:
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
        if gap is None:
            self.tracks.append(Track())
        elif gap > 0:
            for track in self.tracks:
                track.standing = revived(track.standing, gap)
            if gap > RECENCY_GRACE_DAYS:
                self.tracks.append(Track())
        for track in self.tracks:
            track.feed(day, items)
        kept, best = [], -1.0
        for track in self.tracks:
            if track.standing > best:
                kept.append(track)
                best = track.standing
        self.tracks = kept
        self.last = day
        self._last_items = items

    @property
    def whole(self) -> Track:
        """The track of the whole history (empty before the first counted day)."""
        return self.tracks[0] if self.tracks else Track()

    @property
    def first(self) -> date | None:
        """The first counted contact."""
        return self.whole.first

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

    def base(self, perspective: str) -> float:
        """The standing at the last contact, 0..100: the best track, weighed by its revival."""
        return max((track.base(perspective) * track.standing for track in self.tracks),
                   default=0.0)


class Views:
    """The claimed and the confirmed history, fed together."""

    def __init__(self) -> None:
        self.claimed = History()
        self.confirmed = History()
        # The bases per perspective until the next feed: a chart asks for the score on many
        # days between two entries, and the bases only change when an entry is fed.
        self._bases: dict[str, tuple[float, float]] = {}

    def feed(self, day: date, items: Sequence[DayItem]) -> None:
        """Take in one day's items (see History.feed)."""
        self._bases.clear()
        self.claimed.feed(day, items)
        sure = [item for item in items if item[3]]
        if sure:
            self.confirmed.feed(day, sure)

    def bases(self, perspective: str) -> tuple[float, float]:
        """(claimed, confirmed) standing at each view's last contact, 0..100."""
        known = self._bases.get(perspective)
        if known is None:
            known = self._bases[perspective] = (self.claimed.base(perspective),
                                                self.confirmed.base(perspective))
        return known


def value(base: float, held: float, last_contact: date | None, last_confirmed: date | None,
          now: date) -> float:
    """The unrounded score (0..100) on `now` from the claimed base and last contact and the
    confirmed ("held") base and last confirmed contact."""
    if last_contact is None:
        return 0.0
    silent = (now - last_contact).days
    sure = faded(held, (now - last_confirmed).days) if last_confirmed is not None else 0.0
    return min(faded(base, silent), sure + faded(PENDING_ALLOWANCE, silent))


def rounded(raw: float) -> int:
    """The score as shown: half up, 0..100."""
    return max(0, min(100, math.floor(raw + 0.5)))


def fold(days: Sequence[tuple[date, Sequence[DayItem]]], now: date | None = None) -> Views:
    """The Views of `Ledger.by_day()` output up to `now` (all of it when now is None)."""
    views = Views()
    for day, items in days:
        if now is not None and day > now:
            break
        views.feed(day, items)
    return views
