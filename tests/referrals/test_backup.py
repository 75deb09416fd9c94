"""`flask backup` and `flask restore`: the earlier state comes back whole, and search with it."""

import re

from sqlalchemy import select

from auth.models import User
from extensions import db
from referrals.models import Person
from referrals.network import people
from tests.conftest import login


def _names() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Person.name)))


def test_restore_brings_back_the_backed_up_network_and_its_search(app, make, runner, client,
                                                                 tmp_path):
    recruiter = make.user("recruiter", name="Rosa Backup")
    candidate = make.user("candidate", name="Cedric Before", title="Reward Lead")
    make.connect(recruiter, candidate)
    db.session.commit()
    recruiter_email = recruiter.email
    target = tmp_path / "saved" / ("copy" + (".sqlite3" if db.engine.dialect.name == "sqlite"
                                             else ".pgdump"))

    made = runner.invoke(args=["backup", "--to", str(target)])
    assert made.exit_code == 0, made.output
    assert target.is_file() and "Backed up to" in made.output

    people.update_profile(candidate.person, name="Cedric After")
    make.user("candidate", name="Nadia Later")
    db.session.commit()
    assert {"Cedric After", "Nadia Later"} <= _names()

    refused = runner.invoke(args=["restore", str(target)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert "Nadia Later" in _names()  # nothing happens without the confirmation

    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    names = _names()
    assert "Cedric Before" in names and not {"Cedric After", "Nadia Later"} & names

    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 0, checked.output
    login(client, recruiter_email)
    page = client.get("/search/?q=Cedric").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())  # matches are highlighted
    assert "Cedric Before" in text and "Cedric After" not in text


def test_a_backup_never_overwrites_and_a_bad_file_is_refused_without_harm(app, make, runner,
                                                                         tmp_path):
    make.user("recruiter", name="Rosa Backup")
    db.session.commit()
    suffix = ".sqlite3" if db.engine.dialect.name == "sqlite" else ".pgdump"
    existing = tmp_path / f"existing{suffix}"
    existing.write_text("keep me")
    again = runner.invoke(args=["backup", "--to", str(existing)])
    assert again.exit_code != 0 and "exists already" in again.output
    assert existing.read_text() == "keep me"

    garbage = tmp_path / f"garbage{suffix}"
    garbage.write_bytes(b"\x00not a backup" * 100)
    refused = runner.invoke(args=["restore", str(garbage), "--yes"])
    assert refused.exit_code != 0 and "Error" in refused.output
    assert "Traceback" not in refused.output
    wrong_kind = tmp_path / "other.zip"
    wrong_kind.write_bytes(b"PK")
    assert runner.invoke(args=["restore", str(wrong_kind), "--yes"]).exit_code != 0
    db.session.expire_all()
    assert db.session.scalar(select(User.email).where(User.email.like("recruiter%")))
