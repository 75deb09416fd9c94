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


def trust_facts(summary: trust.Summary, side: str, today: date) -> wildcards.TrustFacts:
    """The recruiter's (side) trust with the other party, from the stored summary.

    The same facts `trust.assess` gives on `today` while no event is dated after it (tested);
    `assessed_facts` reads the ledger for the rare history logged ahead of time.
    """
    other = "b" if side == "a" else "a"
    score, band = trust.score_and_band(summary.base, summary.last_contact, summary.last_event,
                                       today)
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
    relevant = list(relevance.scores)
    # Only people the recruiter may see: search results already are; a connection whose
    # profile is "only me" is not, unless the recruiter keeps the record.
    candidates_query = select(*_CANDIDATE_COLUMNS).where(
        Person.role == "candidate", Person.merged_into_id.is_(None),
        (Person.visibility != "private") | (Person.owner_id == recruiter.id))
    # The recruiter's relationships that can matter, with the profile, in one read: a possible
    # wild card (a base from which recency could still reach the floor: a score never exceeds
    # its rounded base) or a relevant person, whose score is shown on the shortlist.
    rows = db.session.execute(candidates_query.add_columns(
        Relationship.id.label("rel_id"), Relationship.trust_base,
        Relationship.trust_last_contact, Relationship.trust_last_event)
        .join(Relationship, other_person_join(me.id))
        .where(my_relationships_clause(me.id), Relationship.status == "accepted",
               Relationship.trust_last_event.is_not(None),
               (Relationship.trust_base >= wildcards.WILDCARD_MIN_SCORE - 0.5)
               | Person.id.in_(relevant))).all()
    known = {}
    for row in rows:
        score, band = trust.score_and_band(row.trust_base, row.trust_last_contact,
                                           row.trust_last_event, today)
        if score >= wildcards.WILDCARD_MIN_SCORE or row.id in relevance.scores:
            known[row.id] = _Known(row.rel_id, score, band, row.trust_last_event > today)
    people = [row for row in rows if row.id in known]
    strangers = [pid for pid in relevant if pid not in known]
    if strangers:
        people += db.session.execute(candidates_query.where(Person.id.in_(strangers))).all()
    candidates = [_candidate(p, relevance.scores.get(p.id, 0.0)) for p in people]
    dismissed = db.session.scalars(select(OpeningDecision.person_id).where(
        OpeningDecision.opening_id == opening.id, OpeningDecision.action == "dismissed")).all()
    criteria = criteria_of(opening)
    contenders, trust_by_person = _contenders(criteria, candidates, known, dismissed, me.id,
                                              today)
    return wildcards.rank(criteria, contenders, trust_by_person,
                          client_facts(opening, recruiter, today), dismissed=dismissed,
                          limit=limit)


@dataclass(frozen=True, slots=True)
class _Known:
    """A relationship as the ranking query read it: enough for the score and band."""

    rel_id: int
    score: int
    band: str
    ahead: bool  # it holds events dated after today: only the ledger gives today's facts


def _contenders(criteria: wildcards.Criteria, candidates, known: dict[int, _Known], dismissed,
                me_id: int, today: date) -> tuple[list, dict[int, wildcards.TrustFacts]]:
    """The candidates that can reach either list (or be counted as dismissed), and the trust
    facts `wildcards.rank` reads of them; `rank` gives the same lists as with everyone."""
    # rank reads a candidate's trust for two things. For someone meeting every must-have, the
    # score and band (shown, and breaking ties), which the ranking query computed. For someone
    # missing one or two must-haves with enough fit, whether the relationship vouches for a wild
    # card, and its evidence: that needs the stored summary, but only once the score and band
    # clear the floors. Anyone else is in neither list whatever their trust, so is left out.
    prepared = PreparedCriteria(criteria)
    gone = frozenset(dismissed)
    contenders, facts, full = [], {}, {}
    for c in candidates:
        pid = c.person_id
        mine = known.get(pid)
        if pid in gone:
            contenders.append(c)  # counted as dismissed
        elif mine is not None and mine.ahead:
            contenders.append(c)
            full[mine.rel_id] = pid
        elif prepared.meets_all(c):  # shortlisted whether or not trust vouches (misses() == [])
            contenders.append(c)
            if mine is not None:
                facts[pid] = wildcards.TrustFacts(score=mine.score, band=mine.band)
        elif (mine is not None and mine.score >= wildcards.WILDCARD_MIN_SCORE
              and mine.band in wildcards.WILDCARD_BANDS):
            missed = prepared.misses(c)
            if len(missed) <= wildcards.MAX_MISSED_MUST_HAVES and prepared.fit(
                    c) >= wildcards.FIT_FLOOR:
                contenders.append(c)
                full[mine.rel_id] = pid  # a possible wild card: does the relationship vouch?
    if full:
        rels = db.session.execute(select(Relationship.id, Relationship.a_id,
                                         Relationship.trust_summary, Relationship.trust_last_event)
                                  .where(Relationship.id.in_(list(full))))
        for rel in rels:
            side = "a" if rel.a_id == me_id else "b"
            if rel.trust_last_event > today:
                ledger = trust_store.load_ledger(db.session.get(Relationship, rel.id))
                facts[full[rel.id]] = assessed_facts(ledger, side, today)[0]
            else:
                facts[full[rel.id]] = trust_facts(trust_store.parse_summary(rel.trust_summary),
                                                  side, today)
    return contenders, facts


def client_facts(opening: Opening, recruiter, today: date) -> wildcards.ClientFacts:
    """The recruiter's standing with the opening's client, and placements made with them."""
    rel = relationship_between(recruiter.person.id, opening.client_id)
    facts, placements = None, 0
    if rel is not None and rel.status == "accepted" and rel.trust_last_event is not None:
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
