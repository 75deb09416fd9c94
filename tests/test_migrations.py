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
    columns = ("trust_summary, trust_base, trust_first_contact, trust_last_contact, "
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


def test_accounts_made_before_verification_existed_count_as_verified(app):
    db.session.commit()
    downgrade(revision="0003_trust_columns")
    db.session.execute(sa.text(
        "INSERT INTO users (email, password_hash, role, is_disabled, timezone, created_at) "
        "VALUES ('old@example.com', 'x', 'candidate', false, 'UTC', '2025-01-01 09:00:00')"))
    db.session.commit()
    upgrade()
    verified = db.session.execute(sa.text(
        "SELECT email_verified_at FROM users WHERE email = 'old@example.com'")).scalar_one()
    assert verified is not None
