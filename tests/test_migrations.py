"""Schema changes go through migrations: they match the models and upgrade data in place."""

import json
from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    # UTCDateTime is a DateTime underneath; Alembic reports only real differences here.
    assert diff == []


def test_upgrade_keeps_existing_data(app, make):
    user = make.user("recruiter", name="Kept Through Upgrades")
    db.session.commit()
    downgrade(revision="0001_core")
    upgrade()
    name = db.session.execute(sa.text("SELECT name FROM people WHERE user_id = :u"),
                              {"u": user.id}).scalar_one()
    assert name == "Kept Through Upgrades"


def test_upgrade_derives_the_trust_columns_from_each_stored_ledger(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, kind="referral", direction="i_gave", day=date(2023, 5, 2),
             confirm_by=candidate)
    make.log(candidate, rel, kind="advice", direction="i_gave", day=date(2024, 2, 9))
    columns = ("trust_summary, trust_base_a, trust_base_b, trust_held_a, trust_held_b, "
               "trust_first_contact, trust_last_contact, trust_last_confirmed, "
               "trust_last_event, trust_confirmed, trust_given_a, trust_given_b, trust_balanced")
    query = sa.text(f"SELECT {columns} FROM relationships WHERE id = :id")
    written = db.session.execute(query, {"id": rel.id}).one()
    rel_id, recruiter_side = rel.id, rel.side_of(recruiter.person.id)
    db.session.commit()
    downgrade(revision="0002_openings")
    # 0002's summary had five fields; the upgrade must derive the rest from the ledger.
    old = {key: value for key, value in json.loads(written.trust_summary).items()
           if key in ("base", "first_contact", "last_contact", "last_event", "events")}
    db.session.execute(sa.text("UPDATE relationships SET trust_summary = :s WHERE id = :id"),
                       {"s": json.dumps(old), "id": rel_id})
    db.session.commit()
    upgrade()
    upgraded = db.session.execute(query, {"id": rel_id}).one()
    assert tuple(upgraded) == tuple(written)
    assert json.loads(upgraded.trust_summary)["given"][recruiter_side] == {"referral": 1}


def test_the_second_edition_upgrade_recomputes_every_stored_trust_value(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    # The candidate gave generously and the recruiter never did: the two standings differ.
    for day in (date(2021, 3, 2), date(2022, 5, 9), date(2023, 7, 1)):
        make.log(candidate, rel, kind="referral", direction="i_gave", day=day,
                 confirm_by=recruiter)
    query = sa.text("SELECT trust_summary, trust_base_a, trust_base_b, trust_held_a, "
                    "trust_held_b, trust_last_confirmed FROM relationships WHERE id = :id")
    written = db.session.execute(query, {"id": rel.id}).one()
    assert written.trust_base_a != written.trust_base_b
    rel_id = rel.id
    db.session.commit()
    downgrade(revision="0003_trust_columns")
    # A first-edition row: one base for both sides, a summary without the new fields.
    old = json.loads(written.trust_summary)
    old["base"] = 12.5
    for key in ("held", "last_confirmed"):
        old.pop(key)
    db.session.execute(sa.text("UPDATE relationships SET trust_summary = :s, trust_base = 12.5 "
                               "WHERE id = :id"), {"s": json.dumps(old), "id": rel_id})
    db.session.commit()
    upgrade()
    assert tuple(db.session.execute(query, {"id": rel_id}).one()) == tuple(written)
