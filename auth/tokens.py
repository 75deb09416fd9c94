"""Signed links mailed to people: verify an address, reset a password, unsubscribe, prove an
organisation's further e-mail domain.

Nothing is stored: each token is signed with SECRET_KEY for one purpose. A reset token also
carries a fingerprint of the password hash it was made for, so it works once: the reset it
allows changes the hash.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFY_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
DOMAIN_LIFETIME = timedelta(days=7)
MAX_TOKEN_LENGTH = 500


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kinship-{purpose}")


def _load(purpose: str, token: str, max_age: timedelta | None) -> dict | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = _serializer(purpose).loads(
            token, max_age=int(max_age.total_seconds()) if max_age else None)
    except BadSignature:  # also covers SignatureExpired
        return None
    return data if isinstance(data, dict) else None


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def verify_token(user_id: int, email: str, current: str) -> str:
    """A link token proving that whoever holds it reads mail sent to `email`, valid while the
    account's address is still `current` (the same for a new account; the old one for a
    change), so an old link can never move the account back to an address it left."""
    return _serializer("verify").dumps({"u": user_id, "e": email, "f": current})


def read_verify_token(token: str) -> tuple[int, str, str] | None:
    """(user id, e-mail to prove, address the account had then) from a live token, or None."""
    data = _load("verify", token, VERIFY_LIFETIME)
    if data is None or not isinstance(data.get("u"), int) or not all(
            isinstance(data.get(key), str) for key in ("e", "f")):
        return None
    return data["u"], data["e"], data["f"]


def reset_token(user) -> str:
    """A link token that lets its holder set a new password once, within RESET_LIFETIME."""
    return _serializer("reset").dumps({"u": user.id, "h": _fingerprint(user.password_hash)})


def reset_token_matches(token: str, user) -> bool:
    """Whether a reset token is live and was made for this user's current password."""
    data = _load("reset", token, RESET_LIFETIME)
    return (data is not None and data.get("u") == user.id
            and data.get("h") == _fingerprint(user.password_hash))


def reset_token_user_id(token: str) -> int | None:
    """The user id a live reset token names (check it with reset_token_matches), or None."""
    data = _load("reset", token, RESET_LIFETIME)
    return data.get("u") if data is not None and isinstance(data.get("u"), int) else None


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A link token that turns one kind of optional mail off for one person (no expiry)."""
    return _serializer("unsubscribe").dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) from an unsubscribe token, or None."""
    data = _load("unsubscribe", token, None)
    if data is None or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def domain_token(user_id: int, organisation_id: int, domain: str) -> str:
    """A link token proving that whoever holds it reads mail at `domain`, for the organisation
    admin `user_id` who asked to add it (valid DOMAIN_LIFETIME)."""
    return _serializer("domain").dumps({"u": user_id, "o": organisation_id, "d": domain})


def read_domain_token(token: str) -> tuple[int, int, str] | None:
    """(admin's user id, organisation id, domain) from a live domain token, or None."""
    data = _load("domain", token, DOMAIN_LIFETIME)
    if data is None or not all(isinstance(data.get(key), int) for key in ("u", "o")) \
            or not isinstance(data.get("d"), str):
        return None
    return data["u"], data["o"], data["d"]
