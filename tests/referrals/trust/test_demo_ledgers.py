"""`flask demo seed` writes every relationship's trust aggregate as a recompute would."""

from sqlalchemy import select

from extensions import db
from referrals.models import Relationship
from referrals.trust import store as trust_store


def _aggregates() -> dict:
    columns = [c for c in Relationship.__table__.columns.keys() if c.startswith("trust_")]
    return {rel.id: {c: getattr(rel, c) for c in columns}
            for rel in db.session.scalars(select(Relationship).order_by(Relationship.id))}


def test_after_seed_a_recompute_changes_nothing(app, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    db.session.expire_all()
    seeded = _aggregates()
    assert seeded and all(row["trust_ledger"] for row in seeded.values())
    trust_store.recompute_all()
    db.session.expire_all()
    assert _aggregates() == seeded
