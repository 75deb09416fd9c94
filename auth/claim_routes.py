"""Claiming an invitation: the mailed link, then one page that signs up, signs in or claims.

The link's token is used once, on the first request: the browser is sent on to /claim at
once, and only the invitation's id stays behind, in the signed session cookie, for an hour.
So the token never reaches a later URL, a `next=` parameter, a log line or a Referer.
"""

import time

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user

from auth import limits
from auth.access import public
from auth.claim_forms import ClaimProfileForm, ClaimSignUpForm
from auth.forms import ClaimForm as ActionForm
from referrals.network import invitations

bp = Blueprint("claims", __name__)

CLAIM_KEY = "claim"  # {"id": invitation id, "until": epoch seconds}
REFERENCE_LIFETIME_S = 3600


def remember_invitation(invitation) -> None:
    """Keep which invitation this browser is claiming (its id, not its token), for a while."""
    session[CLAIM_KEY] = {"id": invitation.id, "until": int(time.time()) + REFERENCE_LIFETIME_S}


def remembered_invitation():
    """The invitation this browser is claiming (live or not any more), or None."""
    reference = session.get(CLAIM_KEY)
    if not isinstance(reference, dict) or not isinstance(reference.get("until"), int) or (
            reference["until"] < time.time()):
        return None
    return invitations.by_id(reference.get("id"))


def _invalid():
    session.pop(CLAIM_KEY, None)
    return render_template("auth/invite_invalid.html"), 404


@bp.route("/invite/<token>", endpoint="open")
@public
def open_link(token):
    """Anyone holding a live invitation link: remembered in this browser, then on to /claim."""
    invitation = invitations.find_live(token)
    if invitation is None:
        return _invalid()
    remember_invitation(invitation)
    response = redirect(url_for("claims.claim"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/claim", methods=["GET", "POST"])
@limits.claim
@public
def claim():
    """Whoever opened a live invitation in this browser: sign up or sign in, then claim it."""
    invitation = remembered_invitation()
    if invitation is None:
        return _invalid()
    gone = invitations.why_not_live(invitation)
    if gone:  # claimed, used or expired since this browser opened the link
        session.pop(CLAIM_KEY, None)
        raise invitations.ClaimRefused(gone, status=409)
    masked = invitations.masked_address(invitation.email)
    if not current_user.is_authenticated:
        return _sign_up(invitation, masked)
    if current_user.email != invitation.email or not current_user.is_verified:
        # The holder of the link is not (yet) the owner of the invited address.
        return render_template("auth/invite_not_yours.html", invitation=invitation,
                               masked=masked, action_form=ActionForm(),
                               same_address=current_user.email == invitation.email), 403
    form = ClaimProfileForm()
    if form.validate_on_submit():
        invitations.claim(invitation.id, current_user._get_current_object(),
                          form.visibility.data)
        session.pop(CLAIM_KEY, None)
        flash("The history kept with you is now yours too: review and confirm it below.",
              "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/invite.html", invitation=invitation, form=form,
                           masked=masked), 400 if form.is_submitted() else 200


def _sign_up(invitation, masked):
    form = ClaimSignUpForm(email=invitation.email)
    if form.validate_on_submit():
        invitations.sign_up_to_claim(invitation, name=form.name.data,
                                     password=form.password.data,
                                     timezone=form.timezone.data or "UTC")
        return redirect(url_for("claims.sent"))
    if not form.is_submitted():
        form.name.data = invitation.person.name
    return render_template("auth/invite.html", invitation=invitation, form=form, masked=masked,
                           login_url=url_for("auth.login", next=url_for("claims.claim"))), (
        400 if form.is_submitted() else 200)


@bp.route("/claim/sent")
@public
def sent():
    """Anyone who asked for an account to claim with: the same answer whoever they are."""
    invitation = remembered_invitation()
    masked = invitations.masked_address(invitation.email if invitation else None)
    return render_template("auth/invite_sent.html", masked=masked)
