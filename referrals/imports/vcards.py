"""Reading vCard 3.0 and 4.0 files (one card or many) with vobject, as contacts.

Pure: no Flask, no database. vobject does the parsing (folded lines, escapes, quoted-printable);
this module only picks the fields a network keeps.
"""

import vobject

from referrals.imports.records import MAX_ROWS, Contact


class CardsRefused(Exception):
    """A vCard file that cannot be read; the message is for the user."""


def looks_like_vcard(text: str) -> bool:
    """Whether the text starts like a vCard file."""
    return text.lstrip("\ufeff \r\n\t")[:11].upper() == "BEGIN:VCARD"


def _value(card, name: str) -> str:
    child = getattr(card, name, None)
    value = getattr(child, "value", "") if child is not None else ""
    if isinstance(value, list):  # ORG is a list of units
        value = " ".join(v for v in value if isinstance(v, str) and v)
    return value if isinstance(value, str) else ""


def _name(card) -> str:
    name = _value(card, "fn")
    if name:
        return name
    n = getattr(card, "n", None)
    if n is None:
        return ""
    parts = n.value
    return " ".join(filter(None, (getattr(parts, "given", ""), getattr(parts, "family", ""))))


def read_cards(text: str) -> list[Contact]:
    """Every card in the file as a contact; raises CardsRefused if the file is not vCard."""
    contacts, line = [], 1
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name != "VCARD":
                continue
            url = next((u.value for u in card.contents.get("url", [])
                        if "linkedin" in u.value.lower()), _value(card, "url"))
            contacts.append(Contact(line=line, name=_name(card), email=_value(card, "email"),
                                    organisation=_value(card, "org"),
                                    title=_value(card, "title"), url=url))
            line += 1
            if len(contacts) > MAX_ROWS:
                raise CardsRefused(f"The file has more than {MAX_ROWS:,} cards. Split it into "
                                   "smaller files and import them one by one.")
    except (vobject.base.ParseError, ValueError, AttributeError) as exc:
        raise CardsRefused(f"The vCard file is broken after card {line - 1}: {exc}") from exc
    if not contacts:
        raise CardsRefused("The vCard file holds no cards.")
    return contacts
