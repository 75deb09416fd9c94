"""CLI: `flask search rebuild` and `flask search check`."""

import os

import click
from flask.cli import AppGroup

from search import services
from search.index import REBUILD_MEMORY_MB

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
@click.option("--if-missing", is_flag=True, help="Only when there is no index yet.")
@click.option("--procs", default=1, show_default=True, help="Writer processes.")
@click.option("--memory-mb", default=REBUILD_MEMORY_MB, show_default=True,
              type=click.IntRange(16, 65536),
              help="Sorting buffer per writer process; larger is faster for big networks.")
def rebuild_command(if_missing, procs, memory_mb):
    """Rebuild the index from the database (the source of truth)."""
    if if_missing and os.path.isdir(services.index_path()) and os.listdir(services.index_path()):
        click.echo("The search index exists; use `flask search rebuild` to rebuild it anyway.")
        return
    count = services.rebuild(procs=procs, memory_mb=memory_mb)
    click.echo(f"Indexed {count} people.")


@search_cli.command("check")
def check_command():
    """Report whether the index and the database agree; exits 1 when they do not."""
    report = services.check_index()
    for line in services.replica_lines():
        click.echo(line)
    click.echo(f"agree {report.agree}, missing {report.missing}, stale {report.stale}, "
               f"extra {report.extra}")
    if not report.ok:
        click.echo(f"examples: {report.examples}")
        raise SystemExit(1)
    click.echo("The index agrees with the database.")
