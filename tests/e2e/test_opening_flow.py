"""Openings end to end: a recruiter opens a role, sees a wild card, recommends them with a vouch;
the client reads it, opens the candidate's profile and CV and answers "interview"; the recruiter
and the candidate each see the stage. The years of history are built through the services."""

import pytest
from playwright.sync_api import expect

from referrals.network import cvs
from tests import cv_samples
from tests.e2e.test_invite_flow import sign_in
from tests.referrals.openings.test_openings import _world

pytestmark = pytest.mark.e2e
VOUCH = "I have known Near Miss for ten years: she runs reward like a head of reward already."


def test_recruiter_recommends_a_wild_card_and_the_client_answers_it(make, new_actor, shot):
    recruiter, client, _perfect, near, _engineer = _world(make)
    cv = cv_samples.pdf("Near Miss, Head of Reward in all but name")
    cvs.attach_cv(near, near.person, "Near Miss CV.pdf", cv)

    rita = new_actor("recruiter")
    sign_in(rita, recruiter.email)
    rita.get_by_role("link", name="Openings").click()
    rita.get_by_role("link", name="New opening").click()
    rita.get_by_label("Hiring client").select_option(label="Carla Client — Northwind")
    rita.get_by_label("Job title").fill("Head of Reward")
    rita.get_by_label("Organisation").fill("Northwind")
    rita.get_by_label("Location").fill("London")
    rita.get_by_label("Minimum years of experience").fill("10")
    rita.get_by_label("Must-have skills (one per line)").fill("Reward\nExecutive compensation")
    rita.get_by_role("button", name="Open the role").click()

    wildcards = rita.locator("section.wildcards")
    card = wildcards.get_by_role("listitem").filter(has_text="Near Miss")
    expect(card).to_contain_text("8 years against 10")
    expect(card).to_contain_text("confirmed")
    expect(rita.locator("section").filter(has_text="Shortlist").first).to_contain_text(
        "Perfect Fit")
    shot(rita, "20-opening-two-lists")
    card.get_by_text("Recommend to client").click()
    card.get_by_label("Your vouch to Carla Client").fill(VOUCH)
    card.get_by_role("button", name="Send to Carla Client").click()
    expect(rita.get_by_text("Recommended Near Miss to Carla Client")).to_be_visible()
    forward = rita.locator("section.put-forward")
    expect(forward).to_contain_text("Near Miss")
    expect(forward).to_contain_text("Waiting for an answer")
    opening_url = rita.url

    carla = new_actor("client")
    sign_in(carla, client.email)
    carla.get_by_role("link", name="Read and answer the recommendation").click()
    expect(carla.locator(".vouch")).to_have_text(VOUCH)
    expect(carla.get_by_text("Rita Recruiter has known Near Miss for")).to_be_visible()
    expect(carla.locator("main")).not_to_contain_text("trust")
    shot(carla, "21-client-reads-the-recommendation")
    carla.set_viewport_size({"width": 390, "height": 844})
    shot(carla, "21b-client-recommendation-phone")
    carla.set_viewport_size({"width": 1280, "height": 900})
    recommendation_url = carla.url
    with carla.expect_download() as download:
        carla.get_by_role("link", name="Download Near Miss’s CV").click()
    assert download.value.suggested_filename == "Near Miss CV.pdf"
    assert download.value.path().read_bytes() == cv
    carla.get_by_role("link", name="Near Miss", exact=True).click()
    expect(carla.get_by_role("heading", name="Near Miss")).to_be_visible()
    carla.goto(recommendation_url)
    carla.get_by_label("Where it stands").select_option(label="Interview")
    carla.get_by_label("A word to the other side").fill("Could she meet us on Tuesday?")
    carla.get_by_role("button", name="Send my answer").click()
    expect(carla.locator("#thread")).to_contain_text("Could she meet us on Tuesday?")

    rita.goto(opening_url)
    expect(forward).to_contain_text("Interview")
    expect(forward).to_contain_text("Could she meet us on Tuesday?")
    shot(rita, "22-recruiter-sees-the-stage")

    nina = new_actor("candidate")
    sign_in(nina, near.email)
    expect(nina.get_by_text("Put you forward for Head of Reward at Northwind.")).to_be_visible()
    nina.get_by_role("button", name="Confirm").first.click()
    nina.get_by_role("link", name="My opportunities").click()
    item = nina.get_by_role("listitem").filter(has_text="Head of Reward")
    expect(item).to_contain_text("Interview")
    shot(nina, "23-candidate-sees-the-stage")
