"""Sorting checked rows into new people, people already in the network, and refusals.

Pure: no Flask, no database. A row matches someone known by the same e-mail, the same LinkedIn
address, or the same name and organisation (in that order of certainty); a row that repeats an
earlier row of the same file is refused, so one person is never added twice by one import.
"""

import unicodedata
from dataclasses import dataclass

from referrals.imports.records import Checked, normal_url

ADD, MATCH, REFUSED = "add", "match", "refused"


@dataclass(frozen=True)
class Known:
    """Someone already in the recruiter's network, as matching needs them."""

    id: int
    name: str
    email: str
    organisation: str
    url: str


@dataclass(frozen=True)
class Proposal:
    """What the preview proposes for one row: add it, match it to `match_id`, or refuse it."""

    line: int
    verdict: str
    row: Checked | None = None
    match_id: int | None = None
    because: str = ""  # why it matched, or why it is refused


def _fold(text: str) -> str:
    """Lower case without accents or extra spaces, so "José  Núñez" finds "jose nunez"."""
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def keys_of(name: str, email: str, organisation: str, url: str) -> list[tuple[str, str]]:
    """The matching keys of a person, most certain first."""
    keys = []
    if email:
        keys.append(("the same e-mail", email.lower()))
    if url:
        keys.append(("the same LinkedIn address", normal_url(url)))
    if name and organisation:
        keys.append(("the same name and organisation", f"{_fold(name)}|{_fold(organisation)}"))
    return keys


def propose(rows: list, known: list[Known]) -> list[Proposal]:
    """A proposal per row (a Checked row, or a (line, reason) refusal), in the file's order."""
    index: dict[tuple, int] = {}
    for person in known:
        for why, key in keys_of(person.name, person.email, person.organisation, person.url):
            index.setdefault((why, key), person.id)
    seen: dict[tuple, int] = {}
    proposals = []
    for row in rows:
        if not isinstance(row, Checked):
            line, reason = row
            proposals.append(Proposal(line=line, verdict=REFUSED, because=reason))
            continue
        keys = keys_of(row.name, row.email, row.organisation, row.url)
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            proposals.append(Proposal(line=row.line, verdict=REFUSED, because=(
                f"The same person as line {earlier} of this file.")))
            continue
        for k in keys:
            seen[k] = row.line
        found = next(((why, index[(why, key)]) for why, key in keys if (why, key) in index),
                     None)
        if found:
            proposals.append(Proposal(line=row.line, verdict=MATCH, row=row, match_id=found[1],
                                      because=f"Already in your network: {found[0]}."))
        else:
            proposals.append(Proposal(line=row.line, verdict=ADD, row=row))
    return proposals
