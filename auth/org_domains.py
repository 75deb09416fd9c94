"""An organisation's e-mail domains after its first: listed, added and removed by its admins
or a site administrator, every change audited.

A domain is only ever stored verified. A site administrator adds one directly; an
organisation's admin adds one at once when their own confirmed address is at it, and otherwise
names an address at the domain, which is mailed a link: the domain is added when the admin,
signed in, follows it. Nothing is stored before then, so an unproven claim holds no domain
back from the organisation that owns it.
"""

from auth.domains import domain_of
from auth.models import Organisation, OrganisationDomain, User
from auth.standing import StandingRefused, audit, check_new_domain
from auth.tokens import read_domain_token
from extensions import db, utcnow
from mail import notify
from referrals.statuses import AuditAction

ADDED, MAILED = "added", "mailed"


def may_manage(user, organisation: Organisation) -> bool:
    """Site administrators manage every organisation's domains; its admins their own."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_organisation_admin
                             and user.organisation.id == organisation.id)


def organisation_for(user: User, organisation_id: int) -> Organisation:
    """An organisation whose domains this user manages; 404 for any other."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not may_manage(user, organisation):
        raise StandingRefused("There is no such organisation for you to manage.", status=404)
    return organisation


def _add(actor: User, organisation: Organisation, domain: str, proof: str) -> None:
    db.session.add(OrganisationDomain(organisation=organisation, domain=domain,
                                      verified_at=utcnow()))
    audit(actor, AuditAction.DOMAIN_ADDED,
          organisation=organisation.name, domain=domain, proof=proof)
    db.session.commit()


def propose_domain(actor: User, organisation: Organisation, domain: str,
                   address: str = "") -> str:
    """Add `domain` to the organisation (ADDED) when a site administrator asks or the admin's
    own confirmed address is at it; else mail a confirmation link to `address`, which must be
    at the domain (MAILED). Refuses free webmail and taken domains. Commits."""
    if not may_manage(actor, organisation):
        raise StandingRefused("There is no such organisation for you to manage.", status=404)
    domain = check_new_domain(domain)
    if actor.is_admin:
        _add(actor, organisation, domain, "added by a site administrator")
        return ADDED
    if actor.is_verified and domain_of(actor.email) == domain:
        _add(actor, organisation, domain, "the admin's own confirmed address")
        return ADDED
    address = address.strip()
    if domain_of(address) != domain or not address.partition("@")[0]:
        raise StandingRefused(f"Give an address at {domain} (such as you@{domain}): we mail it "
                              "a link that adds the domain when you follow it.", status=400)
    notify.domain_confirmation(actor, organisation, domain, address)
    db.session.commit()
    return MAILED


def read_request(user: User, token: str) -> tuple[Organisation, str]:
    """The organisation and domain a mailed link asks to add, when it is live, made for this
    user, and they still manage the organisation; refused otherwise."""
    read = read_domain_token(token)
    if read is None:
        raise StandingRefused("This link is not valid or has expired (links work for 7 days). "
                              "Ask for a new one from your organisation's domains page.",
                              status=400)
    user_id, organisation_id, domain = read
    if user_id != user.id:
        raise StandingRefused("This link was made for another account. Sign in as the admin "
                              "who asked for it.", status=403)
    return organisation_for(user, organisation_id), domain


def confirm_domain(user: User, token: str) -> tuple[Organisation, str]:
    """Add the domain a mailed link proves (see read_request) unless someone has claimed it
    since; following the link twice changes nothing more. Commits."""
    organisation, domain = read_request(user, token)
    if any(known.domain == domain for known in organisation.domains):
        return organisation, domain
    _add(user, organisation, check_new_domain(domain), "a link mailed to an address at it")
    return organisation, domain


def remove_domain(actor: User, organisation: Organisation, domain_id: int) -> str:
    """Remove one of the organisation's domains (not its last: nobody could apply to it).
    Members keep their standing. Commits; returns the domain removed."""
    domain = db.session.get(OrganisationDomain, domain_id)
    if domain is None or domain.organisation_id != organisation.id \
            or not may_manage(actor, organisation):
        raise StandingRefused("There is no such domain for you to remove.", status=404)
    if len(organisation.domains) <= 1:
        raise StandingRefused(f"{domain.domain} is {organisation.name}'s only domain: add "
                              "another before removing it.")
    name = domain.domain
    db.session.delete(domain)
    audit(actor, AuditAction.DOMAIN_REMOVED,
          organisation=organisation.name, domain=name)
    db.session.commit()
    return name
