"""Forms for signing up, signing in and changing a password."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from auth.validators import PlainText, as_choices, strip_filter
from referrals.kinds import ROLES

REQUIRED = "This field is required."


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    """A new account."""

    name = StringField("Full name", filters=[strip_filter],
                       validators=[DataRequired(REQUIRED), Length(max=120), PlainText()])
    email = EmailField("E-mail", filters=[_lower],
                       validators=[DataRequired(REQUIRED), Length(max=254),
                                   Email("Enter a valid e-mail address.",
                                         check_deliverability=False)])
    role = SelectField("I am a", choices=as_choices(ROLES), validators=[DataRequired(REQUIRED)])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED),
                                                     Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(REQUIRED), EqualTo("password", "The two passwords differ.")])

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

