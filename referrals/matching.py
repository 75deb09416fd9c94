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
from referrals.access import my_relationships_clause, relationship_between
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


def _candidate(person: Person, relevance: float) -> wildcards.CandidateFacts:
    return wildcards.CandidateFacts(
        person_id=person.id, name=person.name, title=person.title or "",
        headline=person.headline or "", skills=tuple(person.skill_list),
        years_experience=person.years_experience, location=person.location or None,
        open_to_remote="remote" in (person.location or "").lower(),
        qualifications=(), relevance=relevance, consent_required=person.consent_required)


def rank_opening(opening: Opening, recruiter, relevance: Relevance,
                 today: date, limit: int = 20) -> wildcards.Ranking:
    """Both lists for an opening: the relevant pool plus everyone the recruiter could vouch for."""
    me = recruiter.person
    rows = db.session.execute(
        select(Relationship, Person).join(Person, (
            (Relationship.a_id == me.id) & (Person.id == Relationship.b_id)) | (
            (Relationship.b_id == me.id) & (Person.id == Relationship.a_id)))
        .where(my_relationships_clause(me.id), Relationship.status == "accepted",
               Person.role == "candidate", Person.merged_into_id.is_(None))).all()
    trust_by_person, pool = {}, dict.fromkeys(relevance.scores)
    for rel, person in rows:
        summary = trust_store.summary_of(rel)
        if summary.events == 0:
            continue
        quick = trust.current_score(summary, today)
        if quick >= wildcards.WILDCARD_MIN_SCORE or person.id in pool:
            # Full explanations only where they can matter: a possible wild card or a match.
            trust_by_person[person.id] = trust_facts(rel, rel.side_of(me.id), today)
            pool[person.id] = None
    # Only people the recruiter may see: search results already are; a connection whose
    # profile is "only me" is not, unless the recruiter keeps the record.
    people = db.session.scalars(select(Person).where(
        Person.id.in_(list(pool)), Person.role == "candidate", Person.merged_into_id.is_(None),
        (Person.visibility != "private") | (Person.owner_id == recruiter.id))).all()
    candidates = [_candidate(p, relevance.scores.get(p.id, 0.0)) for p in people]
    dismissed = db.session.scalars(select(OpeningDecision.person_id).where(
        OpeningDecision.opening_id == opening.id, OpeningDecision.action == "dismissed")).all()
    return wildcards.rank(criteria_of(opening),
                          candidates, trust_by_person, client_facts(opening, recruiter, today),
                          dismissed=dismissed, limit=limit)


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
