"""The stored aggregate of a relationship's history: what the trust score is computed from.

Pure Python. A `Ledger` is a multiset of `Event`s kept as integer counts per day and per
(kind, giver, logged_by, confirmed), so that it can live as JSON in one column, be updated by one
dict increment per change, and be read without scanning the interactions table.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from operator import attrgetter

from referrals.kinds import GIVERS, KIND_VALUES

SIDES = ("a", "b")
# Version of the JSON layout, so a future layout can be told apart from this one.
LEDGER_VERSION = 1

_KINDS = frozenset(KIND_VALUES)
_GIVERS = frozenset(GIVERS)
_SIDES = frozenset(SIDES)
# (day, kind, giver, logged_by, confirmed): the one key every count is kept under.
_key_of = attrgetter("day", "kind", "giver", "logged_by", "confirmed")
# One counted entry of a day: (kind, giver, logged_by, confirmed, count), as by_day gives them.
DayItem = tuple[str, str, str, bool, int]


@dataclass(frozen=True, slots=True)
class Event:
    """One interaction as the score sees it.

    day: when it happened; kind: a KIND_VALUES value; giver: "a" (side a gave to b), "b" or
    "mutual"; logged_by: the side that logged it ("a" or "b"); confirmed: whether the other side
    confirmed it.
    """

    day: date
    kind: str
    giver: str
    logged_by: str
    confirmed: bool

    def __post_init__(self) -> None:
        # A datetime is a date too, but would make day arithmetic and JSON keys ambiguous.
        if type(self.day) is not date:
            raise TypeError(f"day must be a datetime.date, not {type(self.day).__name__}")
        if self.kind not in _KINDS:
            raise ValueError(f"unknown interaction kind {self.kind!r}")
        if self.giver not in _GIVERS:
            raise ValueError(f"giver must be one of {GIVERS}, not {self.giver!r}")
        if self.logged_by not in _SIDES:
            raise ValueError(f"logged_by must be 'a' or 'b', not {self.logged_by!r}")
        if not isinstance(self.confirmed, bool):
            raise TypeError("confirmed must be a bool")


class Ledger:
    """A relationship's history as a multiset of events; `add` and `remove` mutate in place.

    The JSON form is canonical: the same multiset gives the same bytes whatever the order of the
    changes that built it (integer counts only, zero counts dropped, keys sorted).
    """

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: dict[tuple[date, str, str, str, bool], int] = {}

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> "Ledger":
        """A ledger holding exactly the given events (any iterable of Event)."""
        ledger = cls()
        # Counter counts in C: a million events fold in well under a second.
        ledger._counts = dict(Counter(map(_key_of, events)))
        return ledger

    def add(self, event: Event) -> None:
        """Count one more occurrence of event (in place)."""
        key = _key_of(event)
        self._counts[key] = self._counts.get(key, 0) + 1

    def remove(self, event: Event) -> None:
        """Count one fewer occurrence of event (in place); KeyError if it is not in the ledger."""
        key = _key_of(event)
        left = self._counts[key] - 1
        if left:
            self._counts[key] = left
        else:
            del self._counts[key]

    def __len__(self) -> int:
        return sum(self._counts.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self._counts == other._counts

    # Mutable, so unhashable; object types __hash__ as a method (typeshed's list does the same).
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Ledger {len(self)} events on {len({k[0] for k in self._counts})} days>"

    def events(self) -> Iterator[Event]:
        """Every event in the multiset, once per occurrence, in a canonical order."""
        for key in sorted(self._counts):
            yield from [Event(*key)] * self._counts[key]

    def by_day(self) -> list[tuple[date, list[DayItem]]]:
        """The counts by day, oldest first: [(day, [(kind, giver, logged_by, confirmed, n)])]."""
        days: dict[date, list[DayItem]] = {}
        for (day, kind, giver, logged_by, confirmed), count in sorted(self._counts.items()):
            days.setdefault(day, []).append((kind, giver, logged_by, confirmed, count))
        return list(days.items())

    def waiting(self) -> dict[str, tuple[int, date | None]]:
        """For each side, the unconfirmed entries the other side logged, which wait for its
        answer: how many, and the day of the latest (None when none wait)."""
        counts = {side: 0 for side in SIDES}
        latest: dict[str, date | None] = {side: None for side in SIDES}
        for (day, _, _, logged_by, confirmed), count in self._counts.items():
            if not confirmed:
                side = "b" if logged_by == "a" else "a"
                counts[side] += count
                known = latest[side]
                latest[side] = day if known is None or day > known else known
        return {side: (counts[side], latest[side]) for side in SIDES}

    def last_day(self) -> date | None:
        """The day of the latest event, or None for an empty ledger."""
        return max((k[0] for k in self._counts), default=None)

    def to_json(self) -> str:
        """The canonical JSON: {"v": 1, "days": {"YYYY-MM-DD": {"kind|giver|logged_by|0/1": n}}}."""
        days: dict[str, dict[str, int]] = {}
        for (day, kind, giver, logged_by, confirmed), count in self._counts.items():
            slot = f"{kind}|{giver}|{logged_by}|{int(confirmed)}"
            days.setdefault(day.isoformat(), {})[slot] = count
        return json.dumps({"v": LEDGER_VERSION, "days": days}, sort_keys=True,
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Ledger":
        """The ledger a `to_json` text describes; "" gives an empty ledger; ValueError if bad."""
        ledger = cls()
        if not text:
            return ledger
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != LEDGER_VERSION:
            raise ValueError("not a trust ledger (unknown layout version)")
        counts = ledger._counts
        try:
            for day_text, slots in data["days"].items():
                day = date.fromisoformat(day_text)
                for slot, count in slots.items():
                    if type(count) is not int or count <= 0:
                        raise ValueError(f"bad ledger entry {day_text} {slot}: {count!r}")
                    counts[(day, *_slot(slot))] = count
        except (AttributeError, KeyError, TypeError) as error:
            raise ValueError(f"not a trust ledger: {error}") from error
        return ledger


@cache
def _slot(text: str) -> tuple[str, str, str, bool]:
    """(kind, giver, logged_by, confirmed) of a valid "kind|giver|logged_by|0/1" slot of the JSON;
    ValueError (never kept) for any other. The valid ones are few, so each is checked once."""
    kind, giver, logged_by, confirmed = text.split("|")
    if confirmed not in ("0", "1"):
        raise ValueError(f"bad ledger slot {text!r}")
    event = Event(date.min, kind, giver, logged_by, confirmed == "1")  # validates the rest
    return event.kind, event.giver, event.logged_by, event.confirmed
