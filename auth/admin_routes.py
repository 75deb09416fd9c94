"""The site administrator's page: applications waiting, and accounts to suspend or restore."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from auth import standing
from auth.access import admin_required
from auth.models import User
from auth.standing_forms import DecisionForm
from auth.validators import without_control_characters
from extensions import db
from referrals.refusals import Refused

bp = Blueprint("admin", __name__, url_prefix="/admin")
ACCOUNTS_SHOWN = 50


@bp.route("/")
@admin_required
def index():
    """Site administrators: pending applications and accounts (newest first, or by e-mail)."""
    query = without_control_characters(request.args.get("q", "")).strip().lower()[:254]
    accounts = select(User).order_by(User.id.desc()).limit(ACCOUNTS_SHOWN)
    if query:
        accounts = accounts.where(User.email.contains(query, autoescape=True))
    return render_template("admin/index.html", form=DecisionForm(), query=query,
                           applications=standing.decidable_applications(current_user),
                           accounts=db.session.scalars(accounts).all())


def _account_action(user_id: int, act, said: str):
    if not DecisionForm().validate_on_submit():
        raise Refused("This form expired or was sent from elsewhere. Go back, reload the page "
                      "and try again.", status=400)
    user = standing.user_or_404(user_id)
    act(current_user._get_current_object(), user)
    flash(f"{user.email} {said}", "success")
    return redirect(url_for("admin.index"))


@bp.route("/users/<int:user_id>/suspend", methods=["POST"])
@admin_required
def suspend(user_id):
    """Site administrators: suspend an account; every session of it ends."""
    return _account_action(user_id, standing.suspend, "is suspended and signed out everywhere.")


@bp.route("/users/<int:user_id>/restore", methods=["POST"])
@admin_required
def restore(user_id):
    """Site administrators: lift an account's suspension."""
    return _account_action(user_id, standing.restore, "may sign in again.")
