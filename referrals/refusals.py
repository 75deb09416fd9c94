"""Refusals: what a use case raises when it will not do what was asked.

Pure Python. A service raises `Refused` (or its area's subclass) with a message for the user;
one error handler (app.py `_register_errors`) answers it with that message and `status`, as the
error page for a browser or `{"error": message}` for a JSON request. Routes catch nothing.
"""


class Refused(Exception):
    """A use case that will not do what was asked; the message is for the user."""

    status = 409  # the HTTP status it is answered with, unless raised with another
    page = "error.html"  # the template a browser is shown; it gets `code` and `message`

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
