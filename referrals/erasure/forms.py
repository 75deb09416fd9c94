"""The form that confirms deleting one's own account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from auth.forms import REQUIRED


class DeleteAccountForm(FlaskForm):
    """The current password, and a tick that says the user understands."""

    password = PasswordField("Your password", validators=[DataRequired(REQUIRED),
                                                          Length(max=256)])
    understood = BooleanField("I understand my profile, private notes, the people I keep and "
                              "my entries in shared histories are deleted for good",
                              validators=[DataRequired("Tick this to confirm.")])
