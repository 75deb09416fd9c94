"""Sign up, sign in, sign out, change password."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from auth import limits, services
from auth.access import public
from auth.claim_routes import CLAIM_KEY
from auth.devices import coarse_network, describe_device
from auth.forms import ChangePasswordForm, LoginForm, RegisterForm
from auth.passwords import verify_password
from auth.redirects import safe_next

bp = Blueprint("auth", __name__)


def _fresh_session() -> None:
    """Drop everything the browser's session held, except the invitation it is claiming."""
    claiming = session.get(CLAIM_KEY)
    session.clear()
    if claiming is not None:
        session[CLAIM_KEY] = claiming


def _sign_in(user, remember: bool = False) -> None:
    """Sign a user in on a brand-new session (no fixation from an earlier cookie), noting the
    device and network it is used from, for the "Where you are signed in" page."""
    _fresh_session()
    login_user(services.start_session(
        user, remember=remember, device=describe_device(request.headers.get("User-Agent")),
        network=coarse_network(request.remote_addr)), remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@limits.register
@public
def register():
    """Anyone: create a candidate account. The answer is the same whether or not the address
    has an account already (its owner is told by e-mail); nobody is signed in here."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.sign_up(name=form.name.data, email=form.email.data,
                         password=form.password.data, timezone=form.timezone.data or "UTC")
        return render_template("auth/check_email.html", email=form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in_account
@limits.sign_in_address
@public
def login():
    """Anyone: sign in."""
    target = safe_next(request.args.get("next"), url_for("dashboard.index"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            return redirect(target)
        form.password.errors.append("That e-mail and password do not match an active account.")
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Signed-in users: end this session for real."""
    services.end_session(current_user.session_token)
    logout_user()
    _fresh_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Signed-in users: change their own password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append("Your current password is not right.")
        else:
            user = services.change_password(current_user._get_current_object(),
                                            form.password.data)
            _sign_in(user)
            flash("Password changed. Other devices have been signed out.", "success")
            return redirect(url_for("dashboard.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
