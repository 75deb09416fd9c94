"""What the results page shows of each hit and each facet value, composed once in Python.

A page has 20 cards and up to 32 facet links: a Jinja macro per field and a url_for per link
cost more CPU than the search itself, so the template only prints what is built here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from search.fields import FLAG

FACET_VALUES_SHOWN = 8  # per facet, the most common first (the page says "Narrow", not "all")


@dataclass(frozen=True)
class Card:
    """One result as the page prints it: escaped text, with <mark> where the query matched."""

    person_id: int
    href: str
    name: Markup
    open_to_work: bool
    headline: Markup | None
    details: Markup  # title · organisation · location
    skills: Markup | None
    summary: Markup | None
    notes: Markup | None  # the viewer's own private notes about the person


def skill_list(skills: str | None) -> list[str]:
    """A person's skills column as a list, blank lines dropped (as Person.skill_list)."""
    return [s.strip() for s in (skills or "").splitlines() if s.strip()]


def cards(hits: Iterable[Any], people: dict[int, Any], open_hidden: frozenset[int],
          href: Callable[[int], str]) -> list[Card]:
    """The cards of `hits` whose person is in `people` ({id: row with the card's columns});
    `open_hidden`: people whose open-to-work flag this viewer must not see."""
    out = []
    for hit in hits:
        p = people.get(hit.person_id)
        if p is None:  # gone from the database since it was indexed
            continue
        marks = hit.highlights

        def shown(field: str, value: str | None, marks: dict[str, str] = marks) -> Markup:
            return Markup(marks[field]) if marks.get(field) else escape(value or "")

        details = shown("title", p.title)
        for field in ("organisation", "location"):
            if getattr(p, field):
                details += Markup(" · ") + shown(field, getattr(p, field))
        skills = skill_list(p.skills)
        out.append(Card(
            person_id=hit.person_id, href=href(hit.person_id), name=shown("name", p.name),
            open_to_work=bool(p.open_to_work) and p.id not in open_hidden,
            headline=shown("headline", p.headline) if p.headline else None,
            details=details,
            skills=shown("skills", ", ".join(skills)) if skills else None,
            summary=Markup(marks["summary"]) if marks.get("summary") else None,
            notes=Markup(marks["notes"]) if marks.get("notes") else None))
    return out


@dataclass(frozen=True)
class FacetLink:
    """One value of a facet: its label, how many results have it, the link that adds it."""

    label: str
    count: int
    href: str
    active: bool


def query_string(pairs: dict[str, Any]) -> str:
    """The URL query of {name: value or list of values}: flags as true/false, None left out."""
    items = []
    for name, value in pairs.items():
        values = value if isinstance(value, list) else [value]
        items += [(name, str(v).lower() if isinstance(v, bool) else v)
                  for v in values if v is not None]
    return urlencode(items)


def facet_groups(facets: Iterable[Any], counts: dict[str, list[tuple[Any, int]]],
                 filters: dict[str, Any], base: dict[str, Any], url: str,
                 labels: dict[str, dict[str, str]]) -> list[tuple[str, list[FacetLink]]]:
    """(facet label, its links) for each facet with values among the results; each link keeps
    `base` (query and sort) and the chosen filters and adds its value. `labels`: {facet name:
    {coded value: label}}."""
    groups = []
    for facet in facets:
        name, flag = facet.name, facet.kind == FLAG
        links = []
        for value, n in counts.get(name, [])[:FACET_VALUES_SHOWN]:
            if flag:
                active, wanted, label = filters.get(name) == value, value, "Yes" if value else "No"
            else:
                chosen = filters.get(name, [])
                active, wanted = value in chosen, chosen + [value]
                label = labels.get(name, {}).get(value, value)
            href = f"{url}?{query_string({**base, **filters, name: wanted})}"
            links.append(FacetLink(label, n, href, active))
        if links:
            groups.append((facet.facet.label, links))
    return groups
