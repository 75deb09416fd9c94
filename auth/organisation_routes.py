"""An organisation's e-mail domains: its admins and site administrators list, add and remove
them; an admin confirms one through the link mailed to an address at it."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from auth import limits, org_domains
from auth.access import deciders_only
from auth.standing_forms import DecisionForm, DomainForm
from referrals.refusals import Refused

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
EXPIRED = ("This form expired or was sent from elsewhere. Go back, reload the page and try "
           "again.")


def _page(organisation, form, status=200):
    return render_template("organisations/domains.html", organisation=organisation,
                           form=form, remove_form=DecisionForm()), status


@bp.route("/<int:organisation_id>/domains")
@deciders_only
def domains(organisation_id):
    """The organisation's admins and site administrators: its domains, and adding one."""
    return _page(org_domains.organisation_for(current_user, organisation_id), DomainForm())


@bp.route("/<int:organisation_id>/domains", methods=["POST"])
@limits.domain_mail
@deciders_only
def add_domain(organisation_id):
    """The organisation's admins and site administrators: add a domain, or mail the link
    that proves it."""
    organisation = org_domains.organisation_for(current_user, organisation_id)
    form = DomainForm()
    if not form.validate_on_submit():
        return _page(organisation, form, 400)
    user = current_user._get_current_object()
    done = org_domains.propose_domain(user, organisation, form.domain.data, form.address.data)
    if done == org_domains.ADDED:
        flash(f"{form.domain.data} is now {organisation.name}'s: people with a confirmed address "
              "at it may apply.", "success")
    else:
        flash(f"We mailed {form.address.data} a link. {form.domain.data} is added when you follow "
              "it, signed in, within 7 days.", "success")
    return redirect(url_for("organisations.domains", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/domains/<int:domain_id>/remove", methods=["POST"])
@deciders_only
def remove_domain(organisation_id, domain_id):
    """The organisation's admins and site administrators: remove a domain (not the last)."""
    if not DecisionForm().validate_on_submit():
        raise Refused(EXPIRED, status=400)
    organisation = org_domains.organisation_for(current_user, organisation_id)
    name = org_domains.remove_domain(current_user._get_current_object(), organisation,
                                     domain_id)
    flash(f"{name} is no longer {organisation.name}'s. Its members keep their standing.",
          "success")
    return redirect(url_for("organisations.domains", organisation_id=organisation.id))


@bp.route("/domains/confirm/<domain_token>", methods=["GET", "POST"])
@login_required
def confirm_domain(domain_token):
    """The admin who asked for a domain, signed in: confirm it from the mailed link (a page
    with a button, so that a mail scanner opening the link changes nothing)."""
    form = DecisionForm()
    if form.is_submitted():
        if not form.validate():
            raise Refused(EXPIRED, status=400)
        organisation, domain = org_domains.confirm_domain(current_user._get_current_object(),
                                                          domain_token)
        flash(f"{domain} is now {organisation.name}'s: people with a confirmed address at it "
              "may apply.", "success")
        return redirect(url_for("organisations.domains", organisation_id=organisation.id))
    return render_template("organisations/confirm.html", form=form,
                           found=org_domains.read_request(current_user, domain_token))
