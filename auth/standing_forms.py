"""Forms for applying for standing and for deciding applications and accounts."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from auth.forms import REQUIRED
from auth.validators import PlainText, as_choices, strip_filter
from referrals.statuses import OrganisationKind

KINDS = [(kind.value, kind.label) for kind in OrganisationKind]


class ProposeOrganisationForm(FlaskForm):
    """Applying as the first person of an organisation nobody has registered yet."""

    name = StringField("Organisation's name", filters=[strip_filter],
                       validators=[DataRequired(REQUIRED), Length(max=120), PlainText()])
    kind = SelectField("It is a", choices=as_choices(KINDS), validators=[DataRequired(REQUIRED)])


class DecisionForm(FlaskForm):
    """Joining an organisation, approving, refusing, suspending, restoring: only the CSRF
    token, the decision is the POST itself."""
