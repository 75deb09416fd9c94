"""Gathering what the wild-card ranking needs from the database and the trust snapshots.

The ranking itself is pure (referrals/wildcards.py); this module only reads: the pool of people
the recruiter may see who are relevant to the opening, their facts, and the recruiter's trust
with each of them and with the client.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from extensions import db
from referrals import trust, trust_store, wildcards
from referrals.access import my_relationships_clause, other_person_join, relationship_between
from referrals.fit import PreparedCriteria
from referrals.kinds import KIND_LABELS
from referrals.models import Person, Relationship
from referrals.opening_models import Opening, OpeningDecision


@dataclass(frozen=True)
class Relevance:
    """Search relevance of profiles to an opening: normalised scores and how many matched."""

    scores: dict[int, float]  # person id -> 0..1, for the best `len(scores)` matches
    total: int  # how many profiles matched at all
    notice: str | None = None  # said to the user when the pool was limited or search is down


def criteria_of(opening: Opening) -> wildcards.Criteria:
    """The opening's criteria as the ranking reads them."""
    return wildcards.Criteria(
        title=opening.title, must_skills=tuple(opening.must_list),
        nice_skills=tuple(opening.nice_list), min_years=opening.min_years,
        location=opening.location or None, remote_ok=opening.remote_ok,
        qualifications=tuple(opening.qualification_list))  # the title's own words count already


def trust_facts(rel: Relationship, side: str, today: date) -> wildcards.TrustFacts:
    """The recruiter's (side) trust with the other party, in full, from the stored ledger."""
    score = trust.assess(trust_store.load_ledger(rel), today, side)
    last_kind = score.last_contact_kind and KIND_LABELS.get(score.last_contact_kind,
                                                            score.last_contact_kind).lower()
    other_gave = score.received  # asks of the recruiter they answered included
    return wildcards.TrustFacts(
        score=score.score, band=score.band, years_known=score.years_known,
        confirmed_count=score.confirmed_count, pending_count=score.pending_count,
        gave_to_recruiter=other_gave, received_from_recruiter=score.gave,
        referrals_to_recruiter=score.received_by_kind.get("referral", 0),
        last_contact_days=score.days_silent, last_contact_kind=last_kind,
        balanced=score.balanced)


def _candidate(person, relevance: float) -> wildcards.CandidateFacts:
    # `person` is a Person or a row of _CANDIDATE_COLUMNS: rows spare building thousands of
    # ORM objects, and Person.skill_list's own rule splits the skills.
    return wildcards.CandidateFacts(
        person_id=person.id, name=person.name, title=person.title or "",
        headline=person.headline or "", skills=tuple(Person.skill_list.fget(person)),
        years_experience=person.years_experience, location=person.location or None,
        open_to_remote="remote" in (person.location or "").lower(),
        qualifications=(), relevance=relevance, consent_required=person.consent_required)


# The profile columns a candidate is judged on (the rest of a profile is not read here).
_CANDIDATE_COLUMNS = (Person.id, Person.name, Person.title, Person.headline, Person.skills,
                      Person.years_experience, Person.location, Person.consent_required)


def rank_opening(opening: Opening, recruiter, relevance: Relevance,
                 today: date, limit: int = 20) -> wildcards.Ranking:
    """Both lists for an opening: the relevant pool plus everyone the recruiter could vouch for."""
    me = recruiter.person
    # Each relationship's stored summary only (a few dozen bytes), not its ledger: the ledger is
    # read below, and only where the full trust facts can change a list.
    rows = db.session.execute(
        select(Relationship.id.label("rel_id"), Relationship.trust_summary,
               Person.id.label("person_id"))
        .join(Person, other_person_join(me.id))
        .where(my_relationships_clause(me.id), Relationship.status == "accepted",
               Person.role == "candidate", Person.merged_into_id.is_(None))).all()
    known, pool = {}, dict.fromkeys(relevance.scores)
    for row in rows:
        summary = trust_store.summary_of(row)  # reads only row.trust_summary
        if summary.events == 0:
            continue
        quick = trust.current_score(summary, today)
        if quick >= wildcards.WILDCARD_MIN_SCORE or row.person_id in pool:
            # Trust only where it can matter: a possible wild card or a match.
            known[row.person_id] = (row.rel_id, summary, quick)
            pool[row.person_id] = None
    # Only people the recruiter may see: search results already are; a connection whose
    # profile is "only me" is not, unless the recruiter keeps the record.
    people = db.session.execute(select(*_CANDIDATE_COLUMNS).where(
        Person.id.in_(list(pool)), Person.role == "candidate", Person.merged_into_id.is_(None),
        (Person.visibility != "private") | (Person.owner_id == recruiter.id))).all()
    candidates = [_candidate(p, relevance.scores.get(p.id, 0.0)) for p in people]
    dismissed = db.session.scalars(select(OpeningDecision.person_id).where(
        OpeningDecision.opening_id == opening.id, OpeningDecision.action == "dismissed")).all()
    criteria = criteria_of(opening)
    trust_by_person = _trust_that_matters(criteria, candidates, known, dismissed, me.id, today)
    return wildcards.rank(criteria, candidates, trust_by_person,
                          client_facts(opening, recruiter, today), dismissed=dismissed,
                          limit=limit)


def _trust_that_matters(criteria: wildcards.Criteria, candidates, known: dict, dismissed,
                        me_id: int, today: date) -> dict[int, wildcards.TrustFacts]:
    """The trust facts `wildcards.rank` reads: in full only where more than score and band count."""
    # rank reads a candidate's trust for two things. For someone meeting every must-have, the
    # score and band (shown, and breaking ties): the stored summary gives both exactly while no
    # event is dated after `today` (trust.current_score, current_band), so only those are set.
    # For someone missing one or two must-haves with enough fit, whether the relationship
    # vouches for a wild card, and its evidence: that needs the ledger, but only once the summary
    # clears the score and band floors. Anyone else is in neither list whatever their trust.
    # The lists are the same as with full facts for everyone; few ledgers are read.
    prepared = PreparedCriteria(criteria)
    gone = frozenset(dismissed)
    facts, full = {}, {}
    for c in candidates:
        pid = c.person_id
        if pid in gone or pid not in known:
            continue
        rel_id, summary, score = known[pid]
        if summary.last_event is not None and summary.last_event > today:
            full[rel_id] = pid  # events after today: the summary is not that day's score
            continue
        if prepared.meets_all(c):  # shortlisted whether or not trust vouches (misses() == [])
            facts[pid] = wildcards.TrustFacts(score=score, band=trust.current_band(summary, today))
        elif (score >= wildcards.WILDCARD_MIN_SCORE
              and trust.current_band(summary, today) in wildcards.WILDCARD_BANDS):
            missed = prepared.misses(c)
            if not missed or (len(missed) <= wildcards.MAX_MISSED_MUST_HAVES
                              and prepared.fit(c) >= wildcards.FIT_FLOOR):
                full[rel_id] = pid  # a possible wild card: does the relationship vouch?
    if full:
        rels = db.session.scalars(select(Relationship).where(Relationship.id.in_(list(full))))
        for rel in rels:
            facts[full[rel.id]] = trust_facts(rel, rel.side_of(me_id), today)
    return facts


def client_facts(opening: Opening, recruiter, today: date) -> wildcards.ClientFacts:
    """The recruiter's standing with the opening's client, and placements made with them."""
    rel = relationship_between(recruiter.person.id, opening.client_id)
    facts, placements = None, 0
    if rel is not None and rel.status == "accepted" and trust_store.summary_of(rel).events:
        side = rel.side_of(recruiter.person.id)
        facts = trust_facts(rel, side, today)
        score = trust.assess(trust_store.load_ledger(rel), today, side)
        placements = score.given_by_kind.get("hire", 0)
    return wildcards.ClientFacts(name=opening.client.name, trust=facts, placements=placements)



def explanation_lines(entry, wildcard: bool, ranking: wildcards.Ranking) -> list[str]:
    """What the client reads about a recommended person, frozen at the moment of sending."""
    if not wildcard:
        return list(entry.explanation)
    lines = [f"Sets aside: {'; '.join(entry.set_aside)}"] if entry.set_aside else []
    lines += [*entry.trust_evidence, *entry.relevance_reasons]
    return lines + ([entry.client_note] if entry.client_note else [])
