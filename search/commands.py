"""CLI: `flask search rebuild` and `flask search check`."""

import click
from flask.cli import AppGroup

from search import checks, services

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
@click.option("--if-missing", is_flag=True, help="Only when the index is missing or unusable.")
@click.option("--procs", default=1, show_default=True, help="Writer processes.")
def rebuild_command(if_missing, procs):
    """Rebuild the index from the database (the source of truth)."""
    if if_missing:
        reasons = checks.rebuild_reasons()
        if not reasons:
            click.echo("The search index is whole; use `flask search rebuild` to rebuild it "
                       "anyway.")
            return
        click.echo(f"Rebuilding: {reasons[0]}")
    count = services.rebuild(procs=procs)
    click.echo(f"Indexed {count} people.")


@search_cli.command("check")
def check_command():
    """Report whether the index and the database agree; exits 1 on any fault."""
    lines, sound = checks.check_lines()
    for line in lines:
        click.echo(line)
    if not sound:
        raise SystemExit(1)
    click.echo("The index agrees with the database.")
