"""Recruiter and hiring-client standing, granted rather than chosen: organisations with
verified domains, applications by people with an address there, and the decisions of the
organisation's admins or of a site administrator; suspending and restoring accounts.

Every decision is written to the audit trail in the same transaction as the change.
"""

import json

from sqlalchemy import select

from auth.domains import domain_of, is_free_webmail, is_valid_domain
from auth.models import (
    Membership,
    Organisation,
    OrganisationDomain,
    StandingApplication,
    User,
)
from auth.services import end_every_session
from extensions import db, utcnow
from referrals.models import AuditEvent
from referrals.refusals import Refused
from referrals.statuses import ApplicationStatus, AuditAction, OrganisationKind, Role
from search.changes import note_search_change


class StandingRefused(Refused):
    """An application, decision or account change that cannot be made."""


def audit(actor: User | None, action: AuditAction, **detail) -> None:
    """Record an administrative action (the caller commits)."""
    db.session.add(AuditEvent(actor_user_id=actor.id if actor else None, action=action,
                              detail=json.dumps(detail, sort_keys=True)))


# --- Organisations -----------------------------------------------------------------------------


def organisation_for_domain(domain: str) -> Organisation | None:
    """The organisation that has claimed an e-mail domain (verified or still proposed)."""
    return db.session.scalar(select(Organisation).join(OrganisationDomain)
                             .where(OrganisationDomain.domain == domain.strip().lower()))


def check_new_domain(domain: str) -> str:
    """A domain an organisation may claim, lower case; refuses malformed, free webmail and
    taken domains."""
    domain = domain.strip().lower()
    if not is_valid_domain(domain):
        raise StandingRefused(f"“{domain}” is not an e-mail domain.", status=400)
    if is_free_webmail(domain):
        raise StandingRefused(f"{domain} is an address anyone can open, so it cannot stand for "
                              "an organisation. Apply with your work address.", status=400)
    if organisation_for_domain(domain) is not None:
        raise StandingRefused(f"{domain} already belongs to an organisation.")
    return domain


def create_organisation(name: str, kind: str, domains: list[str], *,
                        verified: bool) -> Organisation:
    """A new organisation with its domains; verified (by a site administrator, the demo or
    the CLI) or proposed. Refuses free webmail and taken domains. Does not commit."""
    organisation = Organisation(name=name.strip(), kind=OrganisationKind(kind))
    now = utcnow() if verified else None
    organisation.verified_at = now
    db.session.add(organisation)
    for domain in dict.fromkeys(check_new_domain(d) for d in domains):
        db.session.add(OrganisationDomain(organisation=organisation, domain=domain,
                                          verified_at=now))
    db.session.flush()
    return organisation


def grant_standing(user: User, organisation: Organisation, *, admin: bool = False,
                   by: User | None = None) -> Membership:
    """Make a user a member of a verified organisation with the role its kind grants
    (recruiter or client), its admin if `admin`. Does not commit."""
    if user.membership is not None and user.membership.organisation_id != organisation.id:
        raise StandingRefused("This account already belongs to another organisation.")
    member = user.membership or Membership(user=user, organisation=organisation)
    member.is_admin = member.is_admin or admin
    user.former_role = None  # standing is granted now: the notice to apply goes
    member.granted_at, member.granted_by_id = utcnow(), by.id if by else None
    db.session.add(member)
    role = OrganisationKind(organisation.kind).role
    user.role = role
    if user.person is not None:
        user.person.role = role
        note_search_change(user.person.id)  # the role facet of the profile changes
    db.session.flush()
    return member


# --- Applications ------------------------------------------------------------------------------


def pending_application(user: User) -> StandingApplication | None:
    """The user's application awaiting a decision, if any."""
    return db.session.scalar(select(StandingApplication).where(
        StandingApplication.user_id == user.id,
        StandingApplication.status == ApplicationStatus.PENDING))


def apply_problem(user: User) -> str | None:
    """Why this user cannot apply for standing now, or None when they can."""
    domain = domain_of(user.email)
    if user.role != Role.CANDIDATE:
        return "Your account already has recruiter or hiring-client standing."
    if not user.is_verified:
        return "Confirm your e-mail address first: follow the link we sent you."
    if pending_application(user) is not None:
        return "Your application is waiting for a decision."
    if is_free_webmail(domain):
        return (f"{domain} is an address anyone can open, so it cannot show which organisation "
                "you work for. Change your sign-in address to your work address (Settings), "
                "confirm it, and apply again.")
    if not is_valid_domain(domain):
        return "Your e-mail address has no domain an organisation could verify."
    return None


def apply_for_standing(user: User, *, name: str = "", kind: str = "") -> StandingApplication:
    """Apply to the organisation of the user's e-mail domain, proposing a new one (`name`,
    `kind`) when none has claimed the domain. Commits."""
    problem = apply_problem(user)
    if problem:
        raise StandingRefused(problem)
    domain = domain_of(user.email)
    organisation = organisation_for_domain(domain)
    if organisation is None:
        if not name.strip() or kind not in set(OrganisationKind):
            raise StandingRefused("Name the organisation and say what kind it is.", status=400)
        organisation = create_organisation(name, kind, [domain], verified=False)
    application = StandingApplication(user=user, organisation=organisation,
                                      status=ApplicationStatus.PENDING)
    db.session.add(application)
    db.session.flush()
    audit(user, AuditAction.STANDING_APPLIED, application=application.id, user=user.id,
          organisation=organisation.name, domain=domain, new=organisation.verified_at is None)
    db.session.commit()
    return application


def can_decide(user: User, application: StandingApplication) -> bool:
    """Site administrators decide every application; an organisation's admins those to their
    own verified organisation (a proposed organisation waits for a site administrator)."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    own = user.organisation
    return (own is not None and user.membership.is_admin
            and own.id == application.organisation_id)


def decidable_applications(user: User) -> list[StandingApplication]:
    """The pending applications this user may decide, oldest first."""
    query = select(StandingApplication).where(
        StandingApplication.status == ApplicationStatus.PENDING)
    if not user.is_admin:
        if not user.is_organisation_admin:
            return []
        query = query.where(StandingApplication.organisation_id == user.organisation.id)
    return list(db.session.scalars(query.order_by(StandingApplication.created_at,
                                                  StandingApplication.id)))


def application_for(user: User, application_id: int) -> StandingApplication:
    """An application this user may decide; 404 for any other, so ids reveal nothing."""
    application = db.session.get(StandingApplication, application_id)
    if application is None or not can_decide(user, application):
        raise StandingRefused("There is no such application for you to decide.", status=404)
    return application


def _decide(decider: User, application: StandingApplication) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise StandingRefused(f"This application was already {application.status}.")
    if not can_decide(decider, application):
        raise StandingRefused("There is no such application for you to decide.", status=404)
    application.decided_at, application.decided_by_id = utcnow(), decider.id


def approve(decider: User, application: StandingApplication) -> None:
    """Grant the applicant their organisation's standing; a site administrator approving the
    first member of a proposed organisation verifies it and its domain, and makes that member
    its admin. Commits."""
    _decide(decider, application)
    organisation, applicant = application.organisation, application.user
    if applicant.is_disabled:
        raise StandingRefused("This account is suspended or deleted; restore it first.")
    first = organisation.verified_at is None
    if first:
        now = utcnow()
        organisation.verified_at = now
        for domain in organisation.domains:
            domain.verified_at = domain.verified_at or now
    grant_standing(applicant, organisation, admin=first, by=decider)
    application.status = ApplicationStatus.APPROVED
    audit(decider, AuditAction.STANDING_APPROVED, application=application.id,
          user=applicant.id, organisation=organisation.name, role=applicant.role,
          organisation_verified=first)
    db.session.commit()


def refuse(decider: User, application: StandingApplication) -> None:
    """Refuse an application: the person keeps candidate standing and may apply again.
    Commits."""
    _decide(decider, application)
    application.status = ApplicationStatus.REFUSED
    audit(decider, AuditAction.STANDING_REFUSED, application=application.id,
          user=application.user_id, organisation=application.organisation.name)
    db.session.commit()


# --- Accounts ------------------------------------------------------------------------------


def suspend(admin: User | None, user: User) -> None:
    """Suspend an account: it cannot sign in and every session of it ends. Commits."""
    if user.suspended_at is not None or user.is_disabled:
        raise StandingRefused("This account is already suspended or deleted.")
    if admin is not None and admin.id == user.id:
        raise StandingRefused("You cannot suspend your own account.")
    user.is_disabled, user.suspended_at = True, utcnow()
    end_every_session(user)
    audit(admin, AuditAction.ACCOUNT_SUSPENDED, user=user.id)
    db.session.commit()


def restore(admin: User | None, user: User) -> None:
    """Lift a suspension (a deleted account stays deleted). Commits."""
    if user.suspended_at is None:
        raise StandingRefused("This account is not suspended.")
    user.is_disabled, user.suspended_at = False, None
    audit(admin, AuditAction.ACCOUNT_RESTORED, user=user.id)
    db.session.commit()


def grant_admin(actor: User | None, user: User) -> None:
    """Make an account a site administrator. Commits."""
    if user.is_admin:
        raise StandingRefused("This account is a site administrator already.")
    user.is_admin = True
    audit(actor, AuditAction.ADMIN_GRANTED, user=user.id)
    db.session.commit()


def user_or_404(user_id: int) -> User:
    """An account by id, or a 404 refusal."""
    user = db.session.get(User, user_id)
    if user is None:
        raise StandingRefused("There is no such account.", status=404)
    return user
