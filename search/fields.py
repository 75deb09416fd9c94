"""The searchable profile fields: one entry each, from which the rest of search is derived.

The index schema (`search/schema.py`), the search documents (`search/documents.py`), the facets
and filters (`search/snapshot.py`, `search/results.py`, `search/routes.py`), the field syntax
(`search/query.py`, `search/compiler.py`), highlights, "did you mean" and typeahead all read
`REGISTRY`; none of them names a profile field. Pure data: no Flask, database or Whoosh.

Private notes are not here: they come from the history, not from the profile, and are indexed
per author (see `search/schema.py`). `notes:` stays a field of the query syntax.
"""

import re
from dataclasses import dataclass

TEXT = "text"  # one string; its words are searched
TEXTS = "texts"  # a list of strings (skills), each its own phrase; facet values are the items
KEYWORD = "keyword"  # one exact value, never split into words (role)
FLAG = "flag"  # a yes/no value (open to work); its facet values are "true" and "false"
KINDS = (TEXT, TEXTS, KEYWORD, FLAG)
ANY, ALL = "any", "all"  # how several chosen values of one facet combine


@dataclass(frozen=True)
class Facet:
    """A field shown in the results page's "Narrow" panel and accepted as a filter."""

    label: str  # the heading on the results page
    match: str = ANY  # ANY: chosen values are alternatives; ALL: each must be present
    index_name: str = ""  # the Whoosh field of its exact values; default "f_<name>"


@dataclass(frozen=True)
class SearchField:
    """One profile field as search sees it."""

    name: str  # its key in the search document, highlights, facets, filters and field syntax
    attribute: str  # the Person attribute it is read from
    kind: str  # TEXT, TEXTS, KEYWORD or FLAG
    # Weight of each of its words in `all` (BM25 term frequency): 0 means not searched by words.
    weight: float = 0.0
    # Its block of positions in `all`, which is how `field:word` is answered. Written into every
    # index on disk: never renumber one (a new field takes the next free number).
    band: int | None = None
    aliases: tuple[str, ...] = ()  # other names accepted in the field syntax (`company:`)
    facet: Facet | None = None
    highlight: bool = False  # matched words are marked in it on the results page
    snippet: int | None = None  # long text: only a window of this many characters is shown
    typeahead: str | None = None  # its facet values are offered in typeahead with this kind

    @property
    def searched(self) -> bool:
        """Whether its words are in `all` (and so in the field syntax and stored for display)."""
        return self.weight > 0

    @property
    def facet_field(self) -> str | None:
        """The Whoosh field holding its exact facet values, or None."""
        if self.facet is None:
            return None
        return self.facet.index_name or f"f_{self.name}"


# The order is the order of highlights, facets and the list of field names shown to users.
FIELDS: tuple[SearchField, ...] = (
    SearchField("name", "name", TEXT, weight=6.0, band=0, highlight=True),
    SearchField("headline", "headline", TEXT, weight=4.0, band=2, highlight=True),
    SearchField("title", "title", TEXT, weight=3.0, band=3, aliases=("job",), highlight=True),
    SearchField("organisation", "organisation", TEXT, weight=2.0, band=4,
                aliases=("organization", "company", "employer", "org"), highlight=True),
    SearchField("location", "location", TEXT, weight=2.0, band=5, aliases=("city",),
                facet=Facet("Location"), highlight=True),
    SearchField("skills", "skill_list", TEXTS, weight=4.0, band=1, aliases=("skill",),
                facet=Facet("Skills", match=ALL), highlight=True, typeahead="skill"),
    SearchField("summary", "summary", TEXT, weight=1.0, band=6, aliases=("about",),
                highlight=True, snippet=240),
    SearchField("role", "role", KEYWORD, facet=Facet("Role")),
    SearchField("open_to_work", "open_to_work", FLAG,
                facet=Facet("Open to work", index_name="f_open")),
)
NOTES_NAMES = ("notes", "note")  # the field syntax of the viewer's own private notes
RESERVED = frozenset({"id", "visibility", "owner", "audience", "notes", "doc"})
SYNTAX_NAME = re.compile(r"[A-Za-z_]{1,30}")  # what the query parser reads before a colon


class Registry:
    """A checked set of fields and the views of it that the search modules use."""

    def __init__(self, fields: tuple[SearchField, ...]):
        self.fields = tuple(fields)
        self.by_name = {f.name: f for f in self.fields}
        self.searched = tuple(f for f in self.fields if f.searched)
        self.facets = tuple(f for f in self.fields if f.facet is not None)
        self.highlighted = tuple(f for f in self.fields if f.highlight)
        self.band = {f.name: f.band for f in self.searched}
        # field syntax: every name and alias (lower case) -> the field it means
        self.syntax = {}
        for f in self.searched:
            for alias in (f.name, *f.aliases):
                self.syntax[alias.lower()] = f.name
        for alias in NOTES_NAMES:
            self.syntax[alias] = "notes"
        self.syntax_names = ", ".join([f.name for f in self.searched] + ["notes"])
        self._check()

    def _check(self) -> None:
        """Refuse a registry that would index two things in one place."""
        seen: dict[str, str] = {}
        for f in self.fields:
            if f.kind not in KINDS:
                raise ValueError(f"{f.name}: kind must be one of {KINDS}")
            if f.name in seen or f.name in RESERVED:
                raise ValueError(f"{f.name}: the name is taken")
            seen[f.name] = f.name
            if f.searched and (f.kind not in (TEXT, TEXTS) or f.band is None):
                raise ValueError(f"{f.name}: only text is searched by words, and it needs a band")
            if f.facet is not None and f.facet.match not in (ANY, ALL):
                raise ValueError(f"{f.name}: facet match must be {ANY!r} or {ALL!r}")
            if f.typeahead and f.facet is None:
                raise ValueError(f"{f.name}: typeahead offers facet values, so it needs a facet")
        name = self.by_name.get("name")
        if name is None or name.kind != TEXT or not name.searched:
            raise ValueError("name: the display name must be a searched text field")
        aliases = [a.lower() for f in self.searched for a in (f.name, *f.aliases)]
        if len(set(aliases)) != len(aliases) or set(aliases) & set(NOTES_NAMES):
            raise ValueError("a field-syntax name is used twice")
        typed = [a for a in aliases if not SYNTAX_NAME.fullmatch(a)]
        if typed:
            raise ValueError(f"{typed}: field-syntax names are 1 to 30 letters or underscores")
        bands = [f.band for f in self.searched]
        if len(set(bands)) != len(bands):
            raise ValueError("two searched fields share a band")
        facet_fields = [f.facet_field for f in self.facets]
        if len(set(facet_fields)) != len(facet_fields):
            raise ValueError("two facets share an index field")

    def read(self, person: object) -> dict[str, object]:
        """name -> value of every field of a person, as a search document holds it."""
        out = {}
        for f in self.fields:
            value = getattr(person, f.attribute)
            if f.kind == TEXT:
                value = value or ""
            elif f.kind == TEXTS:
                value = list(value or ())
            elif f.kind == FLAG:
                value = bool(value)
            out[f.name] = value
        return out


REGISTRY = Registry(FIELDS)
