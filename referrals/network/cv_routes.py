"""CV pages: upload or replace, download, remove (the file check is in cv_files)."""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from referrals.access import can_edit_person, get_person_or_404
from referrals.forms import ActionForm
from referrals.network import cvs
from referrals.network.cv_files import MAX_CV_BYTES, MAX_CV_MB, CvRefused
from referrals.network.cv_forms import CvForm

bp = Blueprint("cvs", __name__, url_prefix="/people")
FORM_ALLOWANCE = 64 * 1024  # the multipart envelope and CSRF token around the file


@bp.url_value_preprocessor
def _allow_cv_uploads(endpoint, values):
    """The CV upload may be larger than other requests (5 MB, not 2 MB); this runs before the
    CSRF check reads the body, so a bigger one is answered 413 with the CV's limit."""
    if endpoint == "cvs.upload":
        request.max_content_length = MAX_CV_BYTES + FORM_ALLOWANCE
        g.too_large_hint = f"A CV may be at most {MAX_CV_MB} MB."


@bp.app_template_global("visible_cv")
def visible_cv(person):
    """For templates (referrals/_cv_link.html): the person's CV if the reader may have it."""
    return cvs.cv_of(person) if cvs.may_download(current_user, person) else None


@bp.app_template_filter("file_size")
def file_size(size: int) -> str:
    """A size in bytes as people read it: 812 KB, 2.4 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _visible_or_404(person_id: int):
    person = get_person_or_404(person_id)
    if not cvs.may_download(current_user, person):
        abort(404)  # a hidden profile's existence (and its CV's) is itself private
    return person


def _editable_or_404(person_id: int):
    person = _visible_or_404(person_id)
    if not can_edit_person(current_user, person):
        abort(403)
    return person


@bp.route("/<int:person_id>/cv", methods=["POST"])
@login_required
def upload(person_id):
    """The person, or the recruiter keeping their record: attach or replace the CV."""
    person = _editable_or_404(person_id)
    form = CvForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            replaced = cvs.cv_of(person) is not None
            cvs.attach_cv(current_user, person, upload.filename or "",
                          upload.read(MAX_CV_BYTES + 1))
        except CvRefused as exc:
            form.file.errors.append(exc.message)
        else:
            flash("CV replaced." if replaced else "CV attached.", "success")
            return redirect(url_for("people.show", person_id=person.id, _anchor="cv"))
    return render_template("referrals/cv_upload.html", form=form, person=person,
                           cv=cvs.cv_of(person)), 400


@bp.route("/<int:person_id>/cv")
@login_required
def download(person_id):
    """Whoever may read the profile: the CV, as a download."""
    person = _visible_or_404(person_id)
    cv = cvs.cv_of(person)
    data = cvs.read_cv(cv) if cv is not None else None
    if data is None:
        abort(404)
    # From memory (at most 5 MB): no open file is left to the server to close.
    response = send_file(io.BytesIO(data), mimetype=cv.content_type, as_attachment=True,
                         download_name=cv.filename, conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"  # never rendered as anything else
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:person_id>/cv/remove", methods=["POST"])
@login_required
def remove(person_id):
    """The person, or the recruiter keeping their record: remove the CV."""
    person = _editable_or_404(person_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    removed = cvs.remove_cv(current_user, person)
    if removed:
        flash("CV removed.", "success")
    else:
        flash("There was no CV to remove.", "info")
    return redirect(url_for("people.show", person_id=person.id))
