"""One refusal path: a service's refusal is answered by one handler, as a page or as JSON."""

from extensions import db
from referrals.network import invitations
from tests.conftest import login, post


def _self_connect(client, user, **kw):
    return post(client, f"/people/{user.person.id}/connect", **kw)


def test_a_refusal_is_a_page_that_says_why_with_its_status(app, make):
    user = make.user("candidate")
    client = app.test_client()
    login(client, user.email)
    response = _self_connect(client, user)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Not done" in page and "You cannot connect with yourself." in page


def test_a_refusal_asked_for_as_json_is_a_json_error(app, make):
    user = make.user("candidate")
    client = app.test_client()
    login(client, user.email)
    response = _self_connect(client, user, headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json() == {"error": "You cannot connect with yourself."}


def test_a_refusal_keeps_its_own_status_and_writes_nothing(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    interaction = make.log(recruiter, make.connect(recruiter, candidate))
    client = app.test_client()
    login(client, candidate.email)
    response = post(client, f"/relationships/interactions/{interaction.id}/delete",
                    headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.get_json() == {
        "error": "Only the person who logged an interaction can remove it."}
    assert db.session.get(type(interaction), interaction.id) is not None


def test_an_invitation_that_cannot_be_claimed_says_why_on_the_invitation_page(app, make):
    recruiter = make.user("recruiter", email="dana@example.com")
    contact = make.contact(recruiter, name="Dana Contact", email="dana@example.com")
    token = invitations.create_invitation(recruiter, contact)
    client = app.test_client()
    login(client, recruiter.email)  # the recruiter keeps a record of themself, and claims it
    client.get(f"/invite/{token}")
    response = post(client, "/claim", {"visibility": "private"}, token_from="/claim")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This invitation cannot be used" in page and "not the same person" in page
    assert invitations.find_live(token) is not None  # still usable by the right person
