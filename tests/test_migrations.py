"""Schema changes go through migrations: they match the models and upgrade data in place."""

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
