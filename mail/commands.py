"""`flask outbox deliver [--once]`, `flask outbox failures` and `flask outbox retry ID`."""

import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup

from extensions import db, utcnow
from mail import delivery, digest
from mail.transports import transport_for

DIGEST_CHECK_SECONDS = 600

outbox_cli = AppGroup("outbox", help="Deliver the e-mail outbox and look after failures.")


@outbox_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit (for cron).")
def deliver(once: bool) -> None:
    """Send due messages (and queue due weekly digests) until stopped, or once."""
    stopping: list[bool] = []
    # systemd stops with SIGTERM: finish the message in hand, then exit.
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        _run(once, stopping)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(once: bool, stopping: list) -> None:
    poll = float(current_app.config["MAIL_POLL_SECONDS"])
    batch = int(current_app.config["MAIL_BATCH_SIZE"])
    digests_checked = 0.0
    while not stopping:
        if time.monotonic() - digests_checked >= DIGEST_CHECK_SECONDS:
            # Reading every account's day and zone is not for every poll; digests are not
            # that punctual.
            digest.queue_due_digests(utcnow())
            digests_checked = time.monotonic()
        while not stopping:
            report = delivery.deliver_due(transport_for(current_app.config))
            if report.claimed:
                click.echo(f"sent {len(report.sent)}, retrying {len(report.retrying)}, "
                           f"failed {len(report.failed)}")
            if report.claimed < batch:
                break
        db.session.remove()
        if once:
            return
        time.sleep(poll)


@outbox_cli.command("failures")
def failures() -> None:
    """List messages the worker gave up on (newest first); exits 1 when there are any."""
    rows = delivery.failures()
    for row in rows:
        click.echo(f"#{row.id} {row.created_at:%Y-%m-%d %H:%M} UTC to {row.to_addr} "
                   f"[{row.kind}] {row.subject!r} after {row.attempts} attempt(s): "
                   f"{row.last_error}")
    if not rows:
        click.echo("No failed messages.")
    raise SystemExit(1 if rows else 0)


@outbox_cli.command("retry")
@click.argument("message_id", type=int)
def retry(message_id: int) -> None:
    """Queue a failed message again."""
    if not delivery.requeue(message_id):
        raise click.ClickException(f"No failed message #{message_id}.")
    click.echo(f"Message #{message_id} queued again.")
