"""Forms of the settings page: mail choices and time zone, a new address, the calendar feed."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, Length

from auth.forms import REQUIRED, time_zones
from auth.passwords import MAX_LENGTH
from auth.validators import as_choices
from mail.models import OPTIONAL_KINDS, WEEKDAYS

NO_DIGEST = "none"


def zone_choices() -> list:
    """Every known time zone, UTC first."""
    return as_choices([("UTC", "UTC"), *((z, z.replace("_", " ")) for z in sorted(time_zones())
                                         if z != "UTC")])


class MailSettingsForm(FlaskForm):
    """Which optional messages to get, the digest's day, and the time zone."""

    entries = BooleanField(OPTIONAL_KINDS["entries"])
    recommendations = BooleanField(OPTIONAL_KINDS["recommendations"])
    digest_day = SelectField("Weekly digest", choices=as_choices(
        [*((str(n), f"On {day}s") for n, day in enumerate(WEEKDAYS)), (NO_DIGEST, "None")]),
        validators=[DataRequired(REQUIRED)])
    timezone = SelectField("Time zone", validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()


class ChangeEmailForm(FlaskForm):
    """A new sign-in address, proven by the current password and then by a mailed link."""

    email = EmailField("New e-mail address", filters=[lambda v: v.strip().lower() if v else v],
                       validators=[DataRequired(REQUIRED), Length(max=254),
                                   Email("Enter a valid e-mail address.",
                                         check_deliverability=False)])
    password = PasswordField("Current password", validators=[DataRequired(REQUIRED),
                                                             Length(max=MAX_LENGTH)])


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""
