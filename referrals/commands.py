"""CLI: `flask demo seed` and `flask trust recompute`."""

import click
from flask.cli import AppGroup

from extensions import utcnow
from referrals import demo
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
