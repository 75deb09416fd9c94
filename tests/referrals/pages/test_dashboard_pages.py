"""The pages at a recruiter's scale: the network in pages, pending entries grouped by who
logged them with "confirm all", the relationship page's history in pages, and in-place answers."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from referrals.models import Interaction, Relationship
from referrals.network import listing
from referrals.trust import store as trust_store
from tests.conftest import csrf_token, login, post

FETCH = {"X-Requested-With": "fetch"}


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _names_in_table(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/relationships/\d+">([^<]+)</a>', body)


def test_network_comes_in_pages_with_a_total_and_keeps_filters_in_the_links(app, make):
    recruiter = make.user("recruiter")
    for n in range(57):
        make.contact(recruiter, name=f"Person {n:02d}", organisation="Acme")
    make.contact(recruiter, name="Other Firm", organisation="Globex")
    client = _signed_in(app, recruiter)
    first = client.get("/?organisation=acme&sort=name&dir=asc").get_data(as_text=True)
    assert _names_in_table(first) == [f"Person {n:02d}" for n in range(50)]
    assert '<span class="count">57</span>' in first and "1–50 of 57" in first
    assert 'href="/?organisation=acme&amp;sort=name&amp;dir=asc&amp;page=2#network"' in first
    second = client.get("/?organisation=acme&sort=name&dir=asc&page=2").get_data(as_text=True)
    assert _names_in_table(second) == [f"Person {n:02d}" for n in range(50, 57)]
    assert "51–57 of 57" in second and "Other Firm" not in second


def test_trust_sort_orders_by_my_score_across_pages(app, make):
    recruiter = make.user("recruiter")
    today = date.today()
    for name, confirmed in (("Weak Tie", 1), ("Strong Tie", 12), ("Middle Tie", 5)):
        other = make.user("candidate", name=name)
        rel = make.connect(recruiter, other)
        for n in range(confirmed):
            giver, taker = (recruiter, other) if n % 2 else (other, recruiter)
            make.log(giver, rel, kind="advice", direction="i_gave",
                     day=today - timedelta(days=150 * (confirmed - n)), confirm_by=taker)
    client = _signed_in(app, recruiter)
    html = client.get("/").get_data(as_text=True)
    assert _names_in_table(html) == ["Strong Tie", "Middle Tie", "Weak Tie"]
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    scores = [int(s) for s in re.findall(r'<span class="strength-score">(\d+)</span>', table)]
    assert scores == sorted(scores, reverse=True)
    ascending = client.get("/?sort=strength&dir=asc").get_data(as_text=True)
    assert _names_in_table(ascending) == ["Weak Tie", "Middle Tie", "Strong Tie"]


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1.5", "²", "", "007"])
def test_a_page_number_that_is_not_one_is_refused_clearly(app, make, value):
    recruiter = make.user("recruiter")
    other = make.user("candidate")
    rel = make.connect(recruiter, other)
    client = _signed_in(app, recruiter)
    for path in ("/", "/waiting", "/losing-touch", f"/relationships/{rel.id}"):
        response = client.get(path, query_string={"page": value})
        if value in ("", "007"):
            assert response.status_code == 200, path
        else:
            assert response.status_code == 400, (path, value)
            assert "The page must be a whole number from 1" in response.get_data(as_text=True)


def test_a_page_past_the_end_shows_the_last_page(app, make):
    recruiter = make.user("recruiter")
    make.contact(recruiter, name="Only One")
    client = _signed_in(app, recruiter)
    for huge in ("2", "999999", "9" * 400):
        response = client.get("/", query_string={"page": huge})
        assert response.status_code == 200 and "Only One" in response.get_data(as_text=True)


def _waiting_world(make):
    """A recruiter; Ada logged three entries for them, Ben one; the recruiter logged one for
    Ada; Cy is a stranger to both."""
    recruiter = make.user("recruiter", name="Rita Recruiter")
    ada = make.user("candidate", name="Ada Byrne")
    ben = make.user("candidate", name="Ben Okafor")
    with_ada, with_ben = make.connect(recruiter, ada), make.connect(recruiter, ben)
    for n in range(3):
        make.log(ada, with_ada, kind="advice", direction="i_gave", day=date(2025, 3, n + 1),
                 note=f"Ada's tip {n}")
    make.log(ben, with_ben, kind="market_insight", direction="i_gave", day=date(2025, 4, 1))
    mine = make.log(recruiter, with_ada, kind="referral", direction="i_gave",
                    day=date(2025, 5, 1))
    return recruiter, ada, ben, with_ada, with_ben, mine


def _statuses(rel_id: int) -> dict:
    return dict(db.session.execute(select(Interaction.id, Interaction.status).where(
        Interaction.relationship_id == rel_id)).all())


def test_pending_entries_are_summarised_by_who_logged_them(app, make):
    recruiter, ada, ben, with_ada, with_ben, _mine = _waiting_world(make)
    html = _signed_in(app, recruiter).get("/").get_data(as_text=True)
    waiting = html.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<strong>3 entries</strong> from\s*<a href=\"/relationships/"
                     rf"{with_ada.id}\">Ada Byrne</a> awaiting you", waiting)
    assert "<strong>1 entry</strong> from" in waiting and "Ben Okafor" in waiting
    assert "Confirm all from Ada" in waiting and "Confirm from Ben" in waiting
    assert f'action="/relationships/{with_ada.id}/confirm-all"' in waiting
    assert "Ada&#39;s tip 2" in waiting  # the latest entry says what waits
    assert waiting.index("Ada Byrne") < waiting.index("Ben Okafor")  # most entries first
    assert '<span class="count">4</span>' in waiting


def test_confirm_all_confirms_only_what_the_other_side_logged_and_keeps_trust_in_step(app,
                                                                                   make):
    recruiter, ada, ben, with_ada, with_ben, mine = _waiting_world(make)
    client = _signed_in(app, recruiter)
    response = post(client, f"/relationships/{with_ada.id}/confirm-all")
    assert response.status_code == 302 and response.headers["Location"].endswith("/#waiting")
    statuses = _statuses(with_ada.id)
    assert statuses.pop(mine.id) == "pending"  # mine waits for Ada, not for me
    assert set(statuses.values()) == {"confirmed"}
    assert set(_statuses(with_ben.id).values()) == {"pending"}
    rel = db.session.get(Relationship, with_ada.id)
    db.session.refresh(rel)
    stored = (rel.trust_summary, rel.trust_confirmed, rel.trust_held_a, rel.trust_held_b)
    trust_store.rebuild(rel)  # what a recompute from the raw history gives
    assert stored == (rel.trust_summary, rel.trust_confirmed, rel.trust_held_a,
                      rel.trust_held_b)
    db.session.rollback()
    assert rel.trust_confirmed == 3
    page = client.get("/").get_data(as_text=True)
    assert "Confirmed 3 entries from Ada Byrne." in page and "Confirm all from Ada" not in page
    # Again: nothing is left, and nothing is written.
    again = post(client, f"/relationships/{with_ada.id}/confirm-all")
    assert again.status_code == 302
    assert "Nothing from Ada Byrne was waiting for you." in client.get("/").get_data(
        as_text=True)


def test_confirm_all_is_for_the_two_parties_only(app, make):
    recruiter, ada, ben, with_ada, _with_ben, mine = _waiting_world(make)
    assert post(_signed_in(app, ben), f"/relationships/{with_ada.id}/confirm-all"
                ).status_code == 404
    assert set(_statuses(with_ada.id).values()) == {"pending"}
    # Ada confirms all that waits for her: the one entry the recruiter logged, none of hers.
    assert post(_signed_in(app, ada), f"/relationships/{with_ada.id}/confirm-all"
                ).status_code == 302
    statuses = _statuses(with_ada.id)
    assert statuses.pop(mine.id) == "confirmed" and set(statuses.values()) == {"pending"}


def test_confirm_all_in_place_answers_with_the_waiting_panel(app, make):
    recruiter, _ada, _ben, with_ada, _with_ben, _mine = _waiting_world(make)
    client = _signed_in(app, recruiter)
    response = post(client, f"/relationships/{with_ada.id}/confirm-all", headers=FETCH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("<section") and 'id="waiting"' in html
    assert 'data-announce="Confirmed 3 entries from Ada Byrne."' in html
    assert "Ada Byrne" not in html.split("data-announce", 1)[1].split(">", 1)[1]
    assert "Confirm from Ben" in html


def test_a_connection_request_names_the_sender_with_a_link_to_their_profile(app, make):
    asked = make.user("client", name="Carla Client")
    sender = make.user("candidate", name="Sam Sender", title="Reward Lead",
                       visibility="connections")
    from referrals.network import people

    people.request_connection(sender, asked.person)
    client = _signed_in(app, asked)
    html = client.get("/").get_data(as_text=True)
    link = f'<a href="/people/{sender.person.id}"><strong>Sam Sender</strong></a> asked to connect'
    assert link in html
    profile = client.get(f"/people/{sender.person.id}")
    assert profile.status_code == 200 and "Reward Lead" in profile.get_data(as_text=True)


def test_dashboard_html_stays_small_however_much_waits(app, make):
    """Fifty rows, ten groups: the page does not grow with the network or the pending pile."""
    recruiter = make.user("recruiter")
    for n in range(60):
        make.contact(recruiter, name=f"Kept Person {n:02d}", organisation="Acme",
                     title="People Partner")
    small = len(_signed_in(app, recruiter).get("/").get_data())
    for n in range(30):
        make.contact(recruiter, name=f"Later Person {n:02d}", organisation="Acme",
                     title="People Partner")
    larger = len(_signed_in(app, recruiter).get("/").get_data())
    assert larger < small * 1.05 and larger < 100_000


# --- The relationship page ------------------------------------------------------------------


def _long_history(make, years: int = 3, per_year: int = 12):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    other = make.user("candidate", name="Olu Other")
    rel = make.connect(recruiter, other)
    start = date(date.today().year - years + 1, 1, 5)
    for n in range(years * per_year):
        make.log(other if n % 2 else recruiter, rel, kind="check_in", direction="mutual",
                 day=start + timedelta(days=n * 365 // per_year), note=f"entry number {n}")
    return recruiter, other, rel


def test_relationship_page_puts_the_log_form_first_and_the_history_in_pages_by_year(app, make):
    recruiter, _other, rel = _long_history(make, years=4)  # 12 a year, 48 in all
    client = _signed_in(app, recruiter)
    html = client.get(f"/relationships/{rel.id}").get_data(as_text=True)
    assert html.index('id="log-h"') < html.index('id="history-h"') < html.index('id="trust-h"')
    assert 'Shared history <span class="count">48</span>' in html
    assert html.count('class="entry ') == 25 and "1–25 of 48" in html
    this_year = date.today().year
    assert f'<h3 class="year-head" id="y-{this_year}">' in html
    oldest = this_year - 3  # its newest entry is the 37th: on page 2
    assert f'href="/relationships/{rel.id}?page=2#y-{oldest}">{oldest}</a>' in html
    assert f'href="/relationships/{rel.id}?page=1#y-{oldest + 1}">{oldest + 1}</a>' in html
    second = client.get(f"/relationships/{rel.id}?page=2").get_data(as_text=True)
    assert second.count('class="entry ') == 23 and "entry number 0<" in second


def test_logging_in_place_answers_with_the_fresh_history_and_errors_with_a_400(app, make):
    recruiter, other, rel = _long_history(make, years=1, per_year=2)
    client = _signed_in(app, recruiter)
    token = csrf_token(client, f"/relationships/{rel.id}")
    gave = re.compile(r"<strong>(\d+)</strong> you gave")
    before = int(gave.search(client.get(f"/relationships/{rel.id}").get_data(as_text=True))[1])
    form = {"csrf_token": token, "occurred_on": date.today().isoformat(), "kind": "advice",
            "direction": "i_gave", "note": "Shared the salary survey", "private_note": ""}
    response = client.post(f"/relationships/{rel.id}/interactions", data=form, headers=FETCH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="shared-history"' in html and "Shared the salary survey" in html
    assert 'data-announce="Logged.' in html
    # The trust panel comes too, counting the new entry, for the script to swap in.
    assert 'id="trust-panel" data-inplace-refresh' in html
    assert int(gave.search(html)[1]) == before + 1
    assert 'Shared history <span class="count">3</span>' in html
    bad = client.post(f"/relationships/{rel.id}/interactions",
                      data={**form, "occurred_on": "not a date"}, headers=FETCH)
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert "<html" not in bad.get_data(as_text=True)
    # Without the header it is the plain form post: a redirect back to the page.
    plain = client.post(f"/relationships/{rel.id}/interactions", data=form)
    assert plain.status_code == 302


def test_confirming_and_disputing_in_place(app, make):
    recruiter, other, rel = _long_history(make, years=1, per_year=2)
    waiting = make.log(other, rel, kind="advice", direction="i_gave", day=date.today())
    disputed = make.log(other, rel, kind="favour", direction="i_gave", day=date.today())
    client = _signed_in(app, recruiter)
    token = csrf_token(client, f"/relationships/{rel.id}")
    confirmed = client.post(f"/relationships/interactions/{waiting.id}/confirm",
                            data={"csrf_token": token}, headers=FETCH)
    assert confirmed.status_code == 200 and 'data-announce="Confirmed."' in confirmed.get_data(
        as_text=True)
    empty = client.post(f"/relationships/interactions/{disputed.id}/dispute",
                        data={"csrf_token": token, "reason": ""}, headers=FETCH)
    assert empty.status_code == 400 and "<html" not in empty.get_data(as_text=True)
    said = client.post(f"/relationships/interactions/{disputed.id}/dispute",
                       data={"csrf_token": token, "reason": "It was a call."}, headers=FETCH)
    assert said.status_code == 200 and "It was a call." in said.get_data(as_text=True)
    assert _statuses(rel.id)[waiting.id] == "confirmed"
    assert _statuses(rel.id)[disputed.id] == "disputed"


def test_waiting_pages_break_ties_by_name_and_past_the_end_show_the_last(app, make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    counts = {"Dee": 2, "Abe": 2, "Cal": 3, "Bea": 2, "Eve": 1}
    for name, count in counts.items():
        other = make.user("candidate", name=name)
        rel = make.connect(recruiter, other)
        for n in range(count):
            make.log(other, rel, kind="advice", direction="i_gave", day=date(2025, 3, n + 1))
    me = recruiter.person.id
    pages = [listing.pending_groups(me, number, size=2) for number in (1, 2, 3)]
    assert [[group.name for group in page.groups.items] for page in pages] == [
        ["Cal", "Abe"], ["Bea", "Dee"], ["Eve"]]
    assert {(page.groups.total, page.entries) for page in pages} == {(5, 10)}
    past = listing.pending_groups(me, 9, size=2)
    assert (past.groups.number, [group.name for group in past.groups.items]) == (3, ["Eve"])
    nobody = make.user("recruiter", name="Nora Nobody")
    empty = listing.pending_groups(nobody.person.id, 4, size=2)
    assert (empty.groups.number, empty.groups.items, empty.entries) == (1, [], 0)
