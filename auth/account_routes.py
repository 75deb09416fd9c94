"""Links that arrive by e-mail: verify an address, and reset a forgotten password."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from auth import limits, recovery
from auth.access import public
from auth.claim_routes import remember_invitation
from auth.forms import ClaimForm, ForgotPasswordForm, ResetPasswordForm
from referrals.network import invitations
from referrals.refusals import Refused

bp = Blueprint("account", __name__)


@bp.route("/verify/<verify_token>")
@public
def verify(verify_token):
    """Anyone holding a live verification link: the address it names is proven."""
    try:
        user = recovery.verify_email(verify_token)
    except recovery.RecoveryRefused as exc:
        raise Refused(str(exc), status=404) from exc
    flash(f"Thank you: {user.email} is confirmed.", "success")
    invitation = invitations.live_for_address(user.email)
    if invitation is not None:
        # The address is proven: its invitation waits to be claimed, in this browser too.
        remember_invitation(invitation)
        signed_in_here = current_user.is_authenticated and current_user.id == user.id
        if signed_in_here:
            return redirect(url_for("claims.claim"))
        flash("Sign in to claim the profile you were invited to.", "info")
        return redirect(url_for("auth.login", next=url_for("claims.claim")))
    return redirect(url_for("dashboard.index" if current_user.is_authenticated
                            else "auth.login"))


@bp.route("/verify/resend", methods=["POST"])
@login_required
def resend():
    """Signed-in users whose address is not yet confirmed: mail the link again."""
    if not ClaimForm().validate_on_submit():
        raise Refused("The request could not be understood. Check the form and try again.",
                      status=400)
    if recovery.resend_verification(current_user._get_current_object()):
        flash(f"We sent a new link to {current_user.email}.", "success")
    else:
        flash("Your address is already confirmed.", "info")
    return redirect(url_for("dashboard.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.reset
@public
def forgot():
    """Anyone not signed in: ask for a password reset link (the answer never says whether
    the address has an account)."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_password_reset(form.email.data)
        flash(f"If {form.email.data} belongs to an account, we have sent it a link to reset the "
              "password. It works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/password/reset/<reset_token>", methods=["GET", "POST"])
@public
def reset(reset_token):
    """Anyone holding a live reset link: choose a new password; every session ends."""
    if recovery.user_for_reset(reset_token) is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(reset_token, form.password.data)
        except recovery.RecoveryRefused as exc:
            raise Refused(str(exc), status=404) from exc
        if current_user.is_authenticated:
            logout_user()  # this browser's session ended with all the others
        session.clear()
        flash("Your password is changed and every session has ended. Sign in with it now.",
              "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.is_submitted() else 200
