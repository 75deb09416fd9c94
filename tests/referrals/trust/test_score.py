"""The trust-strength score (referrals/trust/score.py): its laws as property tests over generated
histories, the stored summary, the chart series and trend, and each part."""

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
    KIND_WEIGHTS,
    LONG_SILENCE_DAYS,
    RECENCY_GRACE_DAYS,
    RECENCY_HALF_LIFE_DAYS,
    RECIPROCITY_SCALE,
    REGULARITY_SCALE,
    UNCONFIRMED_WEIGHT,
    Event,
    Ledger,
    Summary,
    assess,
    current_band,
    current_score,
    reachable_since,
    score_and_band,
    score_series,
    summarize,
    trend,
)

SIDES = ("a", "b")
NON_ASK_KINDS = tuple(k for k in KIND_VALUES if k != "ask")
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


# --- The laws -----------------------------------------------------------------------------------

@laws
@given(h=histories, extra=events, wait=later)
# An earlier contact must not turn a first ask into one "after a long silence" that counts less.
@example(h=[ev(date(2007, 1, 1), "ask")], extra=ev(date(2005, 1, 1)), wait=timedelta(days=730))
def test_more_confirmed_giving_never_lowers_the_score(h, extra, wait):
    extra = Event(extra.day, extra.kind, extra.giver, extra.logged_by, True)
    now = extra.day + wait
    before, after = assess(ledger(h), now), assess(ledger(h + [extra]), now)
    assert after.base >= before.base
    assert after.score >= before.score


@laws
@given(h=nonempty_histories, pick=st.integers(0, 24), now=days)
def test_confirming_an_interaction_never_lowers_the_score(h, pick, now):
    i = pick % len(h)
    assume(not h[i].confirmed)
    confirmed = h[:i] + [Event(h[i].day, h[i].kind, h[i].giver, h[i].logged_by, True)] + h[i + 1:]
    before, after = assess(ledger(h), now), assess(ledger(confirmed), now)
    assert after.base >= before.base
    assert after.score >= before.score


@laws
@given(h=nonempty_histories, first_wait=later, second_wait=later)
def test_with_nothing_new_the_score_never_rises(h, first_wait, second_wait):
    stored, sooner = ledger(h), last_day(h) + first_wait
    assert assess(stored, sooner + second_wait).score <= assess(stored, sooner).score


@laws
@given(h=nonempty_histories)
@example(h=[ev(date(2006, 7, 2), "ask", giver="a")])  # nothing but an ask out of the blue
def test_a_relationship_left_alone_for_five_years_is_dormant(h):
    stored = ledger(h)
    then = assess(stored, last_day(h))
    five_years_on = assess(stored, last_day(h) + 5 * YEAR)
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
    confirmed = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    # One of the burst's days is `end`, so both histories were last in touch on the same day.
    burst_days = [0] + data.draw(st.lists(st.integers(0, 29), min_size=n - 1, max_size=n - 1))
    end = date(2024, 12, 31)
    spread = [Event(end - timedelta(days=i * gap), k, g, "a", c)
              for i, (k, g, c) in enumerate(zip(kinds, givers, confirmed, strict=True))]
    burst = [Event(end - timedelta(days=d), k, g, "a", c)
             for d, k, g, c in zip(burst_days, kinds, givers, confirmed, strict=True)]
    over_years, in_a_month = assess(ledger(spread), end), assess(ledger(burst), end)
    assert in_a_month.base <= 0.6 * over_years.base
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
def test_balanced_give_and_take_beats_one_way_taking(data, n, now_wait):
    when = data.draw(st.lists(days, min_size=n, max_size=n))
    kinds = data.draw(st.lists(st.sampled_from(NON_ASK_KINDS), min_size=n, max_size=n))
    confirmed = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rows = sorted(zip(when, kinds, confirmed, strict=True))
    one_way = [Event(d, k, "b", "a", c) for d, k, c in rows]
    balanced = [Event(d, k, "ab"[i % 2], "a", c) for i, (d, k, c) in enumerate(rows)]
    now = last_day(one_way) + now_wait
    taking, balance = assess(ledger(one_way), now), assess(ledger(balanced), now)
    assert balance.base > taking.base
    assert balance.score >= taking.score


@laws
@given(when=st.lists(days, min_size=1, max_size=40), confirmed=st.booleans(), wait=later)
def test_a_person_who_only_asks_stays_low(when, confirmed, wait):
    asks = [Event(d, "ask", "b", "a", confirmed) for d in when]  # a asks, b gives their time
    result = assess(ledger(asks), max(when) + wait)
    assert result.score < 25
    assert result.parts["reciprocity"] == 0


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
    assert any(r.startswith(("you asked after", "you asked out of the blue"))
               for r in after.reasons)


@laws
@given(h=nonempty_histories, wait=later)
def test_an_unconfirmed_history_counts_clearly_less_than_the_same_confirmed(h, wait):
    now = last_day(h) + wait
    vouched = assess(ledger([Event(*_fields(e)[:4], True) for e in h]), now)
    claimed = assess(ledger([Event(*_fields(e)[:4], False) for e in h]), now)
    assert claimed.base <= 0.6 * vouched.base + 1e-9
    assert claimed.score <= vouched.score
    if vouched.score >= 10:
        assert claimed.score <= 0.7 * vouched.score


@laws
@given(h=histories, now=days)
def test_events_after_now_are_ignored(h, now):
    full, upto = assess(ledger(h), now), assess(ledger([e for e in h if e.day <= now]), now)
    assert (full.score, full.base, full.reasons) == (upto.score, upto.base, upto.reasons)


@laws
@given(h=histories, now=days)
def test_both_sides_see_the_same_score_and_mirrored_counts(h, now):
    mine, theirs = assess(ledger(h), now, "a"), assess(ledger(h), now, "b")
    assert mine.score == theirs.score and mine.band == theirs.band
    assert (mine.gave, mine.received) == (theirs.received, theirs.gave)
    assert mine.given_by_kind == theirs.received_by_kind
    assert (mine.asks_made, mine.asks_received) == (theirs.asks_received, theirs.asks_made)
    assert 0 <= mine.score <= 100
    assert all(0.0 <= v <= 1.0 for v in mine.parts.values())


# --- The stored summary, the chart and the trend ------------------------------------------------

@laws
@given(h=histories, wait=later)
def test_the_stored_summary_gives_exactly_the_full_score(h, wait):
    stored = ledger(h)
    now = (last_day(h) if h else START) + wait
    summary = Summary.from_dict(json.loads(json.dumps(summarize(stored).to_dict())))
    full = assess(stored, now)
    assert current_score(summary, now) == full.score
    assert current_band(summary, now) == full.band
    assert (summary.confirmed, summary.pending) == (full.confirmed_count, full.pending_count)
    assert summary.given == {"a": full.given_by_kind, "b": full.received_by_kind,
                             "mutual": full.mutual_by_kind}
    assert (summary.first_contact, summary.last_contact) == (full.first_contact, full.last_contact)
    assert (summary.balanced, summary.last_kind) == (full.balanced, full.last_contact_kind)


@laws
@given(base=st.floats(0, 100), silence=st.integers(0, 6000), min_score=st.integers(1, 100))
def test_no_score_reaches_a_minimum_from_before_the_day_it_is_reachable_since(
        base, silence, min_score):
    now = END
    last_contact = now - timedelta(days=silence)
    if last_contact < reachable_since(min_score, now):
        assert score_and_band(base, last_contact, last_contact, now)[0] < min_score


def test_reachable_since_is_close_to_the_last_day_a_perfect_base_reaches_it():
    since = reachable_since(55, END)
    days = [d for d in range(4000)
            if score_and_band(100.0, END - timedelta(days=d), None, END)[0] >= 55]
    assert (END - since).days - max(days) <= 3


@laws
@given(h=histories, wait=later, side=st.sampled_from(SIDES))
def test_wild_card_trust_facts_from_the_summary_equal_those_from_the_ledger(h, wait, side):
    stored = ledger(h)
    now = (last_day(h) if h else START) + wait
    summary = Summary.from_dict(json.loads(json.dumps(summarize(stored).to_dict())))
    assert matching.trust_facts(summary, side, now) == matching.assessed_facts(stored, side,
                                                                               now)[0]


@settings(max_examples=60, deadline=None)
@given(h=histories, start=days, length=st.integers(0, 6000), points=st.integers(2, 80))
def test_the_series_is_the_score_as_it_was_at_each_moment(h, start, length, points):
    stored, end = ledger(h), start + timedelta(days=length)
    series = score_series(stored, start, end, points)
    assert series[0][0] == start and series[-1][0] == end
    assert len(series) <= points
    assert [d for d, _ in series] == sorted({d for d, _ in series})
    for moment, score in series:
        assert score == assess(stored, moment).score


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


# --- The parts ----------------------------------------------------------------------------------

def test_reciprocity_is_the_smaller_of_what_each_side_gave():
    h = [ev(date(2020, 1, 1), "referral", "a"), ev(date(2020, 2, 1), "advice", "b"),
         ev(date(2020, 3, 1), "call", "mutual")]
    give_a, give_b = 3.0 + 1.0, 2.0 + 1.0
    parts = assess(ledger(h), date(2020, 3, 1)).parts
    assert parts["reciprocity"] == pytest.approx(1 - math.exp(-min(give_a, give_b)
                                                              / RECIPROCITY_SCALE))


def test_regularity_counts_quarters_with_contact_and_pending_ones_for_less():
    h = [ev(date(2020, 1, 5)), ev(date(2020, 1, 20)), ev(date(2020, 5, 1)),
         ev(date(2021, 8, 1)), ev(date(2022, 1, 1), confirmed=False)]
    parts = assess(ledger(h), date(2022, 1, 1)).parts
    quarters = 3 + UNCONFIRMED_WEIGHT
    assert parts["regularity"] == pytest.approx(1 - math.exp(-quarters / REGULARITY_SCALE))


def test_duration_runs_from_first_to_last_confirmed_contact():
    h = [ev(date(2012, 1, 1)), ev(date(2020, 1, 1))]
    years = (date(2020, 1, 1) - date(2012, 1, 1)).days / 365.25
    parts = assess(ledger(h), date(2024, 1, 1)).parts
    assert parts["duration"] == pytest.approx(1 - math.exp(-years / DURATION_SCALE_YEARS))
    claimed = [ev(date(2012, 1, 1), confirmed=False), ev(date(2020, 1, 1), confirmed=False)]
    claimed_years = UNCONFIRMED_WEIGHT * years  # a claimed first contact counts for 40%
    assert assess(ledger(claimed), date(2024, 1, 1)).parts["duration"] == pytest.approx(
        1 - math.exp(-claimed_years / DURATION_SCALE_YEARS))


def test_depth_weighs_a_referral_above_a_message():
    referral = assess(ledger([ev(date(2020, 1, 1), "referral", "a")]), date(2020, 1, 1))
    message = assess(ledger([ev(date(2020, 1, 1), "message", "a")]), date(2020, 1, 1))
    assert KIND_WEIGHTS["referral"] > KIND_WEIGHTS["message"]
    assert referral.parts["depth"] == pytest.approx(1 - math.exp(-3.0 / DEPTH_SCALE))
    assert referral.parts["depth"] > message.parts["depth"]


def test_confirmation_is_the_confirmed_share_of_the_weight():
    h = [ev(date(2020, 1, 1), "referral", "a"), ev(date(2020, 2, 1), "meeting", confirmed=False)]
    assert assess(ledger(h), date(2020, 2, 1)).parts["confirmation"] == pytest.approx(3 / 4.5)


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


# --- The reasons and the counts -----------------------------------------------------------------
