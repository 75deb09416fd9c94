"""Forms for people, connections and interactions."""

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from auth.forms import REQUIRED
from auth.validators import PlainText, as_choices, strip_filter
from referrals.kinds import DIRECTION_CHOICES, INTERACTION_KINDS, VISIBILITIES
from referrals.statuses import PipelineStage, Role
from referrals.submissions import new_token

EARLIEST_DAY = date(1950, 1, 1)
# Pages print dates as "3 Dec 2026", so that is how a date is typed too (a browser's date input
# would ask in its own locale's order, mm/dd/yyyy here); also 3 December 2026, 2026-12-03, and
# 3/12/2026, day first as printed.
DAY_FORMATS = ["%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"]
DAY_HINT = "For example 3 Dec 2026"
MAX_SKILLS = 50


def _blank_to_none(value):
    return value.strip().lower() or None if isinstance(value, str) else value


def _tidy_skills(value):
    """One skill per line; commas also separate; duplicates dropped, order kept."""
    if not isinstance(value, str):
        return "" if value is None else value
    seen, skills = set(), []
    for raw in value.replace(",", "\n").splitlines():
        skill = " ".join(raw.split())
        if skill and skill.lower() not in seen:
            seen.add(skill.lower())
            skills.append(skill)
    return "\n".join(skills)


class SubmittedOnce:
    """A form that creates something: a one-time token made when it is rendered, so that a
    retried POST answers as the first did instead of writing again (referrals/submissions.py).
    Re-rendered after an error, the form keeps the token it was sent with."""

    submission_token = HiddenField(default=new_token)


def form_fields(form) -> dict:
    """A form's data without its CSRF and submission tokens: the fields a service takes."""
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "submission_token")}


def _line(label, max_len, required=False):
    checks = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, filters=[strip_filter],
                       validators=[*checks, Length(max=max_len), PlainText()])


class PersonFieldsForm(FlaskForm):
    """The facts of a profile that a recruiter or the person can fill in."""

    name = _line("Full name", 120, required=True)
    email = EmailField("E-mail", filters=[_blank_to_none], validators=[
        Optional(), Length(max=254), Email("Enter a valid e-mail address.",
                                           check_deliverability=False)])
    headline = _line("Headline", 160)
    title = _line("Current title", 120)
    organisation = _line("Organisation", 120)
    location = _line("Location", 120)
    years_experience = IntegerField("Years of experience", validators=[
        Optional(), NumberRange(0, 70, "Enter a number of years from 0 to 70.")])
    skills = TextAreaField("Skills (one per line or comma-separated)",
                           filters=[_tidy_skills],
                           validators=[Optional(), Length(max=3000), PlainText(multiline=True)])
    summary = TextAreaField("Summary", filters=[strip_filter],
                            validators=[Optional(), Length(max=5000), PlainText(multiline=True)])

    def validate_skills(self, field):
        if field.data and len(field.data.splitlines()) > MAX_SKILLS:
            raise ValidationError(f"List at most {MAX_SKILLS} skills.")
        if any(len(s) > 60 for s in (field.data or "").splitlines()):
            raise ValidationError("Keep each skill under 60 characters.")


class ContactForm(SubmittedOnce, PersonFieldsForm):
    """A recruiter adds someone without an account to their network."""

    role = SelectField("They are a", choices=as_choices(
        (role.value, role.label) for role in (Role.CANDIDATE, Role.CLIENT)))


class ProfileForm(PersonFieldsForm):
    """A person edits their own profile (or a recruiter edits a contact they keep)."""

    open_to_work = BooleanField("Open to work")
    visibility = SelectField("Who can see this profile", choices=as_choices(VISIBILITIES))
    consent_required = BooleanField("Ask me before putting me forward for a role")


class DayField(DateField):
    """A date typed as the app prints it, in a text box: "3 Dec 2026"."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", DAY_HINT)
        super().__init__(label, validators, format=DAY_FORMATS,
                         invalid_value_message="Enter a date like 3 Dec 2026.", **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return f"{self.data.day} {self.data:%b %Y}" if self.data else ""

    def process_formdata(self, valuelist):
        # "3  Dec 2026 " is the same day: strptime would refuse the extra spaces.
        super().process_formdata([" ".join(" ".join(valuelist).split())] if valuelist else [])


class InteractionForm(SubmittedOnce, FlaskForm):
    """What passed between the two sides."""

    occurred_on = DayField("Date", validators=[InputRequired("Enter the date it happened.")])
    kind = SelectField("Kind", choices=as_choices(INTERACTION_KINDS))
    direction = SelectField("Direction of value", choices=as_choices(DIRECTION_CHOICES))
    note = TextAreaField("Note (both of you see it)", filters=[strip_filter],
                         validators=[Optional(), Length(max=2000), PlainText(multiline=True)])
    private_note = TextAreaField("Private note (only you ever see it)", filters=[strip_filter],
                                 validators=[Optional(), Length(max=2000),
                                             PlainText(multiline=True)])
    # Set by the person after the "before you ask" warning, to log the ask all the same.
    ask_anyway = BooleanField("Log this ask anyway")

    def validate_occurred_on(self, field):
        if field.data is None:
            return  # not a date: DateField has already said so
        # One day of slack: "today" somewhere on Earth may be tomorrow in UTC.
        if field.data > date.today() + timedelta(days=1):
            raise ValidationError("That date is in the future; log what has happened.")
        if field.data < EARLIEST_DAY:
            raise ValidationError("Enter a date after 1950.")


class DisputeForm(SubmittedOnce, FlaskForm):
    """Why an entry the other side logged is not right."""

    reason = TextAreaField("What is not right?", filters=[strip_filter], validators=[
        DataRequired("Say what is not right, so the other side can fix it."),
        Length(max=1000), PlainText(multiline=True)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class MergeForm(FlaskForm):
    """Pick the duplicate record to fold into this one."""

    duplicate_id = SelectField("Duplicate record", coerce=int,
                               validators=[InputRequired("Choose a record.")])


class CadenceForm(FlaskForm):
    """How often to stay in touch with someone."""

    cadence_days = SelectField("Stay in touch", coerce=int, choices=as_choices([
        (0, "No reminder"), (30, "Every month"), (91, "Every 3 months"),
        (182, "Every 6 months"), (365, "Every year")]))


class OpeningForm(SubmittedOnce, FlaskForm):
    """A role a recruiter is filling for a client."""

    client_id = SelectField("Hiring client", coerce=int,
                            validators=[InputRequired("Choose the client this role is for.")])
    title = _line("Job title", 120, required=True)
    organisation = _line("Organisation", 120)
    location = _line("Location", 120)
    remote_ok = BooleanField("Remote candidates welcome")
    min_years = IntegerField("Minimum years of experience", validators=[
        Optional(), NumberRange(0, 60, "Enter a number of years from 0 to 60.")])
    must_skills = TextAreaField("Must-have skills (one per line)", filters=[_tidy_skills],
                                validators=[Optional(), Length(max=2000),
                                            PlainText(multiline=True)])
    nice_skills = TextAreaField("Nice-to-have skills", filters=[_tidy_skills],
                                validators=[Optional(), Length(max=2000),
                                            PlainText(multiline=True)])
    qualifications = TextAreaField("Named qualifications required (one per line)",
                                   filters=[_tidy_skills],
                                   validators=[Optional(), Length(max=1000),
                                               PlainText(multiline=True)])
    description = TextAreaField("Description", filters=[strip_filter],
                                validators=[Optional(), Length(max=5000),
                                            PlainText(multiline=True)])


class DismissForm(FlaskForm):
    """Why a person is not right for this opening (remembered for it)."""

    reason = StringField("Reason", filters=[strip_filter], validators=[
        DataRequired("Say why, so you remember next time."), Length(max=300), PlainText()])


def _vouch_field():
    return TextAreaField(
        "Your vouch, in your own words", filters=[strip_filter],
        validators=[Optional(), Length(max=1000), PlainText(multiline=True)],
        description="Why you vouch for them, to the client. Required for a wild card.")


class RecommendForm(SubmittedOnce, FlaskForm):
    """Put someone forward: the recruiter's word to the client (required for a wild card)."""

    vouch = _vouch_field()


class VouchForm(FlaskForm):
    """Reword the vouch before the client opens the recommendation."""

    vouch = _vouch_field()


class StageForm(FlaskForm):
    """Move a recommendation along: a stage, and a word ("not now" needs one)."""

    stage = SelectField("Where it stands", choices=as_choices(
        (stage.value, stage.label) for stage in PipelineStage if stage != PipelineStage.SENT),
        validators=[InputRequired("Choose where it stands.")])
    note = TextAreaField("A word to the other side", filters=[strip_filter],
                         validators=[Optional(), Length(max=1000), PlainText(multiline=True)],
                         description="Required for “not now”: say why.")

    def validate_note(self, field):
        if self.stage.data == PipelineStage.NOT_NOW and not field.data:
            raise ValidationError("Say why not now, so the recruiter can look again.")


class MessageForm(FlaskForm):
    """A question or an answer about a recommendation."""

    body = TextAreaField("Message", filters=[strip_filter], validators=[
        DataRequired("Write your message."), Length(max=1000), PlainText(multiline=True)])
