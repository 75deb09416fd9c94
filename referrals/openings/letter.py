"""What a hiring client reads about a person recommended to them, in plain words to them.

Pure Python (no Flask, no database, no I/O). The recruiter's own view of a ranking speaks of
"your trust", scores and search relevance; none of that is for the client. Here the same facts
become what a hiring leader asks: how long and how well does the recruiter know this person,
and what do they hold against each thing I asked for? Scores and bands never appear.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from referrals.openings.fit import CandidateFacts, Criteria, PreparedCriteria, normalise
from referrals.openings.wildcards import TrustFacts

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Standing:
    """One must-have: what was asked, what the person holds, and whether that meets it."""

    asked: str
    held: str
    met: bool


def against_must_haves(criteria: Criteria, c: CandidateFacts) -> list[Standing]:
    """Each must-have (skills, named qualifications, years, place) and what the profile holds."""
    prepared = PreparedCriteria(criteria)
    misses = {(miss.kind, miss.asked): miss for miss in prepared.misses(c)}
    out = []
    for shown in prepared.must.values():
        met = ("skill", shown) not in misses
        out.append(Standing(shown, "among their skills" if met else "not among their skills",
                            met))
    for i, (_words, shown) in enumerate(prepared.quals):
        holds = prepared.held_qualification(c, i)
        if holds is not None:
            out.append(Standing(shown, f"holds {holds}", True))
        else:
            near = misses[("qualification", shown)].held or _near(shown, c)
            out.append(Standing(shown, f"holds {near} instead" if near else "not held", False))
    if criteria.min_years is not None:
        asked = f"{_count(criteria.min_years, 'year')} of experience or more"
        years = c.years_experience
        held = "not stated" if years is None else _count(years, "year")
        out.append(Standing(asked, held, years is not None and years >= criteria.min_years))
    if prepared.place is not None:
        asked = f"Based in {criteria.location}" + (" or remote" if criteria.remote_ok else "")
        where = f"based in {c.location}" if c.location else "location not stated"
        open_remote = criteria.remote_ok and c.open_to_remote
        out.append(Standing(asked, where + (", open to remote work" if open_remote else ""),
                            prepared.place_ok(c)))
    return out


def _near(asked: str, c: CandidateFacts) -> str | None:
    """A held qualification of the same family ("CIPD Level 5" for "CIPD Level 7"), if any."""
    family = normalise(asked).split()[:1]
    return next((held for held in (*c.qualifications, *c.skills)
                 if normalise(held).split()[:1] == family), None)


def also_has(criteria: Criteria, c: CandidateFacts) -> list[str]:
    """The nice-to-haves the profile shows, as the client wrote them."""
    return list(PreparedCriteria(criteria).match(c).nice_skills)


def how_well_known(recruiter: str, candidate: str, trust: TrustFacts | None,
                   today: date) -> list[str]:
    """How long and how well the recruiter knows the candidate, from the shared history.

    Counts and dates only: no score, band or private note; one line without a history.
    """
    if trust is None or trust.confirmed_count + trust.pending_count == 0:
        return [f"{recruiter} has no recorded history with {candidate} yet."]
    if trust.years_known >= 1:
        known = f"for {_count(int(trust.years_known), 'year')}"
    else:
        known = f"for {_count(max(1, round(trust.years_known * 12)), 'month')}"
    lines = [f"{recruiter} has known {candidate} {known}."]
    exchanges = _count(trust.confirmed_count, "exchange")
    gave, got = trust.gave_to_recruiter, trust.received_from_recruiter
    if gave and got:
        lines.append(f"{exchanges} confirmed by both of them, with help going both ways "
                     f"({candidate} gave {_count(gave, 'time')}, {recruiter} "
                     f"{_count(got, 'time')}).")
    else:
        lines.append(f"{exchanges} confirmed by both of them.")
    if trust.referrals_to_recruiter:
        referred = _count(trust.referrals_to_recruiter, "person", "people")
        lines.append(f"{candidate} has referred {referred} to {recruiter}.")
    if trust.last_contact_days is not None:
        last = today - timedelta(days=trust.last_contact_days)
        lines.append(f"Last in touch {_when(last, today)}.")
    return lines


def _when(day: date, today: date) -> str:
    if (day.year, day.month) == (today.year, today.month):
        return "this month"
    month = MONTHS[day.month - 1]
    return f"in {month}" if day.year == today.year else f"in {month} {day.year}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
