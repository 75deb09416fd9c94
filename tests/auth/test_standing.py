"""Standing granted, not chosen: applying with a work address, decisions by the organisation's
admins or a site administrator, suspension, the `flask users` commands, and what an applicant
and a recruiter from a candidate's own employer may see."""

import json

import pytest
from sqlalchemy import select

from auth import standing
from auth.models import Organisation, StandingApplication, UserSession
from extensions import db
from referrals.models import AuditEvent
from referrals.network import people
from referrals.openings import services as openings
from tests.conftest import PASSWORD, login, post


def _actions() -> list[tuple]:
    """(action, detail) of every audit event, oldest first."""
    return [(e.action, json.loads(e.detail)) for e in db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.id))]


def _signed_in(app, user):
    browser = app.test_client()
    login(browser, user.email)
    return browser


# --- Applying and deciding (services) ---------------------------------------------------------


def test_applicant_to_a_verified_firm_is_approved_by_its_admin_only(make):
    firm = make.organisation("Northwind Talent", "northwind.example")
    admin = make.user("recruiter", member_of=firm, org_admin=True,
                      email="ann@northwind.example")
    rival = make.user("recruiter", member_of=make.organisation("Harbour", "harbour.example"),
                      org_admin=True, email="hal@harbour.example")
    pat = make.user(email="pat@northwind.example")
    application = standing.apply_for_standing(pat)
    assert pat.role == "candidate" and application.organisation is firm
    assert standing.decidable_applications(rival) == []
    assert not standing.can_decide(rival, application)
    with pytest.raises(standing.StandingRefused):
        standing.approve(rival, application)
    db.session.rollback()
    assert standing.decidable_applications(admin) == [application]
    standing.approve(admin, application)
    assert (pat.role, pat.person.role, pat.organisation) == ("recruiter", "recruiter", firm)
    assert not pat.membership.is_admin  # only the first member of a new organisation is
    assert [a for a, _ in _actions()] == ["standing applied", "standing approved"]
    with pytest.raises(standing.StandingRefused, match="already approved"):
        standing.refuse(admin, application)


def test_a_new_organisation_waits_for_a_site_administrator_who_verifies_it(make):
    site_admin = make.user(site_admin=True)
    other_admin = make.user("recruiter", member_of=make.organisation(), org_admin=True,
                            email="ann@northwind.example")
    gil = make.user(email="gil@fabrikam-health.example")
    application = standing.apply_for_standing(gil, name="Fabrikam Health",
                                              kind="hiring organisation")
    organisation = application.organisation
    assert organisation.verified_at is None and gil.organisation is None
    assert standing.decidable_applications(other_admin) == []
    standing.approve(site_admin, application)
    assert organisation.verified_at is not None
    assert [d.verified_at is not None for d in organisation.domains] == [True]
    assert (gil.role, gil.organisation, gil.membership.is_admin) == ("client", organisation, True)
    action, detail = _actions()[-1]
    assert action == "standing approved" and detail["organisation_verified"] is True
    # the first member now admits colleagues
    colleague = make.user(email="hugo@fabrikam-health.example")
    assert standing.can_decide(gil, standing.apply_for_standing(colleague))


@pytest.mark.parametrize("email, message", [
    ("kim@gmail.com", "anyone can open"),
    ("kim@outlook.com", "anyone can open"),
])
def test_free_webmail_cannot_stand_for_an_organisation(make, email, message):
    kim = make.user(email=email)
    assert message in standing.apply_problem(kim)
    with pytest.raises(standing.StandingRefused, match=message):
        standing.apply_for_standing(kim, name="Kim Ltd", kind="recruiting firm")
    with pytest.raises(standing.StandingRefused, match=message):
        standing.create_organisation("Webmail Inc", "recruiting firm", [email.split("@")[1]],
                                     verified=True)
    db.session.rollback()
    assert db.session.scalar(select(Organisation.id)) is None


def test_unverified_address_applied_twice_or_with_standing_is_refused(make):
    make.organisation()
    unproven = make.user(verified=False, email="una@northwind.example")
    assert "Confirm your e-mail" in standing.apply_problem(unproven)
    pat = make.user(email="pat@northwind.example")
    standing.apply_for_standing(pat)
    with pytest.raises(standing.StandingRefused, match="waiting"):
        standing.apply_for_standing(pat)
    recruiter = make.user("recruiter")
    assert "already has" in standing.apply_problem(recruiter)


def test_refused_applicant_keeps_candidate_standing_and_may_apply_again(make):
    admin = make.user("recruiter", member_of=make.organisation(), org_admin=True,
                      email="ann@northwind.example")
    pat = make.user(email="pat@northwind.example")
    standing.refuse(admin, standing.apply_for_standing(pat))
    assert pat.role == "candidate" and pat.organisation is None
    assert standing.apply_problem(pat) is None
    assert [a for a, _ in _actions()] == ["standing applied", "standing refused"]


def test_suspension_ends_every_session_and_restore_lets_them_back(app, make):
    admin, pat = make.user(site_admin=True), make.user()
    browser = _signed_in(app, pat)
    standing.suspend(admin, pat)
    assert db.session.scalar(select(UserSession.id).where(UserSession.user_id == pat.id)) is None
    assert browser.get("/people/me").headers["Location"].startswith("/login")
    refused = post(app.test_client(), "/login", {"email": pat.email, "password": PASSWORD},
                   token_from="/login")
    assert refused.status_code == 400
    with pytest.raises(standing.StandingRefused, match="already"):
        standing.suspend(admin, pat)
    with pytest.raises(standing.StandingRefused, match="your own"):
        standing.suspend(admin, admin)
    db.session.rollback()
    standing.restore(admin, pat)
    login(app.test_client(), pat.email)
    assert [a for a, _ in _actions()] == ["account suspended", "account restored"]


def test_a_deleted_account_cannot_be_restored(make):
    pat = make.user()
    pat.is_disabled = True  # as deleting an account leaves it
    db.session.commit()
    with pytest.raises(standing.StandingRefused, match="not suspended"):
        standing.restore(make.user(site_admin=True), pat)


# --- The pages -------------------------------------------------------------------------------


def test_apply_page_then_org_admin_approves_over_http(app, make):
    firm = make.organisation("Northwind Talent", "northwind.example")
    ann = make.user("recruiter", member_of=firm, org_admin=True,
                    email="ann@northwind.example")
    pat = make.user(name="Pat Doyle", email="pat@northwind.example")
    applicant = _signed_in(app, pat)
    page = applicant.get("/standing/apply").get_data(as_text=True)
    assert "Northwind Talent" in page and "Apply to Northwind Talent" in page
    assert post(applicant, "/standing/apply", {}, token_from="/standing/apply").status_code == 302
    assert "waits for" in applicant.get("/standing/apply").get_data(as_text=True)
    assert applicant.get("/openings/").status_code == 403  # still a candidate
    deciding = _signed_in(app, ann)
    listing = deciding.get("/standing/applications").get_data(as_text=True)
    assert "Pat Doyle" in listing and "pat@northwind.example" in listing
    (application,) = db.session.scalars(select(StandingApplication)).all()
    response = post(deciding, f"/standing/applications/{application.id}/approve",
                    token_from="/standing/applications")
    assert response.status_code == 302
    assert applicant.get("/openings/").status_code == 200  # granted: a recruiter now


def test_apply_page_proposes_a_new_organisation_and_site_admin_approves(app, make):
    ada = make.user(site_admin=True)
    gil = make.user(name="Gil Moss", email="gil@fabrikam-health.example")
    applicant = _signed_in(app, gil)
    page = applicant.get("/standing/apply").get_data(as_text=True)
    assert "fabrikam-health.example" in page and "Organisation&#39;s name" in page
    response = post(applicant, "/standing/apply", {"name": "Fabrikam Health",
                                                   "kind": "hiring organisation"},
                    token_from="/standing/apply")
    assert response.status_code == 302
    admin = _signed_in(app, ada)
    page = admin.get("/admin/").get_data(as_text=True)
    assert "Gil Moss" in page and "approving verifies fabrikam-health.example" in page
    (application,) = db.session.scalars(select(StandingApplication)).all()
    response = post(admin, f"/standing/applications/{application.id}/approve?next=/admin/",
                    token_from="/admin/")
    assert response.headers["Location"] == "/admin/"
    db.session.refresh(gil)
    assert gil.role == "client" and gil.is_organisation_admin


def test_gmail_user_is_told_to_use_a_work_address(app, make):
    browser = _signed_in(app, make.user(email="kim@gmail.com"))
    page = browser.get("/standing/apply").get_data(as_text=True)
    assert "anyone can open" in page and "<form method=\"post\"" not in page
    response = post(browser, "/standing/apply", {"name": "Kim Ltd", "kind": "recruiting firm"},
                    token_from="/password")
    assert response.status_code == 409
    assert db.session.scalar(select(StandingApplication.id)) is None


def test_admin_page_suspends_and_restores(app, make):
    ada, pat = make.user(site_admin=True), make.user(email="pat@example.com")
    pat_browser = _signed_in(app, pat)
    admin = _signed_in(app, ada)
    assert "pat@example.com" in admin.get("/admin/?q=pat@").get_data(as_text=True)
    assert post(admin, f"/admin/users/{pat.id}/suspend", token_from="/admin/").status_code == 302
    assert pat_browser.get("/people/me").headers["Location"].startswith("/login")
    assert "Suspended since" in admin.get("/admin/").get_data(as_text=True)
    assert post(admin, f"/admin/users/{pat.id}/restore", token_from="/admin/").status_code == 302
    login(app.test_client(), pat.email)


# --- The command line ------------------------------------------------------------------------


def test_users_commands_list_approve_suspend_restore_and_grant_admin(runner, make):
    make.organisation()
    pat = make.user(email="pat@northwind.example")
    standing.apply_for_standing(pat)
    listed = runner.invoke(args=["users", "list", "--pending"])
    assert "pat@northwind.example" in listed.output and "Northwind Talent" in listed.output
    approved = runner.invoke(args=["users", "approve", "pat@northwind.example"])
    assert approved.exit_code == 0, approved.output
    assert "recruiter standing with Northwind Talent" in approved.output
    db.session.refresh(pat)
    assert pat.role == "recruiter"
    again = runner.invoke(args=["users", "approve", "pat@northwind.example"])
    assert again.exit_code != 0 and "no application waiting" in again.output
    assert runner.invoke(args=["users", "suspend", pat.email]).exit_code == 0
    assert "suspended" in runner.invoke(args=["users", "list"]).output
    twice = runner.invoke(args=["users", "suspend", pat.email])
    assert twice.exit_code != 0 and "already" in twice.output
    assert runner.invoke(args=["users", "restore", pat.email]).exit_code == 0
    assert runner.invoke(args=["users", "grant-admin", pat.email]).exit_code == 0
    db.session.refresh(pat)
    assert pat.is_admin and not pat.is_disabled
    unknown = runner.invoke(args=["users", "suspend", "nobody@example.com"])
    assert unknown.exit_code != 0 and "No account" in unknown.output
    assert [a for a, _ in _actions()] == ["standing applied", "standing approved",
                                          "account suspended", "account restored",
                                          "admin granted"]


# --- What standing reveals -------------------------------------------------------------------


def test_an_applicant_sees_no_one_beyond_their_own_records_and_connections(app, make):
    make.organisation()
    hidden = make.user(name="Helen Brooks", title="HR Director", open_to_work=True,
                       skills="Employee relations", visibility="recruiters")
    friend = make.user(name="Frank Friend", visibility="connections")
    pat = make.user(email="pat@northwind.example")
    make.connect(pat, friend)
    standing.apply_for_standing(pat)
    browser = _signed_in(app, pat)
    assert browser.get(f"/people/{hidden.person.id}").status_code == 404
    assert browser.get(f"/people/{friend.person.id}").status_code == 200
    for query in ({"q": "helen"}, {"q": "", "open_to_work": "true"}, {"q": "relations"}):
        page = browser.get("/search/", query_string=query).get_data(as_text=True)
        assert "Helen" not in page and f"/people/{hidden.person.id}" not in page, query
    assert browser.get("/search/typeahead?q=hel").get_json() == {"suggestions": []}
    assert browser.get("/search/typeahead?q=empl").get_json() == {"suggestions": []}
    for page in ("/openings/", "/network/import", "/people/new"):
        assert browser.get(page).status_code == 403, page


def test_open_to_work_is_never_shown_to_the_candidates_own_employer(app, make):
    employer = make.organisation("Ashford Logistics", "ashford.example",
                                 kind="hiring organisation")
    boss = make.user("client", member_of=employer, email="boss@ashford.example")
    outsider = make.user("recruiter")
    helen = make.user(name="Helen Brooks", organisation="Ashford Logistics Ltd",
                      skills="Employee relations", open_to_work=True, visibility="recruiters")
    make.connect(boss, helen)
    make.connect(outsider, helen)
    theirs, ours = _signed_in(app, boss), _signed_in(app, outsider)
    profile = f"/people/{helen.person.id}"
    assert "Open to work" in ours.get(profile).get_data(as_text=True)
    assert "Open to work" not in theirs.get(profile).get_data(as_text=True)
    assert "Open to work" in _signed_in(app, helen).get(profile).get_data(as_text=True)
    link = f'href="/people/{helen.person.id}"'
    for browser, sees in ((ours, True), (theirs, False)):
        results = browser.get("/search/", query_string={"q": "relations"}).get_data(as_text=True)
        assert link in results  # the profile itself is found by both
        assert ("Open to work</span>" in results) is sees
        narrowed = browser.get("/search/", query_string={"q": "", "open_to_work": "true"})
        assert (link in narrowed.get_data(as_text=True)) is sees
        negated = browser.get("/search/", query_string={"q": "", "open_to_work": "false"})
        assert (link in negated.get_data(as_text=True)) is not sees  # counts stay honest


def test_a_connections_profile_is_hidden_from_recruiters_until_opted_in(app, make):
    """Sign-up's default (tests/auth/test_accounts.py) keeps a profile from recruiters until
    its owner chooses "visible to verified recruiters"."""
    recruiter = make.user("recruiter")
    pat = make.user(name="Pat Private", visibility="connections")
    browser = _signed_in(app, recruiter)
    assert browser.get(f"/people/{pat.person.id}").status_code == 404
    people.update_profile(pat.person, visibility="recruiters")
    assert browser.get(f"/people/{pat.person.id}").status_code == 200
    form = _signed_in(app, pat).get(f"/people/{pat.person.id}/edit").get_data(as_text=True)
    assert "Visible to verified recruiters" in form


def test_a_recruiter_from_before_organisations_is_asked_to_apply_and_waits_as_a_candidate(
        app, make, runner):
    """What migration 0019 leaves such an account with: candidate standing, their records,
    and a dashboard notice that leads to applying."""
    firm = make.organisation()
    admin = make.user("recruiter", member_of=firm, org_admin=True, email="ann@northwind.example")
    lee = make.user(name="Lee Legacy", email="lee@northwind.example")
    lee.former_role = "recruiter"
    db.session.commit()
    kept = make.contact(admin, "Kept Elsewhere")
    kept.owner_id = lee.id  # a record Lee kept while a recruiter
    stranger = make.user(name="Sam Stranger", visibility="recruiters")
    client = make.contact(admin, "Carla Client", role="client")
    openings.create_opening(lee, client_id=client.id, title="Payroll Lead")
    browser = _signed_in(app, lee)
    exported = browser.get("/export/data.json").get_json()
    assert [o["title"] for o in exported["openings"]] == ["Payroll Lead"]  # still theirs
    assert browser.get("/openings/").status_code == 403
    dashboard = browser.get("/").get_data(as_text=True)
    assert "Recruiter standing now comes from an organisation" in dashboard
    assert 'href="/standing/apply"' in dashboard
    assert browser.get("/people/new").status_code == 403
    assert browser.get(f"/people/{stranger.person.id}").status_code == 404
    assert browser.get(f"/people/{kept.id}").status_code == 200
    assert "had recruiter standing; waits to apply" in runner.invoke(args=["users", "list"]).output
    assert post(browser, "/standing/apply", {}, token_from="/standing/apply").status_code == 302
    assert "Your application to <strong>Northwind Talent</strong> waits" in \
        browser.get("/").get_data(as_text=True)
    standing.approve(admin, standing.pending_application(lee))
    db.session.refresh(lee)
    assert (lee.role, lee.former_role) == ("recruiter", None)
    dashboard = browser.get("/").get_data(as_text=True)
    assert "standing now comes from an organisation" not in dashboard
    assert browser.get(f"/people/{stranger.person.id}").status_code == 200
