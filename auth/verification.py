"""Until an account's address is verified it may only look after itself: its own profile, its
settings, signing out, verifying. Everything that reads or acts on others' data waits."""

from flask import render_template, request
from flask_login import current_user

# Endpoints an unverified account may use; people.* only for its own record (checked below).
OPEN_TO_UNVERIFIED = {"static", "dashboard.index", "auth.logout", "auth.change_password",
                      "people.me", "people.show", "people.edit"}
# claims: the claim page itself tells an unverified account to confirm its address first.
OPEN_BLUEPRINTS = {"account", "claims", "sessions", "mail", "dev"}


def require_verified_address():
    """before_request: refuse an unverified account anything beyond its own (403)."""
    if not current_user.is_authenticated or current_user.is_verified:
        return None
    endpoint = request.endpoint or ""
    if endpoint.partition(".")[0] in OPEN_BLUEPRINTS:
        return None
    if endpoint in OPEN_TO_UNVERIFIED:
        person_id = (request.view_args or {}).get("person_id")
        if person_id is None or person_id == current_user.person.id:
            return None
    return render_template("auth/unverified.html"), 403
