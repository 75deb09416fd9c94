"""The settings page (mail, digest day, time zone, address, calendar feed), unsubscribe links,
and the calendar feed itself."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from auth import recovery
from auth.access import public
from auth.passwords import verify_password
from auth.tokens import read_unsubscribe_token
from extensions import csrf, db, utcnow
from mail import calendar, services
from mail.forms import NO_DIGEST, ActionForm, ChangeEmailForm, MailSettingsForm
from mail.models import OPTIONAL_KINDS
from mail.notify import settings_of

bp = Blueprint("mail", __name__)


def _render_settings(settings_form=None, email_form=None, status=200):
    user = current_user._get_current_object()
    settings = settings_of(user)
    if settings_form is None:
        settings_form = MailSettingsForm(data={
            "entries": settings.entries, "recommendations": settings.recommendations,
            "digest_day": NO_DIGEST if settings.digest_day is None else str(settings.digest_day),
            "timezone": user.timezone or "UTC"})
    feed = (url_for("mail.calendar_feed", feed_token=settings.calendar_token, _external=True)
            if settings.calendar_token else None)
    return render_template("mail/settings.html", form=settings_form,
                           email_form=email_form or ChangeEmailForm(formdata=None),
                           action_form=ActionForm(), feed=feed), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Signed-in users: their own mail choices, digest day and time zone."""
    form = MailSettingsForm()
    if form.validate_on_submit():
        day = None if form.digest_day.data == NO_DIGEST else int(form.digest_day.data)
        services.save_settings(current_user._get_current_object(), entries=form.entries.data,
                               recommendations=form.recommendations.data, digest_day=day,
                               timezone=form.timezone.data)
        flash("Settings saved.", "success")
        return redirect(url_for("mail.settings"))
    if not form.is_submitted():
        return _render_settings()
    return _render_settings(settings_form=form, status=400)


@bp.route("/settings/email", methods=["POST"])
@login_required
def change_email():
    """Signed-in users: change their sign-in address once the new one is proven by a link."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append("Your current password is not right.")
        else:
            try:
                recovery.request_email_change(current_user._get_current_object(),
                                              form.email.data)
            except recovery.RecoveryRefused as exc:
                form.email.errors.append(str(exc))
            else:
                flash(f"We sent a link to {form.email.data}. Your address changes when you "
                      "follow it.", "success")
                return redirect(url_for("mail.settings"))
    return _render_settings(email_form=form, status=400)


@bp.route("/settings/calendar", methods=["POST"])
@login_required
def calendar_renew():
    """Signed-in users: a new secret calendar address (the old one stops working)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    services.renew_calendar_token(current_user._get_current_object())
    flash("Your calendar has a new address; the old one no longer works.", "success")
    return redirect(url_for("mail.settings") + "#calendar")


@bp.route("/settings/calendar/stop", methods=["POST"])
@login_required
def calendar_stop():
    """Signed-in users: turn their calendar feed off."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.stop_calendar(current_user._get_current_object()):
        flash("Your calendar feed is off; its address no longer works.", "success")
    return redirect(url_for("mail.settings") + "#calendar")


@bp.route("/calendar/<feed_token>.ics")
@public
def calendar_feed(feed_token):
    """Anyone holding the secret address: that person's stay-in-touch due dates."""
    from referrals.network.listing import whole_network

    user = services.user_for_calendar(feed_token)
    if user is None:
        abort(404)
    me = user.person
    rows = whole_network(me.id, utcnow().date())
    body = calendar.feed(calendar.due_dates(rows, me.id), me.id, utcnow())
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=900"})


@bp.route("/unsubscribe/<unsub_token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058 one-click: mail clients POST without our form; the signed link is
# the authority, and all it can do is turn one kind of mail off
def unsubscribe(unsub_token):
    """Anyone holding an unsubscribe link: turn that kind of mail off (GET asks first)."""
    data = read_unsubscribe_token(unsub_token)
    if request.method == "POST":
        request.form  # noqa: B018 - read the body, so an oversized one is refused with 413
    if data is None or data[1] not in OPTIONAL_KINDS:
        abort(404)
    user_id, kind = data
    if request.method == "GET":
        if not _user_exists(user_id):
            abort(404)
        return render_template("mail/unsubscribe.html", label=OPTIONAL_KINDS[kind], done=False)
    if services.unsubscribe(user_id, kind) is None:
        abort(404)
    return render_template("mail/unsubscribe.html", label=OPTIONAL_KINDS[kind], done=True)


def _user_exists(user_id: int) -> bool:
    from auth.models import User

    return db.session.get(User, user_id) is not None
