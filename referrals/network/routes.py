"""Profiles, contacts a recruiter keeps, invitations, merges and connection requests."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from auth.access import roles_required
from auth.validators import as_choices
from extensions import db, utcnow
from referrals.access import (
    can_edit_person,
    can_view_profile,
    get_person_or_404,
    relationship_between,
)
from referrals.forms import ActionForm, ContactForm, MergeForm, ProfileForm, form_fields
from referrals.models import Person
from referrals.network import invitations, merging, people
from referrals.network.cv_forms import CvForm
from referrals.statuses import ConnectionStatus
from referrals.submissions import once_per_submission
from referrals.trust import strength

bp = Blueprint("people", __name__, url_prefix="/people")


def _viewable_or_404(person_id: int):
    person = get_person_or_404(person_id)
    if not can_view_profile(current_user, person):
        abort(404)  # 404, not 403: a hidden profile's existence is itself private
    return person


def _editable_or_404(person_id: int):
    person = get_person_or_404(person_id)
    if not can_view_profile(current_user, person):
        abort(404)
    if not can_edit_person(current_user, person):
        abort(403)
    return person


@bp.route("/new", methods=["GET", "POST"])
@roles_required("recruiter")
@once_per_submission
def new():
    """Recruiters: add someone without an account to their network."""
    form = ContactForm()
    if not form.is_submitted() and request.args.get("role") in ("candidate", "client"):
        form.role.data = request.args["role"]  # "Add a hiring client" links here with role=client
    if form.validate_on_submit():
        data = {k: v for k, v in form_fields(form).items() if k != "role"}
        person = people.add_contact(current_user, role=form.role.data, **data)
        dupes = merging.duplicates_of(current_user.id, person)
        if dupes:
            flash(f"You already keep {len(dupes)} record(s) with this e-mail; merge them from "
                  "the profile page.", "warning")
        flash(f"{person.name} is in your network. Invite them to confirm your history.",
              "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("referrals/contact_new.html", form=form), (
        400 if form.is_submitted() else 200)


@bp.route("/me")
@login_required
def me():
    """Signed-in users: their own profile."""
    return redirect(url_for("people.show", person_id=current_user.person.id))


def _follow_merge(person_id: int):
    """A merged-away record's address (a link kept from before a claim or a merge) leads to
    where it lives now: its profile for whoever may see that; for the recruiter who kept it,
    the history they share when the profile itself is closed to them; else nothing here."""
    merged = db.session.get(Person, person_id)
    if merged is None or not merged.merged_into_id:
        return None
    live = merging.merged_destination(merged)
    if live is None:
        abort(404)
    if can_view_profile(current_user, live):
        return redirect(url_for("people.show", person_id=live.id))
    rel = relationship_between(current_user.person.id, live.id)
    if merged.owner_id == current_user.id and rel is not None:
        return redirect(url_for("history.show", rel_id=rel.id))
    abort(404)


@bp.route("/<int:person_id>")
@login_required
def show(person_id):
    """Signed-in users the profile's visibility allows: a profile page (a merged-away record's
    page leads on to where it lives now)."""
    moved = _follow_merge(person_id)
    if moved is not None:
        return moved
    person = _viewable_or_404(person_id)
    own = current_user.person
    rel = relationship_between(own.id, person.id) if own.id != person.id else None
    accepted = rel is not None and rel.status == ConnectionStatus.ACCEPTED
    st = strength.strength_of(rel, utcnow().date(), own.id) if accepted else None
    return render_template(
        "referrals/person.html", person=person, rel=rel, st=st, action_form=ActionForm(),
        can_edit=can_edit_person(current_user, person), cv_form=CvForm(),
        duplicates=merging.duplicates_of(current_user.id, person)
        if can_edit_person(current_user, person) else [])


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit(person_id):
    """The record's owner: edit a profile."""
    person = _editable_or_404(person_id)
    form = ProfileForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.skills.data = person.skills
    if person.is_claimed:
        del form.email  # an account's e-mail is its sign-in name
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        people.update_profile(person, **data)
        flash("Profile saved.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("referrals/person_edit.html", form=form, person=person), (
        400 if form.is_submitted() else 200)


@bp.route("/<int:person_id>/invite", methods=["POST"])
@roles_required("recruiter")
def invite(person_id):
    """The recruiter keeping an unclaimed contact: make a single-use invitation link."""
    person = _editable_or_404(person_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = invitations.create_invitation(current_user, person)
    link = url_for("claims.open", token=token, _external=True)
    return render_template("referrals/invite_link.html", person=person, link=link,
                           days=invitations.INVITATION_LIFETIME.days)


@bp.route("/<int:person_id>/merge", methods=["GET", "POST"])
@login_required
def merge(person_id):
    """The owner of both records: fold a duplicate (same e-mail) into this one."""
    person = _editable_or_404(person_id)
    dupes = merging.duplicates_of(current_user.id, person)
    form = MergeForm()
    form.duplicate_id.choices = as_choices(
        (d.id, f"{d.name} ({d.organisation or 'no organisation'}, record #{d.id})")
        for d in dupes)
    if form.validate_on_submit():
        drop = get_person_or_404(form.duplicate_id.data)
        try:
            merging.merge_duplicate(current_user, person, drop)
        except merging.MergeRefused as exc:
            form.duplicate_id.errors.append(str(exc))
        else:
            flash(f"Merged record #{drop.id} into this one; its history is kept here.",
                  "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("referrals/merge.html", form=form, person=person, dupes=dupes), (
        400 if form.is_submitted() else 200)


@bp.route("/<int:person_id>/connect", methods=["POST"])
@login_required
def connect(person_id):
    """Signed-in users who can see the profile: ask to connect."""
    person = _viewable_or_404(person_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    rel = people.request_connection(current_user, person)
    flash("Connected." if rel.status == ConnectionStatus.ACCEPTED else "Request sent.", "success")
    return redirect(url_for("people.show", person_id=person.id))
