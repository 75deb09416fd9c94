"""Development only: the messages the folder transport wrote, readable in the browser.

Registered only when APP_ENV is development (or under tests), never in production.
"""

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Blueprint, current_app, render_template

from auth.access import public

bp = Blueprint("dev", __name__, url_prefix="/dev")
SHOWN = 100


def _read(path: Path) -> dict:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    return {"subject": message["Subject"], "to": message["To"], "from": message["From"],
            "date": message["Date"], "message_id": message["Message-ID"],
            "unsubscribe": message["List-Unsubscribe"],
            "text": body.get_content() if body is not None else ""}


@bp.route("/mail")
@public
def mail():
    """Anyone, in development: the newest messages written to the outbox folder."""
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True) \
        if folder.is_dir() else []
    return render_template("mail/dev.html", messages=[_read(p) for p in paths[:SHOWN]],
                           folder=folder, smtp=bool(current_app.config.get("MAIL_URL")))
