"""Read models built on the stored trust snapshots: strength per relationship, losing touch."""

from dataclasses import dataclass
from datetime import date, timedelta

from referrals.models import Relationship
from referrals.trust import reasons as trust_reasons
from referrals.trust import score as trust


@dataclass(frozen=True)
class Strength:
    """One side's standing of the other today, read in O(1) from the stored snapshot."""

    score: int
    band: str
    last_contact: date | None = None  # the last contact that counts (an ask out of the blue not)
    late_ask: date | None = None  # the latest ask after it, which did not count
    today: date | None = None

    @property
    def last_words(self) -> str:
        """"last contact 3 weeks ago", saying when a later ask did not count."""
        return trust_reasons.last_contact_words(self.today, self.last_contact, self.late_ask)

    @property
    def last_short(self) -> str:
        """The same words under a "Last contact" heading: "6 years ago (an ask ...)"."""
        return trust_reasons.last_contact_words(self.today, self.last_contact, self.late_ask, "")


def standing(base: float, held: float, last_contact: date | None,
             last_confirmed: date | None, last_event: date | None,
             today: date) -> tuple[int, str]:
    """One side's score (0..100) and band on `today` from its stored columns: 0 and "new" for
    a relationship without events."""
    if last_event is None:
        return 0, "new"
    return trust.score_and_band(base, held, last_contact, last_confirmed, last_event, today)


def score_from(base: float, held: float, last_contact: date | None,
               last_confirmed: date | None, last_event: date | None, today: date) -> int:
    """One side's score on `today` from its stored columns (for ordering many at once)."""
    return standing(base, held, last_contact, last_confirmed, last_event, today)[0]


def strength_of(rel: Relationship, today: date, person_id: int) -> Strength:
    """`person_id`'s standing of the other side on `today`, from the stored score inputs,
    without parsing anything."""
    side = rel.side_of(person_id) or "a"
    base, held = (rel.trust_base_a, rel.trust_held_a) if side == "a" else \
        (rel.trust_base_b, rel.trust_held_b)
    score, band = standing(base, held, rel.trust_last_contact, rel.trust_last_confirmed,
                           rel.trust_last_event, today)
    return stored_strength(rel, score, band, today)


def stored_strength(rel: Relationship, score: int, band: str, today: date) -> Strength:
    """The Strength whose score and band were stored for `today` (trust/daily.py): what
    strength_of gives, without computing the score again."""
    last_event = rel.trust_last_event
    if last_event is None:
        return Strength(0, "new", today=today)
    # Only an ask out of the blue can be dated after the last counted contact.
    late = last_event if last_event <= today and (
        rel.trust_last_contact is None or last_event > rel.trust_last_contact) else None
    return Strength(score, band, rel.trust_last_contact, late, today)


def cadence_for(rel: Relationship, side: str) -> int | None:
    """The stay-in-touch cadence (days) the given side chose, if any."""
    return rel.cadence_a_days if side == "a" else rel.cadence_b_days


def due_date(rel: Relationship, side: str) -> date | None:
    """When the next contact is due under that side's cadence; None without a cadence."""
    cadence = cadence_for(rel, side)
    if not cadence:
        return None
    base = rel.last_contact_on or rel.created_at.date()
    return base + timedelta(days=cadence)


@dataclass(frozen=True)
class LosingTouch:
    """A relationship that needs attention, and why."""

    rel: Relationship
    person: object
    strength: Strength
    overdue_days: int | None  # days past the chosen cadence, None when no cadence is set
    reason: str


def losing_touch(rows, person_id: int, today: date) -> list[LosingTouch]:
    """Of (Relationship, other Person) rows: overdue ones first (most overdue first), then
    fading or dormant ones that had real history (weakest first); ties keep the rows' order.
    network/losing.py gives the same list from SQL, a page at a time."""
    overdue, fading = [], []
    for rel, other in rows:
        item = attention(rel, other, strength_of(rel, today, person_id), person_id, today)
        if item is not None:
            (fading if item.overdue_days is None else overdue).append(item)
    overdue.sort(key=lambda item: -item.overdue_days)
    fading.sort(key=lambda item: item.strength.score)
    return overdue + fading


def attention(rel: Relationship, other, strength: Strength, person_id: int,
              today: date) -> LosingTouch | None:
    """Why `person_id` is losing touch with the other side of `rel`: an overdue cadence first,
    else a fading or dormant standing; None when neither."""
    side = rel.side_of(person_id)
    due = due_date(rel, side)
    if due is not None and due < today:
        days = (today - due).days
        return LosingTouch(rel, other, strength, days,
                           f"{days} days past your {cadence_for(rel, side)}-day stay-in-touch")
    if strength.band in ("fading", "dormant"):
        return LosingTouch(rel, other, strength, None, _fading_reason(strength, today))
    return None


def _fading_reason(strength: Strength, today: date) -> str:
    """Why a relationship shows as fading, in words."""
    if strength.last_contact is None:
        return f"{strength.band}: only asks, no real contact yet"
    if (today - strength.last_contact).days < 30 and strength.late_ask is None:
        return f"{strength.band}: recent contact, but little history behind it"
    return f"{strength.band}: {strength.last_words}"
