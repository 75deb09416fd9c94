"""Import pages: upload a file, map its columns, review the preview, import, undo."""

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from auth.access import roles_required
from extensions import db, utcnow
from referrals.forms import ActionForm
from referrals.imports import batches, staging
from referrals.imports.decoding import MAX_BYTES
from referrals.imports.formats import guess_mapping
from referrals.imports.forms import ImportForm, UploadForm, mapping_form
from referrals.imports.models import ImportBatch
from referrals.models import Person
from referrals.paging import Page, clamp, page_number
from referrals.refusals import Refused
from referrals.submissions import once_per_submission

bp = Blueprint("imports", __name__, url_prefix="/network/import")
PAST_PAGE_SIZE = 20
SHOWN_ROWS = 200  # rows of each kind listed in the preview; the counts cover them all


@bp.url_value_preprocessor
def _allow_larger_uploads(endpoint, values):
    """The upload may be larger than other requests (10 MB, not 2 MB). This runs before the
    CSRF check, which is what reads the body."""
    if endpoint == "imports.upload":
        request.max_content_length = MAX_BYTES + 64 * 1024  # the file plus the form around it


def _own_batch_or_404(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.owner_id != current_user.id:
        abort(404)  # another recruiter's batch is not theirs to know about
    return batch


@bp.route("", methods=["GET", "POST"])
@roles_required("recruiter")
def upload():
    """Recruiters: upload a file to import, and see their past imports."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = staging.stage_upload(current_user, upload.filename or "", upload.read())
        except staging.ImportRefused as exc:
            form.file.errors.append(str(exc))
        else:
            return redirect(url_for("imports.show", batch_id=batch.id))
    mine = (ImportBatch.owner_id == current_user.id,
            ImportBatch.status.in_(("imported", "undone")))
    total = db.session.scalar(db.select(db.func.count()).select_from(ImportBatch).where(*mine))
    number = clamp(page_number(request.args.get("page")), total, PAST_PAGE_SIZE)
    past = Page(db.session.scalars(db.select(ImportBatch).where(*mine)
                                   .order_by(ImportBatch.id.desc())
                                   .offset((number - 1) * PAST_PAGE_SIZE)
                                   .limit(PAST_PAGE_SIZE)).all(), number, PAST_PAGE_SIZE, total)
    return render_template("imports/upload.html", form=form, past=past, now=utcnow(),
                           deadline=batches.undo_deadline, action_form=ActionForm()), (
        400 if form.is_submitted() else 200)


@bp.route("/<int:batch_id>")
@roles_required("recruiter")
def show(batch_id):
    """The batch's owner: its column mapping, preview, or outcome."""
    batch = _own_batch_or_404(batch_id)
    if batch.status == "mapping":
        return _mapping_page(batch, mapping_form(*_mapping_inputs(batch)))
    proposals = staging.proposals_of(batch)
    groups = {verdict: [p for p in proposals if p["verdict"] == verdict]
              for verdict in ("add", "match", "refused")}
    ids = [p["match_id"] for p in groups["match"][:SHOWN_ROWS]]
    matched = {p.id: p for p in db.session.scalars(db.select(Person).where(Person.id.in_(ids)))}
    return render_template("imports/preview.html", batch=batch, groups=groups, shown=SHOWN_ROWS,
                           matched=matched, form=ImportForm(), action_form=ActionForm(),
                           deadline=batches.undo_deadline(batch), now=utcnow())


def _mapping_inputs(batch: ImportBatch) -> tuple[list, dict]:
    header = json.loads(batch.staged)["header"]
    return header, guess_mapping(header)


def _mapping_page(batch: ImportBatch, form, status: int = 200):
    sample = json.loads(batch.staged)["rows"][:5]
    return render_template("imports/mapping.html", batch=batch, form=form, sample=sample,
                           fields=[f for f in form if f.name not in ("csrf_token",)]), status


@bp.route("/<int:batch_id>/map", methods=["POST"])
@roles_required("recruiter")
def map_columns(batch_id):
    """The batch's owner: say which column holds what in a CSV of unknown shape."""
    batch = _own_batch_or_404(batch_id)
    if batch.status != "mapping":
        raise Refused("This file's columns are already mapped.")
    form = mapping_form(*_mapping_inputs(batch), formdata=request.form)
    if not form.validate_on_submit():
        return _mapping_page(batch, form, 400)
    mapping = {f.name: f.data for f in form if f.name != "csrf_token"}
    try:
        staging.map_columns(current_user, batch, mapping)
    except staging.ImportRefused as exc:
        form.name.errors = [*form.name.errors, str(exc)]
        return _mapping_page(batch, form, 400)
    return redirect(url_for("imports.show", batch_id=batch.id))


@bp.route("/<int:batch_id>/import", methods=["POST"])
@roles_required("recruiter")
@once_per_submission
def run(batch_id):
    """The batch's owner: write the previewed batch with their choice for each match."""
    batch = _own_batch_or_404(batch_id)
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    choices = {key.removeprefix("choice-"): value for key, value in request.form.items()
               if key.startswith("choice-")}
    batches.import_batch(current_user, batch, choices, role=form.role.data)
    flash(f"Imported: {batch.added} added, {batch.merged} merged, {batch.skipped} skipped, "
          f"{batch.refused} refused. You can undo this import for 7 days.", "success")
    return redirect(url_for("imports.show", batch_id=batch.id))


@bp.route("/<int:batch_id>/discard", methods=["POST"])
@roles_required("recruiter")
def discard(batch_id):
    """The batch's owner: drop a preview without importing it."""
    batch = _own_batch_or_404(batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    staging.discard(current_user, batch)
    flash("Nothing was imported from that file.", "success")
    return redirect(url_for("imports.upload"))


@bp.route("/<int:batch_id>/undo", methods=["POST"])
@roles_required("recruiter")
def undo(batch_id):
    """The batch's owner: take an import back within 7 days."""
    batch = _own_batch_or_404(batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    counts = batches.undo_batch(current_user, batch)
    kept = (f" {counts['kept']} kept: they have an account or other records since."
            if counts["kept"] else "")
    flash(f"Import undone: {counts['removed']} removed, {counts['restored']} restored.{kept}",
          "success")
    return redirect(url_for("imports.upload"))
