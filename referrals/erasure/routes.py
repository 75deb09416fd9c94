"""Deletion pages: confirm, then delete a person one keeps, or one's own account."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from auth.access import roles_required
from auth.passwords import verify_password
from referrals.access import can_edit_person, can_view_profile, get_person_or_404
from referrals.erasure import accounts, people
from referrals.erasure.forms import DeleteAccountForm
from referrals.forms import ActionForm
from referrals.refusals import Refused

bp = Blueprint("erasure", __name__)


@bp.route("/people/<int:person_id>/delete", methods=["GET", "POST"])
@roles_required("recruiter")
def delete_person(person_id):
    """The recruiter keeping an unclaimed person: confirm, then delete them for good."""
    person = get_person_or_404(person_id)
    if not can_view_profile(current_user, person):
        abort(404)
    if not can_edit_person(current_user, person):
        abort(403)
    form = ActionForm()
    if form.validate_on_submit():
        name = person.name
        people.delete_kept_person(current_user, person)  # a refusal answers 409 (app.py)
        flash(f"{name} and everything you kept about them are deleted.", "success")
        return redirect(url_for("dashboard.index"))
    if form.is_submitted():
        abort(400)
    if person.is_claimed:
        raise Refused("This person has an account; only they can delete it.")
    return render_template("erasure/delete_person.html", person=person, form=form)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Signed-in users: delete their own account, after their password and a tick."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            accounts.delete_account(current_user)
            logout_user()
            flash("Your account is deleted. What others logged with you stays in their "
                  "histories, shown as from a deleted user.", "success")
            return redirect(url_for("auth.login"))
        form.password.errors.append("That is not your password.")
    return render_template("erasure/delete_account.html", form=form), (
        400 if form.is_submitted() else 200)
