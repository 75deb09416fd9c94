"""Every interaction kind in the one table (referrals/kinds.py) is complete wherever it is used:
the score counts it, the reasons word it, the form offers it and the history page shows it."""

from datetime import date
from html import escape

import pytest
from sqlalchemy import func, select

from extensions import db
from referrals.history import services as history
from referrals.kinds import ASK, KINDS
from referrals.models import Interaction
from referrals.statuses import Role
from referrals.trust.score import Event, Ledger, assess
from referrals.trust.standing import fold
from tests.conftest import login

GIVEN = [kind for kind in KINDS if not kind.is_ask]


def _ev(day, kind, giver="a", logged_by="a"):
    return Event(day=day, kind=kind, giver=giver, logged_by=logged_by, confirmed=True)


def test_the_table_names_every_kind_once_with_all_it_needs():
    assert len({kind.value for kind in KINDS}) == len(KINDS)
    assert len({kind.icon for kind in KINDS}) == len(KINDS)  # each kind tells itself apart
    for kind in KINDS:
        assert kind.label and kind.icon and all(kind.nouns), kind.value
        assert kind.units > 0, kind.value
        assert kind.logged_by and kind.logged_by <= set(Role), kind.value
    assert [kind.value for kind in KINDS if kind.is_ask] == [ASK]
    ranks = [kind.telling for kind in GIVEN]
    assert sorted(ranks) == list(range(1, len(GIVEN) + 1))  # every given kind has its own rank


def test_substance_weighs_more_than_small_talk():
    # DOMAIN: "placements, referrals and advice weigh more than small talk of the same rhythm".
    substance = [kind for kind in GIVEN if kind.substance]
    small_talk = [kind for kind in GIVEN if not kind.substance]
    assert {"hire", "referral", "advice"} <= {kind.value for kind in substance}
    assert min(kind.units for kind in substance) > max(kind.units for kind in small_talk)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_the_score_counts_every_kind_by_its_units(kind):
    # A check-in first, so that an ask does not come out of the blue (which counts for nothing).
    events = [_ev(date(2023, 1, 2), "check_in", giver="mutual"), _ev(date(2023, 2, 1), kind.value)]
    given = fold(Ledger.from_events(events).by_day()).claimed.tracks[0].given()
    received = kind.units if kind.both_ways else 0.0  # a placement is value to both sides
    assert given == {"a": pytest.approx(1.0 + kind.units), "b": pytest.approx(1.0 + received)}


@pytest.mark.parametrize("kind", GIVEN, ids=lambda k: k.value)
def test_the_reasons_word_every_kind_given(kind):
    for count in (1, 3):
        events = [_ev(date(2023, month, 1), kind.value) for month in range(1, count + 1)]
        reasons = assess(Ledger.from_events(events), date(2023, 6, 1), "a").reasons
        assert f"you gave {count} {kind.noun(count)}" in reasons


def test_the_reasons_word_asks_as_asks():
    events = [_ev(date(2023, 1, 2), "check_in", giver="mutual"),
              _ev(date(2023, 2, 1), ASK, giver="a", logged_by="b")]  # b asked, a gave time
    reasons = assess(Ledger.from_events(events), date(2023, 6, 1), "a").reasons
    assert "they asked once" in reasons


def test_the_form_offers_every_kind_and_the_history_shows_each_with_its_icon(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    for kind in KINDS:
        make.log(recruiter, rel, kind=kind.value, day=date(2024, 1, 1))
    client = app.test_client()
    login(client, candidate.email)
    page = client.get(f"/relationships/{rel.id}").get_data(as_text=True)
    for kind in KINDS:
        assert f'<option value="{kind.value}">{escape(kind.label)}</option>' in page
        assert (f'<span class="kind kind-{kind.value}"><span class="kind-icon" aria-hidden="true">'
                f'{kind.icon}</span> {escape(kind.label)}</span>') in page


def test_a_kind_the_table_does_not_know_is_refused_and_nothing_is_written(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    with pytest.raises(history.HistoryError) as refused:
        history.log_interaction(recruiter, rel.id, rel.side_of(recruiter.person.id),
                                occurred_on=date(2024, 1, 1), kind="gossip", direction="mutual",
                                note="", private_note="")
    assert refused.value.status == 400
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Interaction)) == 0
