"""Who may see a route: decorators that state it at the top of every view."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Signed-in users with one of these roles; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def public(view):
    """Anyone, signed in or not (marks the choice explicitly)."""
    view.is_public = True
    return view



def admin_required(view):
    """Signed-in site administrators; others get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def deciders_only(view):
    """Signed-in site administrators and organisation admins; others get 403 (which
    applications each may decide is checked by the service)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_admin or current_user.is_organisation_admin):
            abort(403)
        return view(*args, **kwargs)

    return wrapped
