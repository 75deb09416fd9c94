"""After recommending: the client's page for a recommendation, its stages and messages, and the
candidate's list of the openings they were put forward for."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from auth.access import roles_required
from extensions import db
from referrals.access import can_view_profile
from referrals.display import local_today
from referrals.forms import ActionForm, MessageForm, StageForm, VouchForm
from referrals.openings import pipeline
from referrals.openings.models import OpeningDecision
from referrals.refusals import Refused
from referrals.statuses import PipelineStage

bp = Blueprint("pipeline", __name__, url_prefix="/openings")


def _party_or_404(decision_id: int) -> tuple[OpeningDecision, str]:
    """A recommendation and the signed-in user's side of it; 404 for anyone else."""
    decision = db.session.get(OpeningDecision, decision_id)
    side = pipeline.party_of(current_user, decision) if decision is not None else None
    if side is None:
        abort(404)  # an id reveals nothing: not a recommendation to you, or none at all
    return decision, side


def _refused(form) -> Refused:
    """The form's first messages as a refusal (400), or the expired-form message."""
    messages = [m for errors in form.errors.values() for m in errors]
    return Refused(" ".join(messages) or "The form expired; try again.", 400)


@bp.route("/recommendations/<int:decision_id>")
@roles_required("recruiter", "client")
def recommendation(decision_id):
    """The opening's client (once sent) and its recruiter: the recommendation, written to the
    client; its stage and the words between them."""
    decision, side = _party_or_404(decision_id)
    pipeline.mark_opened(current_user, decision)
    vouch_form = VouchForm(formdata=None, vouch=decision.vouch)
    return render_template(
        "openings/recommendation.html", d=decision, opening=decision.opening, side=side,
        letter=pipeline.client_letter(decision, local_today()),
        profile_open=can_view_profile(current_user, decision.person),
        stage_form=StageForm(formdata=None, stage=pipeline.next_stage(decision.stage)),
        message_form=MessageForm(formdata=None),
        vouch_form=vouch_form, stages=PipelineStage)


@bp.route("/recommendations/<int:decision_id>/vouch", methods=["POST"])
@roles_required("recruiter")
def vouch(decision_id):
    """The recruiter who recommended: reword the vouch until the client opens it."""
    decision, side = _party_or_404(decision_id)
    if side != "recruiter":
        abort(403)
    form = VouchForm()
    if not form.validate_on_submit():
        raise _refused(form)
    pipeline.edit_vouch(current_user, decision, form.vouch.data)
    flash("Vouch saved.", "success")
    return redirect(url_for("pipeline.recommendation", decision_id=decision.id))


@bp.route("/recommendations/<int:decision_id>/stage", methods=["POST"])
@roles_required("recruiter", "client")
def move(decision_id):
    """The recruiter or the client: move the recommendation to a stage, with a word."""
    decision, side = _party_or_404(decision_id)
    form = StageForm()
    if not form.validate_on_submit():
        raise _refused(form)
    stage = PipelineStage(form.stage.data)
    pipeline.move(current_user, decision, stage, form.note.data)
    flash(f"{decision.person.name}: {stage.label.lower()}. "
          f"{'The recruiter' if side == 'client' else decision.opening.client.name} "
          "will hear of it.", "success")
    return redirect(url_for("pipeline.recommendation", decision_id=decision.id))


@bp.route("/recommendations/<int:decision_id>/messages", methods=["POST"])
@roles_required("recruiter", "client")
def write(decision_id):
    """The recruiter or the client: ask or answer a question about the recommendation."""
    decision, _side = _party_or_404(decision_id)
    form = MessageForm()
    if not form.validate_on_submit():
        raise _refused(form)
    pipeline.write(current_user, decision, form.body.data)
    flash("Message sent.", "success")
    return redirect(url_for("pipeline.recommendation", decision_id=decision.id) + "#thread")


@bp.route("/opportunities")
@roles_required("candidate")
def opportunities():
    """Candidates: every opening they were put forward for or asked about, and its stage."""
    return render_template("openings/opportunities.html",
                           decisions=pipeline.opportunities(current_user.person.id),
                           action_form=ActionForm())
