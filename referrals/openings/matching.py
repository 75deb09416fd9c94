"""Gathering what the wild-card ranking needs from the database and the trust snapshots.

The ranking itself is pure (openings/wildcards.py); this module only reads: the pool of people
the recruiter may see who are relevant to the opening, their facts, and the recruiter's trust
with each of them and with the client. An opening's page (referrals.openings.services.both_lists):

1. `may_vouch_for`: the ids of everyone the recruiter's trust might vouch for, from indexed
   columns only;
2. search scores the opening's most relevant profiles, and every one of those ids that matches
   (search.openings.opening_relevance);
3. `rank_opening`: their profiles, the candidates whose profile can reach a list, the trust
   rows of those alone, both lists, then the evidence of the wild cards shown. No ledger is
   parsed unless a history holds events dated after the day ranked.
"""

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import and_, or_, select, union_all

from extensions import db, in_ids
from referrals.access import relationship_between
from referrals.kinds import KIND_LABELS
from referrals.models import TRUST_COLUMNS, Person, Relationship, split_skills
from referrals.openings import wildcards
from referrals.openings.fit import PreparedCriteria
from referrals.openings.models import Opening, OpeningDecision
from referrals.statuses import ConnectionStatus, DecisionAction, Role, Visibility
from referrals.trust import score as trust
from referrals.trust import store as trust_store


@dataclass(frozen=True)
class Relevance:
    """Search relevance of profiles to an opening: normalised scores and how many matched."""

    # person id -> 0..1: the most relevant matches, and every match among the people vouched for
    scores: dict[int, float]
    total: int  # how many profiles matched at all
    notice: str | None = None  # said to the user when the pool was limited or search is down
    searched: bool = True  # False: search could not run, so nobody is left out for not matching


def criteria_of(opening: Opening) -> wildcards.Criteria:
    """The opening's criteria as the ranking reads them."""
    return wildcards.Criteria(
        title=opening.title, must_skills=tuple(opening.must_list),
        nice_skills=tuple(opening.nice_list), min_years=opening.min_years,
        location=opening.location or None, remote_ok=opening.remote_ok,
        qualifications=tuple(opening.qualification_list))  # the title's own words count already


def trust_facts(summary: trust.Summary, side: str, today: date) -> wildcards.TrustFacts:
    """The recruiter's (side) standing of the other party, from the stored summary.

    The same facts `trust.assess` gives on `today` while no event is dated after it (tested);
    `assessed_facts` reads the ledger for the rare history logged ahead of time.
    """
    other = "b" if side == "a" else "a"
    score, band = trust.score_and_band(summary.base[side], summary.held[side],
                                       summary.last_contact, summary.last_confirmed,
                                       summary.last_event, today)
    received = summary.given[other]  # what they gave the recruiter, asks answered included
    return wildcards.TrustFacts(
        score=score, band=band,
        years_known=_days(summary.first_contact, today) / trust.DAYS_PER_YEAR
        if summary.first_contact else 0.0,
        confirmed_count=summary.confirmed, pending_count=summary.pending,
        gave_to_recruiter=sum(received.values()),
        received_from_recruiter=sum(summary.given[side].values()),
        referrals_to_recruiter=received.get("referral", 0),
        last_contact_days=_days(summary.last_contact, today) if summary.last_contact else None,
        last_contact_kind=_kind_label(summary.last_kind), balanced=summary.balanced)


def assessed_facts(ledger: trust.Ledger, side: str,
                   today: date) -> tuple[wildcards.TrustFacts, int]:
    """Trust facts and placements on `today` from the full ledger (events after today ignored)."""
    score = trust.assess(ledger, today, side)
    facts = wildcards.TrustFacts(
        score=score.score, band=score.band, years_known=score.years_known,
        confirmed_count=score.confirmed_count, pending_count=score.pending_count,
        gave_to_recruiter=score.received, received_from_recruiter=score.gave,
        referrals_to_recruiter=score.received_by_kind.get("referral", 0),
        last_contact_days=score.days_silent, last_contact_kind=_kind_label(score.last_contact_kind),
        balanced=score.balanced)
    return facts, score.given_by_kind.get("hire", 0)


def _days(since: date, today: date) -> int:
    return (today - since).days


def _kind_label(kind: str | None) -> str | None:
    return kind and KIND_LABELS.get(kind, kind).lower()


def _candidate(person, relevance: float) -> wildcards.CandidateFacts:
    # `person` is a Person or a row of _CANDIDATE_COLUMNS: rows spare building thousands of
    # ORM objects, and Person.skill_list's rule (split_skills) splits the skills.
    location = person.location or None
    return wildcards.CandidateFacts(
        person.id, person.name, person.title or "", person.headline or "",
        tuple(split_skills(person.skills)), person.years_experience, location,
        location is not None and "remote" in location.lower(), (), relevance,
        person.consent_required)


# The profile columns a candidate is judged on (the rest of a profile is not read here).
_CANDIDATE_COLUMNS = (Person.id, Person.name, Person.title, Person.headline, Person.skills,
                      Person.years_experience, Person.location, Person.consent_required)


@dataclass(frozen=True, slots=True)
class Known:
    """The recruiter's relationship with one person, as the ranking reads it."""

    # Exact score, band and vouching facts; the evidence's details (pending, referrals, last
    # kind) only when `full`, else read from the stored summary for the few who need them.
    trust: wildcards.TrustFacts
    full: bool


# The relationship columns the ranking reads (the ledger and the summary's JSON are not).
# Every one is in the ix_relationships_*_trust indexes (the row id is not, so it is not read):
# PostgreSQL answers from the index alone, where reading the table visited a page per row.
_TRUST_COLUMNS = (Relationship.a_id, Relationship.b_id,
                  *(getattr(Relationship, name) for name in TRUST_COLUMNS))


def may_vouch_for(recruiter, today: date) -> set[int]:
    """Everyone (person ids) the recruiter's trust might vouch for on `today`: a loose filter in
    SQL that never drops anyone wildcards.trust_vouches would take (rank_opening applies it)."""
    me_id = recruiter.person.id
    # From the same constants: a base and a last contact from which the minimum score is
    # reachable, and the facts that do not change with the day. Histories with events after
    # today are kept: their columns describe a later day, so only the ledger can judge them.
    # Every column read here is in the ix_relationships_*_trust indexes: no table row is read.
    floor = wildcards.WILDCARD_MIN_SCORE
    known_long_enough = today - timedelta(
        days=math.floor(wildcards.WILDCARD_MIN_YEARS_KNOWN * trust.DAYS_PER_YEAR))

    def side(me, other, base):
        # One side at a time (UNION ALL, not OR): each reads one index from `me` on, where
        # PostgreSQL turned the OR into a bitmap of both and read every heap page of them.
        return select(other).where(
            me == me_id, Relationship.status == ConnectionStatus.ACCEPTED,
            (Relationship.trust_last_event > today) | and_(
                # The recruiter's own standing of them: each side has its own.
                base >= floor - 0.5,
                Relationship.trust_last_contact >= trust.reachable_since(floor, today),
                Relationship.trust_confirmed >= wildcards.WILDCARD_MIN_CONFIRMED,
                Relationship.trust_balanced.is_(True),
                Relationship.trust_given_a >= wildcards.WILDCARD_MIN_RECIPROCITY,
                Relationship.trust_given_b >= wildcards.WILDCARD_MIN_RECIPROCITY,
                Relationship.trust_first_contact <= known_long_enough))

    # .all() fetches the thousands of ids at once; iterating fetched them one call a row.
    return set(db.session.scalars(union_all(
        side(Relationship.a_id, Relationship.b_id, Relationship.trust_base_a),
        side(Relationship.b_id, Relationship.a_id, Relationship.trust_base_b))).all())


def _other(row: tuple, me_id: int) -> int:
    """The other party of a row of _TRUST_COLUMNS."""
    return row[1] if row[0] == me_id else row[0]


def _mine_with(me_id: int, person_ids: list[int]):
    """SQL: the recruiter's relationships with any of these (few) people."""
    return or_(and_(Relationship.a_id == me_id, in_ids(Relationship.b_id, person_ids)),
               and_(Relationship.b_id == me_id, in_ids(Relationship.a_id, person_ids)))


def _known(row: tuple, me_id: int, today: date) -> Known:
    """A row of _TRUST_COLUMNS as the recruiter's Known; the ledger if it runs past today."""
    a_id, b_id, base_a, base_b, held_a, held_b, last_contact, last_confirmed, last_event, \
        first, confirmed, gave_a, gave_b, balanced = row  # models.TRUST_COLUMNS order
    side = "a" if a_id == me_id else "b"
    if last_event is not None and last_event > today:
        ledger = trust_store.load_ledger(relationship_between(a_id, b_id))
        return Known(assessed_facts(ledger, side, today)[0], full=True)
    base, held = (base_a, held_a) if side == "a" else (base_b, held_b)
    score, band = trust.score_and_band(base, held, last_contact, last_confirmed, last_event,
                                       today)
    mine, theirs = (gave_a, gave_b) if side == "a" else (gave_b, gave_a)
    return Known(wildcards.TrustFacts(
        score, band, _days(first, today) / trust.DAYS_PER_YEAR if first else 0.0, confirmed,
        gave_to_recruiter=theirs, received_from_recruiter=mine, balanced=balanced), full=False)


def _known_among(me_id: int, person_ids: list[int], today: date) -> dict[int, Known]:
    """The recruiter's accepted relationships with any of these people, with a history."""
    if not person_ids:
        return {}
    def side(me, other):
        # One side at a time, from the recruiter's index range, the pool a filter on it: with
        # `other = ANY(pool)` as an index condition, PostgreSQL probed the index once per id
        # of the pool (thousands) or read the whole table; `+ 0` keeps it a (hashed) filter.
        other = other + 0 if db.engine.dialect.name == "postgresql" else other
        return select(*_TRUST_COLUMNS).where(
            me == me_id, Relationship.status == ConnectionStatus.ACCEPTED,
            Relationship.trust_last_event.is_not(None), in_ids(other, person_ids))

    rows = db.session.execute(union_all(side(Relationship.a_id, Relationship.b_id),
                                        side(Relationship.b_id, Relationship.a_id))).all()
    return {_other(row, me_id): _known(row, me_id, today) for row in rows}


def rank_opening(opening: Opening, recruiter, relevance: Relevance, trusted: set[int],
                 today: date, limit: int = 20) -> wildcards.Ranking:
    """Both lists for an opening, from the relevant profiles and `trusted` (may_vouch_for).

    Wild cards are drawn from the people vouched for whose profiles match the opening's words
    (search scored every one of them, see Relevance), or from all of them if search could not
    run: someone matching none of its skills or title words is no wild card for it.
    """
    me_id = recruiter.person.id
    pool = set(relevance.scores)
    if not relevance.searched:
        pool.update(trusted)
    # Only people the recruiter may see: search results already are; a connection whose
    # profile is "only me" is not, unless the recruiter keeps the record.
    people = db.session.execute(select(*_CANDIDATE_COLUMNS).where(
        in_ids(Person.id, pool), Person.role == Role.CANDIDATE, Person.merged_into_id.is_(None),
        (Person.visibility != Visibility.PRIVATE) | (Person.owner_id == recruiter.id))).all()
    candidates = [_candidate(p, relevance.scores.get(p.id, 0.0)) for p in people]
    dismissed = db.session.scalars(select(OpeningDecision.person_id).where(
        OpeningDecision.opening_id == opening.id,
        OpeningDecision.action == DecisionAction.DISMISSED)).all()
    criteria = PreparedCriteria(criteria_of(opening))  # shared: each profile judged once
    client = client_facts(opening, recruiter, today)
    contenders = _contenders(criteria, candidates, trusted, dismissed)
    # Trust rows for the contenders only: whoever the profile alone keeps out of both lists
    # needs none, and they are most of the pool.
    known = _known_among(me_id, [c.person_id for c in contenders], today)
    facts = {pid: mine.trust for pid, mine in known.items()}
    ranking = wildcards.rank(criteria, contenders, facts, client, dismissed=dismissed,
                             limit=limit)
    # The order and the totals rest on the score, band and vouching facts alone; only the wild
    # cards shown need the details of their evidence (pending, referrals, last kind), so only
    # their summaries are read, and only they are ranked again with them: same order, full text.
    shown = {w.person_id for w in ranking.wildcards}
    brief = [pid for pid in shown if not known[pid].full]
    if not brief:
        return ranking
    for a_id, b_id, text in db.session.execute(select(
            Relationship.a_id, Relationship.b_id, Relationship.trust_summary).where(
            _mine_with(me_id, brief))):
        side = "a" if a_id == me_id else "b"
        facts[b_id if side == "a" else a_id] = trust_facts(trust_store.parse_summary(text),
                                                           side, today)
    again = wildcards.rank(criteria, [c for c in contenders if c.person_id in shown], facts,
                           client, limit=limit)
    return replace(ranking, wildcards=again.wildcards)


def _contenders(prepared: PreparedCriteria, candidates, trusted: set[int],
                dismissed) -> list[wildcards.CandidateFacts]:
    """The candidates that can reach either list (or be counted as dismissed), judged on their
    profiles; `wildcards.rank` gives the same lists from them as from everyone."""
    # Someone meeting every must-have is shortlisted whatever their trust. Someone missing one
    # or two with enough fit is a wild card if trust vouches for them, which needs them among
    # `trusted` (a loose superset of those it vouches for). Anyone else is in neither list.
    gone = frozenset(dismissed)
    contenders = []
    for c in candidates:
        pid = c.person_id
        if pid in gone or prepared.meets_all(c):  # dismissed ones are counted as such
            contenders.append(c)
        elif pid in trusted and prepared.missed_count(c) <= wildcards.MAX_MISSED_MUST_HAVES \
                and prepared.fit(c) >= wildcards.FIT_FLOOR:
            contenders.append(c)
    return contenders


def client_facts(opening: Opening, recruiter, today: date) -> wildcards.ClientFacts:
    """The recruiter's standing with the opening's client, and placements made with them."""
    rel = relationship_between(recruiter.person.id, opening.client_id)
    facts, placements = None, 0
    if (rel is not None and rel.status == ConnectionStatus.ACCEPTED
            and rel.trust_last_event is not None):
        side = rel.side_of(recruiter.person.id)
        if rel.trust_last_event > today:
            facts, placements = assessed_facts(trust_store.load_ledger(rel), side, today)
        else:
            summary = trust_store.summary_of(rel)
            facts, placements = trust_facts(summary, side, today), summary.given[side].get(
                "hire", 0)
    return wildcards.ClientFacts(name=opening.client.name, trust=facts, placements=placements)


def explanation_lines(entry, wildcard: bool, ranking: wildcards.Ranking) -> list[str]:
    """What the client reads about a recommended person, frozen at the moment of sending."""
    if not wildcard:
        return list(entry.explanation)
    lines = [f"Sets aside: {'; '.join(entry.set_aside)}"] if entry.set_aside else []
    lines += [*entry.trust_evidence, *entry.relevance_reasons]
    return lines + ([entry.client_note] if entry.client_note else [])
