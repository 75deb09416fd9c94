"""An organisation's further e-mail domains: who adds them and how each is proven, removing
them, and what a new domain changes for applicants and for "open to work"."""

import json

import pytest
from sqlalchemy import select

from auth import org_domains, standing
from auth.models import OrganisationDomain
from extensions import db
from referrals.models import AuditEvent
from tests.conftest import deliver, links_in, local_path, login, post


def _domains(organisation) -> list[str]:
    db.session.expire_all()
    return [d.domain for d in db.session.scalars(select(OrganisationDomain).where(
        OrganisationDomain.organisation_id == organisation.id).order_by(OrganisationDomain.domain))]


def _audited() -> list[tuple]:
    return [(e.action, json.loads(e.detail).get("domain")) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("domain%")).order_by(AuditEvent.id))]


def _browser(app, user):
    browser = app.test_client()
    login(browser, user.email)
    return browser


@pytest.fixture
def acme(make):
    return make.organisation("Acme", "acme.example")


@pytest.fixture
def ann(make, acme):
    return make.user("recruiter", member_of=acme, org_admin=True, email="ann@acme.example")


def test_an_admin_adds_a_domain_by_following_the_link_mailed_to_an_address_at_it(
        app, smtp, make, acme, ann):
    page = f"/organisations/{acme.id}/domains"
    browser = _browser(app, ann)
    answer = post(browser, page, {"domain": "Acme.co.uk", "address": "it@acme.co.uk"},
                  token_from=page)
    assert answer.status_code == 302
    assert "We mailed it@acme.co.uk a link" in browser.get(page).get_data(as_text=True)
    assert _domains(acme) == ["acme.example"]  # nothing is claimed before the link is followed
    deliver(app)
    [message] = smtp.to("it@acme.co.uk")
    assert "acme.co.uk belongs to Acme" in message["Subject"]
    link = local_path(next(url for url in links_in(message) if "/domains/confirm/" in url))
    # Someone else holding the link cannot use it, nor can an outsider pretend to be Acme.
    assert _browser(app, make.user("recruiter", member_of=make.organisation(
        "Harbour", "harbour.example"), org_admin=True)).get(link).status_code == 403
    assert "Add acme.co.uk to Acme" in browser.get(link).get_data(as_text=True)
    assert _domains(acme) == ["acme.example"]  # opening the link (a mail scanner) adds nothing
    assert post(browser, link, {}, token_from=link).status_code == 302
    assert _domains(acme) == ["acme.co.uk", "acme.example"]
    assert post(browser, link, {}, token_from=link).status_code == 302  # twice: no harm
    assert _audited() == [("domain added", "acme.co.uk")]
    # A person at the new domain now applies to Acme, and Ann decides.
    pat = make.user(email="pat@acme.co.uk")
    assert standing.apply_for_standing(pat).organisation is acme
    assert standing.decidable_applications(ann)[0].user is pat


def test_an_admin_whose_own_address_is_at_the_domain_adds_it_at_once(make, acme, ann):
    cat = make.user("recruiter", member_of=acme, org_admin=True, email="cat@acme-group.example")
    assert org_domains.propose_domain(cat, acme, "acme-group.example") == org_domains.ADDED
    assert _domains(acme) == ["acme-group.example", "acme.example"]
    with pytest.raises(standing.StandingRefused, match="Give an address at acme.co.uk"):
        org_domains.propose_domain(ann, acme, "acme.co.uk", "ann@acme.example")


def test_a_site_administrator_adds_and_removes_domains_of_any_organisation(make, acme, ann):
    admin = make.user(site_admin=True)
    assert org_domains.propose_domain(admin, acme, "acme.co.uk") == org_domains.ADDED
    added = next(d for d in acme.domains if d.domain == "acme.co.uk")
    assert org_domains.remove_domain(ann, acme, added.id) == "acme.co.uk"
    assert ann.organisation is acme  # members keep their standing
    only = acme.domains[0]
    with pytest.raises(standing.StandingRefused, match="only domain"):
        org_domains.remove_domain(admin, acme, only.id)
    assert _audited() == [("domain added", "acme.co.uk"), ("domain removed", "acme.co.uk")]


def test_a_domain_that_is_taken_or_free_or_of_another_organisation_is_refused(make, acme, ann):
    make.organisation("Harbour", "harbour.example")
    for domain, said in (("harbour.example", "already belongs"), ("gmail.com", "anyone can"),
                         ("acme", "not an e-mail domain")):
        with pytest.raises(standing.StandingRefused, match=said):
            org_domains.propose_domain(ann, acme, domain, f"it@{domain}")
    member = make.user("recruiter", member_of=acme, email="bo@acme.example")
    with pytest.raises(standing.StandingRefused, match="no such organisation"):
        org_domains.propose_domain(member, acme, "acme.co.uk", "it@acme.co.uk")
    assert _domains(acme) == ["acme.example"]


def test_a_new_domain_hides_open_to_work_from_its_organisation(app, make, acme, ann):
    """Staff who write their employer as the new domain's name are Acme's to its recruiters
    (Acme bought Roadrunner, and its people are Acme's now)."""
    jo = make.user(name="Jo Staff", organisation="Roadrunner Ltd", skills="Payroll",
                   open_to_work=True)
    make.connect(ann, jo)
    profile = f"/people/{jo.person.id}"
    browser = _browser(app, ann)
    assert "Open to work" in browser.get(profile).get_data(as_text=True)
    org_domains.propose_domain(make.user(site_admin=True), acme, "roadrunner.example")
    assert "Open to work" not in browser.get(profile).get_data(as_text=True)
