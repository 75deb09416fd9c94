"""Openings end to end: a recruiter opens a role, sees a wild card, recommends them, and the
client and the candidate each see it. The years of history are built through the services."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_invite_flow import sign_in
from tests.referrals.openings.test_openings import _world

pytestmark = pytest.mark.e2e


def test_recruiter_recommends_a_wild_card_and_both_sides_see_it(make, new_actor, shot):
    recruiter, client, _perfect, near, _engineer = _world(make)

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
    card.get_by_role("button", name="Recommend to client").click()
    expect(rita.get_by_text("Recommended Near Miss to Carla Client")).to_be_visible()
    opening_url = rita.url

    carla = new_actor("client")
    sign_in(carla, client.email)
    carla.goto(opening_url)
    expect(carla.get_by_role("listitem").filter(has_text="Near Miss")).to_contain_text(
        "8 years against 10")
    expect(carla.get_by_text("wild card")).to_be_visible()
    shot(carla, "21-client-sees-recommendation")

    nina = new_actor("candidate")
    sign_in(nina, near.email)
    expect(nina.get_by_text("Put you forward for Head of Reward at Northwind.")).to_be_visible()
    nina.get_by_role("button", name="Confirm").first.click()
    shot(nina, "22-candidate-sees-referral")
