"""Applying for recruiter or hiring-client standing, and deciding applications."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from auth import standing
from auth.access import deciders_only
from auth.domains import domain_of
from auth.redirects import safe_next
from auth.standing_forms import DecisionForm, ProposeOrganisationForm
from referrals.refusals import Refused

bp = Blueprint("standing", __name__, url_prefix="/standing")


def _checked(form) -> None:
    """A decision's CSRF token must hold: 400 otherwise."""
    if not form.validate_on_submit():
        raise Refused("This form expired or was sent from elsewhere. Go back, reload the page "
                      "and try again.", status=400)


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply():
    """Signed-in users: apply for the standing of the organisation of their e-mail domain,
    or propose it when nobody has registered it yet."""
    user = current_user._get_current_object()
    domain = domain_of(user.email)
    organisation = standing.organisation_for_domain(domain)
    problem = standing.apply_problem(user)
    form = DecisionForm() if organisation is not None else ProposeOrganisationForm()
    if request.method == "POST":
        if problem:
            raise standing.StandingRefused(problem)
        if form.validate_on_submit():
            fields = {} if organisation is not None else {"name": form.name.data,
                                                          "kind": form.kind.data}
            application = standing.apply_for_standing(user, **fields)
            flash(f"Your application to {application.organisation.name} is sent. You keep "
                  "candidate standing until it is approved.", "success")
            return redirect(url_for("standing.apply"))
    status = 400 if form.is_submitted() else 200
    return render_template("standing/apply.html", form=form, organisation=organisation,
                           domain=domain, problem=problem,
                           pending=standing.pending_application(user)), status


@bp.route("/applications")
@deciders_only
def applications():
    """Organisation admins and site administrators: the applications they may decide."""
    return render_template("standing/applications.html", form=DecisionForm(),
                           applications=standing.decidable_applications(current_user))


def _decided(application_id: int, decide, said: str):
    _checked(DecisionForm())
    application = standing.application_for(current_user, application_id)
    decide(current_user._get_current_object(), application)
    flash(f"{application.user.person.name if application.user.person else application.user.email}"
          f" {said}", "success")
    return redirect(safe_next(request.args.get("next"), url_for("standing.applications")))


@bp.route("/applications/<int:application_id>/approve", methods=["POST"])
@login_required
def approve(application_id):
    """Site administrators, and the admins of the applicant's organisation: approve."""
    return _decided(application_id, standing.approve, "now has the standing applied for.")


@bp.route("/applications/<int:application_id>/refuse", methods=["POST"])
@login_required
def refuse(application_id):
    """Site administrators, and the admins of the applicant's organisation: refuse."""
    return _decided(application_id, standing.refuse, "keeps candidate standing.")
