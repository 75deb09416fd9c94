"""The stored trust aggregates: kept current incrementally, equal to a full recompute."""

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from referrals.history import services as history
from referrals.kinds import KIND_VALUES
from referrals.models import Interaction, Relationship
from referrals.trust import score as trust
from referrals.trust import store as trust_store


def _stored():
    columns = list(trust_store.stored_values(trust.Ledger()))
    return {rel.id: tuple(getattr(rel, name) for name in columns)
            for rel in db.session.scalars(select(Relationship).order_by(Relationship.id))}


def _random_history(make, seed: int) -> list[Relationship]:
    """Two relationships after 60 random logs, answers, edits and removals from both sides."""
    rng = random.Random(seed)
    recruiter = make.user("recruiter")
    others = [make.user("candidate"), make.user("client")]
    rels = [make.connect(recruiter, other) for other in others]
    parties = {rel.id: (recruiter, other) for rel, other in zip(rels, others, strict=True)}
    for _ in range(60):
        op = rng.choice(["log", "log", "log", "confirm", "dispute", "edit", "remove"])
        rel = rng.choice(rels)
        author, other = rng.sample(parties[rel.id], 2)
        entries = db.session.scalars(select(Interaction).where(
            Interaction.relationship_id == rel.id)).all()
        fields = {"occurred_on": date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
                  "kind": rng.choice(KIND_VALUES),
                  "direction": rng.choice(["i_gave", "they_gave", "mutual"]),
                  "note": "", "private_note": ""}
        if op == "log" or not entries:
            history.log_interaction(author, rel.id, rel.side_of(author.person.id), **fields)
            continue
        entry = rng.choice(entries)
        logger = recruiter if entry.logged_by_id == recruiter.person.id else \
            parties[rel.id][1]
        responder = parties[rel.id][1] if logger is recruiter else recruiter
        if op in ("confirm", "dispute") and entry.status == "pending":
            history.respond(responder, entry, confirm=op == "confirm", reason="No.")
        elif op == "edit":
            history.edit_interaction(logger, entry, rel.side_of(logger.person.id), **fields)
        elif op == "remove":
            history.remove_interaction(logger, entry)
    return rels


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recompute_gives_exactly_the_incremental_result(make, runner, seed):
    _random_history(make, seed)
    incremental = _stored()
    assert any(stored[0] for stored in incremental.values())  # the ledger, first
    result = runner.invoke(args=["trust", "recompute"])
    assert result.exit_code == 0 and "Recomputed 2 relationships" in result.output
    db.session.expire_all()
    assert _stored() == incremental


def test_recompute_repairs_a_stale_aggregate(make, runner):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, kind="referral", confirm_by=candidate)
    good = _stored()
    rel.trust_ledger, rel.trust_summary = "", ""
    db.session.commit()
    runner.invoke(args=["trust", "recompute"])
    db.session.expire_all()
    assert _stored() == good


@pytest.mark.parametrize("seed", [4, 5])
def test_what_waits_for_each_side_is_counted_from_its_unanswered_entries(make, seed):
    waiting = 0
    for rel in _random_history(make, seed):
        db.session.refresh(rel)
        for side, other_id in (("a", rel.b_id), ("b", rel.a_id)):
            days = db.session.scalars(select(Interaction.occurred_on).where(
                Interaction.relationship_id == rel.id, Interaction.status == "pending",
                Interaction.logged_by_id == other_id)).all()
            assert getattr(rel, f"waiting_{side}") == len(days)
            assert getattr(rel, f"waiting_latest_{side}") == max(days, default=None)
            waiting += len(days)
    assert waiting
