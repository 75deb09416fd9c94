"""A relationship's page and the actions on its shared history."""

import json
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select

from extensions import db, utcnow
from referrals.access import can_view_profile, interaction_for_party_or_404, side_or_404
from referrals.display import in_place
from referrals.forms import ActionForm, CadenceForm, DisputeForm, InteractionForm
from referrals.history import listing
from referrals.history import services as history
from referrals.kinds import ASK
from referrals.models import AuditEvent, Person, Relationship
from referrals.network import people
from referrals.paging import page_number
from referrals.statuses import AuditAction
from referrals.submissions import once_per_submission
from referrals.trust import charts, strength
from referrals.trust import panel as trust_panel
from referrals.trust import reasons as trust_reasons
from referrals.trust import score as trust
from referrals.trust import store as trust_store

bp = Blueprint("history", __name__, url_prefix="/relationships")
TREND_DAYS = 90


def _party_or_404(rel_id: int) -> tuple[Relationship, str]:
    rel = db.session.get(Relationship, rel_id)
    return rel, side_or_404(current_user, rel)


def _trust_view(rel, side) -> dict:
    """The trust panel's figures for one side of a relationship, as of today."""
    today = utcnow().date()
    shown = trust_panel.figures(rel.trust_ledger, today, side)
    score = shown.score
    # The trend compares with the score as it was shown 90 days ago: entries logged since,
    # back-dated ones included, are change.
    trend = trust_panel.trend(
        rel.trust_ledger, trust_store.ledger_as_logged(rel, today - timedelta(days=TREND_DAYS))
        .to_json(), today, TREND_DAYS, side) if shown.series else 0
    return {"score": score, "trend": trend, "trend_days": TREND_DAYS,
            "chart": Markup(shown.chart),
            "legend": charts.BAND_LEGEND,
            "last_words": trust_reasons.last_contact_words(today, score.last_contact,
                                                           score.last_late_ask),
            "cadence": strength.cadence_for(rel, side), "due": strength.due_date(rel, side),
            "today": today}


REMOVED_SHOWN = 20


def _history_context(rel, side, form=None, ask_warning=None, number: int = 1) -> dict:
    """What the log form and the shared history show (templates/referrals/_history_area.html)."""
    other = rel.other(current_user.person.id)
    removed = select(AuditEvent, Person.name).outerjoin(
        Person, Person.user_id == AuditEvent.actor_user_id).where(
        AuditEvent.relationship_id == rel.id, AuditEvent.action == AuditAction.REMOVED)
    removed_count = db.session.scalar(select(func.count()).select_from(removed.subquery()))
    removed_rows = db.session.execute(
        removed.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(REMOVED_SHOWN)).all()
    return {"rel": rel, "side": side, "other": other,
            "form": form or InteractionForm(formdata=None, occurred_on=utcnow().date()),
            "ask_warning": ask_warning,
            "entries": listing.history_page(rel.id, number), "years": listing.years(rel.id),
            "removed": [(e, name, json.loads(e.detail)) for e, name in removed_rows],
            "removed_count": removed_count, "direction_for": history.direction_for}


def _render(rel, side, form=None, status=200, ask_warning=None, announce=None):
    """The relationship page; for an in-place request, only its log form and history, and its
    trust panel."""
    number = page_number(request.args.get("page")) if request.method == "GET" else 1
    context = _history_context(rel, side, form, ask_warning, number)
    trust_context = {"trust_view": _trust_view(rel, side), "cadence_form": CadenceForm(
        formdata=None, cadence_days=strength.cadence_for(rel, side) or 0)}
    if in_place():
        # The history area, then the trust panel that its change may have moved.
        return (render_template("referrals/_history_area.html", announce=announce, **context)
                + render_template("referrals/_trust_panel.html", **context, **trust_context),
                status)
    return render_template(
        "referrals/relationship.html", **context, **trust_context,
        other_visible=can_view_profile(current_user, context["other"])), status


def _done(rel_id: int, message: str, category: str, *, rel=None, side=None):
    """After a change: the refreshed log form and history for an in-place request (announcing
    `message`), else the message flashed and a redirect to the page (post, redirect, get)."""
    if in_place():
        if rel is None:
            rel, side = _party_or_404(rel_id)
        db.session.refresh(rel)
        return _render(rel, side, announce=message)
    flash(message, category)
    return redirect(url_for("history.show", rel_id=rel_id))


@bp.route("/<int:rel_id>")
@login_required
def show(rel_id):
    """The two parties: the shared history and the form to log an interaction."""
    rel, side = _party_or_404(rel_id)
    return _render(rel, side)


@bp.route("/<int:rel_id>/interactions", methods=["POST"])
@login_required
@once_per_submission
def log(rel_id):
    """The two parties: log an interaction, pending the other side's confirmation."""
    rel, side = _party_or_404(rel_id)
    form = InteractionForm()
    if not form.validate_on_submit():
        return _render(rel, side, form, 400)
    if form.kind.data == ASK and not form.ask_anyway.data:
        warning = _before_you_ask(rel, side, form)
        if warning:
            return _render(rel, side, form, ask_warning=warning)
    history.log_interaction(current_user, rel.id, side, **_fields(form))
    return _done(rel.id, "Logged. The other side will see it as pending until they confirm it.",
                 "success", rel=rel, side=side)


def _before_you_ask(rel, side: str, form: InteractionForm) -> str | None:
    """The warning for an ask made after a long silence or without giving first, if any."""
    giver = history.giver_for(form.direction.data, side)
    asker = side if giver == "mutual" else ("b" if giver == "a" else "a")
    return trust.ask_warning(trust_store.load_ledger(rel), asker, form.occurred_on.data)


@bp.route("/<int:rel_id>/cadence", methods=["POST"])
@login_required
def cadence(rel_id):
    """The two parties: set how often they want to stay in touch (resets with any contact)."""
    rel, side = _party_or_404(rel_id)
    form = CadenceForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed cadences.", "error")
        return _render(rel, side, status=400)
    people.set_cadence(rel.id, side, form.cadence_days.data or None)
    flash("Stay-in-touch cadence saved." if form.cadence_days.data else "Reminder turned off.",
          "success")
    return redirect(url_for("history.show", rel_id=rel.id))


def _fields(form: InteractionForm) -> dict:
    return {"occurred_on": form.occurred_on.data, "kind": form.kind.data,
            "direction": form.direction.data, "note": form.note.data or "",
            "private_note": form.private_note.data or ""}


@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
@login_required
def edit(interaction_id):
    """The party who logged an interaction: change it (the other side confirms again)."""
    interaction, side = interaction_for_party_or_404(current_user, interaction_id)
    if interaction.logged_by_id != current_user.person.id:
        abort(403)
    form = InteractionForm(obj=interaction if request.method == "GET" else None)
    if request.method == "GET":
        form.direction.data = history.direction_for(interaction.giver, side)
    if form.validate_on_submit():
        history.edit_interaction(current_user, interaction, side, **_fields(form))
        flash("Saved. The other side will be asked to confirm it again.", "success")
        return redirect(url_for("history.show", rel_id=interaction.relationship_id))
    return render_template("referrals/interaction_edit.html", form=form,
                           interaction=interaction), 400 if form.is_submitted() else 200


@bp.route("/interactions/<int:interaction_id>/confirm", methods=["POST"])
@login_required
@once_per_submission
def confirm(interaction_id):
    """The party who did not log it: confirm an interaction."""
    interaction, _side = interaction_for_party_or_404(current_user, interaction_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    history.respond(current_user, interaction, confirm=True)
    if request.form.get("back") == "dashboard" and not in_place():
        flash("Confirmed.", "success")
        return redirect(url_for("dashboard.index"))
    return _done(interaction.relationship_id, "Confirmed.", "success")


@bp.route("/interactions/<int:interaction_id>/dispute", methods=["POST"])
@login_required
@once_per_submission
def dispute(interaction_id):
    """The party who did not log it: dispute an interaction, saying why."""
    interaction, side = interaction_for_party_or_404(current_user, interaction_id)
    form = DisputeForm()
    if not form.validate_on_submit():
        message = " ".join(form.reason.errors) or "The form expired; try again."
        if in_place():
            return _render(interaction.rel, side, status=400, announce=message)
        flash(message, "error")
        return _render(interaction.rel, side, status=400)
    history.respond(current_user, interaction, confirm=False, reason=form.reason.data)
    return _done(interaction.relationship_id,
                 "Disputed. The other side sees your reason and can correct the entry.", "info")


@bp.route("/interactions/<int:interaction_id>/delete", methods=["POST"])
@login_required
def remove(interaction_id):
    """The party who logged it: remove an interaction (the audit trail keeps a record)."""
    interaction, _side = interaction_for_party_or_404(current_user, interaction_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    rel_id = interaction.relationship_id
    history.remove_interaction(current_user, interaction)
    flash("Removed. A record of it stays in the audit trail.", "info")
    return redirect(url_for("history.show", rel_id=rel_id))


@bp.route("/<int:rel_id>/accept", methods=["POST"])
@login_required
def accept(rel_id):
    """The party asked to connect: accept."""
    return _answer(rel_id, accept=True)


@bp.route("/<int:rel_id>/decline", methods=["POST"])
@login_required
def decline(rel_id):
    """The party asked to connect: decline."""
    return _answer(rel_id, accept=False)


def _answer(rel_id: int, *, accept: bool):
    rel, _side = _party_or_404(rel_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    people.respond_to_connection(current_user, rel.id, accept=accept)
    flash("Connected." if accept else "Declined.", "success" if accept else "info")
    return redirect(url_for("history.show", rel_id=rel.id) if accept
                    else url_for("dashboard.index"))
