"""Messages from templates: templates/mail/<name>.txt (first line the subject) and .html.

Every message names the product and links back; times are shown in the recipient's zone;
optional kinds carry a one-click unsubscribe link and the List-Unsubscribe headers (RFC 8058).
"""

from contextlib import nullcontext
from dataclasses import dataclass

from flask import current_app, has_request_context, render_template, url_for

from auth.tokens import unsubscribe_token
from mail.models import OPTIONAL_KINDS

PRODUCT = "Kinship Referrals"


@dataclass(frozen=True)
class Composed:
    """A message ready for the outbox."""

    subject: str
    text: str
    html: str
    headers: dict


def links_context():
    """Somewhere url_for(_external=True) works: the request, SERVER_NAME, or PUBLIC_URL."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])


def compose(template: str, *, user=None, optional_kind: str | None = None, **context) -> Composed:
    """Render templates/mail/<name>.{txt,html} for a recipient (an account, or None)."""
    with links_context():
        unsubscribe = None
        if optional_kind is not None:
            if optional_kind not in OPTIONAL_KINDS or user is None:
                raise ValueError(f"{optional_kind!r} is not an optional kind for an account")
            unsubscribe = url_for("mail.unsubscribe", _external=True,
                                  unsub_token=unsubscribe_token(user.id, optional_kind))
        context.update(user=user, zone=getattr(user, "timezone", None) or "UTC",
                       product=PRODUCT, home=url_for("dashboard.index", _external=True),
                       settings_url=url_for("mail.settings", _external=True),
                       unsubscribe_url=unsubscribe)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    subject, _, body = text.partition("\n")
    headers = {}
    if unsubscribe:
        headers = {"List-Unsubscribe": f"<{unsubscribe}>",
                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return Composed(subject.strip(), body.strip() + "\n", html, headers)
