"""Forms for signing up, signing in and changing a password."""

from functools import lru_cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from auth.validators import PlainText, strip_filter

REQUIRED = "This field is required."


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The IANA time zone names this system knows."""
    return frozenset(available_timezones())


def _known_zone(value):
    # Filled in by the browser's script, not typed: an unknown value is not the person's
    # mistake to fix, so it is dropped (the account gets UTC, editable in settings) rather than
    # refused. Empty, not "UTC", so that the page leaves the script a field to fill in.
    return value if isinstance(value, str) and value in time_zones() else ""


def _new_password_problem(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    """A new account: always a candidate's (recruiter and client standing is granted)."""

    name = StringField("Full name", filters=[strip_filter],
                       validators=[DataRequired(REQUIRED), Length(max=120), PlainText()])
    email = EmailField("E-mail", filters=[_lower],
                       validators=[DataRequired(REQUIRED), Length(max=254),
                                   Email("Enter a valid e-mail address.",
                                         check_deliverability=False)])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED),
                                                     Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(REQUIRED), EqualTo("password", "The two passwords differ.")])
    timezone = HiddenField(filters=[_known_zone])

    def validate_password(self, field):
        problem = password_problem(field.data or "", email=self.email.data or "",
                                   name=self.name.data or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    """Signing in."""

    email = EmailField("E-mail", filters=[_lower],
                       validators=[DataRequired(REQUIRED), Length(max=254), PlainText()])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED),
                                                     Length(max=MAX_LENGTH)])
    remember = BooleanField("Remember me for 30 days")


class ChangePasswordForm(FlaskForm):
    """A new password, proven by the current one."""

    current = PasswordField("Current password", validators=[DataRequired(REQUIRED),
                                                            Length(max=MAX_LENGTH)])
    password = PasswordField("New password", validators=[DataRequired(REQUIRED),
                                                         Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField("Repeat new password", validators=[
        DataRequired(REQUIRED), EqualTo("password", "The two passwords differ.")])

    def validate_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ClaimForm(FlaskForm):
    """Accepting an invitation: only the CSRF token, the decision is the POST itself."""



class ForgotPasswordForm(FlaskForm):
    """The address to mail a password reset link to."""

    email = EmailField("E-mail", filters=[_lower],
                       validators=[DataRequired(REQUIRED), Length(max=254),
                                   Email("Enter a valid e-mail address.",
                                         check_deliverability=False)])


class ResetPasswordForm(FlaskForm):
    """A new password, proven by the link that was mailed."""

    password = PasswordField("New password", validators=[
        DataRequired(REQUIRED), Length(min=MIN_LENGTH, max=MAX_LENGTH), _new_password_problem])
    confirm = PasswordField("Repeat new password", validators=[
        DataRequired(REQUIRED), EqualTo("password", "The two passwords differ.")])
