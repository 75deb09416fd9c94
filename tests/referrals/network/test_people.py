"""People: contacts a recruiter keeps, invitations, merging duplicates, connections, visibility."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from extensions import db, utcnow
from referrals.models import AuditEvent, Interaction, Invitation, Person, Relationship
from referrals.network import invitations, merging
from referrals.trust import store as trust_store
from tests.conftest import login, post


def test_recruiter_adds_a_contact_only_they_can_see(app, make):
    recruiter, other = make.user("recruiter"), make.user("recruiter")
    client = app.test_client()
    login(client, recruiter.email)
    response = post(client, "/people/new", {"name": "Claire Dunn", "email": "claire@example.com",
                                            "role": "candidate", "title": "HRBP",
                                            "skills": "ER, HRBP, ER"})
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "Claire Dunn"))
    assert person.owner_id == recruiter.id and person.skill_list == ["ER", "HRBP"]
    assert "Claire Dunn" in client.get("/").get_data(as_text=True)
    outsider = app.test_client()
    login(outsider, other.email)
    assert outsider.get(f"/people/{person.id}").status_code == 404


def test_invitation_is_claimed_once_and_joins_the_history(app, make):
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, name="Claire Dunn", email="claire@example.com")
    rel = db.session.scalar(select(Relationship))
    make.log(recruiter, rel, kind="advice", note="Helped with a CV.")
    client = app.test_client()
    login(client, recruiter.email)
    page = post(client, f"/people/{contact.id}/invite").get_data(as_text=True)
    link = re.search(r'value="(http://localhost/invite/[^"]+)"', page).group(1)
    path = link.removeprefix("http://localhost")
    claire = make.user("candidate", name="Claire Dunn", email="claire@example.com")
    invitee = app.test_client()
    login(invitee, claire.email)
    assert invitee.get(path).headers["Location"].endswith("/claim")
    assert post(invitee, "/claim", {"visibility": "connections"},
                token_from="/claim").status_code == 302
    claimed_rel = db.session.scalar(select(Relationship).where(
        (Relationship.a_id == claire.person.id) | (Relationship.b_id == claire.person.id)))
    assert claimed_rel is not None
    assert db.session.get(Person, contact.id).merged_into_id == claire.person.id
    dashboard = invitee.get("/").get_data(as_text=True)
    assert "Waiting for you" in dashboard and "advice" in dashboard
    # The link is single-use: a second person cannot claim it.
    late = app.test_client()
    assert late.get(path).status_code == 404


def test_expired_invitation_cannot_be_claimed(app, make):
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, email="late@example.com")
    token = invitations.create_invitation(recruiter, contact)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/invite/{token}").status_code == 404
    assert db.session.scalar(select(func.count(Person.id))) == 2


def test_merging_duplicates_keeps_every_interaction(app, make):
    recruiter = make.user("recruiter")
    first = make.contact(recruiter, name="Sam Lee", email="sam@example.com", title="HRBP")
    second = make.contact(recruiter, name="Samuel Lee", email="SAM@example.com",
                          location="Leeds")
    rels = db.session.scalars(select(Relationship).order_by(Relationship.id)).all()
    make.log(recruiter, rels[0], kind="check_in", day=date(2020, 1, 1))
    make.log(recruiter, rels[1], kind="referral", direction="they_gave", day=date(2021, 1, 1))
    client = app.test_client()
    login(client, recruiter.email)
    assert "Merge them into this one" in client.get(f"/people/{first.id}").get_data(
        as_text=True)
    response = post(client, f"/people/{first.id}/merge", {"duplicate_id": second.id},
                    token_from=f"/people/{first.id}/merge")
    assert response.status_code == 302
    kept = db.session.get(Person, first.id)
    assert kept.location == "Leeds" and kept.title == "HRBP"
    rel = db.session.scalar(select(Relationship).where(Relationship.status == "accepted"))
    kinds = sorted(i.kind for i in db.session.scalars(select(Interaction)))
    assert kinds == ["check_in", "referral"]
    assert {i.relationship_id for i in db.session.scalars(select(Interaction))} == {rel.id}
    referral = db.session.scalar(select(Interaction).where(Interaction.kind == "referral"))
    assert referral.giver == rel.side_of(first.id)  # still "they gave" to the recruiter
    stored = rel.trust_ledger
    trust_store.rebuild(rel)
    assert rel.trust_ledger == stored
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "merged"))


def test_records_with_different_emails_are_not_merged(app, make):
    recruiter = make.user("recruiter")
    first = make.contact(recruiter, email="a@example.com")
    second = make.contact(recruiter, email="b@example.com")
    try:
        merging.merge_duplicate(recruiter, first, second)
    except merging.MergeRefused as exc:
        assert "same e-mail" in str(exc)
    else:
        raise AssertionError("merge of different people went through")
    assert db.session.get(Person, second.id).merged_into_id is None


def test_connection_request_accept_and_decline(app, make):
    candidate, recruiter = make.user("candidate"), make.user("recruiter")
    asker = app.test_client()
    login(asker, recruiter.email)
    assert post(asker, f"/people/{candidate.person.id}/connect").status_code == 302
    rel = db.session.scalar(select(Relationship))
    assert rel.status == "pending"
    asked = app.test_client()
    login(asked, candidate.email)
    assert "asked to connect" in asked.get("/").get_data(as_text=True)
    post(asked, f"/relationships/{rel.id}/accept")
    db.session.refresh(rel)
    assert rel.status == "accepted"


def test_visibility_controls_who_sees_a_profile(app, make):
    owner = make.user("candidate", headline="Reward lead", visibility="connections")
    recruiter, stranger = make.user("recruiter"), make.user("candidate")
    client = app.test_client()
    login(client, recruiter.email)
    assert client.get(f"/people/{owner.person.id}").status_code == 404
    make.connect(owner, recruiter)
    assert client.get(f"/people/{owner.person.id}").status_code == 200
    other = app.test_client()
    login(other, stranger.email)
    assert other.get(f"/people/{owner.person.id}").status_code == 404


def test_network_filters_and_sorts(app, make):
    recruiter = make.user("recruiter")
    make.contact(recruiter, name="Zoe Client", role="client", organisation="Northwind")
    make.contact(recruiter, name="Adam Candidate", organisation="Fabrikam")
    client = app.test_client()
    login(client, recruiter.email)
    html = client.get("/?role=client").get_data(as_text=True)
    assert "Zoe Client" in html and "Adam Candidate" not in html
    html = client.get("/?organisation=fabri").get_data(as_text=True)
    assert "Adam Candidate" in html and "Zoe Client" not in html
    html = client.get("/?sort=name&dir=desc").get_data(as_text=True)
    assert html.index("Zoe Client") < html.index("Adam Candidate")
