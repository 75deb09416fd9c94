"""Openings: the recruiter's roles for clients, the two ranked lists, and acting on them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from auth.access import roles_required
from auth.models import User
from auth.validators import as_choices
from extensions import db, utcnow
from referrals.access import connected_ids, get_person_or_404
from referrals.forms import ActionForm, DismissForm, OpeningForm, RecommendForm, form_fields
from referrals.models import Person
from referrals.openings import matching, pipeline
from referrals.openings import services as openings
from referrals.openings.models import Opening, OpeningDecision
from referrals.paging import PAGE_SIZE, Page, clamp, page_number
from referrals.refusals import Refused
from referrals.statuses import DecisionAction, OpeningStatus
from referrals.submissions import once_per_submission

bp = Blueprint("openings", __name__, url_prefix="/openings")


def _own_opening_or_404(opening_id: int) -> Opening:
    """An opening of the signed-in recruiter; 404 for anyone else's."""
    opening = db.session.get(Opening, opening_id)
    if opening is None or opening.recruiter_id != current_user.id:
        abort(404)
    return opening


def _client_choices() -> list:
    ids = connected_ids(current_user.person.id)
    clients = db.session.scalars(select(Person).where(
        Person.id.in_(ids), Person.role == "client", Person.merged_into_id.is_(None))
        .order_by(Person.name)).all()
    return as_choices((c.id, f"{c.name}{' — ' + c.organisation if c.organisation else ''}")
                      for c in clients)


@bp.route("/")
@roles_required("recruiter", "client")
def index():
    """Recruiters: their openings; clients: the openings being filled for them."""
    if current_user.role == "recruiter":
        where = Opening.recruiter_id == current_user.id
    else:
        where = Opening.client_id == current_user.person.id
    total = db.session.scalar(select(func.count()).select_from(Opening).where(where))
    number = clamp(page_number(request.args.get("page")), total)
    # The other side's name comes with each row: no query per opening.
    items = db.session.scalars(
        select(Opening).where(where)
        .options(joinedload(Opening.client), joinedload(Opening.recruiter).joinedload(User.person))
        .order_by(Opening.status.desc(), Opening.created_at.desc(), Opening.id.desc())
        .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).unique().all()
    return render_template("openings/index.html",
                           page=Page(items, number, PAGE_SIZE, total))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("recruiter")
@once_per_submission
def new():
    """Recruiters: open a role for a client in their network."""
    form = OpeningForm()
    form.client_id.choices = _client_choices()
    if not form.client_id.choices:
        # No form to fill in vain: say what comes first, and link to it.
        return render_template("openings/no_client.html"), 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        opening = openings.create_opening(current_user, **_opening_fields(form))
        return redirect(url_for("openings.show", opening_id=opening.id))
    return render_template("openings/form.html", form=form, opening=None), (
        400 if form.is_submitted() else 200)


def _opening_fields(form: OpeningForm) -> dict:
    return form_fields(form)


@bp.route("/<int:opening_id>/edit", methods=["GET", "POST"])
@roles_required("recruiter")
def edit(opening_id):
    """The recruiter who owns the opening: edit it."""
    opening = _own_opening_or_404(opening_id)
    form = OpeningForm(obj=opening if request.method == "GET" else None)
    form.client_id.choices = _client_choices()
    if form.validate_on_submit():
        openings.update_opening(opening, **_opening_fields(form))
        flash("Opening saved.", "success")
        return redirect(url_for("openings.show", opening_id=opening.id))
    return render_template("openings/form.html", form=form, opening=opening), (
        400 if form.is_submitted() else 200)


@bp.route("/<int:opening_id>")
@login_required
def show(opening_id):
    """The owning recruiter: both ranked lists; the opening's client: its recommendations."""
    opening = db.session.get(Opening, opening_id)
    if opening is None:
        abort(404)
    if current_user.role == "client" and opening.client_id == current_user.person.id:
        return render_template("openings/client_view.html", opening=opening,
                               recommendations=pipeline.sent_to(opening))
    if opening.recruiter_id != current_user.id:
        abort(404)
    relevance, ranking = openings.both_lists(opening, current_user, utcnow().date())
    decisions = {d.person_id: d for d in db.session.scalars(select(OpeningDecision).where(
        OpeningDecision.opening_id == opening.id))}
    return render_template("openings/show.html", opening=opening, ranking=ranking,
                           relevance=relevance, decisions=decisions, action_form=ActionForm(),
                           dismiss_form=DismissForm(formdata=None),
                           put_forward=pipeline.put_forward(opening))


@bp.route("/<int:opening_id>/close", methods=["POST"])
@roles_required("recruiter")
def close(opening_id):
    """The owning recruiter: close the opening."""
    return _set_status(opening_id, OpeningStatus.CLOSED)


@bp.route("/<int:opening_id>/reopen", methods=["POST"])
@roles_required("recruiter")
def reopen(opening_id):
    """The owning recruiter: reopen the opening."""
    return _set_status(opening_id, OpeningStatus.OPEN)


def _set_status(opening_id: int, status: OpeningStatus):
    opening = _own_opening_or_404(opening_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    openings.set_status(opening, status)
    flash(f"Opening {'closed' if status == OpeningStatus.CLOSED else 'reopened'}.", "success")
    return redirect(url_for("openings.show", opening_id=opening.id))


def _ranked_entry(opening: Opening, person_id: int):
    """The person's entry in either list (and whether it is a wild card), or 404."""
    _, ranking = openings.both_lists(opening, current_user, utcnow().date(), limit=10_000)
    for entry in ranking.shortlist:
        if entry.person_id == person_id:
            return entry, False, ranking
    for entry in ranking.wildcards:
        if entry.person_id == person_id:
            return entry, True, ranking
    abort(404)


@bp.route("/<int:opening_id>/people/<int:person_id>/shortlist", methods=["POST"])
@roles_required("recruiter")
def shortlist(opening_id, person_id):
    """The owning recruiter: shortlist someone from either list."""
    opening = _own_opening_or_404(opening_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    _ranked_entry(opening, person_id)
    openings.shortlist(opening, person_id)
    flash("Shortlisted.", "success")
    return redirect(url_for("openings.show", opening_id=opening.id) + f"#p-{person_id}")


@bp.route("/<int:opening_id>/people/<int:person_id>/dismiss", methods=["POST"])
@roles_required("recruiter")
def dismiss(opening_id, person_id):
    """The owning recruiter: dismiss someone for this opening, with a reason."""
    opening = _own_opening_or_404(opening_id)
    form = DismissForm()
    if not form.validate_on_submit():
        raise Refused(" ".join(form.reason.errors) or "The form expired; try again.", 400)
    _ranked_entry(opening, person_id)
    openings.dismiss(opening, person_id, form.reason.data)
    flash("Dismissed for this opening.", "info")
    return redirect(url_for("openings.show", opening_id=opening.id))


@bp.route("/<int:opening_id>/people/<int:person_id>/recommend", methods=["POST"])
@roles_required("recruiter")
@once_per_submission
def recommend(opening_id, person_id):
    """The owning recruiter: recommend someone to the client with a vouch (asking the
    candidate's consent first if they want it)."""
    opening = _own_opening_or_404(opening_id)
    form = RecommendForm()
    if not form.validate_on_submit():
        raise Refused(" ".join(form.vouch.errors) or "The form expired; try again.", 400)
    entry, wildcard, ranking = _ranked_entry(opening, person_id)
    lines = matching.explanation_lines(entry, wildcard, ranking)
    candidate = get_person_or_404(person_id)
    decision = openings.recommend(current_user, opening, candidate, wildcard=wildcard,
                                  explanation=lines, vouch=form.vouch.data or "")
    flash(f"{candidate.name} asked to be consulted first: they have been asked."
          if decision.action == DecisionAction.AWAITING_CONSENT else
          f"Recommended {candidate.name} to {opening.client.name}; the referral is in both "
          "histories, waiting for them to confirm.", "success")
    return redirect(url_for("openings.show", opening_id=opening.id))


@bp.route("/consents/<int:decision_id>/<any(agree, decline):answer>", methods=["POST"])
@roles_required("candidate")
def consent(decision_id, answer):
    """The candidate asked for consent: agree to be put forward, or decline."""
    decision = db.session.get(OpeningDecision, decision_id)
    if decision is None or decision.person_id != current_user.person.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    openings.answer_consent(current_user, decision, agree=answer == "agree")
    flash("Thank you: you have been put forward." if answer == "agree" else
          "Declined: you will not be put forward for this role.", "success")
    if request.form.get("back") == "opportunities":
        return redirect(url_for("pipeline.opportunities"))
    return redirect(url_for("dashboard.index"))
