"""How a composed message leaves: over SMTP, or into a folder of .eml files in development.

Both sit behind `Transport`, so the worker neither knows nor cares which one it has.
"""

import re
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from mail.config import SmtpTarget, parse_mail_url


class TransientMailError(Exception):
    """Try again later: the server is unreachable, or answered 4xx."""


class PermanentMailError(Exception):
    """Do not try again: the server refused the message for good (5xx)."""


class Transport(Protocol):
    """Something that hands a message on, or raises Transient/PermanentMailError."""

    def send(self, message: EmailMessage) -> None:
        """Deliver one message to its To: address."""

    def close(self) -> None:
        """Let go of any connection."""


class SmtpTransport:
    """The standard library's smtplib, one connection reused for a batch of messages."""

    def __init__(self, target: SmtpTarget, timeout: float = 30):
        self.target, self.timeout = target, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        target = self.target
        if target.ssl:
            smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
        try:
            if target.starttls and not target.ssl:
                smtp.starttls(context=ssl.create_default_context())
            if target.username:
                smtp.login(target.username, target.password)
        except BaseException:
            smtp.close()  # a refused login must not leave the connection open
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send over the open connection, opening one first if needed."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            raise _by_code(min(codes), str(exc.recipients)) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            # Refused or dropped connections, timeouts, TLS trouble: the server may come back.
            self.close()
            raise TransientMailError(f"{type(exc).__name__}: {exc}") from exc
        if refused:  # only possible with several recipients; ours have one
            raise PermanentMailError(str(refused))

    def close(self) -> None:
        """Say QUIT if we can; a broken connection is simply dropped."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _by_code(code: int, text: str) -> Exception:
    return TransientMailError(text) if 400 <= code < 500 else PermanentMailError(text)


class FolderTransport:
    """Development: each message becomes <folder>/<message id>.eml (a resend overwrites it)."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        """Write the message as an .eml file named after its Message-ID."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9.-]", "_", message["Message-ID"].strip("<>"))
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(bytes(message))
        temporary.replace(self.folder / f"{name}.eml")  # appears whole or not at all

    def close(self) -> None:
        """Nothing to let go of."""


def transport_for(config) -> Transport:
    """SMTP when MAIL_URL is set, else the development folder."""
    if config.get("MAIL_URL"):
        return SmtpTransport(parse_mail_url(config["MAIL_URL"]), config["MAIL_TIMEOUT_SECONDS"])
    return FolderTransport(config["MAIL_OUTBOX_DIR"])
