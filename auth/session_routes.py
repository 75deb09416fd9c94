"""Where you are signed in: each of one's sessions, and ending them."""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from auth import services
from auth.forms import ClaimForm as ActionForm

bp = Blueprint("sessions", __name__, url_prefix="/account/sessions")


@bp.route("")
@login_required
def index():
    """Signed-in users: their own sessions, this one marked."""
    return render_template("auth/sessions.html", action_form=ActionForm(),
                           sessions=services.sessions_of(current_user),
                           this_token=current_user.session_token)


@bp.route("/<int:session_id>/end", methods=["POST"])
@login_required
def end(session_id):
    """Signed-in users: end one of their own sessions (others' are not there: 404)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    this = next((row for row in services.sessions_of(current_user)
                 if row.token == current_user.session_token), None)
    if not services.end_session_of(current_user, session_id):
        abort(404)
    if this is not None and this.id == session_id:
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
        return redirect(url_for("auth.login"))
    flash("That session has ended: the browser it was on is signed out.", "success")
    return redirect(url_for("sessions.index"))


@bp.route("/end-others", methods=["POST"])
@login_required
def end_others():
    """Signed-in users: sign out everywhere but here."""
    if not ActionForm().validate_on_submit():
        abort(400)
    ended = services.end_other_sessions(current_user, current_user.session_token)
    flash(f"Signed out everywhere else ({ended} session{'s' if ended != 1 else ''} ended).",
          "success")
    return redirect(url_for("sessions.index"))
