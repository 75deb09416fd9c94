"""Mail settings from the environment: where to send (MAIL_URL) and as whom (MAIL_SENDER)."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULTS = {
    "MAIL_URL": "",
    "MAIL_SENDER": "",
    "MAIL_RETRY_BASE_SECONDS": 30,  # first retry after this, doubling each time
    "MAIL_RETRY_MAX_SECONDS": 3600,
    "MAIL_GIVE_UP_AFTER_SECONDS": 2 * 86400,
    "MAIL_CLAIM_TIMEOUT_SECONDS": 300,  # a claim older than this was a crashed worker's
    "MAIL_POLL_SECONDS": 5,
    "MAIL_BATCH_SIZE": 50,
    "MAIL_TIMEOUT_SECONDS": 30,
    "PUBLIC_URL": "",  # links in messages composed outside a request (the weekly digest)
}
ENVIRONMENT = ("MAIL_URL", "MAIL_SENDER", "PUBLIC_URL")


class MailConfigError(ValueError):
    """MAIL_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class SmtpTarget:
    """An SMTP server: host, port, credentials, and how the connection is secured."""

    host: str
    port: int
    username: str = ""
    password: str = ""
    ssl: bool = False  # smtps:// (implicit TLS)
    starttls: bool = False


def parse_mail_url(url: str) -> SmtpTarget:
    """smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465, as an SmtpTarget."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError("MAIL_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise MailConfigError("MAIL_URL names no host")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as exc:
        raise MailConfigError("MAIL_URL has an invalid port") from exc
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
    return SmtpTarget(host=parts.hostname, port=port, username=unquote(parts.username or ""),
                      password=unquote(parts.password or ""), ssl=parts.scheme == "smtps",
                      starttls=starttls)


def configure(config: dict, environ: dict, instance_path: str, development: bool) -> str | None:
    """Fill in the mail defaults and environment; return why the app must not start, or None."""
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
    for key in ENVIRONMENT:
        if environ.get(key):
            config[key] = environ[key]
    config.setdefault("MAIL_OUTBOX_DIR", str(Path(instance_path) / "outbox"))
    if config["MAIL_URL"]:
        try:
            parse_mail_url(config["MAIL_URL"])
        except MailConfigError as exc:
            return str(exc)
    elif not development:
        return ("MAIL_URL is not set. Set it to your SMTP server, e.g. "
                "smtp://user:password@smtp.example.org:587?starttls=1, so that mail goes out.")
    if development:
        config["MAIL_SENDER"] = config["MAIL_SENDER"] or "Kinship Referrals <no-reply@localhost>"
        config["PUBLIC_URL"] = config["PUBLIC_URL"] or "http://127.0.0.1:5000"
    for key, example in (("MAIL_SENDER", "Kinship Referrals <no-reply@example.org>"),
                         ("PUBLIC_URL", "https://referrals.example.org")):
        if not config[key]:
            return f"{key} is not set. Set it, e.g. to {example}."
    return None
