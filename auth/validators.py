"""WTForms validators shared by every form: text that is safe to keep and show."""

import unicodedata

from wtforms.validators import ValidationError


class PlainText:
    """Reject control characters (newlines and tabs allowed only when multiline)."""

    def __init__(self, multiline: bool = False):
        self.allowed = {"\n", "\r", "\t"} if multiline else set()

    def __call__(self, form, field):
        value = field.data or ""
        for ch in value:
            if ch in self.allowed:
                continue
            if unicodedata.category(ch) in ("Cc", "Cs", "Co") or ch in "\u2028\u2029":
                raise ValidationError("Remove the control characters from this field.")


def strip_filter(value):
    """Trim surrounding whitespace from submitted text; a field left out of the form is ""."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def as_choices(pairs) -> list:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3+ expects."""
    from wtforms import SelectChoice

    return [SelectChoice(value, label) for value, label in pairs]


def without_control_characters(text: str) -> str:
    """Text with control characters removed (for free text that is not a form field)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
