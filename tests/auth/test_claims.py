"""Claiming an invitation: bound to the invited address, proven by mail, the token used once
and never carried further, the choice of visibility kept, and the kept record's old address
leading to the claimed profile."""

import re
import time
from types import SimpleNamespace
from urllib.parse import unquote

from sqlalchemy import func, select

from auth import claim_routes
from auth.models import User
from extensions import db
from mail.models import OutboxMessage
from referrals.models import Invitation, Person, Relationship
from referrals.network import invitations, people
from tests.conftest import LINK_RE, local_path, login, post

NEW_PASSWORD = "violet kettle orbit 42"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')


class Recorder:
    """A browser that keeps every answer it got, to look for the token in them afterwards."""

    def __init__(self, client):
        self.client = client
        self.answers = []

    def get(self, path, **kw):
        response = self.client.get(path, **kw)
        self.answers.append((path, response))
        return response

    def post(self, path, data=None, token_from=None):
        response = post(self.client, path, data, token_from=token_from or path)
        self.answers.append((path, response))
        return response

    def follow(self, path):
        """GET a path and follow its redirects to the page they end on."""
        for _hop in range(6):
            response = self.get(path)
            if response.status_code not in (301, 302, 303):
                return response
            path = response.headers["Location"]
        raise AssertionError("too many redirects")

    def carrying(self, token):
        """Every answer whose Location or page text carries the token."""
        return [path for path, response in self.answers
                if token in unquote(response.headers.get("Location", ""))
                or token in response.get_data(as_text=True)]


def mailed_links(address: str, kind: str, leading_to: str = "/") -> list[str]:
    """The links to a path of the messages of one kind queued for an address."""
    bodies = db.session.scalars(select(OutboxMessage.body_text).where(
        OutboxMessage.to_addr == address, OutboxMessage.kind == kind))
    return [link for body in bodies for link in LINK_RE.findall(body)
            if local_path(link).startswith(leading_to)]


def invite(make, *, email="pat@example.com", role="candidate", recruiter=None):
    """A recruiter keeping a record of Pat (with a logged entry) and a live invitation link."""
    recruiter = recruiter or make.user("recruiter", name="Rita Recruiter")
    contact = make.contact(recruiter, "Pat Quinn", email=email, role=role)
    rel = db.session.scalar(select(Relationship).where(
        (Relationship.a_id == contact.id) | (Relationship.b_id == contact.id)))
    make.log(recruiter, rel, kind="advice", note="Helped with a CV.")
    return recruiter, contact, invitations.create_invitation(recruiter, contact)


def claimed_person(email: str) -> Person:
    return db.session.scalar(select(Person).join(User, Person.user_id == User.id)
                             .where(User.email == email))


def test_new_person_signs_up_proves_the_address_and_claims_without_the_token_travelling(
        app, make):
    recruiter, contact, token = invite(make)
    pat = Recorder(app.test_client())

    first = pat.get(f"/invite/{token}")
    assert first.status_code == 302 and first.headers["Location"].endswith("/claim")
    assert first.headers["Referrer-Policy"] == "no-referrer"
    page = pat.get("/claim").get_data(as_text=True)
    assert "Pat Quinn, your history is waiting" in page
    assert "p•••@example.com" in page and "pat@example.com" not in page
    assert 'href="/login?next=/claim"' in page
    assert "I am a" not in page and "Recruiter</option>" not in page  # no role to choose

    sent = pat.post("/claim", {"name": "Pat Quinn", "password": NEW_PASSWORD,
                               "confirm": NEW_PASSWORD}, token_from="/claim")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/claim/sent")
    assert "Check your e-mail" in pat.get("/claim/sent").get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "pat@example.com"))
    assert user.role == "candidate" and not user.is_verified
    assert db.session.get(Person, contact.id).merged_into_id is None  # not claimed yet

    (verify_link,) = mailed_links("pat@example.com", "verify", "/verify/")
    verified = pat.get(local_path(verify_link))
    assert verified.status_code == 302 and verified.headers["Location"].endswith(
        "/login?next=/claim")
    signed_in = post(pat.client, "/login?next=/claim", {"email": "pat@example.com",
                                                       "password": NEW_PASSWORD},
                     token_from="/login")
    assert signed_in.headers["Location"] == "/claim"
    claim_page = pat.get("/claim").get_data(as_text=True)
    assert re.search(r'<option selected value="private">Only me</option>', claim_page)
    done = pat.post("/claim", {"visibility": "connections"}, token_from="/claim")
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    dashboard = pat.follow("/").get_data(as_text=True)
    assert "The history kept with you is now yours" in dashboard and "advice" in dashboard

    own = claimed_person("pat@example.com")
    assert db.session.get(Person, contact.id).merged_into_id == own.id
    assert own.visibility == "connections" and own.role == "candidate"
    assert pat.get(f"/invite/{token}").status_code == 404  # used once
    assert pat.carrying(token) == []  # no Location, no page: only the mailed link had it


def test_signing_up_at_an_address_that_has_an_account_answers_the_same_and_mails_its_owner(
        app, make):
    _recruiter, _contact, fresh_token = invite(make, email="new@example.com")
    _other, _contact2, taken_token = invite(make, email="pat@example.com")
    make.user("candidate", name="Pat Already", email="pat@example.com")
    answers = []
    for token in (fresh_token, taken_token):
        browser = app.test_client()
        browser.get(f"/invite/{token}")
        sent = post(browser, "/claim", {"name": "Someone", "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD}, token_from="/claim")
        page = browser.get(sent.headers["Location"]).get_data(as_text=True)
        answers.append((sent.status_code, sent.headers["Location"],
                        CSRF_RE.sub("", page.replace("n•••", "X").replace("p•••", "X"))))
    assert answers[0] == answers[1]
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email == "pat@example.com")) == 1
    (login_link,) = mailed_links("pat@example.com", "claim_sign_in", "/login")
    assert login_link.endswith("/login?next=/claim")
    assert mailed_links("pat@example.com", "verify", "/verify/") == []


def test_someone_signed_in_under_another_address_is_refused_without_learning_it(app, make):
    _recruiter, contact, token = invite(make)
    mallory = make.user("candidate", email="mallory@example.com")
    browser = app.test_client()
    login(browser, mallory.email)
    browser.get(f"/invite/{token}")
    page = browser.get("/claim")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "This invitation is for another address" in text
    assert "p•••@example.com" in text and "pat@example.com" not in text
    refused = post(browser, "/claim", {"visibility": "private"}, token_from="/password")
    assert refused.status_code == 403
    assert db.session.get(Person, contact.id).merged_into_id is None


def test_the_owner_of_the_address_claims_only_once_it_is_confirmed(app, make):
    _recruiter, contact, token = invite(make)
    pat = make.user("candidate", email="pat@example.com", verified=False)
    browser = app.test_client()
    login(browser, pat.email)
    browser.get(f"/invite/{token}")
    page = browser.get("/claim")
    assert page.status_code == 403 and "Confirm your address first" in page.get_data(as_text=True)
    (verify_link,) = mailed_links("pat@example.com", "verify", "/verify/")
    assert browser.get(local_path(verify_link)).headers["Location"].endswith("/claim")
    assert post(browser, "/claim", {"visibility": "recruiters"},
                token_from="/claim").status_code == 302
    assert db.session.get(Person, contact.id).merged_into_id == pat.person.id
    assert db.session.get(Person, pat.person.id).visibility == "recruiters"


def test_a_signed_in_owner_keeps_their_role_and_a_new_account_never_becomes_a_recruiter(
        app, make):
    _recruiter, kept_recruiter, token = invite(make, role="recruiter")
    browser = app.test_client()
    browser.get(f"/invite/{token}")
    post(browser, "/claim", {"name": "Pat Quinn", "password": NEW_PASSWORD,
                             "confirm": NEW_PASSWORD}, token_from="/claim")
    assert db.session.scalar(select(User.role).where(User.email == "pat@example.com")) == \
        "candidate"
    _recruiter2, _client_record, client_token = invite(make, email="cleo@example.com",
                                                       role="client")
    browser = app.test_client()
    browser.get(f"/invite/{client_token}")
    post(browser, "/claim", {"name": "Cleo Client", "password": NEW_PASSWORD,
                             "confirm": NEW_PASSWORD}, token_from="/claim")
    assert db.session.scalar(select(User.role).where(User.email == "cleo@example.com")) == \
        "client"


def test_a_bad_visibility_is_refused_and_nothing_is_claimed(app, make):
    _recruiter, contact, token = invite(make)
    pat = make.user("candidate", email="pat@example.com")
    browser = app.test_client()
    login(browser, pat.email)
    browser.get(f"/invite/{token}")
    for value in ("", "everyone", "<script>alert(1)</script>"):
        refused = post(browser, "/claim", {"visibility": value}, token_from="/claim")
        assert refused.status_code == 400
        assert 'id="visibility-err"' in refused.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in refused.get_data(as_text=True)
    assert db.session.get(Person, contact.id).merged_into_id is None


def test_without_opening_a_link_in_this_browser_the_claim_page_is_not_there(app, make,
                                                                          monkeypatch):
    _recruiter, _contact, token = invite(make)
    assert app.test_client().get("/claim").status_code == 404
    browser = app.test_client()
    browser.get(f"/invite/{token}")
    assert browser.get("/claim").status_code == 200
    later = time.time() + claim_routes.REFERENCE_LIFETIME_S + 60
    monkeypatch.setattr(claim_routes, "time", SimpleNamespace(time=lambda: later))  # stale
    assert browser.get("/claim").status_code == 404


def test_an_invitation_is_bound_to_the_address_the_record_had(app, make):
    recruiter = make.user("recruiter")
    no_address = make.contact(recruiter, "Nobody Knows")
    browser = app.test_client()
    login(browser, recruiter.email)
    refused = post(browser, f"/people/{no_address.id}/invite",
                   token_from=f"/people/{no_address.id}")
    assert refused.status_code == 409 and "e-mail address first" in refused.get_data(as_text=True)
    contact = make.contact(recruiter, "Pat Quinn", email="Pat@Example.com")
    invitations.create_invitation(recruiter, contact)
    people.update_profile(contact, email="someone.else@example.com")  # changed afterwards
    assert db.session.scalar(select(Invitation.email)) == "pat@example.com"


def test_the_kept_records_address_leads_to_the_claimed_profile(app, make):
    recruiter, contact, token = invite(make)
    outsider = make.user("recruiter")
    pat = make.user("candidate", email="pat@example.com")
    browser = app.test_client()
    login(browser, pat.email)
    browser.get(f"/invite/{token}")
    post(browser, "/claim", {"visibility": "connections"}, token_from="/claim")

    keeper = app.test_client()
    login(keeper, recruiter.email)
    moved = keeper.get(f"/people/{contact.id}")
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"/people/{pat.person.id}")
    assert pat.person.name in keeper.get(moved.headers["Location"]).get_data(as_text=True)
    stranger = app.test_client()
    login(stranger, outsider.email)
    assert stranger.get(f"/people/{contact.id}").status_code == 404

    people.update_profile(db.session.get(Person, pat.person.id), visibility="private")
    moved = keeper.get(f"/people/{contact.id}")  # the profile is closed: the shared history
    rel = db.session.scalar(select(Relationship).where(
        (Relationship.a_id == pat.person.id) | (Relationship.b_id == pat.person.id)))
    assert moved.status_code == 302 and moved.headers["Location"].endswith(
        f"/relationships/{rel.id}")
    assert stranger.get(f"/people/{contact.id}").status_code == 404


def test_markup_in_the_name_given_at_the_claim_is_shown_escaped(app, make):
    _recruiter, _contact, token = invite(make)
    browser = app.test_client()
    browser.get(f"/invite/{token}")
    name = "<script>alert(1)</script> Pat"
    post(browser, "/claim", {"name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
         token_from="/claim")
    login(browser, "pat@example.com", NEW_PASSWORD)
    page = Recorder(browser).follow("/people/me").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Pat" in page and "<script>alert" not in page


def test_reset_and_claim_answers_do_not_tell_whether_an_address_has_an_account(app, make):
    make.user("candidate", email="known@example.com")
    answers = []
    for address in ("known@example.com", "unknown@example.com"):
        browser = app.test_client()
        sent = post(browser, "/password/forgot", {"email": address}, token_from="/login")
        page = browser.get(sent.headers["Location"]).get_data(as_text=True)
        answers.append((sent.status_code, sent.headers["Location"],
                        CSRF_RE.sub("", page.replace(address, "ADDRESS"))))
    assert answers[0] == answers[1]
    assert len(mailed_links("known@example.com", "reset", "/password/reset/")) == 1
    assert mailed_links("unknown@example.com", "reset") == []


def test_old_style_links_and_tokens_are_refused_not_crashed(app, make):
    browser = app.test_client()
    assert browser.get("/invite/" + "x" * 500).status_code == 404
    assert browser.get("/invite/%00%01").status_code == 404
