"""The trust-strength score (referrals/trust/): its laws as property tests over generated
histories, the stored summary, the chart series, marks and trend, and each part."""

import json
import math
from datetime import date, timedelta

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from referrals.kinds import GIVERS, KIND_VALUES
from referrals.openings import matching
from referrals.trust.score import (
    DEPTH_SCALE,
    DURATION_SCALE_YEARS,
    GIVING_SCALE,
    KIND_WEIGHTS,
    LONG_SILENCE_DAYS,
    PENDING_ALLOWANCE,
    RECENCY_GRACE_DAYS,
    RECENCY_HALF_LIFE_DAYS,
    REGULARITY_SCALE,
    SUBSTANCE_KINDS,
    SUBSTANCE_SCALE,
    UNCONFIRMED_WEIGHT,
    Event,
    Ledger,
    Summary,
    assess,
    current_band,
    current_score,
    reachable_since,
    score_and_band,
    summarize,
)
from referrals.trust.series import marks, score_series, trend

SIDES = ("a", "b")
NON_ASK_KINDS = tuple(k for k in KIND_VALUES if k != "ask")
SMALL_TALK = ("message", "check_in", "call", "meeting", "event")
SUBSTANCE = tuple(sorted(SUBSTANCE_KINDS))
START, END = date(2005, 1, 1), date(2025, 12, 31)
YEAR = timedelta(days=365)

# Days either side of multiples of LONG_SILENCE_DAYS, so that generated histories often sit right
# at the edge between a quiet spell and an ask out of the blue.
EDGE_DAYS = tuple(START + timedelta(days=k * LONG_SILENCE_DAYS + d)
                  for k in range(1, 12) for d in (-1, 0, 1))
days = st.dates(START, END) | st.sampled_from(EDGE_DAYS)
events = st.builds(Event, day=days, kind=st.sampled_from(KIND_VALUES),
                   giver=st.sampled_from(GIVERS), logged_by=st.sampled_from(SIDES),
                   confirmed=st.booleans())
histories = st.lists(events, max_size=25)
nonempty_histories = st.lists(events, min_size=1, max_size=25)
later = st.integers(min_value=0, max_value=4000).map(lambda n: timedelta(days=n))

laws = settings(max_examples=100, deadline=None)


def ledger(evs) -> Ledger:
    return Ledger.from_events(evs)


def last_day(evs) -> date:
    return max(e.day for e in evs)


def ev(day, kind="check_in", giver="mutual", logged_by="a", confirmed=True) -> Event:
    return Event(day=day, kind=kind, giver=giver, logged_by=logged_by, confirmed=confirmed)


def other(side: str) -> str:
    return "b" if side == "a" else "a"


# --- The laws (docs/trust.md, "What the score promises") ----------------------------------------

def both(stored: Ledger, now: date) -> tuple:
    return tuple(assess(stored, now, side) for side in SIDES)


@laws
@given(h=histories, extra=events, wait=later)
# An earlier contact must not turn a first ask into one "after a long silence" that counts less.
@example(h=[ev(date(2007, 1, 1), "ask")], extra=ev(date(2005, 1, 1)), wait=timedelta(days=730))
# A back-dated first meeting long before a revived stretch must not make the revival count less.
@example(h=[ev(date(2015, 1, 1), "referral", "a"), ev(date(2015, 3, 1), "advice", "b")],
         extra=ev(date(2005, 1, 1)), wait=timedelta(days=10))
def test_adding_an_entry_pending_or_confirmed_never_lowers_either_sides_score(h, extra, wait):
    now = extra.day + wait
    for before, after in zip(both(ledger(h), now), both(ledger(h + [extra]), now), strict=True):
        assert after.score >= before.score


@laws
@given(h=nonempty_histories, pick=st.integers(0, 24), now=days)
def test_confirming_an_interaction_never_lowers_either_sides_score(h, pick, now):
    i = pick % len(h)
    assume(not h[i].confirmed)
    confirmed = h[:i] + [Event(h[i].day, h[i].kind, h[i].giver, h[i].logged_by, True)] + h[i + 1:]
    for before, after in zip(both(ledger(h), now), both(ledger(confirmed), now), strict=True):
        assert after.score >= before.score


@laws
@given(h=histories, extra=events, wait=later)
def test_an_unconfirmed_entry_adds_less_than_the_same_entry_confirmed(h, extra, wait):
    now = extra.day + wait
    pending = Event(extra.day, extra.kind, extra.giver, extra.logged_by, False)
    sure = Event(extra.day, extra.kind, extra.giver, extra.logged_by, True)
    for claimed, vouched in zip(both(ledger(h + [pending]), now), both(ledger(h + [sure]), now),
                                strict=True):
        assert claimed.score <= vouched.score


@laws
@given(h=histories, data=st.data(), side=st.sampled_from(SIDES), n=st.integers(1, 50),
       wait=st.integers(0, 400))
def test_a_burst_of_unconfirmed_entries_from_one_side_moves_the_score_a_few_points_at_most(
        h, data, side, n, wait):
    start = data.draw(days)
    burst = [Event(start + timedelta(days=data.draw(st.integers(0, 30))),
                   data.draw(st.sampled_from(KIND_VALUES)), data.draw(st.sampled_from(GIVERS)),
                   side, False) for _ in range(n)]
    now = max([start + timedelta(days=30)] + [e.day for e in h]) + timedelta(days=wait)
    for before, after in zip(both(ledger(h), now), both(ledger(h + burst), now), strict=True):
        assert before.score <= after.score <= before.score + PENDING_ALLOWANCE


def test_fifty_unconfirmed_favours_do_not_drag_a_strong_relationship_down():
    h = [ev(date(2014 + i // 2, 1 + 6 * (i % 2), 3), ("referral", "advice")[i % 2], "ab"[i % 2])
         for i in range(22)]
    now = date(2025, 3, 1)
    favours = [ev(date(2025, 2, 1), "favour", "b", logged_by="b", confirmed=False)] * 50
    for before, after in zip(both(ledger(h), now), both(ledger(h + favours), now), strict=True):
        assert before.score >= 70
        assert before.score <= after.score <= before.score + PENDING_ALLOWANCE


@laws
@given(h=nonempty_histories, first_wait=later, second_wait=later, side=st.sampled_from(SIDES))
def test_with_nothing_new_the_score_never_rises(h, first_wait, second_wait, side):
    stored, sooner = ledger(h), last_day(h) + first_wait
    assert assess(stored, sooner + second_wait, side).score <= assess(stored, sooner, side).score


@laws
@given(h=nonempty_histories, wait=later, side=st.sampled_from(SIDES))
@example(h=[ev(date(2020, 1, 1), "hire", "a")] * 2, wait=timedelta(days=3000), side="a")
def test_fading_never_stalls_every_non_zero_score_is_lower_a_year_later(h, wait, side):
    stored, now = ledger(h), last_day(h) + wait
    score = assess(stored, now, side).score
    if score > 0:
        assert assess(stored, now + YEAR, side).score < score


def test_a_faint_score_does_not_stall_at_one():
    h = [ev(date(2010, 1, 1), "message")]
    shown = [assess(ledger(h), date(2010, 1, 1) + timedelta(days=d)).score
             for d in range(0, 4000, 365)]
    assert all(later < now for now, later in zip(shown, shown[1:], strict=False) if now)


@laws
@given(h=nonempty_histories)
@example(h=[ev(date(2006, 7, 2), "ask", giver="a")])  # nothing but an ask out of the blue
def test_a_relationship_left_alone_for_five_years_is_dormant(h):
    stored = ledger(h)
    for side in SIDES:
        then = assess(stored, last_day(h), side)
        five_years_on = assess(stored, last_day(h) + 5 * YEAR, side)
        assert five_years_on.band == "dormant"
        assert five_years_on.score < 20
        if then.score >= 10:
            assert five_years_on.score < then.score / 2


@laws
@given(data=st.data(), n=st.integers(8, 20), gap=st.integers(120, 365))
def test_regular_contact_over_years_beats_the_same_exchanges_in_one_month(data, n, gap):
    # The earliest exchange is not an ask: an ask before any other contact counts for nothing,
    # which is a different law and would make the two histories differ in more than timing.
    kinds = data.draw(st.lists(st.sampled_from(KIND_VALUES), min_size=n - 1, max_size=n - 1))
    kinds.append(data.draw(st.sampled_from(NON_ASK_KINDS)))
    givers = data.draw(st.lists(st.sampled_from(GIVERS), min_size=n, max_size=n))
    # Confirmed alike: how recent the confirmed entries are is a different law.
    confirmed = [True] * n
    # One of the burst's days is `end`, so both histories were last in touch on the same day.
    burst_days = [0] + data.draw(st.lists(st.integers(0, 29), min_size=n - 1, max_size=n - 1))
    end = date(2024, 12, 31)
    spread = [Event(end - timedelta(days=i * gap), k, g, "a", c)
              for i, (k, g, c) in enumerate(zip(kinds, givers, confirmed, strict=True))]
    burst = [Event(end - timedelta(days=d), k, g, "a", c)
             for d, k, g, c in zip(burst_days, kinds, givers, confirmed, strict=True)]
    for side in SIDES:
        over_years, in_a_month = assess(ledger(spread), end, side), assess(ledger(burst), end, side)
        assert in_a_month.base <= 0.6 * over_years.base + 1e-9
        assert in_a_month.score <= over_years.score


def _fields(e: Event) -> tuple:
    return (e.day, e.kind, e.giver, e.logged_by, e.confirmed)


def test_twenty_exchanges_in_a_month_are_not_a_decade_of_check_ins():
    burst = [ev(date(2024, 3, 1) + timedelta(days=i), "referral") for i in range(20)]
    decade = [ev(date(2014 + i, 3, 1)) for i in range(11)]
    now = date(2024, 3, 20)
    assert assess(ledger(burst), now).score < assess(ledger(decade), now).score - 20


@laws
@given(data=st.data(), n=st.integers(4, 20), now_wait=later)
def test_generosity_counts_for_the_giver_and_taking_is_what_is_gated(data, n, now_wait):
    # Law 1. b gives to a repeatedly and never asks. From a's side that is earned standing:
    # well above the same history seen by b (a only took), and at least as high as a balanced
    # history of the same days in which b gave only half as often (fewer exchanges).
    when = sorted(data.draw(st.lists(days, min_size=n, max_size=n)))
    # Not placements: a placement is value to both sides (law 2), so it is nobody's taking.
    kinds = data.draw(st.lists(st.sampled_from([k for k in NON_ASK_KINDS if k != "hire"]),
                               min_size=n, max_size=n))
    generous = [Event(d, k, "b", "a", True) for d, k in zip(when, kinds, strict=True)]
    balanced = [Event(d, k, "ab"[i % 2], "a", True)
                for i, (d, k) in enumerate(zip(when, kinds, strict=True))]
    now = last_day(generous) + now_wait
    my_view, their_view = both(ledger(generous), now)
    fewer = assess(ledger(balanced), now, "a")
    assert my_view.score >= fewer.score
    assert their_view.score <= my_view.score
    if my_view.base >= 25:
        assert their_view.base <= 0.5 * my_view.base  # the taker is gated, not the giver


@laws
@given(when=st.lists(days, min_size=1, max_size=40), confirmed=st.booleans(), wait=later)
def test_a_person_who_only_asks_stays_low_in_the_eyes_of_who_answered(when, confirmed, wait):
    asks = [Event(d, "ask", "b", "a", confirmed) for d in when]  # a asks, b gives their time
    result = assess(ledger(asks), max(when) + wait, "b")
    assert result.score < 25
    assert result.parts["giving"] == 0


@laws
@given(data=st.data(), n=st.integers(2, 16), gap=st.integers(30, 400), wait=later)
def test_a_placement_is_give_and_take_for_both_sides(data, n, gap, wait):
    # Law 2: whoever is recorded as giving a placement, it raises both sides' standing alike.
    kinds = data.draw(st.lists(st.sampled_from(NON_ASK_KINDS), min_size=n, max_size=n))
    givers = data.draw(st.lists(st.sampled_from(GIVERS), min_size=n, max_size=n))
    end = date(2024, 6, 1)
    h = [Event(end - timedelta(days=i * gap), k, g, "a", True)
         for i, (k, g) in enumerate(zip(kinds, givers, strict=True))]
    now = end + wait
    by_a, by_b = (h + [Event(end, "hire", giver, "a", True)] for giver in ("a", "b"))
    for side in SIDES:
        assert assess(ledger(by_a), now, side).score == assess(ledger(by_b), now, side).score
        assert assess(ledger(by_a), now, side).parts["giving"] > \
            assess(ledger(h), now, side).parts["giving"] or \
            assess(ledger(h), now, side).parts["giving"] > 0.99


@laws
@given(data=st.data(), n=st.integers(4, 30), rhythm=st.integers(20, 182),
       silence_years=st.integers(5, 12), kind=st.sampled_from(NON_ASK_KINDS),
       giver=st.sampled_from(GIVERS))
def test_no_quick_revival_one_contact_after_a_long_silence_restores_only_a_small_part(
        data, n, rhythm, silence_years, kind, giver):
    # Law 3: a steady rhythm, then a silence of years (far beyond the rhythm), then one contact.
    kinds = data.draw(st.lists(st.sampled_from(NON_ASK_KINDS), min_size=n, max_size=n))
    givers = data.draw(st.lists(st.sampled_from(GIVERS), min_size=n, max_size=n))
    start = date(2005, 1, 1)
    old = [Event(start + timedelta(days=i * rhythm), k, g, "a", True)
           for i, (k, g) in enumerate(zip(kinds, givers, strict=True))]
    last = last_day(old)
    back = last + timedelta(days=round(silence_years * 365.25))
    revived = old + [Event(back, kind, giver, "a", True)]
    for side in SIDES:
        standing = assess(ledger(old), last, side).score
        one_contact = assess(ledger(revived), back + timedelta(days=10), side).score
        # What the contact earns as a fresh start, and well under half of the old standing.
        fresh = assess(ledger([revived[-1]]), back + timedelta(days=10), side).score
        assert one_contact <= fresh + 0.4 * standing + 2
        # ... and sustained contact over the following months restores it.
        monthly = revived + [Event(back + timedelta(days=31 * m), "check_in", "mutual", "a", True)
                             for m in range(1, 5)]
        restored = assess(ledger(monthly), back + timedelta(days=31 * 4), side).score
        assert restored >= standing


def test_one_message_does_not_revive_a_strong_tie_left_for_eight_years():
    kinds = ("referral", "advice", "check_in", "market_insight")
    strong = [ev(date(2012, 1, 1) + timedelta(days=90 * i), kinds[i % 4], "ab"[i % 2])
              for i in range(25)]
    hi = strong + [ev(date(2026, 5, 22), "message")]
    assert assess(ledger(strong), date(2018, 1, 1)).score >= 80
    assert assess(ledger(hi), date(2026, 6, 1)).score < 30


@laws
@given(data=st.data(), n=st.integers(3, 30), rhythm=st.integers(20, 400), wait=later)
def test_substance_over_small_talk_of_the_same_length_and_rhythm(data, n, rhythm, wait):
    # Law 4: the same days, givers and confirmations; some small talk turned into substance.
    talk = data.draw(st.lists(st.sampled_from(SMALL_TALK), min_size=n, max_size=n))
    givers = data.draw(st.lists(st.sampled_from(GIVERS), min_size=n, max_size=n))
    confirmed = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    turned = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n))
    substance = data.draw(st.lists(st.sampled_from(SUBSTANCE), min_size=n, max_size=n))
    end = date(2024, 6, 1)
    small = [Event(end - timedelta(days=i * rhythm), k, g, "a", c)
             for i, (k, g, c) in enumerate(zip(talk, givers, confirmed, strict=True))]
    deep = [Event(e.day, substance[i] if i in turned else e.kind, e.giver, "a", e.confirmed)
            for i, e in enumerate(small)]
    now = end + wait
    for side in SIDES:
        assert assess(ledger(deep), now, side).score >= assess(ledger(small), now, side).score


def test_a_decade_of_monthly_messages_does_not_outrank_annual_check_ins_with_substance():
    now = date(2026, 6, 1)
    messages = [ev(date(2016, 6, 1) + timedelta(days=30 * i), "message") for i in range(121)]
    substance = [ev(date(2016, 5, 1 + i)) for i in range(0)] + \
        [ev(date(2016 + i, 5, 20)) for i in range(11)] + \
        [ev(date(2018, 3, 1), "hire", "a"), ev(date(2022, 3, 1), "hire", "a")] + \
        [ev(date(2017 + 2 * i, 9, 1), "referral", "b") for i in range(3)]
    for side in SIDES:
        assert assess(ledger(substance), now, side).score > assess(ledger(messages), now,
                                                                   side).score


@laws
@given(h=nonempty_histories, asker=st.sampled_from(SIDES), confirmed=st.booleans(),
       silence=st.integers(LONG_SILENCE_DAYS + 1, 4000), wait=later)
def test_an_ask_after_a_long_silence_does_not_raise_the_score(h, asker, confirmed, silence, wait):
    ask_day = last_day(h) + timedelta(days=silence)
    ask = Event(ask_day, "ask", other(asker), asker, confirmed)
    now = ask_day + wait
    before, after = assess(ledger(h), now, asker), assess(ledger(h + [ask]), now, asker)
    assert after.score <= before.score
    assert after.last_contact == before.last_contact  # it does not refresh recency
    assert after.late_asks == before.late_asks + 1
    assert after.last_late_ask == ask_day
    assert any(r.startswith(("you asked after", "you asked out of the blue"))
               for r in after.reasons)


@laws
@given(h=nonempty_histories, wait=later)
def test_an_unconfirmed_history_counts_clearly_less_than_the_same_confirmed(h, wait):
    now = last_day(h) + wait
    vouched = both(ledger([Event(*_fields(e)[:4], True) for e in h]), now)
    claimed = both(ledger([Event(*_fields(e)[:4], False) for e in h]), now)
    for mine, sure in zip(claimed, vouched, strict=True):
        assert mine.score <= min(sure.score, PENDING_ALLOWANCE)


@laws
@given(h=histories, now=days)
def test_events_after_now_are_ignored(h, now):
    full, upto = both(ledger(h), now), both(ledger([e for e in h if e.day <= now]), now)
    assert [(x.score, x.base, x.reasons) for x in full] == \
        [(x.score, x.base, x.reasons) for x in upto]


@laws
@given(h=histories, now=days)
def test_each_side_has_its_own_standing_with_mirrored_counts(h, now):
    mine, theirs = both(ledger(h), now)
    assert (mine.gave, mine.received) == (theirs.received, theirs.gave)
    assert mine.given_by_kind == theirs.received_by_kind
    assert (mine.asks_made, mine.asks_received) == (theirs.asks_received, theirs.asks_made)
    assert 0 <= mine.score <= 100
    assert all(0.0 <= v <= 1.0 for v in mine.parts.values())
    # Where the two sides' giving is the same, so are their standings.
    swapped = ledger([Event(e.day, e.kind, {"a": "b", "b": "a"}.get(e.giver, e.giver),
                            other(e.logged_by), e.confirmed) for e in h])
    assert assess(swapped, now, "b").score == mine.score


# --- The stored summary, the chart and the trend ------------------------------------------------

@laws
@given(h=histories, wait=later)
def test_the_stored_summary_gives_exactly_the_full_score(h, wait):
    stored = ledger(h)
    now = (last_day(h) if h else START) + wait
    summary = Summary.from_dict(json.loads(json.dumps(summarize(stored).to_dict())))
    for side in SIDES:
        full = assess(stored, now, side)
        assert current_score(summary, now, side) == full.score
        assert current_band(summary, now, side) == full.band
    full = assess(stored, now)
    assert (summary.confirmed, summary.pending) == (full.confirmed_count, full.pending_count)
    assert summary.given == {"a": full.given_by_kind, "b": full.received_by_kind,
                             "mutual": full.mutual_by_kind}
    assert (summary.first_contact, summary.last_contact) == (full.first_contact, full.last_contact)
    assert (summary.balanced, summary.last_kind) == (full.balanced, full.last_contact_kind)


@laws
@given(base=st.floats(0, 100), held=st.floats(0, 100), silence=st.integers(0, 6000),
       min_score=st.integers(1, 100))
def test_no_score_reaches_a_minimum_from_before_the_day_it_is_reachable_since(
        base, held, silence, min_score):
    now = END
    last_contact = now - timedelta(days=silence)
    if last_contact < reachable_since(min_score, now):
        assert score_and_band(base, held, last_contact, last_contact, last_contact,
                              now)[0] < min_score


def test_reachable_since_is_close_to_the_last_day_a_perfect_base_reaches_it():
    since = reachable_since(55, END)
    days = [d for d in range(4000)
            if score_and_band(100.0, 100.0, END - timedelta(days=d), END - timedelta(days=d),
                              None, END)[0] >= 55]
    assert (END - since).days - max(days) <= 60  # the yearly fade brings it a little closer


@laws
@given(h=histories, wait=later, side=st.sampled_from(SIDES))
def test_wild_card_trust_facts_from_the_summary_equal_those_from_the_ledger(h, wait, side):
    stored = ledger(h)
    now = (last_day(h) if h else START) + wait
    summary = Summary.from_dict(json.loads(json.dumps(summarize(stored).to_dict())))
    assert matching.trust_facts(summary, side, now) == matching.assessed_facts(stored, side,
                                                                               now)[0]


@settings(max_examples=60, deadline=None)
@given(h=histories, start=days, length=st.integers(0, 6000), points=st.integers(2, 80),
       side=st.sampled_from(SIDES))
def test_the_series_is_the_score_as_it_was_at_each_moment(h, start, length, points, side):
    stored, end = ledger(h), start + timedelta(days=length)
    series = score_series(stored, start, end, points, side)
    assert series[0][0] == start and series[-1][0] == end
    assert len(series) <= points
    assert [d for d, _ in series] == sorted({d for d, _ in series})
    for moment, score in series:
        assert score == assess(stored, moment, side).score


def test_the_series_is_evenly_spaced():
    start = date(2020, 1, 1)
    series = score_series(ledger([ev(start)]), start, start + timedelta(days=60), 7)
    assert [(d - start).days for d, _ in series] == [0, 10, 20, 30, 40, 50, 60]


def test_trend_is_the_score_now_minus_the_score_then():
    h = [ev(date(2015 + i, 6, 1), "referral", "ab"[i % 2]) for i in range(8)]
    now = date(2026, 6, 1)
    then = now - timedelta(days=90)
    assert trend(ledger(h), now) == assess(ledger(h), now).score - assess(ledger(h), then).score
    assert trend(ledger(h), now) < 0  # left alone, it fades


def test_trend_counts_back_dated_entries_logged_since_as_change():
    known_then = [ev(date(2016, 6, 1), "check_in")]
    back_dated = known_then + [ev(date(2016 + i, 3, 1), "referral", "ab"[i % 2])
                               for i in range(1, 9)]
    now = date(2025, 6, 1)
    moved = trend(ledger(back_dated), now, then_ledger=ledger(known_then))
    assert moved == assess(ledger(back_dated), now).score - \
        assess(ledger(known_then), now - timedelta(days=90)).score
    assert moved > 0 > trend(ledger(back_dated), now)  # as if they had always been there


def test_a_mark_for_each_confirmed_entry_that_moved_the_score():
    h = [ev(date(2020, 1, 1), "referral", "a"), ev(date(2021, 1, 1), "advice", "b"),
         ev(date(2021, 1, 1), "message", confirmed=False), ev(date(2022, 1, 1), "message",
                                                               confirmed=False)]
    found = marks(ledger(h), date(2019, 1, 1), date(2023, 1, 1), "a")
    assert [(m.day, m.kinds) for m in found] == [(date(2020, 1, 1), ("referral",)),
                                                 (date(2021, 1, 1), ("advice",))]
    assert all(m.change > 0 and m.score == assess(ledger(h), m.day).score for m in found)


# --- The parts ----------------------------------------------------------------------------------

def test_giving_is_what_the_other_side_gave_you():
    h = [ev(date(2020, 1, 1), "referral", "a"), ev(date(2020, 2, 1), "advice", "b"),
         ev(date(2020, 3, 1), "call", "mutual"), ev(date(2020, 3, 2), "hire", "a")]
    give_a, give_b = 3.0 + 1.0 + 4.0, 2.0 + 1.0 + 4.0  # a placement counts for both
    mine, theirs = both(ledger(h), date(2020, 3, 2))
    assert mine.parts["giving"] == pytest.approx(1 - math.exp(-give_b / GIVING_SCALE))
    assert theirs.parts["giving"] == pytest.approx(1 - math.exp(-give_a / GIVING_SCALE))


def test_substance_counts_placements_referrals_and_advice_not_small_talk():
    h = [ev(date(2020, 1, 1), "referral", "a"), ev(date(2020, 2, 1), "advice", "b"),
         ev(date(2020, 3, 1), "message"), ev(date(2020, 3, 2), "check_in")]
    parts = assess(ledger(h), date(2020, 3, 2)).parts
    assert parts["substance"] == pytest.approx(1 - math.exp(-5.0 / SUBSTANCE_SCALE))


def test_regularity_counts_quarters_with_contact_and_pending_ones_for_less():
    h = [ev(date(2020, 1, 5)), ev(date(2020, 1, 20)), ev(date(2020, 5, 1)),
         ev(date(2021, 8, 1)), ev(date(2022, 1, 1), confirmed=False)]
    parts = assess(ledger(h), date(2022, 1, 1)).parts
    quarters = 3 + UNCONFIRMED_WEIGHT
    assert parts["regularity"] == pytest.approx(1 - math.exp(-quarters / REGULARITY_SCALE))


def test_duration_counts_years_of_contact_leaving_out_silences_over_eighteen_months():
    h = [ev(date(2012 + i, 1, 1)) for i in range(9)]  # yearly, 2012 to 2020
    years = (date(2020, 1, 1) - date(2012, 1, 1)).days / 365.25
    parts = assess(ledger(h), date(2024, 1, 1)).parts
    assert parts["duration"] == pytest.approx(1 - math.exp(-years / DURATION_SCALE_YEARS))
    claimed = [ev(e.day, confirmed=False) for e in h]
    claimed_years = UNCONFIRMED_WEIGHT * years  # claimed years count for 40%
    assert assess(ledger(claimed), date(2024, 1, 1)).parts["duration"] == pytest.approx(
        1 - math.exp(-claimed_years / DURATION_SCALE_YEARS))
    silence = [ev(date(2012, 1, 1)), ev(date(2012, 7, 1)), ev(date(2020, 1, 1))]
    in_touch = (date(2012, 7, 1) - date(2012, 1, 1)).days / 365.25
    assert assess(ledger(silence), date(2020, 1, 1)).parts["duration"] == pytest.approx(
        1 - math.exp(-in_touch / DURATION_SCALE_YEARS))


def test_depth_weighs_a_referral_above_a_message():
    referral = assess(ledger([ev(date(2020, 1, 1), "referral", "a")]), date(2020, 1, 1))
    message = assess(ledger([ev(date(2020, 1, 1), "message", "a")]), date(2020, 1, 1))
    assert KIND_WEIGHTS["referral"] > KIND_WEIGHTS["message"]
    assert referral.parts["depth"] == pytest.approx(1 - math.exp(-3.0 / DEPTH_SCALE))
    assert referral.parts["depth"] > message.parts["depth"]


def test_revival_shows_how_much_of_the_old_standing_is_back():
    h = [ev(date(2010, 1, 1) + timedelta(days=90 * i), "advice", "ab"[i % 2]) for i in range(12)]
    assert assess(ledger(h), date(2013, 1, 1)).parts["revival"] == 1.0
    hi = h + [ev(date(2020, 1, 1), "message")]
    assert assess(ledger(hi), date(2020, 1, 2)).parts["revival"] < 0.35


def test_recency_holds_for_half_a_year_then_halves_every_half_life():
    stored = ledger([ev(date(2020, 1, 1))])

    def at(days: int) -> float:
        return assess(stored, date(2020, 1, 1) + timedelta(days=days)).parts["recency"]

    assert at(RECENCY_GRACE_DAYS) == 1.0
    assert at(RECENCY_GRACE_DAYS + RECENCY_HALF_LIFE_DAYS) == pytest.approx(0.5)
    assert at(RECENCY_GRACE_DAYS + 2 * RECENCY_HALF_LIFE_DAYS) == pytest.approx(0.25)


def test_an_empty_history_is_new_and_scores_zero():
    result = assess(Ledger(), date(2024, 1, 1))
    assert (result.score, result.band, result.first_contact) == (0, "new", None)
    assert result.reasons == ["no shared history yet"]
    assert current_score(summarize(Ledger()), date(2024, 1, 1)) == 0


def test_a_long_balanced_confirmed_history_is_strong_and_fades_when_left_alone():
    kinds = ("referral", "advice", "market_insight", "check_in", "introduction", "hire")
    h = [ev(date(2014, 1, 10) + timedelta(days=120 * i), kinds[i % 6], "ab"[i % 2])
         for i in range(30)]
    end = last_day(h)
    assert assess(ledger(h), end).band == "strong"
    assert assess(ledger(h), end + 2 * YEAR).band in ("steady", "fading")
    assert assess(ledger(h), end + 5 * YEAR).band == "dormant"
