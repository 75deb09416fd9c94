"""The plain-language side of the trust score: reasons and the "Before you ask" sentence.

Pure Python, no scoring: it words facts that score.py has already worked out, from the
point of view of the person reading ("you") about the other side ("they").
"""

from dataclasses import dataclass
from datetime import date, timedelta

from referrals.kinds import KINDS, TELLING_ORDER

# (one, many) for each kind, as it reads after "you gave" (from the kinds table).
KIND_NOUNS = {kind.value: kind.nouns for kind in KINDS}
# Most telling first, so that the longest lists still start with what matters.
_KIND_ORDER = TELLING_ORDER
_LISTED = 2  # kinds named in a reason: it is one glance, not a ledger


@dataclass(frozen=True)
class Facts:
    """What the reasons are worded from."""

    now: date
    first_contact: date | None
    last_contact: date | None
    given_by_kind: dict[str, int]
    received_by_kind: dict[str, int]
    mutual: int
    asks_made: int
    asks_received: int
    one_way: bool
    quarters: int
    pending: int
    awaiting_you: int
    # (day, asker or None for a mutual ask, days of silence or None if there was no contact before)
    late_asks: list[tuple[date, str | None, int | None]]
    perspective: str
    grace_days: int
    revival: float = 1.0  # share of the old standing restored after a long silence (0..1)
    pending_points: int = 0  # points the unconfirmed entries add today


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (0 if end is not after start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def span_words(start: date, end: date) -> str:
    """A span as people say it: "12 days", "14 months", "9 years"."""
    months = months_between(start, end)
    if months < 2:
        days = max(0, (end - start).days)
        return "1 day" if days == 1 else f"{days} days"
    if months < 24:
        return f"{months} months"
    return f"{months // 12} years"


def times(n: int) -> str:
    """How often, in words: "once", "twice", "5 times"."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _kinds_words(by_kind: dict[str, int]) -> str:
    kinds = [k for k in _KIND_ORDER if by_kind.get(k)]
    words = " and ".join(f"{by_kind[k]} {KIND_NOUNS[k][by_kind[k] != 1]}"
                         for k in kinds[:_LISTED])
    if len(kinds) > _LISTED:
        words += f" ({sum(by_kind.get(k, 0) for k in kinds)} in all)"
    return words


def _exchanges(f: Facts) -> list[str]:
    # What each side gave, with the other side's asks (which the giver answered) next to it.
    said = []
    for gave, by_kind, asked, asks in (("you gave", f.given_by_kind, "they asked", f.asks_received),
                                       ("they gave", f.received_by_kind, "you asked", f.asks_made)):
        parts = [f"{gave} {_kinds_words(by_kind)}"] if any(map(by_kind.get, _KIND_ORDER)) else []
        if asks:
            parts.append(f"{asked} {times(asks)}")
        if parts:
            said.append(", ".join(parts))
    if f.mutual:
        said.append(f"{f.mutual} mutual exchange" + ("s" if f.mutual != 1 else ""))
    return said


def last_contact_words(now: date, last_contact: date | None, late_ask: date | None,
                       prefix: str = "last contact ") -> str:
    """The one wording of "last contact" used everywhere, saying when a later ask did not count:
    "last contact 3 weeks ago", "last contact 6 years ago (an ask 12 days ago did not count: it
    came after a long silence)"; `prefix=""` for a column already headed "Last contact"."""
    if last_contact is None:
        said = "no real contact yet"
    elif last_contact >= now:
        said = f"{prefix}today"
    else:
        said = f"{prefix}{span_words(last_contact, now)} ago"
    if late_ask is not None:
        when = "today" if late_ask >= now else f"{span_words(late_ask, now)} ago"
        said += f" (an ask {when} did not count: it came after a long silence)"
    return said


def reasons(f: Facts) -> list[str]:
    """The reasons behind a score, most important first, each a short plain phrase."""
    if f.first_contact is None and not f.late_asks:
        return ["no shared history yet"]
    said = []
    if f.first_contact is not None:
        said.append(f"known {span_words(f.first_contact, f.now)}"
                    if f.now > f.first_contact else "first contact today")
    said.extend(_exchanges(f))
    if f.one_way:
        gave_any = any(f.given_by_kind.values())
        said.append("they have not given anything back yet" if gave_any
                    else "you have not given anything back yet")
    if f.quarters > 1:
        said.append(f"in touch in {f.quarters} different quarters")
    silent = (f.now - f.last_contact).days if f.last_contact is not None else 0
    if silent > f.grace_days:
        assert f.last_contact is not None  # silent is 0 without a last contact
        said.append(f"no contact for {span_words(f.last_contact, f.now)}")
    elif silent > 0:
        assert f.last_contact is not None
        said.append(f"last contact {span_words(f.last_contact, f.now)} ago")
    if f.revival < 0.995:
        said.append(f"contact resumed after a long silence: {round(f.revival * 100)}% of the "
                    "old standing is back; sustained contact over months restores the rest")
    if f.pending:
        waiting = f" ({f.awaiting_you} waiting for you to confirm)" if f.awaiting_you else ""
        noun = "interaction" if f.pending == 1 else "interactions"
        said.append(f"{f.pending} {noun} not yet confirmed{waiting}")
        if f.pending_points:
            points = "1 point" if f.pending_points == 1 else f"{f.pending_points} points"
            said.append(f"what is not yet confirmed adds {points} until it is (a few at most)")
    for day, asker, gap in f.late_asks[-2:]:  # the latest two are enough to make the point
        yours: dict[str | None, str] = {f.perspective: "you asked"}
        who = yours.get(asker, "they asked" if asker else "an ask came")
        when = "out of the blue, with no give and take before it" if gap is None else \
            f"after {span_words(day - timedelta(days=gap), day)} of silence"
        said.append(f"{who} {when}, so it does not add to the score")
    return said


_GIVE_FIRST = ("Consider giving first: share a market insight, make an introduction or simply "
               "check in, and ask when the door is open again.")


def ask_warning_text(day: date, first: date | None, last_contact: date | None,
                     last_given: date | None, long_silence_days: int) -> str | None:
    """The "Before you ask" sentence, or None when the asker has given and kept in touch lately."""
    if last_contact is None:
        return ("You have no shared history with them yet, and an ask out of the blue is hard to "
                "say yes to. " + _GIVE_FIRST)
    if (day - last_contact).days > long_silence_days:
        return (f"You have not been in touch with them for {span_words(last_contact, day)}; "
                "after a long silence an ask is hard to say yes to. " + _GIVE_FIRST)
    assert first is not None  # a first contact comes with a last one
    if (day - first).days <= long_silence_days:
        return None  # a young relationship: nobody has had time to fall behind
    if last_given is None:
        return (f"In {span_words(first, day)} of knowing each other you have not yet given them "
                "anything, so they may feel this is one-way. " + _GIVE_FIRST)
    if (day - last_given).days > long_silence_days:
        return (f"You have not given them anything for {span_words(last_given, day)}, "
                "so they may feel this is one-way. " + _GIVE_FIRST)
    return None
