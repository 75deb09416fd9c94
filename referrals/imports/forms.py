"""Forms of the import steps: upload, column mapping, and the preview's choices."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from auth.validators import as_choices
from referrals.forms import SubmittedOnce
from referrals.imports.formats import FIELD_LABELS, FIELDS

NEW_ROLES = (("candidate", "Candidates"), ("client", "Hiring clients"))


class UploadForm(FlaskForm):
    """A file to import: CSV (LinkedIn, Google, Outlook or any other) or vCard."""

    file = FileField("File", validators=[FileRequired("Choose a file to import.")])


class MappingForm(FlaskForm):
    """Which column of an unknown CSV holds which field; choices are the file's header."""


def mapping_form(header: list, guessed: dict, formdata=None) -> FlaskForm:
    """A MappingForm with one select per field, offering the file's columns."""

    class Bound(MappingForm):
        pass

    choices = as_choices([("", "(not in this file)"), *((h, h) for h in header if h)])
    for name in FIELDS:
        setattr(Bound, name, SelectField(FIELD_LABELS[name], choices=choices,
                                         default=guessed.get(name, "")))
    return Bound(formdata=formdata) if formdata is not None else Bound()


class ImportForm(SubmittedOnce, FlaskForm):
    """The preview's confirmation; each match's choice arrives as choice-<line>."""

    role = SelectField("New people are", choices=as_choices(NEW_ROLES), default="candidate")
