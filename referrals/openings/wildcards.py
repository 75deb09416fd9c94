"""The shortlist and the wild cards for an opening: who meets the brief, and whom trust vouches for.

Pure Python (no Flask, no database, no I/O); criteria matching lives in `referrals.openings.fit`.

A wild card is the essay's "forget the resume, I've known this person for years": someone who
misses a must-have or two, whose background is still relevant, and with whom the recruiter has a
long, confirmed, two-way relationship. It is only as good as the relationship on both sides, so
the recruiter's standing of the client sets the confidence shown. Every score here is the
recruiter's own standing of the other person (the trust score is directional: each side has its
own standing of the other).

Stable contract. Inputs (frozen dataclasses; fields are added only with defaults):
- `Criteria(title, must_skills=(), nice_skills=(), min_years=None, location=None,
  remote_ok=False, qualifications=(), keywords=())`: the opening. Must-haves are every
  must_skill, every qualification, min_years and location; keywords are words of the title or
  description used for relevance (the title's own field words are always used).
- `CandidateFacts(person_id, name, title="", headline="", skills=(), years_experience=None,
  location=None, open_to_remote=False, qualifications=(), relevance=0.0,
  consent_required=False)`: a profile. relevance is the app's search relevance in [0, 1]
  (0 if unknown; out-of-range values are clamped). person_id is unique; repeats are ignored.
  Matching rules (case-insensitive; "CIPD" is met by "CIPD Level 7", not the reverse) are in
  the `referrals.openings.fit` docstring.
- `TrustFacts(score, band, years_known, confirmed_count, pending_count, gave_to_recruiter,
  received_from_recruiter, referrals_to_recruiter, last_contact_days, last_contact_kind,
  balanced)`: the recruiter's relationship with one person, from the trust module. score is the
  recruiter's standing of that person, 0..100, band one of "strong", "steady", "fading",
  "dormant", "new". No entry = no relationship.
- `ClientFacts(name, trust=None, placements=0)`: the hiring client, the recruiter's TrustFacts
  with them (None if none), and how many people the recruiter has placed with them.
The criteria may also be given as `fit.PreparedCriteria(criteria)`, so that a caller which has
already judged the candidates against them (choosing whom to rank) does not pay for it twice.

Output: `rank(...) -> Ranking` with
- `shortlist`: `ShortlistEntry(person_id, name, fit, matched_skills, matched_nice,
  needs_consent, explanation)`, everyone meeting every must-have, best fit first (then trust,
  then person_id);
- `wildcards`: `WildCard(person_id, name, fit, trust_score, confidence, set_aside,
  trust_evidence, relevance_reasons, client_note, needs_consent)`, trust first, then fit;
- `shortlist_total`, `wildcards_total`: how many qualified before the `limit` cut;
- `client_confidence` ("high" | "moderate" | "low") and `client_sentence`;
- `dismissed_count`: distinct dismissed people found among the candidates (in neither list).
fit is in [0, 1], rounded to 3 places. needs_consent means: do not send without asking them.
"""

import heapq
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from referrals.openings.fit import CandidateFacts, Criteria, Miss, PreparedCriteria, match_reasons

__all__ = [
    "CandidateFacts", "ClientFacts", "Criteria", "Ranking", "ShortlistEntry", "TrustFacts",
    "WildCard", "client_standing", "rank", "trust_vouches",
]

# --- Who trust can vouch for (all must hold). A wild card asks a client to take the recruiter's
# word over their own brief, so the word must rest on a relationship anyone would recognise.
# The trust module's band already folds in recency: "fading" and "dormant" relationships are not
# there when needed, and "new" ones have not been tested.
WILDCARD_BANDS = frozenset({"strong", "steady"})
# Below this a score is not a relationship the recruiter would stake a client's trust on.
WILDCARD_MIN_SCORE = 55
# Trust is confirmed by both sides, not claimed by one: a few confirmed exchanges at least.
WILDCARD_MIN_CONFIRMED = 5
# Relationships are not built overnight; a burst of contact this year is not "known for years".
WILDCARD_MIN_YEARS_KNOWN = 1.0
# Give and take both present (min(give, take) >= 1, after Squartini et al.) and flagged balanced
# by the trust module: a person who only asks is the essay's "out of the blue" contact.
WILDCARD_MIN_RECIPROCITY = 1

# --- Whether the background is still relevant. Trust flexes a criterion, not the profession:
# a strong relationship with a software engineer is no wild card for a Head of Reward. 0.3 needs
# real overlap: without search relevance it takes e.g. every must-have skill and the role's words.
FIT_FLOOR = 0.3
# Flexing one or two must-haves is what trust can vouch for; missing more is a different job.
MAX_MISSED_MUST_HAVES = 2

# --- Confidence shown on a wild card: the weaker of the two relationships.
# Person side: everyone passing the floor is at least "moderate"; "high" needs a deep one.
PERSON_HIGH_TRUST = 75
# Client side: "I know your culture and your standards" needs a relationship to say it in.
CLIENT_HIGH_TRUST = 70
CLIENT_MODERATE_TRUST = 45

_LEVELS = ("low", "moderate", "high")


@dataclass(frozen=True, slots=True)
class TrustFacts:
    """The recruiter's relationship with one person, as the trust module sums it up."""

    score: int
    band: str
    years_known: float = 0.0
    confirmed_count: int = 0
    pending_count: int = 0
    gave_to_recruiter: int = 0
    received_from_recruiter: int = 0
    referrals_to_recruiter: int = 0
    last_contact_days: int | None = None
    last_contact_kind: str | None = None
    balanced: bool = False


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """The hiring client: the recruiter's trust with them and the placements made with them."""

    name: str
    trust: TrustFacts | None = None
    placements: int = 0


@dataclass(frozen=True, slots=True)
class ShortlistEntry:
    """A person meeting every must-have, with why they fit."""

    person_id: int
    name: str
    fit: float
    matched_skills: list[str]
    matched_nice: list[str]
    needs_consent: bool
    explanation: list[str]


@dataclass(frozen=True, slots=True)
class WildCard:
    """A person missing a must-have or two whom a strong, two-way relationship vouches for."""

    person_id: int
    name: str
    fit: float
    trust_score: int
    confidence: str
    set_aside: list[str]
    trust_evidence: list[str]
    relevance_reasons: list[str]
    client_note: str
    needs_consent: bool


@dataclass(frozen=True, slots=True)
class Ranking:
    """Both lists, their totals before the limit, and the recruiter's standing with the client."""

    shortlist: list[ShortlistEntry]
    wildcards: list[WildCard]
    shortlist_total: int
    wildcards_total: int
    client_confidence: str
    client_sentence: str
    dismissed_count: int


def trust_vouches(trust: TrustFacts | None) -> bool:
    """Whether a relationship is strong, confirmed and two-way enough to carry a wild card."""
    return (
        trust is not None
        and trust.band in WILDCARD_BANDS
        and trust.score >= WILDCARD_MIN_SCORE
        and trust.confirmed_count >= WILDCARD_MIN_CONFIRMED
        and trust.years_known >= WILDCARD_MIN_YEARS_KNOWN
        and trust.balanced
        and min(trust.gave_to_recruiter, trust.received_from_recruiter) >= WILDCARD_MIN_RECIPROCITY
    )


def client_standing(client: ClientFacts) -> tuple[str, str]:
    """Return ("high" | "moderate" | "low", a plain sentence on the recruiter's standing)."""
    t, name = client.trust, client.name
    placed = _placements(client.placements)
    if t is None:
        return "low", (
            f"You have no recorded relationship with {name} ({placed}): they have no reason yet "
            "to take a wild card on your word, so lead with the shortlist."
        )
    known = f"trust {t.score}, {t.band}; {placed}"
    if t.score >= CLIENT_HIGH_TRUST:
        return "high", f"You know {name} well ({known}): a wild card can rest on your word."
    if t.score >= CLIENT_MODERATE_TRUST:
        return "moderate", (
            f"Your standing with {name} is moderate ({known}): put each wild card forward with "
            "its evidence, and expect to be asked for more."
        )
    return "low", (
        f"You barely know {name} ({known}): they have little reason yet to take a wild card on "
        "your word, so lead with the shortlist."
    )


def rank(
    criteria: Criteria | PreparedCriteria,
    candidates: Iterable[CandidateFacts],
    trust: Mapping[int, TrustFacts],
    client: ClientFacts,
    dismissed: Collection[int] = (),
    limit: int = 20,
) -> Ranking:
    """Rank an opening's shortlist and wild cards; each list cut to `limit`, totals kept.

    `criteria` may come prepared (fit.PreparedCriteria), reusing what it has already judged.
    """
    if limit < 0:
        raise ValueError("limit must be 0 or more")
    prepared = criteria if isinstance(criteria, PreparedCriteria) else PreparedCriteria(criteria)
    vouched = {pid: t for pid, t in trust.items() if trust_vouches(t)}
    gone = frozenset(dismissed)
    seen: set[int] = set()
    # The best `limit` of the shortlist as a min-heap of (fit, trust, -person_id, candidate):
    # its root is the entry to beat, so a profile whose relevance is too low to reach it even
    # with a perfect profile is only counted. This keeps 100,000 loose matches fast.
    top: list[tuple[float, int, int, CandidateFacts]] = []
    needed = 0.0  # no one is skipped until the heap is full
    shortlist_total = dismissed_count = 0
    wild: list[tuple[int, float, int, CandidateFacts, list[Miss]]] = []
    for c in candidates:
        pid = c.person_id
        if pid in seen:
            continue
        seen.add(pid)
        if pid in gone:
            dismissed_count += 1
            continue
        t = vouched.get(pid)
        if t is None:  # no relationship to vouch for them: only the shortlist is open to them
            if not prepared.meets_all(c):
                continue
        else:
            missed = prepared.misses(c)
            if missed:
                if len(missed) <= MAX_MISSED_MUST_HAVES:
                    fit = prepared.fit(c)
                    if fit >= FIT_FLOOR:
                        wild.append((-t.score, -fit, pid, c, missed))
                continue
        shortlist_total += 1
        if not limit or (needed > 0.0 and c.relevance < needed):
            continue
        known = trust.get(pid)
        entry = (prepared.fit(c), known.score if known else -1, -pid, c)
        if len(top) < limit:
            heapq.heappush(top, entry)
        elif entry[:3] > top[0][:3]:
            heapq.heapreplace(top, entry)
        else:
            continue
        if len(top) == limit:
            needed = prepared.relevance_needed(top[0][0])

    level, sentence = client_standing(client)
    note = _client_note(client)
    return Ranking(
        shortlist=[
            _shortlist_entry(prepared, c, trust.get(c.person_id))
            for *_, c in sorted(top, reverse=True)
        ],
        wildcards=[
            _wildcard(prepared, c, vouched[pid], missed, level, note)
            for _, _, pid, c, missed in heapq.nsmallest(limit, wild)
        ],
        shortlist_total=shortlist_total,
        wildcards_total=len(wild),
        client_confidence=level,
        client_sentence=sentence,
        dismissed_count=dismissed_count,
    )


def _shortlist_entry(prepared: PreparedCriteria, c: CandidateFacts,
                    trust: TrustFacts | None) -> ShortlistEntry:
    m = prepared.match(c)
    n = prepared.must_have_count
    lines = [f"meets all {n} must-have{'s' if n != 1 else ''}" if n else "no must-haves were set"]
    lines += match_reasons(m, c, with_must_skills=False)
    if trust is not None:
        lines.append(f"your trust with them: {trust.score} ({trust.band})")
    if c.consent_required:
        lines.append(_CONSENT)
    return ShortlistEntry(
        c.person_id, c.name, round(m.fit, 3), list(m.must_skills), list(m.nice_skills),
        c.consent_required, lines,
    )


def _wildcard(prepared: PreparedCriteria, c: CandidateFacts, trust: TrustFacts, missed: list[Miss],
              client_level: str, note: str) -> WildCard:
    m = prepared.match(c)
    person_level = "high" if trust.score >= PERSON_HIGH_TRUST else "moderate"
    confidence = _LEVELS[min(_LEVELS.index(person_level), _LEVELS.index(client_level))]
    reasons = match_reasons(m, c, with_must_skills=True)
    if c.years_experience is not None and not any(x.kind == "years" for x in missed):
        reasons.append(f"{_count(c.years_experience, 'year')} of experience")
    if c.consent_required:
        reasons.append(_CONSENT)
    return WildCard(
        c.person_id, c.name, round(m.fit, 3), trust.score, confidence,
        [x.phrase(prepared.remote_ok) for x in missed], _trust_evidence(trust), reasons, note,
        c.consent_required,
    )


_CONSENT = "asked to be consulted before being put forward: ask them first"


def _trust_evidence(t: TrustFacts) -> list[str]:
    if t.years_known >= 1:
        known = f"known {_count(int(t.years_known), 'year')}"
    else:
        known = f"known {_count(max(1, round(t.years_known * 12)), 'month')}"
    lines = [known, f"{_count(t.confirmed_count, 'confirmed interaction')}"]
    if t.pending_count:
        lines[-1] += f" ({t.pending_count} awaiting confirmation)"
    lines.append(
        f"gave to you {_count(t.gave_to_recruiter, 'time')}, "
        f"received from you {_count(t.received_from_recruiter, 'time')}"
    )
    if t.referrals_to_recruiter:
        lines.append(f"referred {_count(t.referrals_to_recruiter, 'candidate')} to you")
    if t.last_contact_days is not None:
        kind = (t.last_contact_kind or "contact").lower()
        lines.append(f"last {kind} {_ago(t.last_contact_days)}")
    lines.append(f"trust {t.score} ({t.band})")
    return lines


def _client_note(client: ClientFacts) -> str:
    if client.trust is None:
        return f"{_placements(client.placements)}; no recorded relationship with {client.name}"
    t = client.trust
    return f"{_placements(client.placements)}; your trust with {client.name}: {t.score} ({t.band})"


def _placements(n: int) -> str:
    if n <= 0:
        return "you have not placed anyone with this client yet"
    return f"you have placed {_count(n, 'person', 'people')} with this client"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365:
        return f"{days // 30} months ago"
    return f"{_count(days // 365, 'year')} ago"
