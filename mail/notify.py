"""What causes mail: each function queues its message in the caller's transaction.

Called by the services of auth/ and referrals/ right where the change happens, so that a
message exists if and only if the change commits. Only verified accounts get mail about
others' doings; optional kinds respect the person's settings.
"""

from datetime import timedelta

from flask import url_for
from sqlalchemy import delete, func, select, update

from auth.tokens import domain_token, reset_token, verify_token
from extensions import db, utcnow
from mail.compose import compose, links_context
from mail.models import QUEUED, MailSettings, OutboxMessage
from mail.outbox import enqueue

ENTRIES_INTERVAL = timedelta(hours=1)  # at most one "entries wait for you" message an hour
ENTRIES_GRACE = timedelta(minutes=2)  # so a burst of entries arrives as one message


def settings_of(user) -> MailSettings:
    """The person's mail settings (the defaults when never saved; not added to the session)."""
    return db.session.get(MailSettings, user.id) or MailSettings(
        user_id=user.id, entries=True, recommendations=True, digest_day=0)


def _reachable(user, kind: str | None = None) -> bool:
    """Whether this account should get a message about others' doings of this kind."""
    if user is None or user.is_disabled or not user.is_verified:
        return False
    return kind is None or settings_of(user).wants(kind)


def _queue(kind: str, user, to_addr: str, composed, **extra) -> OutboxMessage:
    return enqueue(kind=kind, to_addr=to_addr, subject=composed.subject,
                   body_text=composed.text, body_html=composed.html, headers=composed.headers,
                   user_id=getattr(user, "id", None), **extra)


def _link(endpoint: str, **values) -> str:
    with links_context():
        return url_for(endpoint, _external=True, **values)


def verification(user, email: str | None = None) -> None:
    """Ask the owner of an address (the account's, or a new one) to confirm it."""
    email = email or user.email
    change = email != user.email
    link = _link("account.verify", verify_token=verify_token(user.id, email, user.email))
    composed = compose("verify", user=user, name=user.person.name if user.person else "",
                       email=email, link=link, change=change)
    _queue("verify", user, email, composed)


def signup_attempt(user) -> None:
    """Tell an account's owner that someone tried to sign up with its address (the sign-up
    page answers the same either way, so only the owner learns the address is taken)."""
    composed = compose("signup_attempt", user=user,
                       name=user.person.name if user.person else "", email=user.email,
                       login=_link("auth.login"), reset=_link("account.forgot"))
    _queue("signup_attempt", user, user.email, composed)


def address_changed(user, old_email: str) -> None:
    """Tell the address an account has just left, in case the change was not its owner's."""
    composed = compose("address_changed", user=user, name=user.person.name, old=old_email,
                       new=user.email, when=utcnow())
    _queue("address_changed", user, old_email, composed)


def cancel_verification(user) -> None:
    """Drop verification messages not yet sent: the address has been proven another way."""
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.user_id == user.id, OutboxMessage.kind == "verify",
        OutboxMessage.status == QUEUED))


def password_reset(user) -> None:
    """A single-use link, valid one hour, to set a new password."""
    link = _link("account.reset", reset_token=reset_token(user))
    _queue("reset", user, user.email,
           compose("reset", user=user, name=user.person.name, link=link))


def invitation(person, recruiter, token: str, expires) -> None:
    """Invite a kept contact to claim their record (the recruiter may also copy the link)."""
    link = _link("claims.open", token=token)
    composed = compose("invitation", name=person.name, recruiter=recruiter.person.name,
                       link=link, expires=expires)
    _queue("invitation", None, person.email, composed)


def claim_needs_sign_in(email: str, name: str) -> None:
    """Someone holding an invitation asked for a new account at an address that has one: tell
    the address's owner to sign in instead (the page said only "check your mail")."""
    composed = compose("claim_sign_in", name=name, login=_link("auth.login", next="/claim"),
                       forgot=_link("account.forgot"))
    _queue("claim_sign_in", None, email, composed)


def entry_logged(interaction) -> None:
    """Tell the other side that entries wait for them: at most one message an hour, listing
    every entry still waiting when it is composed."""
    from referrals.network.dashboard import awaiting_confirmation

    other = interaction.rel.other(interaction.logged_by_id)
    user = other.user
    if not _reachable(user, "entries"):
        return
    composed = compose("entries", user=user, optional_kind="entries",
                       entries=awaiting_confirmation(other.id)[:20])
    key = f"entries:{user.id}"
    refreshed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.batch_key == key,
                                    OutboxMessage.status == QUEUED)
        .values(subject=composed.subject, body_text=composed.text, body_html=composed.html))
    if refreshed.rowcount:
        return  # the queued message now lists this entry too
    last = db.session.scalar(select(func.max(OutboxMessage.next_attempt_at))
                             .where(OutboxMessage.batch_key == key))
    not_before = utcnow() + ENTRIES_GRACE
    if last is not None:
        not_before = max(not_before, last + ENTRIES_INTERVAL)
    _queue("entries", user, user.email, composed, batch_key=key, not_before=not_before)


def _loaded(decision):
    """The decision with its opening and person loaded (it may be new in this transaction)."""
    db.session.flush()
    db.session.refresh(decision)
    return decision


def _opening_facts(decision) -> dict:
    opening = decision.opening
    return {"recruiter": opening.recruiter.person.name, "candidate": decision.person.name,
            "client": opening.client.name, "title": opening.title,
            "organisation": opening.organisation}


def recommended(decision) -> None:
    """The client hears of the recommendation, the candidate that they were put forward."""
    decision = _loaded(decision)
    facts = _opening_facts(decision)
    client, candidate = decision.opening.client.user, decision.person.user
    if _reachable(client, "recommendations"):
        # The client reads the recruiter's vouch, never the recruiter's own view of the ranking.
        link = _link("pipeline.recommendation", decision_id=decision.id)
        composed = compose("recommended_client", user=client, optional_kind="recommendations",
                           link=link, wildcard=decision.wildcard, vouch=decision.vouch, **facts)
        _queue("recommendation", client, client.email, composed)
    if _reachable(candidate, "recommendations"):
        link = _link("pipeline.opportunities")
        composed = compose("recommended_candidate", user=candidate,
                           optional_kind="recommendations", link=link, **facts)
        _queue("recommendation", candidate, candidate.email, composed)


def consent_requested(decision) -> None:
    """Ask a candidate who wants to be asked first (essential: nothing moves without it)."""
    decision = _loaded(decision)
    candidate = decision.person.user
    if _reachable(candidate):
        _queue("consent", candidate, candidate.email,
               compose("consent_request", user=candidate, **_opening_facts(decision)))


def consent_answered(decision, agreed: bool) -> None:
    """Tell the recruiter what the candidate answered."""
    decision = _loaded(decision)
    recruiter = decision.opening.recruiter
    if _reachable(recruiter, "recommendations"):
        link = _link("openings.show", opening_id=decision.opening_id)
        composed = compose("consent_answer", user=recruiter, optional_kind="recommendations",
                           agreed=agreed, link=link, **_opening_facts(decision))
        _queue("recommendation", recruiter, recruiter.email, composed)


def pipeline_word(decision, note) -> None:
    """Tell the other side of a recommendation that it moved, or what they were asked."""
    decision = _loaded(decision)
    opening = decision.opening
    from_recruiter = note.author_user_id == opening.recruiter_id
    to = opening.client.user if from_recruiter else opening.recruiter
    if not _reachable(to, "recommendations"):
        return
    author = opening.recruiter.person.name if from_recruiter else opening.client.name
    composed = compose("pipeline_word", user=to, optional_kind="recommendations",
                       link=_link("pipeline.recommendation", decision_id=decision.id),
                       author=author, stage=note.stage_label, body=note.body,
                       **_opening_facts(decision))
    _queue("recommendation", to, to.email, composed)


def domain_confirmation(admin, organisation, domain: str, address: str) -> None:
    """Ask whoever reads `address` to confirm that `domain` is the organisation's: the link
    works for the admin who asked, signed in."""
    link = _link("organisations.confirm_domain",
                 domain_token=domain_token(admin.id, organisation.id, domain))
    composed = compose("domain_confirmation", organisation=organisation.name, domain=domain,
                       admin=admin.person.name if admin.person else admin.email, link=link)
    _queue("domain_confirmation", None, address, composed)
