"""The invitation flow end to end, in headless Chromium, through the UI only."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, deliver, links_in

pytestmark = pytest.mark.e2e

RECRUITER_EMAIL = "rita@example.com"
PERSON_NAME = "Pat Quinn"
PERSON_EMAIL = "pat.quinn@example.com"
PERSON_PASSWORD = "violet kettle orbit 42"
# WCAG 2.1 contrast ratio of an element's text on its effective background (the first opaque one).
CONTRAST_JS = """el => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => rgb(c).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let node = el, bg = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const c = getComputedStyle(node).backgroundColor, parts = rgb(c);
    if (parts.length < 4 || parts[3] > 0) { bg = c; break; }
  }
  const [hi, lo] = [lum(getComputedStyle(el).color), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""
NOTE = "Reviewed Pat's CV before the Acme interview."
PRIVATE_NOTE = "Pat hinted they would leave Globex within the year."


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def history_entry(page: Page):
    """The only entry of the shared history on a relationship page."""
    history = page.get_by_role("region", name=re.compile(r"^Shared history"))
    entries = history.get_by_role("listitem")
    expect(entries).to_have_count(1)
    return entries.first


def test_recruiter_invites_person_who_claims_and_confirms(make, new_actor, live_server, shot,
                                                         app, smtp):
    """Add, invite (by e-mail), claim from the received message, log, confirm: both sides see
    it confirmed, the private note stays."""
    make.user("recruiter", name="Rita Recruiter", email=RECRUITER_EMAIL)
    rita = new_actor("recruiter")

    rita.goto("/login")
    shot(rita, "01-login")
    sign_in(rita, RECRUITER_EMAIL)
    expect(rita.get_by_role("heading", name="Hello, Rita")).to_be_visible()
    shot(rita, "02-recruiter-dashboard-empty")

    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Add person").click()
    expect(rita.get_by_role("heading", name="Add a person to your network")).to_be_visible()
    rita.get_by_label("Full name").fill(PERSON_NAME)
    rita.get_by_label("E-mail").fill(PERSON_EMAIL)
    rita.get_by_label("They are a").select_option(label="Candidate")
    rita.get_by_label("Current title").fill("Senior HR Business Partner")
    rita.get_by_label("Organisation").fill("Globex")
    rita.get_by_label("Skills").fill("Employee relations, HRBP")
    shot(rita, "03-add-person")
    rita.get_by_role("button", name="Add to my network").click()

    expect(rita.get_by_role("heading", name=PERSON_NAME, level=1)).to_be_visible()
    expect(rita.get_by_role("status")).to_contain_text(f"{PERSON_NAME} is in your network")
    kept_record = rita.url  # the page Rita keeps a link to
    shot(rita, "04-contact-profile")
    rita.get_by_role("button", name="Invite to claim").click()

    expect(rita.get_by_role("heading", name=f"Invitation link for {PERSON_NAME}")).to_be_visible()
    link = rita.get_by_label("Link").input_value()
    assert link.startswith(f"{live_server.url}/invite/"), link
    token = link.rsplit("/", 1)[1]
    shot(rita, "05-invite-link")
    deliver(app)
    (message,) = smtp.to(PERSON_EMAIL)
    assert message["Subject"] == "Rita Recruiter invites you to Kinship Referrals"
    (mailed,) = [url for url in links_in(message) if "/invite/" in url]
    assert mailed == link  # the copy-link and the e-mail carry the same invitation

    pat = new_actor("person")
    visited = []
    pat.on("request", lambda request: visited.append(request.url))
    pat.goto(mailed)
    assert pat.url == f"{live_server.url}/claim"  # the token is gone from the address bar
    claim_heading = pat.get_by_role("heading", name=f"{PERSON_NAME}, your history is waiting")
    expect(claim_heading).to_be_visible()
    expect(pat.get_by_label("Full name")).to_have_value(PERSON_NAME)
    expect(pat.locator("body")).to_contain_text("p•••@example.com")
    expect(pat.locator("body")).not_to_contain_text(PERSON_EMAIL)
    expect(pat.get_by_label("I am a")).to_have_count(0)  # the record's role, not a choice
    pat.get_by_label("Password", exact=True).fill(PERSON_PASSWORD)
    pat.get_by_label("Repeat password").fill(PERSON_PASSWORD)
    shot(pat, "06-claim-page")
    pat.get_by_role("button", name="Create account and claim").click()

    expect(pat.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    deliver(app)
    (verify,) = [url for url in links_in(smtp.to(PERSON_EMAIL)[-1]) if "/verify/" in url]
    pat.goto(verify)
    expect(pat.get_by_role("status")).to_contain_text("Sign in to claim the profile")
    pat.get_by_label("E-mail").fill(PERSON_EMAIL)
    pat.get_by_label("Password").fill(PERSON_PASSWORD)
    pat.get_by_role("button", name="Sign in").click()

    visibility = pat.get_by_label("Who can see your profile")
    expect(visibility).to_have_value("private")  # the most private choice, until chosen
    visibility.select_option(label="Only people I am connected with")
    shot(pat, "06b-claim-choose-visibility")
    pat.get_by_role("button", name="Claim my profile").click()

    expect(pat.get_by_role("heading", name="Hello, Pat")).to_be_visible()
    expect(pat.get_by_role("status")).to_contain_text("The history kept with you is now yours")
    assert [url for url in visited if token in url] == [mailed]  # only the link itself
    pat.goto(link)  # the link works once
    expect(pat.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()

    rita.goto(kept_record)  # Rita's old link leads to Pat's own profile now
    expect(rita.get_by_role("heading", name=PERSON_NAME, level=1)).to_be_visible()
    assert rita.url != kept_record

    rita.goto("/")
    network = rita.get_by_role("region", name=re.compile(r"^My network"))
    expect(network.get_by_role("row")).to_have_count(2)  # the header and Pat
    network.get_by_role("link", name=PERSON_NAME).click()
    expect(rita.get_by_role("heading", name=f"You and {PERSON_NAME}")).to_be_visible()
    form = rita.get_by_role("region", name="Log an interaction")
    form.get_by_label("Date").fill("2024-03-15")
    form.get_by_label("Kind").select_option(label="Advice")
    form.get_by_label("Direction of value").select_option(label="I gave")
    form.get_by_label("Note (both of you see it)").fill(NOTE)
    form.get_by_label("Private note (only you ever see it)").fill(PRIVATE_NOTE)
    form.get_by_role("button", name="Log it").click()

    expect(rita.get_by_role("status")).to_contain_text("Logged.")
    entry = history_entry(rita)
    expect(entry).to_contain_text("15 Mar 2024")
    expect(entry).to_contain_text("Advice")
    expect(entry).to_contain_text("you gave")
    expect(entry).to_contain_text("pending")
    expect(entry).to_contain_text(PRIVATE_NOTE)

    pat.goto("/")
    waiting = pat.get_by_role("region", name=re.compile(r"^Waiting for you"))
    expect(waiting).to_contain_text("1 entry from Rita Recruiter awaiting you")
    expect(waiting).to_contain_text("The latest: advice on 15 Mar 2024")
    expect(waiting).to_contain_text(NOTE)
    expect(pat.locator("body")).not_to_contain_text(PRIVATE_NOTE)
    shot(pat, "07-person-dashboard-pending")
    waiting.get_by_role("button", name="Confirm from Rita").click()

    expect(pat.get_by_role("status")).to_contain_text("Confirmed 1 entry from Rita Recruiter.")
    waiting = pat.get_by_role("region", name=re.compile(r"^Waiting for you"))
    expect(waiting).to_contain_text("Nothing to confirm.")
    pat.get_by_role("region", name=re.compile(r"^My network")).get_by_role(
        "link", name="Rita Recruiter").click()
    expect(pat.get_by_role("heading", name="You and Rita Recruiter")).to_be_visible()
    entry = history_entry(pat)
    expect(entry).to_contain_text("confirmed")
    expect(entry).to_contain_text("Rita gave")
    expect(entry).to_contain_text(NOTE)
    expect(pat.locator("body")).not_to_contain_text(PRIVATE_NOTE)
    shot(pat, "08-person-relationship-confirmed")

    rita.reload()
    entry = history_entry(rita)
    expect(entry).to_contain_text("confirmed")
    expect(entry).to_contain_text(NOTE)
    expect(entry).to_contain_text(PRIVATE_NOTE)
    shot(rita, "09-recruiter-relationship-confirmed")
    rita.goto("/")
    shot(rita, "10-recruiter-dashboard")


def test_login_form_works_from_the_keyboard_alone(make, new_actor, shot):
    """Tab reaches e-mail, password, remember-me and submit in order; Enter submits."""
    make.user("candidate", name="Kim Keys", email="kim@example.com")
    page = new_actor("keyboard")
    page.goto("/login")
    email = page.get_by_label("E-mail")
    for _ in range(10):  # past the skip link and the header's links
        page.keyboard.press("Tab")
        if email.evaluate("el => el === document.activeElement"):
            break
    expect(email).to_be_focused()
    page.keyboard.type("kim@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    remember = page.get_by_label("Remember me for 30 days")
    expect(remember).to_be_focused()
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    shot(page, "11-login-keyboard-focus")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Hello, Kim")).to_be_visible()
    assert "remember_token" in {c["name"] for c in page.context.cookies()}


def test_header_create_account_link_is_readable(new_actor):
    """The header's "Create account" button has text contrast of at least 4.5:1 (WCAG AA)."""
    page = new_actor("visitor")
    page.goto("/login")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Create account")
    ratio = link.evaluate(CONTRAST_JS)
    assert ratio >= 4.5, f"'Create account' text contrast is {ratio:.2f}:1, below 4.5:1"
