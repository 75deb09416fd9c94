"""Rate limits: how often one account, one address or one person may try something.

The counters live in the storage named by RATELIMIT_STORAGE_URI: Redis in production, so that
every worker and host counts together; in memory for a single development process. Each limit
is a setting (RATELIMIT_<NAME>), in Flask-Limiter's notation ("5 per minute; 20 per hour").
Several windows on one key make the wait grow with persistence: a few wrong passwords cost a
minute, dozens an hour, a campaign a day.
"""

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from extensions import limiter

DEFAULT_LIMITS = {
    # Failed sign-ins, for one account whatever the address, and from one address.
    "RATELIMIT_SIGN_IN_ACCOUNT": "5 per minute; 20 per hour; 50 per day",
    "RATELIMIT_SIGN_IN_ADDRESS": "30 per minute; 300 per hour",
    # New accounts and claimed invitations from one address.
    "RATELIMIT_REGISTER": "10 per hour; 50 per day",
    "RATELIMIT_CLAIM": "10 per hour; 50 per day",
    "RATELIMIT_RESET": "5 per hour; 20 per day",
    # Searching, per signed-in person: generous for a person, tight for a script.
    "RATELIMIT_SEARCH": "60 per minute; 1000 per hour",
    "RATELIMIT_TYPEAHEAD": "300 per minute",
    # Links mailed to prove an organisation's domain, per admin: each goes to an address the
    # admin types, so this bounds what one account can send to strangers.
    "RATELIMIT_DOMAIN_MAIL": "10 per hour; 30 per day",
}


def _setting(name: str):
    return lambda: current_app.config[name]


def _account() -> str:
    """The account a sign-in names, however it is capitalised or padded."""
    return "account:" + request.form.get("email", "").strip().casefold()[:320]


def _person() -> str:
    """The signed-in person, or the address for anyone else."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _failed(response) -> bool:
    """A sign-in that did not succeed (success redirects)."""
    return response.status_code not in (302, 303)


sign_in_account = limiter.limit(_setting("RATELIMIT_SIGN_IN_ACCOUNT"), key_func=_account,
                                methods=["POST"], deduct_when=_failed, scope="sign-in-account")
sign_in_address = limiter.limit(_setting("RATELIMIT_SIGN_IN_ADDRESS"), methods=["POST"],
                                deduct_when=_failed, scope="sign-in-address")
register = limiter.limit(_setting("RATELIMIT_REGISTER"), methods=["POST"], scope="register")
claim = limiter.limit(_setting("RATELIMIT_CLAIM"), methods=["POST"], scope="claim")
reset = limiter.limit(_setting("RATELIMIT_RESET"), methods=["POST"], scope="reset")
search = limiter.limit(_setting("RATELIMIT_SEARCH"), key_func=_person, scope="search")
typeahead = limiter.limit(_setting("RATELIMIT_TYPEAHEAD"), key_func=_person, scope="typeahead")
domain_mail = limiter.limit(_setting("RATELIMIT_DOMAIN_MAIL"), key_func=_person,
                            methods=["POST"], scope="domain-mail")
