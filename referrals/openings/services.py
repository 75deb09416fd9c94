"""Use cases for openings: create, edit, close, and act on people (shortlist, dismiss, recommend).

Recommending writes a referral into both histories (recruiter and client, recruiter and
candidate), pending confirmation like any interaction. A candidate who asked to be consulted
first is asked, and nothing is sent to the client until they agree.
"""

import json
from datetime import date

from sqlalchemy import select

from extensions import begin_write, db, utcnow
from mail import notify
from referrals.access import relationship_between
from referrals.history import services as history
from referrals.openings import matching, pipeline, wildcards
from referrals.openings.models import Opening, OpeningDecision
from referrals.refusals import Refused
from referrals.statuses import ConnectionStatus, DecisionAction, OpeningStatus, PipelineStage
from search.openings import opening_relevance

OPENING_FIELDS = ("client_id", "title", "organisation", "description", "location", "remote_ok",
                  "min_years", "must_skills", "nice_skills", "qualifications")


class OpeningRefused(Refused):
    """An action on an opening that cannot be done; the message is for the user."""


def both_lists(opening: Opening, recruiter, today: date,
               limit: int = 20) -> tuple[matching.Relevance, wildcards.Ranking]:
    """The opening's search relevance and its two lists, as `recruiter` sees them on `today`.

    Trust first: search then scores everyone the recruiter could vouch for who matches the
    opening's words, wherever they rank, as well as the most relevant profiles.
    """
    trusted = matching.may_vouch_for(recruiter, today)
    relevance = opening_relevance(opening, recruiter, among=trusted)
    return relevance, matching.rank_opening(opening, recruiter, relevance, trusted, today,
                                            limit=limit)


def create_opening(recruiter, **fields) -> Opening:
    """A new open role for one of the recruiter's clients. Commits."""
    opening = Opening(recruiter_id=recruiter.id, status=OpeningStatus.OPEN,
                      **{k: v for k, v in fields.items() if k in OPENING_FIELDS})
    db.session.add(opening)
    db.session.commit()
    return opening


def update_opening(opening: Opening, **fields) -> None:
    """Save edits to an opening. Commits."""
    for key, value in fields.items():
        if key in OPENING_FIELDS:
            setattr(opening, key, value)
    db.session.commit()


def set_status(opening: Opening, status: OpeningStatus) -> None:
    """Close or reopen an opening. Commits."""
    opening.status = status
    db.session.commit()


def decision_for(opening_id: int, person_id: int) -> OpeningDecision | None:
    """The recorded decision about a person for an opening, if any."""
    return db.session.scalar(select(OpeningDecision).where(
        OpeningDecision.opening_id == opening_id, OpeningDecision.person_id == person_id))


def _decide(opening: Opening, person_id: int, action: str, **fields) -> OpeningDecision:
    begin_write()
    decision = decision_for(opening.id, person_id)
    put_forward = (DecisionAction.RECOMMENDED, DecisionAction.AWAITING_CONSENT)
    if decision is not None and decision.action in put_forward:
        raise OpeningRefused("This person has already been put forward for this opening.")
    if decision is None:
        decision = OpeningDecision(opening_id=opening.id, person_id=person_id, action=action)
        db.session.add(decision)
    decision.action = action
    for key, value in fields.items():
        setattr(decision, key, value)
    return decision


def shortlist(opening: Opening, person_id: int) -> None:
    """Mark a person as shortlisted for the opening. Commits."""
    _decide(opening, person_id, DecisionAction.SHORTLISTED, reason="")
    db.session.commit()


def dismiss(opening: Opening, person_id: int, reason: str) -> None:
    """Dismiss a person for this opening, remembering why. Commits."""
    _decide(opening, person_id, DecisionAction.DISMISSED, reason=reason)
    db.session.commit()


def recommend(recruiter, opening: Opening, candidate, *, wildcard: bool,
              explanation: list[str], vouch: str = "") -> OpeningDecision:
    """Put a candidate forward to the client, or ask their consent first if they want that.

    vouch: the recruiter's word to the client (required for a wild card, at most 1,000
    characters); explanation: what the recruiter saw, kept for them. Commits.
    """
    vouch = pipeline.check_vouch(vouch, wildcard=wildcard)
    if opening.status != OpeningStatus.OPEN:
        raise OpeningRefused("This opening is closed; reopen it to recommend anyone.")
    needs_consent = candidate.consent_required
    if needs_consent and not candidate.is_claimed:
        raise OpeningRefused(f"{candidate.name} asked to be consulted before being put "
                             "forward, and has no account to answer yet. Invite them first.")
    decision = _decide(opening, candidate.id,
                       DecisionAction.AWAITING_CONSENT if needs_consent
                       else DecisionAction.RECOMMENDED,
                       wildcard=wildcard, explanation=json.dumps(explanation), reason="",
                       vouch=vouch, stage=PipelineStage.SENT, opened_at=None,
                       consent_answered_at=None)
    if needs_consent:
        notify.consent_requested(decision)
    else:
        _log_referrals(recruiter, opening, candidate)
        notify.recommended(decision)
    db.session.commit()
    return decision


def answer_consent(candidate_user, decision: OpeningDecision, *, agree: bool) -> None:
    """The candidate agrees to be put forward (which sends it) or declines. Commits."""
    begin_write()
    db.session.refresh(decision)
    if decision.action != DecisionAction.AWAITING_CONSENT:
        raise OpeningRefused("This request has already been answered.")
    decision.action = DecisionAction.RECOMMENDED if agree else DecisionAction.CONSENT_DECLINED
    decision.consent_answered_at = utcnow()
    if agree:
        _log_referrals(decision.opening.recruiter, decision.opening, decision.person)
        notify.recommended(decision)
    notify.consent_answered(decision, agree)
    db.session.commit()


def _log_referrals(recruiter, opening: Opening, candidate) -> None:
    """The referral, in the recruiter's history with the client and with the candidate."""
    me = recruiter.person
    today = utcnow().date()
    pairs = ((opening.client, f"Recommended {candidate.name} for {opening.title}."),
             (candidate, f"Put you forward for {opening.title}"
                         f"{' at ' + opening.organisation if opening.organisation else ''}."))
    for other, note in pairs:
        rel = relationship_between(me.id, other.id)
        if rel is None or rel.status != ConnectionStatus.ACCEPTED:
            raise OpeningRefused(f"You are not connected with {other.name}.")
        history.record_interaction(recruiter, rel.id, rel.side_of(me.id), occurred_on=today,
                                   kind="referral", direction="i_gave", note=note,
                                   private_note="")


def pending_consents(person_id: int) -> list[OpeningDecision]:
    """Requests waiting for this candidate's consent to be put forward."""
    return list(db.session.scalars(select(OpeningDecision).where(
        OpeningDecision.person_id == person_id,
        OpeningDecision.action == DecisionAction.AWAITING_CONSENT)))
