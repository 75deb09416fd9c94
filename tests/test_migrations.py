"""Schema changes go through migrations: they match the models and upgrade data in place."""

import json
import re
from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from extensions import db
from referrals.kinds import KIND_VALUES


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


def _quoted(sql: str) -> set[str]:
    # The listed values of a check, whichever way the database writes the condition back
    # (PostgreSQL turns IN into = ANY (ARRAY[...]) with casts).
    return set(re.findall(r"'([^']*)'", sql))


def test_the_database_checks_every_vocabulary_the_models_declare(app):
    inspector = sa.inspect(db.engine)
    checked = {}
    for table in db.metadata.sorted_tables:
        declared = {c.name: _quoted(str(c.sqltext))
                    for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        reflected = {c["name"]: _quoted(c["sqltext"])
                     for c in inspector.get_check_constraints(table.name)}
        assert reflected == declared, table.name
        checked.update(reflected)
    assert checked["ck_interactions_status"] == {"pending", "confirmed", "disputed"}
    assert checked["ck_interactions_kind"] == set(KIND_VALUES)


@pytest.mark.parametrize("table, column", [
    ("users", "role"), ("people", "role"), ("people", "visibility"),
    ("relationships", "status"), ("interactions", "status"), ("interactions", "kind"),
    ("interactions", "giver"), ("audit_events", "action")])
def test_the_database_refuses_a_value_outside_the_vocabulary(app, make, table, column):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    make.log(recruiter, make.connect(recruiter, candidate))
    db.session.commit()
    statement = sa.text(f"UPDATE {table} SET {column} = 'maybe'")
    with pytest.raises(sa.exc.IntegrityError, match=f"ck_{table}_{column}"):
        db.session.execute(statement)
    db.session.rollback()


def test_an_upgrade_over_a_value_outside_the_vocabulary_fails_and_changes_nothing(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    make.log(recruiter, make.connect(recruiter, candidate))
    db.session.commit()
    downgrade(revision="0004_search_replicas")
    db.session.execute(sa.text("UPDATE interactions SET status = 'maybe'"))
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError, match="ck_interactions_status"):
        upgrade()
    db.session.rollback()
    version = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0004_search_replicas"
    checks = sa.inspect(db.engine).get_check_constraints("users")
    assert checks == []  # the tables checked before the bad one were rolled back too
    db.session.execute(sa.text("UPDATE interactions SET status = 'pending'"))
    db.session.commit()
    upgrade()


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


def test_the_upgrade_counts_what_waits_for_each_side(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    make.log(recruiter, rel, day=date(2024, 3, 1))
    make.log(recruiter, rel, day=date(2024, 5, 1))
    make.log(recruiter, rel, day=date(2024, 9, 1), confirm_by=candidate)
    make.log(candidate, rel, day=date(2023, 1, 1))
    waits_for = {rel.side_of(candidate.person.id): (2, date(2024, 5, 1)),
                 rel.side_of(recruiter.person.id): (1, date(2023, 1, 1))}
    rel_id = rel.id
    db.session.commit()
    downgrade(revision="0019_employer_keys")
    upgrade()
    row = db.session.execute(sa.text("SELECT waiting_a, waiting_latest_a, waiting_b, "
                                     "waiting_latest_b FROM relationships WHERE id = :id"),
                             {"id": rel_id}).one()
    # SQLite hands a date column back as text through a plain statement.
    found = {"a": (row[0], str(row[1])), "b": (row[2], str(row[3]))}
    assert found == {side: (n, str(day)) for side, (n, day) in waits_for.items()}


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


def test_recruiters_no_organisation_granted_wait_as_candidates_and_keep_their_records(app,
                                                                                      make):
    """0010 let accounts with recruiter or client standing from before organisations keep it;
    0019 moves them to candidate standing, noting what they had, and the downgrade gives it
    back. Those an organisation granted keep theirs."""
    member = make.user("recruiter", member_of=make.organisation(), email="ann@northwind.example")
    legacy, client = make.user("recruiter", name="Lee Legacy"), make.user("client")
    kept = make.contact(legacy, "Kept By Lee")
    ids = {"member": member.id, "legacy": legacy.id, "client": client.id}
    people = (member.person.id, legacy.person.id, client.person.id)
    db.session.commit()
    downgrade(revision="0015_page_indexes")
    db.session.execute(sa.text("DELETE FROM search_changes"))
    db.session.commit()
    upgrade()
    query = sa.text("SELECT u.role, u.former_role, p.role FROM users u JOIN people p "
                    "ON p.user_id = u.id WHERE u.id = :id")

    def standing_of(key):
        return tuple(db.session.execute(query, {"id": ids[key]}).one())

    assert standing_of("member") == ("recruiter", None, "recruiter")
    assert standing_of("legacy") == ("candidate", "recruiter", "candidate")
    assert standing_of("client") == ("candidate", "client", "candidate")
    queued = set(db.session.scalars(sa.text("SELECT person_id FROM search_changes")))
    assert queued == set(people[1:])  # search re-reads the profiles whose role changed
    owner = db.session.execute(sa.text("SELECT owner_id FROM people WHERE id = :id"),
                               {"id": kept.id}).scalar_one()
    assert owner == ids["legacy"]
    db.session.commit()
    downgrade(revision="0015_page_indexes")
    restored = db.session.execute(sa.text("SELECT u.role, p.role FROM users u JOIN people p "
                                          "ON p.user_id = u.id WHERE u.id = :id"),
                                  {"id": ids["legacy"]}).one()
    assert tuple(restored) == ("recruiter", "recruiter")
    db.session.commit()
    upgrade()
