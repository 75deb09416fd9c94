"""What the trust score says in words (referrals/trust/reasons.py via referrals/trust/score.py): the
reasons and counts from each side, and "Before you ask"."""

from datetime import date

import pytest

from referrals.trust.score import Event, Ledger, ask_warning, assess


def ledger(evs) -> Ledger:
    return Ledger.from_events(evs)


def ev(day, kind="check_in", giver="mutual", logged_by="a", confirmed=True) -> Event:
    return Event(day=day, kind=kind, giver=giver, logged_by=logged_by, confirmed=confirmed)


def test_reasons_say_how_long_they_have_known_each_other():
    h = [ev(date(2015, 3, 1)), ev(date(2024, 2, 1))]
    result = assess(ledger(h), date(2024, 4, 1))
    assert "known 9 years" in result.reasons
    assert result.years_known == pytest.approx(9.08, abs=0.01)


def test_reasons_say_what_each_side_gave_and_asked():
    h = [ev(date(2023, m, 1), "referral", "a") for m in (1, 2, 3)]
    h += [ev(date(2023, m, 1), "ask", "a", logged_by="b") for m in (4, 5)]  # b asked, a gave
    stored, now = ledger(h), date(2023, 6, 1)
    mine, theirs = assess(stored, now, "a"), assess(stored, now, "b")
    assert "you gave 3 referrals, they asked twice" in mine.reasons
    assert "they gave 3 referrals, you asked twice" in theirs.reasons
    assert mine.given_by_kind == {"referral": 3, "ask": 2} and mine.received_by_kind == {}
    assert (mine.gave, mine.received, mine.asks_received) == (5, 0, 2)
    assert "they have not given anything back yet" in mine.reasons
    assert not mine.balanced


def test_balanced_means_the_lesser_side_gave_at_least_a_third():
    one_referral_each = [ev(date(2023, 1, 1), "referral", "a"),
                         ev(date(2023, 2, 1), "referral", "b")]
    assert assess(ledger(one_referral_each), date(2023, 3, 1)).balanced
    lopsided = one_referral_each + [ev(date(2023, 1, d), "favour", "a") for d in (2, 3, 4, 5)]
    lopsided_result = assess(ledger(lopsided), date(2023, 3, 1))
    assert not lopsided_result.balanced  # 11 units against 3
    # A placement is value to both sides, so placements never unbalance a relationship.
    placed = one_referral_each + [ev(date(2023, 1, d), "hire", "a") for d in (2, 3)]
    assert assess(ledger(placed), date(2023, 3, 1)).balanced
    assert lopsided_result.last_contact_kind == "referral"


def test_reasons_say_how_long_the_silence_has_been():
    result = assess(ledger([ev(date(2023, 1, 15))]), date(2024, 3, 20))
    assert "no contact for 14 months" in result.reasons
    assert result.days_silent == (date(2024, 3, 20) - date(2023, 1, 15)).days


def test_reasons_count_what_is_not_yet_confirmed():
    h = [ev(date(2023, 1, d), confirmed=False, logged_by="ab"[d % 2]) for d in (1, 2, 3, 4)]
    h.append(ev(date(2023, 1, 5)))
    result = assess(ledger(h), date(2023, 2, 1), "a")
    assert "4 interactions not yet confirmed (2 waiting for you to confirm)" in result.reasons
    assert (result.pending_count, result.confirmed_count, result.awaiting_you) == (4, 1, 2)


def test_reasons_point_out_an_ask_after_years_of_silence():
    h = [ev(date(2019, 5, 1)), ev(date(2022, 6, 1), "ask", giver="b", logged_by="a")]
    result = assess(ledger(h), date(2022, 7, 1), "a")
    assert "you asked after 3 years of silence, so it does not add to the score" in result.reasons
    assert result.last_contact == date(2019, 5, 1)
    assert any("asked after 3 years of silence" in r
               for r in assess(ledger(h), date(2022, 7, 1), "b").reasons)


def test_an_ask_with_nothing_before_it_counts_for_nothing():
    h = [ev(date(2022, 6, 1), "ask", giver="b", logged_by="a")]
    result = assess(ledger(h), date(2022, 7, 1), "a")
    assert (result.score, result.band, result.late_asks, result.asks_made) == (0, "fading", 1, 1)
    assert "you asked out of the blue, with no give and take before it, so it does not add to " \
        "the score" in result.reasons
    assert "you have not given anything back yet" in result.reasons


# --- Before you ask -----------------------------------------------------------------------------

def test_no_warning_for_someone_who_gives_and_keeps_in_touch():
    h = [ev(date(2018, 1, 1)), ev(date(2023, 9, 1), "market_insight", "a")]
    assert ask_warning(ledger(h), "a", date(2024, 1, 1)) is None


def test_warning_after_a_long_silence_suggests_giving_first():
    h = [ev(date(2018, 1, 1), "referral", "a")]
    text = ask_warning(ledger(h), "a", date(2022, 3, 1))
    assert "not been in touch with them for 4 years" in text
    assert "giving first" in text


def test_warning_when_the_asker_has_long_stopped_giving():
    h = [ev(date(2016, 1, 1), "advice", "a")] + [ev(date(2024, m, 1), "referral", "b")
                                                  for m in (1, 2)]
    text = ask_warning(ledger(h), "a", date(2024, 3, 1))
    assert "You have not given them anything for 8 years" in text
    assert ask_warning(ledger(h), "b", date(2024, 3, 1)) is None


def test_warning_when_the_asker_has_never_given_in_years():
    h = [ev(date(2016 + i, 1, 1), "ask", "b") for i in range(8)]  # a only ever asked
    assert "not yet given them anything" in ask_warning(ledger(h), "a", date(2024, 3, 1))


def test_warning_for_an_ask_with_no_shared_history():
    assert "no shared history" in ask_warning(Ledger(), "b", date(2024, 3, 1))


def test_no_warning_in_a_young_relationship():
    h = [ev(date(2024, 1, 1), "event")]
    assert ask_warning(ledger(h), "a", date(2024, 3, 1)) is None
