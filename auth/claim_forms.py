"""Forms for claiming an invitation: a new account at the invited address, and the claim."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from auth.forms import REQUIRED, _known_zone
from auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from auth.validators import PlainText, as_choices, strip_filter
from referrals.network.invitations import CLAIM_VISIBILITIES


class ClaimSignUpForm(FlaskForm):
    """A new account for the invited address (the address is the invitation's, not typed)."""

    name = StringField("Full name", filters=[strip_filter],
                       validators=[DataRequired(REQUIRED), Length(max=120), PlainText()])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED),
                                                     Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(REQUIRED), EqualTo("password", "The two passwords differ.")])
    timezone = HiddenField(filters=[_known_zone])

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def validate_password(self, field):
        problem = password_problem(field.data or "", email=self.invited_email,
                                   name=self.name.data or "")
        if problem:
            raise ValidationError(problem)


class ClaimProfileForm(FlaskForm):
    """The claim itself: who may see the profile, the most private choice first."""

    visibility = SelectField("Who can see your profile", default=CLAIM_VISIBILITIES[0].value,
                            choices=as_choices((v.value, v.label) for v in CLAIM_VISIBILITIES),
                            validators=[DataRequired(REQUIRED)])
