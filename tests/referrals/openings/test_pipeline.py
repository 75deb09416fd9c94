"""After recommending: the vouch, the client's page, the stages, the placement on a hire, and the
candidate's list of opportunities."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from mail.models import OutboxMessage
from referrals.access import relationship_between
from referrals.models import AuditEvent, Interaction
from referrals.network import people
from referrals.openings import pipeline
from referrals.openings import services as openings
from referrals.openings.models import OpeningDecision, PipelineNote
from referrals.refusals import Refused
from tests.conftest import login, post
from tests.referrals.openings.test_openings import VOUCH, _world

PRIVATE = "PRIVATE-NOTE-only-rita-sees-this"


def _sent(app, make, *, wildcard=True, consent=False):
    """Near Miss (a private profile, CIPD Level 7) recommended to Carla for Head of Reward."""
    recruiter, client, _perfect, near, _engineer = _world(make)
    people.update_profile(near.person, visibility="private", consent_required=consent,
                          skills="Reward\nExecutive compensation\nCIPD Level 7")
    rel = relationship_between(recruiter.person.id, near.person.id)
    make.log(recruiter, rel, kind="call", day=date.today() - timedelta(days=3),
             private_note=PRIVATE, confirm_by=near)
    opening = openings.create_opening(
        recruiter, client_id=client.person.id, title="Head of Reward", organisation="Northwind",
        location="London", min_years=10, must_skills="Reward\nExecutive compensation",
        qualifications="CIPD Level 7", nice_skills="Job evaluation")
    decision = openings.recommend(recruiter, opening, near.person, wildcard=wildcard,
                                  explanation=["your trust with Carla Client: 97 (strong)",
                                               "search rates the profile 100% relevant"],
                                  vouch=VOUCH)
    return recruiter, client, near, opening, decision


def _browser(app, user):
    http = app.test_client()
    login(http, user.email)
    return http


def _page(http, decision) -> str:
    response = http.get(f"/openings/recommendations/{decision.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- The vouch --------------------------------------------------------------------------------


def test_a_wild_card_without_a_vouch_is_refused_and_nothing_is_sent(app, make):
    recruiter, client, _p, near, _e = _world(make)
    opening = openings.create_opening(recruiter, client_id=client.person.id, title="Role")
    with pytest.raises(Refused) as refused:
        openings.recommend(recruiter, opening, near.person, wildcard=True, explanation=[],
                           vouch="   ")
    assert refused.value.status == 400 and "your word" in refused.value.message
    assert db.session.scalar(select(OpeningDecision.id)) is None
    decision = openings.recommend(recruiter, opening, near.person, wildcard=False,
                                  explanation=[])  # optional from the shortlist
    assert decision.action == "recommended" and decision.vouch == ""


def test_recommending_a_wild_card_over_http_asks_for_the_vouch(app, make):
    recruiter, client, _p, near, _e = _world(make)
    http = _browser(app, recruiter)
    response = post(http, "/openings/new", {
        "client_id": client.person.id, "title": "Head of Reward", "location": "London",
        "min_years": "10", "must_skills": "Reward\nExecutive compensation"},
        token_from="/openings/new")
    url = response.headers["Location"]
    path = f"{url}/people/{near.person.id}/recommend"
    empty = post(http, path, {"vouch": ""}, token_from=url)
    assert empty.status_code == 400 and "rests on your word" in empty.get_data(as_text=True)
    too_long = post(http, path, {"vouch": "x" * 1001}, token_from=url)
    assert too_long.status_code == 400
    assert db.session.scalar(select(OpeningDecision.id)) is None
    assert post(http, path, {"vouch": VOUCH}, token_from=url).status_code == 302
    page = http.get(url).get_data(as_text=True)
    forward = page.split('id="forward-h"')[1].split('id="short-h"')[0]
    assert "Near Miss" in forward and "Waiting for an answer" in forward


def test_the_vouch_can_be_reworded_until_the_client_opens_it(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    rita = _browser(app, recruiter)
    path = f"/openings/recommendations/{decision.id}"
    assert "Reword the vouch" in _page(rita, decision)
    assert post(rita, f"{path}/vouch", {"vouch": "Better words."}, token_from=path
                ).status_code == 302
    assert post(rita, f"{path}/vouch", {"vouch": ""}, token_from=path).status_code == 400
    carla = _browser(app, client)
    assert "Better words." in _page(carla, decision)
    db.session.refresh(decision)
    assert decision.opened_at is not None
    assert "Reword the vouch" not in _page(rita, decision)
    response = post(rita, f"{path}/vouch", {"vouch": "Changed after reading."}, token_from=path)
    assert response.status_code == 409 and "already read your vouch" in response.get_data(
        as_text=True)
    db.session.refresh(decision)
    assert decision.vouch == "Better words."


# --- The client's page ------------------------------------------------------------------------


def test_the_client_reads_the_recommendation_in_plain_words_to_them(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    page = _page(_browser(app, client), decision)
    main = page.split('<main')[1]
    assert main.index(VOUCH) < main.index("How well Rita Recruiter knows Near Miss")
    assert "Rita Recruiter has known Near Miss for 9 years." in main
    assert "confirmed by both of them, with help going both ways" in main
    assert "Last in touch this month." in main
    assert "CIPD Level 7" in main and "Holds CIPD Level 7" in main
    assert "Set aside" in main and "10 years of experience or more" in main
    assert f'href="/people/{near.person.id}"' in main  # the name is a link
    # Never the recruiter's figures, private notes or machine talk.
    text = re.sub(r"<[^>]+>", " ", main).lower()
    for never in ("trust", "97", "relevant", "strong", PRIVATE.lower()):
        assert never not in text, never


def test_the_client_may_open_a_private_profile_while_the_recommendation_is_open(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    carla = _browser(app, client)
    profile = f"/people/{near.person.id}"
    assert carla.get(profile).status_code == 200
    other_client = make.user("client")
    assert _browser(app, other_client).get(profile).status_code == 404
    assert _browser(app, other_client).get(
        f"/openings/recommendations/{decision.id}").status_code == 404
    pipeline.move(client, decision, pipeline.PipelineStage.NOT_NOW, "Hiring freeze.")
    assert carla.get(profile).status_code == 404  # no longer open for them


def test_nothing_reaches_the_client_before_the_candidate_agrees(app, make):
    recruiter, client, near, opening, decision = _sent(app, make, consent=True)
    carla = _browser(app, client)
    assert carla.get(f"/openings/recommendations/{decision.id}").status_code == 404
    assert carla.get(f"/people/{near.person.id}").status_code == 404
    nina = _browser(app, near)
    page = nina.get("/openings/opportunities").get_data(as_text=True)
    assert "Head of Reward" in page and "Waiting for your answer" in page
    response = post(nina, f"/openings/consents/{decision.id}/agree",
                    {"back": "opportunities"}, token_from="/openings/opportunities")
    assert response.headers["Location"] == "/openings/opportunities"
    page = nina.get("/openings/opportunities").get_data(as_text=True)
    assert "You agreed to be put forward" in page and "Waiting for an answer" in page
    assert carla.get(f"/people/{near.person.id}").status_code == 200


# --- The pipeline -----------------------------------------------------------------------------


def test_the_client_answers_and_both_other_sides_see_the_stage(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    carla = _browser(app, client)
    path = f"/openings/recommendations/{decision.id}"
    _page(carla, decision)
    response = post(carla, f"{path}/stage", {"stage": "interview",
                                             "note": "Can she do Tuesday?"}, token_from=path)
    assert response.status_code == 302
    rita = _browser(app, recruiter)
    opening_page = rita.get(f"/openings/{opening.id}").get_data(as_text=True)
    forward = opening_page.split('id="forward-h"')[1].split('id="short-h"')[0]
    assert "Near Miss" in forward and "Interview" in forward and "Can she do Tuesday?" in forward
    nina = _browser(app, near)
    assert "Interview" in nina.get("/openings/opportunities").get_data(as_text=True)
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_addr == recruiter.email, OutboxMessage.kind == "recommendation")).all()
    assert any("moved Near Miss to “Interview”" in m.subject for m in mail)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "moved a "
                                                                           "recommendation"))
    assert event is not None and event.actor_user_id == client.id


def test_stage_form_refuses_bad_answers(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    carla = _browser(app, client)
    path = f"/openings/recommendations/{decision.id}"
    for body, message in (({"stage": "not_now", "note": ""}, "Say why not now"),
                          ({"stage": "wizard", "note": ""}, "Not a valid choice"),
                          ({"stage": "sent", "note": ""}, "Not a valid choice")):
        response = post(carla, f"{path}/stage", body, token_from=path)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(PipelineNote.id)) is None


def test_questions_go_both_ways_and_reach_the_other_side(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    carla, rita = _browser(app, client), _browser(app, recruiter)
    path = f"/openings/recommendations/{decision.id}"
    post(carla, f"{path}/messages", {"body": "Is she open to hybrid?"}, token_from=path)
    post(rita, f"{path}/messages", {"body": "Yes, three days in."}, token_from=path)
    page = _page(carla, decision)
    assert page.index("Is she open to hybrid?") < page.index("Yes, three days in.")
    assert post(carla, f"{path}/messages", {"body": " "}, token_from=path).status_code == 400
    to_client = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.to_addr == client.email)).all()
    assert "Rita Recruiter wrote about Near Miss for Head of Reward" in to_client


def test_a_hire_logs_a_placement_in_every_history_pending_confirmation(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    client_near = make.connect(client, near)
    pipeline.move(client, decision, pipeline.PipelineStage.OFFER)
    pipeline.move(recruiter, decision, pipeline.PipelineStage.HIRED, "Starts in January.")
    hires = db.session.scalars(select(Interaction).where(Interaction.kind == "hire",
                                                         Interaction.note.like("%Reward%"))).all()
    rels = {relationship_between(recruiter.person.id, near.person.id).id,
            relationship_between(recruiter.person.id, client.person.id).id, client_near.id}
    assert {h.relationship_id for h in hires} == rels
    assert all(h.status == "pending" for h in hires)
    # Moving back and forth does not log the placement twice.
    pipeline.move(recruiter, decision, pipeline.PipelineStage.OFFER)
    pipeline.move(recruiter, decision, pipeline.PipelineStage.HIRED)
    assert db.session.scalar(select(db.func.count(Interaction.id)).where(
        Interaction.kind == "hire", Interaction.note.like("%Reward%"))) == 3


def test_a_hire_without_a_client_candidate_connection_asks_for_one(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    pipeline.move(client, decision, pipeline.PipelineStage.HIRED)
    rel = relationship_between(client.person.id, near.person.id)
    assert rel.status == "pending" and rel.requested_by_id == client.person.id
    hires = db.session.scalars(select(Interaction).where(Interaction.kind == "hire",
                                                         Interaction.note.like("%Reward%"))).all()
    assert len(hires) == 2
    # The client logged the one with the recruiter; the recruiter confirms it like any entry.
    assert {h.logged_by_id for h in hires} == {recruiter.person.id, client.person.id}


def test_only_the_two_sides_move_a_recommendation(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    path = f"/openings/recommendations/{decision.id}"
    rival, nina = make.user("recruiter"), _browser(app, near)
    assert _browser(app, rival).get(path).status_code == 404
    assert nina.get(path).status_code == 403
    assert post(_browser(app, rival), f"{path}/stage", {"stage": "interview"}
                ).status_code == 404
    with pytest.raises(Refused):
        pipeline.move(near, decision, pipeline.PipelineStage.HIRED)


# --- Dashboards and dead ends -----------------------------------------------------------------


def test_the_clients_dashboard_tells_answering_from_confirming(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    page = _browser(app, client).get("/").get_data(as_text=True)
    assert "Read and answer the recommendation" in page
    assert f"/openings/recommendations/{decision.id}" in page
    assert "Confirm it happened" in page  # the referral entry in their shared history


def test_a_recruiter_without_a_client_is_told_to_add_one_first(app, make):
    recruiter = make.user("recruiter")
    http = _browser(app, recruiter)
    page = http.get("/openings/new").get_data(as_text=True)
    assert "no hiring client in your network yet" in page
    assert "/people/new?role=client" in page and 'name="title"' not in page
    form = http.get("/people/new?role=client").get_data(as_text=True)
    assert '<option selected value="client">' in form or 'value="client" selected' in form


def test_the_put_forward_list_keeps_people_whatever_they_rank_now(app, make):
    recruiter, client, near, opening, decision = _sent(app, make)
    people.update_profile(near.person, title="Gardener", skills="Roses")  # no longer ranks
    page = _browser(app, recruiter).get(f"/openings/{opening.id}").get_data(as_text=True)
    assert "Near Miss" in page.split('id="forward-h"')[1].split('id="short-h"')[0]
