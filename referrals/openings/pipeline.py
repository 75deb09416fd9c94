"""Use cases after a recommendation is sent: the vouch, the client's page, stages and messages.

The recruiter vouches in their own words and may reword it until the client first opens the
recommendation. Either side moves the stage (interested, interview, offer, hired, not now) and
writes to the other; each word is kept as a note on the recommendation, and the other side is
mailed. A hire logs a placement in each relationship of the three that can hold it, pending
confirmation like any entry, through the history services (so trust and search follow).
"""

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from extensions import begin_write, db, utcnow
from mail import notify
from referrals.access import pair, relationship_between
from referrals.history import services as history
from referrals.models import AuditEvent, Relationship
from referrals.openings import letter, matching
from referrals.openings.fit import CandidateFacts
from referrals.openings.models import Opening, OpeningDecision, PipelineNote
from referrals.refusals import Refused
from referrals.statuses import AuditAction, ConnectionStatus, DecisionAction, PipelineStage
from referrals.trust import store as trust_store

VOUCH_MAX = 1000
NOTE_MAX = 1000
# What a decision must be for someone to have been put forward, or asked about it.
PUT_FORWARD = (DecisionAction.RECOMMENDED, DecisionAction.AWAITING_CONSENT,
               DecisionAction.CONSENT_DECLINED)


class PipelineRefused(Refused):
    """A change to a recommendation that cannot be made; the message is for the user."""


_NEXT = {PipelineStage.SENT: PipelineStage.INTERESTED,
         PipelineStage.INTERESTED: PipelineStage.INTERVIEW,
         PipelineStage.INTERVIEW: PipelineStage.OFFER, PipelineStage.OFFER: PipelineStage.HIRED,
         PipelineStage.NOT_NOW: PipelineStage.INTERESTED}


def next_stage(stage: str) -> str:
    """The stage a recommendation usually moves to from `stage` (offered first on the form)."""
    return _NEXT.get(PipelineStage(stage), PipelineStage(stage))


def party_of(user, decision: OpeningDecision) -> str | None:
    """The user's side: "recruiter" (the opening's), "client" (once it was sent), or None."""
    if user is None or not user.is_authenticated or user.person is None:
        return None
    opening = decision.opening
    if opening.recruiter_id == user.id and decision.action in PUT_FORWARD:
        return "recruiter"
    if opening.client_id == user.person.id and decision.action == DecisionAction.RECOMMENDED:
        return "client"
    return None


def check_vouch(vouch: str, *, wildcard: bool) -> str:
    """The vouch tidied, or a refusal (400): a wild card rests on it, and it stays short."""
    vouch = (vouch or "").strip()
    if wildcard and not vouch:
        raise PipelineRefused("A wild card rests on your word: say in a few lines why you vouch "
                              "for them.", 400)
    if len(vouch) > VOUCH_MAX:
        raise PipelineRefused(f"Keep the vouch under {VOUCH_MAX} characters.", 400)
    return vouch


def edit_vouch(recruiter, decision: OpeningDecision, vouch: str) -> None:
    """The recruiter rewords their vouch, until the client has opened it. Commits."""
    begin_write()
    db.session.refresh(decision)
    if decision.opening.recruiter_id != recruiter.id:
        raise PipelineRefused("Only the recruiter who recommended them can change the vouch.", 403)
    if decision.opened_at is not None:
        raise PipelineRefused(f"{decision.opening.client.name} has already read your vouch; "
                              "write to them below instead.")
    decision.vouch = check_vouch(vouch, wildcard=decision.wildcard)
    db.session.commit()


def mark_opened(user, decision: OpeningDecision) -> None:
    """Remember when the client first opened the recommendation (the vouch is then fixed)."""
    if decision.opened_at is None and party_of(user, decision) == "client":
        begin_write()
        decision.opened_at = utcnow()
        db.session.commit()


def move(user, decision: OpeningDecision, stage: PipelineStage, note: str = "") -> PipelineNote:
    """Either side moves the recommendation to a stage, with a word; "not now" needs a reason.

    A first move to hired logs the placement in the histories. Notifies the other side. Commits.
    """
    begin_write()
    db.session.refresh(decision)
    side = party_of(user, decision)
    if side is None:
        raise PipelineRefused("Only the recruiter and the client can move this recommendation.",
                              403)
    _check_sent(decision)
    note = _checked_note(note, required=stage == PipelineStage.NOT_NOW,
                         message="Say why not now, so the recruiter can look again.")
    if stage == PipelineStage.SENT:
        raise PipelineRefused("Choose one of the listed stages.", 400)
    if stage == decision.stage:
        raise PipelineRefused(f"This recommendation is already at {stage.label.lower()}.")
    was = decision.stage
    hired_before = any(n.stage == PipelineStage.HIRED for n in decision.notes)
    decision.stage, decision.stage_changed_at = stage, utcnow()
    word = PipelineNote(decision=decision, author_user_id=user.id, stage=stage, body=note)
    db.session.add(word)
    _audit(decision, user, was, stage)
    if stage == PipelineStage.HIRED and not hired_before:
        _log_placement(user, decision)
    db.session.flush()
    notify.pipeline_word(decision, word)
    db.session.commit()
    return word


def write(user, decision: OpeningDecision, body: str) -> PipelineNote:
    """Either side writes to the other about the recommendation. Notifies them. Commits."""
    begin_write()
    if party_of(user, decision) is None:
        raise PipelineRefused("Only the recruiter and the client can write here.", 403)
    _check_sent(decision)
    word = PipelineNote(decision=decision, author_user_id=user.id, stage=None,
                        body=_checked_note(body, required=True, message="Write your message."))
    db.session.add(word)
    db.session.flush()
    notify.pipeline_word(decision, word)
    db.session.commit()
    return word


def _check_sent(decision: OpeningDecision) -> None:
    if decision.action != DecisionAction.RECOMMENDED:
        raise PipelineRefused("This has not been sent to the client: the candidate has not "
                              "agreed to be put forward.")


def _checked_note(text: str, *, required: bool, message: str) -> str:
    text = (text or "").strip()
    if required and not text:
        raise PipelineRefused(message, 400)
    if len(text) > NOTE_MAX:
        raise PipelineRefused(f"Keep it under {NOTE_MAX} characters.", 400)
    return text


def _audit(decision: OpeningDecision, user, was: str, stage: str) -> None:
    """The move, on the recruiter and client's relationship (where the placement would be)."""
    opening = decision.opening
    rel = relationship_between(opening.recruiter.person.id, opening.client_id)
    db.session.add(AuditEvent(
        relationship_id=rel.id if rel is not None else None, actor_user_id=user.id,
        action=AuditAction.MOVED,
        detail=json.dumps({"decision_id": decision.id, "opening_id": opening.id,
                           "person_id": decision.person_id, "from": was, "to": stage})))


def _log_placement(actor, decision: OpeningDecision) -> None:
    """The hire, in the recruiter's history with the candidate and with the client, and in
    the client's with the candidate when they are connected (asked to connect, if not)."""
    opening, candidate = decision.opening, decision.person
    recruiter, client = opening.recruiter, opening.client
    today = utcnow().date()
    where = f" at {opening.organisation}" if opening.organisation else ""
    role = f"{opening.title}{where}"
    # Each entry is logged by a party to it: the recruiter placed the candidate; the side that
    # moved to hired logs it with the other; the client logs the one with the candidate.
    with_client = actor if actor.id in (recruiter.id, client.user_id) else recruiter
    entries = [(recruiter, candidate.id, "i_gave", f"Placed {candidate.name} as {role}."),
               (with_client, client.id if with_client.id == recruiter.id
                else recruiter.person.id,
                "i_gave" if with_client.id == recruiter.id else "they_gave",
                f"{candidate.name} hired as {role}.")]
    if client.user is not None and candidate.id != client.id:
        rel = relationship_between(client.id, candidate.id)
        if rel is not None and rel.status == ConnectionStatus.ACCEPTED:
            entries.append((client.user, candidate.id, "mutual", f"Hired as {role}."))
        elif rel is None and candidate.is_claimed:
            # As a connection request from the client (network/people.py), in this transaction:
            # the candidate accepts it, and the two can then log what passes between them.
            a_id, b_id = pair(client.id, candidate.id)
            db.session.add(Relationship(a_id=a_id, b_id=b_id, status=ConnectionStatus.PENDING,
                                        requested_by_id=client.id))
    for user, other_id, direction, note in entries:
        rel = relationship_between(user.person.id, other_id)
        if rel is None or rel.status != ConnectionStatus.ACCEPTED:
            continue  # a connection since removed: nothing to log it in
        history.record_interaction(user, rel.id, rel.side_of(user.person.id), occurred_on=today,
                                   kind="hire", direction=direction, note=note, private_note="")


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientLetter:
    """What the client reads about the person recommended to them (see openings/letter.py)."""

    known: list[str]
    standing: list[letter.Standing]
    also_has: list[str]
    set_aside: list[str]


def client_letter(decision: OpeningDecision, today: date) -> ClientLetter:
    """The recommendation as the client reads it: the history and the profile against the
    brief, from today's evidence (the recruiter's scores and private notes never appear)."""
    opening, person = decision.opening, decision.person
    recruiter = opening.recruiter.person
    rel = relationship_between(recruiter.id, person.id)
    facts = None
    if rel is not None and rel.status == ConnectionStatus.ACCEPTED and rel.trust_summary:
        facts = matching.trust_facts(trust_store.summary_of(rel), rel.side_of(recruiter.id),
                                     today)
    criteria = matching.criteria_of(opening)
    candidate = _facts_of(person)
    standing = letter.against_must_haves(criteria, candidate)
    return ClientLetter(
        known=letter.how_well_known(recruiter.name, person.name, facts, today),
        standing=standing, also_has=letter.also_has(criteria, candidate),
        set_aside=[s.asked for s in standing if not s.met] if decision.wildcard else [])


def _facts_of(person) -> CandidateFacts:
    return CandidateFacts(
        person_id=person.id, name=person.name, title=person.title or "",
        headline=person.headline or "", skills=tuple(person.skill_list),
        years_experience=person.years_experience, location=person.location or None,
        open_to_remote="remote" in (person.location or "").lower())


def put_forward(opening: Opening) -> list[OpeningDecision]:
    """Everyone put forward for the opening, or asked, latest first, whatever they rank now."""
    return list(db.session.scalars(select(OpeningDecision).where(
        OpeningDecision.opening_id == opening.id, OpeningDecision.action.in_(PUT_FORWARD))
        .order_by(OpeningDecision.updated_at.desc(), OpeningDecision.id.desc())))


def sent_to(opening: Opening) -> list[OpeningDecision]:
    """The recommendations the opening's client has received, latest first."""
    return list(db.session.scalars(select(OpeningDecision).where(
        OpeningDecision.opening_id == opening.id,
        OpeningDecision.action == DecisionAction.RECOMMENDED)
        .order_by(OpeningDecision.updated_at.desc(), OpeningDecision.id.desc())))


def awaiting_answer(client_person_id: int) -> list[OpeningDecision]:
    """Recommendations a client has not answered yet (their dashboard lists them)."""
    return list(db.session.scalars(select(OpeningDecision).join(Opening).where(
        Opening.client_id == client_person_id,
        OpeningDecision.action == DecisionAction.RECOMMENDED,
        OpeningDecision.stage == PipelineStage.SENT).order_by(OpeningDecision.id)))


def opportunities(person_id: int) -> list[OpeningDecision]:
    """Every opening a candidate was put forward for or asked about, latest first."""
    return list(db.session.scalars(select(OpeningDecision).where(
        OpeningDecision.person_id == person_id, OpeningDecision.action.in_(PUT_FORWARD))
        .order_by(OpeningDecision.created_at.desc(), OpeningDecision.id.desc())))
