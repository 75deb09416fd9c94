"""Export pages: what one may take out, and the downloads themselves."""

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from extensions import utcnow
from referrals.exports import writers
from referrals.exports.collect import collect_export, contacts_of

bp = Blueprint("exports", __name__, url_prefix="/export")
README = ("Your Kinship Referrals data, one CSV file per table. Cells that would start like a "
          "spreadsheet formula (= + - @, tab, carriage return) begin with an apostrophe so that "
          "spreadsheets show them as text. The JSON export holds the same data; its fields are "
          "described in the project's docs/export.md.\r\n")


def _download(body, mimetype: str, extension: str) -> Response:
    name = f"kinship-export-{utcnow():%Y-%m-%d}.{extension}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})  # personal data: not for shared caches


@bp.route("")
@login_required
def index():
    """Signed-in users: what they can take out, and the download links."""
    data = collect_export(current_user)
    counts = {name: len(data[name]) for name in ("network", "histories", "openings",
                                                  "recommendations")}
    return render_template("exports/index.html", counts=counts)


@bp.route("/data.json")
@login_required
def as_json():
    """Signed-in users: everything of theirs as one JSON document."""
    return _download(writers.as_json(collect_export(current_user)), "application/json", "json")


@bp.route("/tables.zip")
@login_required
def as_csv():
    """Signed-in users: one CSV file per table, in a zip."""
    files = writers.as_csv_tables(collect_export(current_user))
    return _download(writers.as_zip(files, README), "application/zip", "zip")


@bp.route("/contacts.vcf")
@login_required
def as_vcard():
    """Signed-in users: the people in their network as vCards."""
    cards = writers.as_vcards(contacts_of(collect_export(current_user)))
    return _download(cards, "text/vcard", "vcf")
