"""The trust panel of a relationship page: the standing in words, the bands' legend, part bars
coloured by value, the trend as the score really moved, "last contact", and the chart's marks."""

import re
from datetime import date, timedelta

from tests.conftest import login


def _page(app, user, rel) -> str:
    http = app.test_client()
    login(http, user.email)
    return http.get(f"/relationships/{rel.id}").get_data(as_text=True)


def test_the_panel_says_whose_standing_it_is_and_what_the_bands_mean(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate", name="Helen Hart")
    rel = make.connect(recruiter, candidate)
    for n in range(6):  # Helen gives, the recruiter never does
        make.log(candidate, rel, kind="referral", direction="i_gave",
                 day=date.today() - timedelta(days=200 * n + 5), confirm_by=recruiter)
    mine, hers = _page(app, recruiter, rel), _page(app, candidate, rel)
    assert "Your standing of Helen: how far you can vouch for them" in mine
    for band, why in (("strong", "70 and up"), ("steady", "45 to 69"), ("fading", "20 to 44"),
                      ("dormant", "below 20")):
        assert re.search(rf"<strong>{band}</strong> {why}: \w+", mine)
    my_score = int(re.search(r'trust-number">(\d+)<', mine).group(1))
    her_score = int(re.search(r'trust-number">(\d+)<', hers).group(1))
    assert my_score > her_score + 20  # she gave: she stands high with him, he low with her
    # Part bars are coloured by value: what she gave the recruiter is high, the reverse low.
    assert re.search(r'class="part-high" aria-label="What they gave you"', mine)
    assert re.search(r'class="part-low" aria-label="What they gave you"', hers)
    # Each confirmed referral that moved the line is marked on the chart.
    assert len(re.findall(r'class="mark"><title>[^<]*referral confirmed, \+\d+', mine)) >= 3


def test_the_trend_counts_back_dated_entries_logged_today(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    for n in range(1, 8):
        make.log(recruiter, rel, kind="advice", direction="i_gave" if n % 2 else "they_gave",
                 day=date.today() - timedelta(days=150 * n), confirm_by=candidate)
    page = _page(app, recruiter, rel)
    score = int(re.search(r'trust-number">(\d+)<', page).group(1))
    # 90 days ago none of it had been logged: the whole score is the change.
    assert f"▲ up {score}" in page
    assert "entries logged since included" in page


def test_last_contact_says_when_an_ask_did_not_count(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, kind="check_in", day=date.today() - timedelta(days=6 * 365),
             confirm_by=candidate)
    make.log(candidate, rel, kind="ask", direction="they_gave",
             day=date.today() - timedelta(days=7))
    page = _page(app, recruiter, rel)
    assert re.search(r"Last contact \d+ years ago \(an ask 7 days ago did not count: it came "
                     r"after a long silence\)", page)
    http = app.test_client()
    login(http, recruiter.email)
    dashboard = http.get("/").get_data(as_text=True)
    # The same wording in the network table and in the losing-touch list.
    assert re.search(r"last contact \d+ years ago \(an ask 7 days ago did not count", dashboard)
    assert re.search(r">\d+ years ago \(an ask 7 days ago did not count: it came after a long "
                     r"silence\)</time>", dashboard)
