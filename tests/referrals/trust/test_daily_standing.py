"""The standing stored as of a day gives the dashboard's trust order and the losing-touch list
from SQL exactly as the Python computation over the whole network does, on any day."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from extensions import db
from referrals.models import Relationship
from referrals.network import listing, losing
from referrals.network.dashboard import NetworkFilter
from referrals.network.people import set_cadence
from referrals.trust import daily
from referrals.trust import strength as trust_strength
from tests.conftest import login

TODAY = date.today()


def _history(make, me, other, days_ago: list[int], confirm: bool = True, kind="advice"):
    rel = make.connect(me, other)
    for n, ago in enumerate(days_ago):
        giver, taker = (me, other) if n % 2 else (other, me)
        make.log(giver, rel, kind=kind, direction="i_gave", day=TODAY - timedelta(days=ago),
                 confirm_by=taker if confirm else None)
    return rel


@pytest.fixture
def network(make):
    """A recruiter's network with ties in score and in days overdue, overdue cadences, fading,
    dormant, only-asks and never-contacted relationships, and people on both sides of the pair
    (the recruiter is side b of the first two)."""
    early = [make.user("candidate", name=name) for name in ("zoe Early", "Adam Early")]
    me = make.user("recruiter", name="Rita Recruiter")
    rels = {}
    for person in early:  # the same history: equal scores, ordered by name
        rels[person.person.name] = _history(make, me, person, [900, 700, 500, 300, 100])
    for name in ("Cara Tie", "bea Tie", "Abe Tie"):
        rels[name] = _history(make, me, make.user("candidate", name=name),
                              [900, 700, 500, 300, 100])
    for name in ("Dora Dormant", "dan Dormant"):  # strong years ago, silent since
        rels[name] = _history(make, me, make.user("candidate", name=name),
                              [4000, 3800, 3600, 3400, 3200, 3000])
    rels["Fay Fading"] = _history(make, me, make.user("candidate", name="Fay Fading"),
                                  [40, 30], confirm=False)
    rels["Olly Overdue"] = _history(make, me, make.user("candidate", name="Olly Overdue"),
                                    [60, 50])
    rels["Otto Overdue"] = _history(make, me, make.user("candidate", name="Otto Overdue"),
                                    [60, 50])
    rels["Asa Asks"] = _history(make, me, make.user("candidate", name="Asa Asks"), [20],
                                confirm=False, kind="ask")
    for name in ("Nell Never", "Ned Never"):
        contact = make.contact(me, name=name)
        rels[name] = db.session.scalar(select(Relationship).where(
            (Relationship.a_id == contact.id) | (Relationship.b_id == contact.id)))
    for name, days in (("Olly Overdue", 30), ("Otto Overdue", 30), ("Cara Tie", 365),
                       ("Nell Never", 1)):
        rel = rels[name]
        set_cadence(rel.id, rel.side_of(me.person.id), days)
    return me, rels


def _seen(items) -> list[tuple]:
    return [(item.rel.id, item.person.id, item.strength, item.overdue_days, item.reason)
            for item in items]


DAYS = [TODAY + timedelta(days=n) for n in (0, 45, 400, 1500, 5000)]


@pytest.mark.parametrize("day", DAYS, ids=lambda day: f"+{(day - TODAY).days}d")
def test_losing_touch_from_sql_is_the_python_list(network, day):
    me, _rels = network
    person_id = me.person.id
    daily.refresh(person_id, day)
    expected = _seen(trust_strength.losing_touch(listing.whole_network(person_id, day),
                                                 person_id, day))
    assert _seen(losing.losing_touch(person_id, day, limit=1000)) == expected
    assert losing.losing_touch_page(person_id, day, 1, size=5).total == len(expected)
    pages = [losing.losing_touch_page(person_id, day, number, size=3) for number in (1, 2, 3, 4)]
    assert [row for page in pages for row in _seen(page.items)][:len(expected)] == expected
    overdue = [row for row in expected if row[3] is not None]
    assert _seen(losing.losing_touch(person_id, day, limit=1000, only="overdue")) == overdue
    assert _seen(losing.losing_touch(person_id, day, limit=1000, only="fading")) == [
        row for row in expected if row[3] is None]


def test_the_seeded_network_has_what_the_comparison_needs(network):
    """Overdue ties, fading, dormant and only-asks rows, on the days compared."""
    me, _rels = network
    person_id = me.person.id
    now = trust_strength.losing_touch(listing.whole_network(person_id, TODAY), person_id, TODAY)
    overdue_days = [item.overdue_days for item in now if item.overdue_days is not None]
    assert len(overdue_days) == 2 and overdue_days[0] == overdue_days[1]
    assert {item.strength.band for item in now} >= {"fading", "dormant"}
    assert any("only asks" in item.reason for item in now)
    later = DAYS[2]
    rows = listing.whole_network(person_id, later)
    later_items = trust_strength.losing_touch(rows, person_id, later)
    assert "Nell Never" in {item.person.name for item in later_items}  # from the day it began
    scores = [trust_strength.strength_of(rel, TODAY, person_id).score for rel, _ in rows]
    assert len(scores) > len(set(scores))  # ties in score


@pytest.mark.parametrize("day", DAYS, ids=lambda day: f"+{(day - TODAY).days}d")
@pytest.mark.parametrize("descending", [True, False], ids=["strongest", "weakest"])
def test_trust_order_from_sql_is_the_python_order(network, day, descending):
    me, _rels = network
    person_id = me.person.id
    daily.refresh(person_id, day)
    rows = listing.whole_network(person_id, day)
    ordered = sorted(rows, key=lambda row: (row[1].name.lower(), row[1].id))
    ordered.sort(key=lambda row: trust_strength.strength_of(row[0], day, person_id).score,
                 reverse=descending)
    expected = [(rel.id, trust_strength.strength_of(rel, day, person_id))
                for rel, _person in ordered]
    flt = NetworkFilter(sort="strength", descending=descending)
    shown = [(row.facts.id, row.strength)
             for number in range(1, 6)
             for row in listing.network_page(person_id, flt, day, number, size=4).items]
    assert shown[:len(expected)] == expected


def test_a_stored_standing_of_another_day_is_refreshed_at_the_first_page_of_the_day(
        app, network):
    me, rels = network
    db.session.execute(update(Relationship).values(standing_on_a=TODAY - timedelta(days=1),
                                                   standing_on_b=None))
    db.session.commit()
    client = app.test_client()
    login(client, me.email)
    assert client.get("/").status_code == 200
    person_id = me.person.id
    for rel in rels.values():
        stored = db.session.get(Relationship, rel.id)
        side = stored.side_of(person_id)
        assert getattr(stored, f"standing_on_{side}") == TODAY
        strength = trust_strength.strength_of(stored, TODAY, person_id)
        assert (getattr(stored, f"standing_score_{side}"),
                getattr(stored, f"standing_band_{side}")) == (strength.score, strength.band)
    assert daily.refresh(person_id, TODAY) == 0  # nothing left to do that day


def test_logging_keeps_both_sides_standing_current(make, network):
    me, rels = network
    rel = rels["Fay Fading"]
    other = db.session.get(Relationship, rel.id)
    make.log(me, other, kind="referral", direction="i_gave", day=TODAY)
    stored = db.session.get(Relationship, rel.id)
    for person_id in (stored.a_id, stored.b_id):
        side = stored.side_of(person_id)
        strength = trust_strength.strength_of(stored, TODAY, person_id)
        assert getattr(stored, f"standing_on_{side}") == TODAY
        assert getattr(stored, f"standing_score_{side}") == strength.score


def test_trust_refresh_command_brings_every_account_holder_to_their_today(app, network):
    me, rels = network
    db.session.execute(update(Relationship).values(standing_on_a=None, standing_on_b=None))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["trust", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Refreshed" in result.output
    assert daily.refresh(me.person.id, TODAY) == 0
    kept = rels["Nell Never"]  # the contact has no account: nobody reads their side
    stored = db.session.get(Relationship, kept.id)
    contact_side = "a" if stored.side_of(me.person.id) == "b" else "b"
    assert getattr(stored, f"standing_on_{contact_side}") is None


@pytest.mark.parametrize("descending", [True, False], ids=["latest", "earliest"])
def test_last_contact_order_across_pages_is_the_python_order(network, descending):
    """Ties on a day and never-contacted people (last either way) across pages of three."""
    me, _rels = network
    person_id = me.person.id
    rows = listing.whole_network(person_id, TODAY)
    ordered = sorted(rows, key=lambda row: (row[1].name.lower(), row[1].id))
    contacted = [row for row in ordered if row[0].trust_last_contact is not None]
    contacted.sort(key=lambda row: row[0].trust_last_contact, reverse=descending)
    expected = [row[0].id for row in contacted + [row for row in ordered if row not in contacted]]
    assert len(expected) > len(contacted) > len({row[0].trust_last_contact for row in contacted})
    flt = NetworkFilter(sort="last_contact", descending=descending)
    pages = [listing.network_page(person_id, flt, TODAY, number, size=3) for number in range(1, 7)]
    assert [row.facts.id for page in pages for row in page.items][:len(expected)] == expected
    assert pages[-1].number == -(-len(expected) // 3) and pages[-1].total == len(expected)
