"""The outbox and its worker against a real SMTP server: retries, crashes, configuration."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import ConfigError, create_app
from extensions import db, utcnow
from mail import outbox
from mail.config import MailConfigError, parse_mail_url
from mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from tests.conftest import deliver

ROOT = Path(__file__).resolve().parents[2]


def queue(n: int, kind: str = "test") -> list[OutboxMessage]:
    """n messages in the outbox, committed."""
    rows = [outbox.enqueue(kind=kind, to_addr=f"person{i}@example.com", subject=f"Message {i}",
                           body_text=f"Body {i}") for i in range(n)]
    db.session.commit()
    return rows


def statuses() -> dict:
    return {row.message_id: row.status for row in db.session.scalars(select(OutboxMessage))}


def test_queued_message_arrives_once_with_its_message_id(app, smtp):
    (row,) = queue(1)
    report = deliver(app)
    assert report.sent == [row.id]
    (message,) = smtp.received
    assert message["Message-ID"] == row.message_id
    assert message.envelope_to == ["person0@example.com"]
    assert message["Subject"] == "Message 0"
    assert deliver(app, now=utcnow() + timedelta(days=1)).claimed == 0  # sent means done
    assert len(smtp.received) == 1


def test_rolled_back_change_sends_nothing(app, smtp):
    queue(1)
    outbox.enqueue(kind="test", to_addr="never@example.com", subject="Never", body_text="x")
    db.session.rollback()
    deliver(app)
    assert [m["Subject"] for m in smtp.received] == ["Message 0"]


def test_server_stopping_mid_delivery_loses_and_repeats_nothing(app, smtp):
    """The server accepts three of six messages, then closes (421) and goes away; once it is
    back every message has arrived exactly once, after waits that double."""
    rows = queue(6)
    smtp.accept_at_most = 3
    first = deliver(app)
    assert (len(first.sent), len(first.retrying)) == (3, 3)
    smtp.stop()
    later = utcnow() + timedelta(minutes=5)
    second = deliver(app, now=later)
    assert len(second.retrying) == 3 and not second.sent
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == QUEUED))
    base = app.config["MAIL_RETRY_BASE_SECONDS"]
    for row in waiting:  # two failures: the second wait is twice the first
        assert row.attempts == 2
        assert row.next_attempt_at == later + timedelta(seconds=2 * base)
        assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    smtp.accept_at_most = None
    smtp.start()
    third = deliver(app, now=later + timedelta(hours=1))
    assert len(third.sent) == 3
    received = [m["Message-ID"] for m in smtp.received]
    assert sorted(received) == sorted(row.message_id for row in rows)
    assert set(statuses().values()) == {SENT}


def test_permanent_refusal_is_not_retried_and_is_listed_for_the_admin(app, smtp, runner):
    (row,) = queue(1)

    async def refuse(server, session, envelope):
        return "550 5.1.1 No such user"

    smtp.handle_DATA = refuse
    assert deliver(app).failed == [row.id]
    result = runner.invoke(args=["outbox", "failures"])
    assert result.exit_code == 1
    assert "person0@example.com" in result.output and "550" in result.output
    assert runner.invoke(args=["outbox", "retry", str(row.id)]).exit_code == 0
    del smtp.handle_DATA
    assert deliver(app).sent == [row.id]
    assert runner.invoke(args=["outbox", "failures"]).exit_code == 0


def test_worker_gives_up_after_the_configured_time(app, smtp):
    (row,) = queue(1)
    smtp.stop()
    app.config["MAIL_GIVE_UP_AFTER_SECONDS"] = 3600
    assert deliver(app).retrying == [row.id]
    assert deliver(app, now=utcnow() + timedelta(hours=2)).failed == [row.id]
    db.session.refresh(row)
    assert row.status == FAILED and row.last_error.startswith("gave up")


def _worker(db_url: str, tmp_path: Path, smtp, *args: str) -> subprocess.Popen:
    """`flask outbox deliver` in its own process, as production runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERRALS_")}
    env.update(FLASK_APP="app:create_app", APP_ENV="development", DATABASE_URL=db_url,
               SECRET_KEY="test-secret-key-that-is-long-enough-0123456789",
               MAIL_URL=smtp.url, MAIL_SENDER="Kinship <no-reply@example.org>",
               REFERRALS_MAIL_CLAIM_TIMEOUT_SECONDS="1", REFERRALS_MAIL_POLL_SECONDS="0.2",
               REFERRALS_SEARCH_INDEX_DIR=str(tmp_path / "worker-index"))
    return subprocess.Popen([sys.executable, "-m", "flask", "outbox", "deliver", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_worker_killed_between_send_and_mark_sent_resends_with_the_same_message_id(
        app, smtp, db_url, tmp_path):
    """SIGKILL the worker while the server holds the message but before the worker hears the
    250: the row stays claimed, and the next worker resends it with the same Message-ID."""
    (row,) = queue(1)
    message_id = row.message_id
    db.session.commit()
    worker = None

    def kill_worker(message):
        os.kill(worker.pid, signal.SIGKILL)

    smtp.on_message = kill_worker
    worker = _worker(db_url, tmp_path, smtp)
    try:
        assert worker.wait(timeout=60) == -signal.SIGKILL
    finally:
        worker.kill()
        worker.stdout.close()
    db.session.commit()  # a new transaction sees what the worker wrote
    assert db.session.get(OutboxMessage, row.id).status == SENDING
    smtp.on_message = None
    time.sleep(1.2)  # the dead worker's claim goes stale
    again = _worker(db_url, tmp_path, smtp, "--once")
    output = again.communicate(timeout=60)[0].decode()
    assert again.returncode == 0, output
    assert [m["Message-ID"] for m in smtp.received] == [message_id, message_id]
    db.session.commit()  # a new transaction sees what the worker wrote
    assert db.session.get(OutboxMessage, row.id).status == SENT


@pytest.mark.parametrize("url, host, port, ssl, starttls, user", [
    ("smtp://u%40x:p%3Aw@mail.example.org:587?starttls=1", "mail.example.org", 587, False, True,
     "u@x"),
    ("smtps://mail.example.org", "mail.example.org", 465, True, False, ""),
    ("smtp://127.0.0.1:2525", "127.0.0.1", 2525, False, False, ""),
])
def test_mail_url_is_understood(url, host, port, ssl, starttls, user):
    target = parse_mail_url(url)
    assert (target.host, target.port, target.ssl, target.starttls, target.username) == (
        host, port, ssl, starttls, user)


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://h:notaport"])
def test_bad_mail_url_is_refused(url):
    with pytest.raises(MailConfigError):
        parse_mail_url(url)


def test_production_without_mail_url_refuses_to_start(monkeypatch, tmp_path):
    for name in ("APP_ENV", "MAIL_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="MAIL_URL"):
        create_app({"SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x",
                    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})


def test_development_writes_eml_files_listed_at_dev_mail(app, client):
    (row,) = queue(1)
    app.config["MAIL_URL"] = ""
    assert deliver(app).sent == [row.id]
    files = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(files) == 1 and row.message_id.strip("<>").split("@")[0] in files[0].name
    page = client.get("/dev/mail").get_data(as_text=True)
    assert "Message 0" in page and "person0@example.com" in page


def test_dev_mail_page_does_not_exist_in_production(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    app = create_app({"SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": db_url,
                      "SEARCH_INDEX_DIR": str(tmp_path / "i"), "MAIL_URL": "smtp://127.0.0.1:1",
                      "MAIL_SENDER": "k@example.org", "PUBLIC_URL": "https://example.org",
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    assert "dev.mail" not in app.view_functions


def test_two_workers_at_once_send_each_message_exactly_once(app, smtp):
    """Workers claim different rows (SKIP LOCKED on PostgreSQL, the write lock on SQLite)."""
    import threading

    rows = queue(20)
    app.config["MAIL_BATCH_SIZE"] = 3
    errors = []

    def work():
        try:
            with app.app_context():
                while deliver(app).claimed:
                    pass
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors
    assert sorted(m["Message-ID"] for m in smtp.received) == sorted(r.message_id for r in rows)


def test_deliver_once_from_the_command_line(app, smtp, runner):
    queue(2)
    result = runner.invoke(args=["outbox", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output and len(smtp.received) == 2


def test_credentials_in_mail_url_sign_in_to_the_server(app, smtp):
    smtp.stop()
    smtp.login = ("mailer", "p@ss:word")
    smtp.start()
    (row,) = queue(1)
    app.config["MAIL_URL"] = f"smtp://mailer:wrong@127.0.0.1:{smtp.port}"
    assert deliver(app).failed == [row.id]  # 535: a wrong password is not retried forever
    assert not smtp.received
    (row,) = queue(1)
    app.config["MAIL_URL"] = f"smtp://mailer:p%40ss%3Aword@127.0.0.1:{smtp.port}"
    assert deliver(app).sent == [row.id]
    assert len(smtp.received) == 1
