"""CLI: `flask users ...`, the site administrator's page at a shell. Each change is audited
(with no acting account: the shell is the operator's)."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from auth import standing
from auth.models import StandingApplication, User
from extensions import db
from referrals.refusals import Refused
from referrals.statuses import ApplicationStatus

users_cli = AppGroup("users", help="Accounts: list, administrators, standing, suspension.")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    return user


def _run(action, *args) -> None:
    """Run a service; its refusal becomes the command's error message (exit status 1)."""
    try:
        action(*args)
    except Refused as refused:
        db.session.rollback()
        raise click.ClickException(refused.message) from refused


def _state(user: User) -> str:
    if user.suspended_at is not None:
        return "suspended"
    if user.is_disabled:
        return "deleted"
    return "active" if user.is_verified else "unconfirmed"


@users_cli.command("list")
@click.option("--pending", is_flag=True, help="Only people whose application waits.")
def list_command(pending):
    """Every account: e-mail, role, organisation, state; or the applications waiting."""
    if pending:
        for application in db.session.scalars(select(StandingApplication).where(
                StandingApplication.status == ApplicationStatus.PENDING)
                .order_by(StandingApplication.id)):
            organisation = application.organisation
            click.echo(f"{application.user.email:40} {organisation.name}"
                       f"{'' if organisation.verified_at else ' (new)'}")
        return
    for user in db.session.scalars(select(User).order_by(User.id)):
        organisation = user.organisation.name if user.organisation else "-"
        flags = (" admin" if user.is_admin else "") + \
            (f" (had {user.former_role} standing; waits to apply)" if user.former_role else "")
        click.echo(f"{user.email:40} {user.role:10} {organisation:30} {_state(user)}{flags}")


@users_cli.command("grant-admin")
@click.argument("email")
def grant_admin_command(email):
    """Make the account with this address a site administrator."""
    _run(standing.grant_admin, None, _user(email))
    click.echo(f"{email} is a site administrator.")


def _pending(email: str) -> StandingApplication:
    application = standing.pending_application(_user(email))
    if application is None:
        raise click.ClickException(f"{email} has no application waiting.")
    return application


def _operator() -> User:
    """The shell decides as a site administrator without an account of its own."""
    return User(id=None, is_admin=True)


@users_cli.command("approve")
@click.argument("email")
def approve_command(email):
    """Approve the waiting application of this address (verifying a new organisation)."""
    application = _pending(email)
    _run(standing.approve, _operator(), application)
    click.echo(f"{email} now has {application.user.role} standing with "
               f"{application.organisation.name}.")


@users_cli.command("refuse")
@click.argument("email")
def refuse_command(email):
    """Refuse the waiting application of this address."""
    _run(standing.refuse, _operator(), _pending(email))
    click.echo(f"{email} keeps candidate standing.")


@users_cli.command("suspend")
@click.argument("email")
def suspend_command(email):
    """Suspend an account and end every session of it."""
    _run(standing.suspend, None, _user(email))
    click.echo(f"{email} is suspended and signed out everywhere.")


@users_cli.command("restore")
@click.argument("email")
def restore_command(email):
    """Lift an account's suspension."""
    _run(standing.restore, None, _user(email))
    click.echo(f"{email} may sign in again.")
