"""Sign up, sign in, sign out, change password, and claim an invitation."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from auth import limits, services
from auth.access import public
from auth.forms import ChangePasswordForm, ClaimForm, LoginForm, RegisterForm
from auth.passwords import verify_password
from auth.redirects import safe_next
from referrals.network import invitations

bp = Blueprint("auth", __name__)


def _sign_in(user, remember: bool = False) -> None:
    """Sign a user in on a brand-new session (no fixation from an earlier cookie)."""
    session.clear()
    login_user(services.start_session(user), remember=remember)


def _register_and_sign_in(form: RegisterForm) -> bool:
    """Create the account the form describes and sign it in; False (with the field's error
    set) when the e-mail is taken."""
    try:
        user = services.register_user(name=form.name.data, email=form.email.data,
                                      password=form.password.data,
                                      timezone=form.timezone.data or "UTC")
    except services.EmailTaken:
        form.email.errors.append("An account with this e-mail already exists; sign in.")
        return False
    _sign_in(user)
    return True


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
    session.clear()
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


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limits.claim
@public
def claim(token):
    """Anyone holding a live invitation link: sign up or sign in, then claim the record."""
    invitation = invitations.find_live(token)
    if invitation is None:
        return render_template("auth/invite_invalid.html"), 404
    if not current_user.is_authenticated:
        form = RegisterForm()
        if request.method == "GET":
            form.email.data = invitation.person.email or ""
            form.name.data = invitation.person.name
        if form.validate_on_submit() and _register_and_sign_in(form):
            return _finish_claim(token)
        status = 400 if form.is_submitted() else 200
        return render_template("auth/invite.html", invitation=invitation, form=form,
                               login_url=url_for("auth.login", next=request.path)), status
    form = ClaimForm()
    if form.validate_on_submit():
        return _finish_claim(token)
    return render_template("auth/invite.html", invitation=invitation, form=form), (
        400 if form.is_submitted() else 200)


def _finish_claim(token):
    """Claim the invitation for the signed-in user and show the result."""
    invitations.claim(token, current_user._get_current_object())
    flash("The history kept with you is now yours too: review and confirm it below.", "success")
    return redirect(url_for("dashboard.index"))
