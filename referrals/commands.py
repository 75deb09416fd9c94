"""CLI: `flask demo seed` and `flask trust recompute`."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from extensions import db, utcnow
from referrals import demo, trust_store
from referrals.models import Relationship

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
@click.option("--batch", default=500, show_default=True, help="Relationships per commit.")
def recompute_command(batch):
    """Rebuild every stored trust aggregate from the raw interaction histories."""
    ids = db.session.scalars(select(Relationship.id).order_by(Relationship.id)).all()
    for start in range(0, len(ids), batch):
        for rel in db.session.scalars(select(Relationship).where(
                Relationship.id.in_(ids[start:start + batch]))):
            trust_store.rebuild(rel)
        db.session.commit()
    click.echo(f"Recomputed {len(ids)} relationships.")
