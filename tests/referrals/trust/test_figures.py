"""The trust panel's figures (referrals/trust/panel.py), read from the stored ledger text in one
pass, are exactly those of assess, score_series, marks and trend on the same history."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from referrals.trust import panel
from referrals.trust.score import assess
from referrals.trust.series import marks, score_series, trend
from tests.referrals.trust.test_score import END, ev, histories, later, ledger

sides = st.sampled_from(("a", "b"))


@settings(max_examples=150, deadline=None)
@given(histories, histories, later, sides)
def test_the_panel_shows_what_the_score_says(evs, then_evs, after, side):
    today = END + after
    stored = ledger(evs)
    shown = panel.figures(stored.to_json(), today, side)
    score = assess(stored, today, side)
    assert shown.score == score
    if score.first_contact is None:
        assert shown.series == shown.marks == () and shown.chart == ""
        return
    assert list(shown.series) == score_series(stored, score.first_contact, today, 60, side)
    assert list(shown.marks) == marks(stored, score.first_contact, today, side)
    assert panel.trend(stored.to_json(), ledger(then_evs).to_json(), today, 90, side) == trend(
        stored, today, 90, side, then_ledger=ledger(then_evs))


def test_figures_kept_for_one_ledger_are_not_shown_for_another():
    one = ledger([ev(END - timedelta(days=400)), ev(END - timedelta(days=30))])
    two = ledger([ev(END - timedelta(days=400))])
    assert panel.figures(one.to_json(), END, "a") != panel.figures(two.to_json(), END, "a")
    assert panel.figures(two.to_json(), END, "a").score == assess(two, END, "a")
