"""Forms for applying for standing, deciding applications and accounts, and an organisation's
e-mail domains."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from auth.domains import is_free_webmail, is_valid_domain
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


def _lower(value):
    return strip_filter(value).lower()


def _domain(value):
    return _lower(value).removeprefix("@")  # "@acme.co.uk" as people often write it


def _an_organisations_domain(form, field):
    if not is_valid_domain(field.data):
        raise ValidationError("Enter a domain such as acme.co.uk.")
    if is_free_webmail(field.data):
        raise ValidationError(f"{field.data} is an address anyone can open, so it cannot stand "
                              "for an organisation.")


class DomainForm(FlaskForm):
    """Adding an e-mail domain to an organisation; the address at it is mailed the link that
    proves it (not needed when the admin's own address, or a site administrator, vouches)."""

    domain = StringField("Domain", filters=[_domain],
                         validators=[DataRequired(REQUIRED), Length(max=253), PlainText(),
                                     _an_organisations_domain])
    address = EmailField("An address at that domain", filters=[_lower],
                         validators=[Optional(), Length(max=254),
                                     Email("Enter a valid e-mail address.",
                                           check_deliverability=False)])
