"""The stored aggregate of a history (referrals/trust/ledger.py): canonical whatever the order of
changes, and strict about what it reads."""

import random
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referrals.kinds import GIVERS, KIND_VALUES
from referrals.trust.ledger import Event, Ledger

events = st.builds(Event, day=st.dates(date(2005, 1, 1), date(2025, 12, 31)),
                   kind=st.sampled_from(KIND_VALUES), giver=st.sampled_from(GIVERS),
                   logged_by=st.sampled_from(("a", "b")), confirmed=st.booleans())
laws = settings(max_examples=100, deadline=None)


def ledger(evs) -> Ledger:
    return Ledger.from_events(evs)


def ev(day, kind="check_in", giver="mutual", logged_by="a", confirmed=True) -> Event:
    return Event(day=day, kind=kind, giver=giver, logged_by=logged_by, confirmed=confirmed)


@laws
@given(pool=st.lists(events, min_size=1, max_size=6),
       ops=st.lists(st.tuples(st.booleans(), st.integers(0, 5)), max_size=40))
def test_ledger_json_depends_only_on_the_multiset(pool, ops):
    stored, multiset = Ledger(), Counter()
    for is_add, i in ops:
        event = pool[i % len(pool)]
        if is_add:
            stored.add(event)
            multiset[event] += 1
        elif multiset[event]:
            stored.remove(event)
            multiset[event] -= 1
        else:
            with pytest.raises(KeyError):
                stored.remove(event)
    current = list(multiset.elements())
    random.Random(len(ops)).shuffle(current)
    assert stored.to_json() == Ledger.from_events(current).to_json()
    assert Ledger.from_json(stored.to_json()) == stored
    assert len(stored) == len(current)


def test_ledger_json_is_integer_counts_under_sorted_keys():
    stored = ledger([ev(date(2020, 5, 1), "referral", "a"), ev(date(2020, 5, 1), "referral", "a"),
                     ev(date(2019, 1, 2), confirmed=False)])
    assert stored.to_json() == ('{"days":{"2019-01-02":{"check_in|mutual|a|0":1},'
                                '"2020-05-01":{"referral|a|a|1":2}},"v":1}')


def test_an_empty_text_is_an_empty_ledger_and_nonsense_is_refused():
    assert Ledger.from_json("") == Ledger()
    for bad in ('{"v":2,"days":{}}', '{"v":1,"days":{"2020-01-01":{"tea|a|a|1":1}}}',
                '{"v":1,"days":{"2020-01-01":{"call|a|a|1":0}}}', '{"v":1,"days":[]}',
                '{"v":1,"days":{"2020-01-01":{"call|a|1":1}}}', "[1]"):
        with pytest.raises(ValueError):
            Ledger.from_json(bad)


def test_events_refuse_values_outside_the_vocabulary():
    with pytest.raises(ValueError):
        ev(date(2020, 1, 1), kind="lunch")
    with pytest.raises(ValueError):
        ev(date(2020, 1, 1), giver="both")
    with pytest.raises(ValueError):
        ev(date(2020, 1, 1), logged_by="mutual")
    with pytest.raises(TypeError):
        ev(date(2020, 1, 1), confirmed="yes")
