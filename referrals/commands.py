"""CLI: `flask demo seed`, `flask trust recompute`, `flask trust refresh`, `flask backup` and
`flask restore`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from extensions import utcnow
from referrals import backup, demo
from referrals.trust import daily
from referrals.trust import store as trust_store

demo_cli = AppGroup("demo", help="The demo network.")
trust_cli = AppGroup("trust", help="Trust scores.")


@demo_cli.command("seed")
def seed_command():
    """Load the demo network into an empty database."""
    accounts = demo.seed_demo(utcnow().date())
    if not accounts:
        click.echo("The database already has users; the demo network was not loaded.")
        return
    click.echo("Demo network loaded. Sign in as any of these, password "
               f"'{demo.DEMO_PASSWORD}':")
    for name, email in accounts.items():
        click.echo(f"  {email:32} {name}")


@trust_cli.command("recompute")
@click.option("--batch", default=2000, show_default=True, help="Relationships per UPDATE batch.")
def recompute_command(batch):
    """Rebuild every stored trust aggregate from the raw interaction histories."""
    count = trust_store.recompute_all(batch=batch)
    click.echo(f"Recomputed {count} relationships.")


@trust_cli.command("refresh")
def refresh_command():
    """Store every account holder's trust standings as of their own today (a nightly cron)."""
    count = daily.refresh_everyone(utcnow())
    click.echo(f"Refreshed {count} standings.")


@click.command("backup")
@click.option("--to", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write; by default instance/backups/referrals-<moment>.")
def backup_command(path):
    """Write a consistent backup of the whole database (not the index: it is rebuilt)."""
    path = path or backup.default_path(Path(current_app.instance_path) / "backups", utcnow())
    try:
        written = backup.create_backup(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {written.path} ({written.size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the current data is to be replaced.")
def restore_command(path, yes):
    """Replace every record with a backup's, then rebuild the search index from it."""
    from search import services as search_services

    if not yes:
        raise click.ClickException("Restoring replaces every record in the database; "
                                   "run again with --yes to go ahead.")
    try:
        backup.restore_backup(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {path}. Rebuilding the search index from it...")
    click.echo(f"Indexed {search_services.rebuild()} people.")
