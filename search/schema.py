"""The index schema, and how a profile document becomes one Whoosh document.

One Whoosh document per person. Words are found through `all`, a single weighted field: every
text field is analysed into it with its own weight, so a plain term is one posting list (fast)
and yet a skill outranks the same word in a summary (BM25F-style weighting via term weights).
Each text field owns a band of positions in `all` (name 0.., headline 65536.., ...), so a
`field:` query is the same posting list restricted to that band: no second copy of the text,
which halved the postings a rebuild writes.
Private notes go into `notes` with every term prefixed by its author's user id ("42:reliabl"):
only a query built for user 42 can produce such a term, so nobody else's search can match,
highlight or suggest those words.
"""

import hashlib
import json
from collections import defaultdict
from pickle import dumps as _dumps

from whoosh import columns, fields, formats
from whoosh.analysis import Analyzer, Token

from search import fields as registry
from search.analysis import analyze, clean
from search.fields import FLAG, TEXTS

META_ID = "meta"  # the document holding the last applied change id, committed with the data
# Which profile fields exist, their weights in `all`, bands and facets: search/fields.py.
GAP = 8  # position gap between skills and between notes so a phrase never spans two of them
BAND = 1 << 16  # positions per field in `all`; words past a band's end are not indexed
NGRAM_MAX = 12  # longest name prefix kept for typeahead
_UINT = formats.pack_uint


class FoldStemAnalyzer(Analyzer):
    """Whoosh-facing wrapper of `search.analysis.analyze` (for tools such as QueryParser)."""

    def __init__(self, stemmed=True):
        self.stemmed = stemmed

    def __eq__(self, other):
        return type(other) is type(self) and other.stemmed == self.stemmed

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, (surface, term, start, end) in enumerate(analyze(clean(value))):
            t.text = term if self.stemmed else surface
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = surface
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def _positional(pieces, prefix=""):
    """(term bytes, freq, weight, encoded positions) for (band, weight, text) pieces.

    Positions are encoded as whoosh.formats.Positions.encode does, inline: a rebuild calls
    this for about fifty postings a profile."""
    poses: dict = {}
    weights: dict = {}
    band, pos = None, 0
    for piece_band, weight, text in pieces:
        if piece_band != band:
            band, pos = piece_band, piece_band * BAND
        end = (band + 1) * BAND - GAP
        for _surface, term, _s, _e in analyze(clean(text)):
            if pos >= end:
                break
            if prefix:
                term = prefix + term
            plist = poses.get(term)
            if plist is None:
                poses[term] = [pos]
                weights[term] = weight
            else:
                plist.append(pos)
                weights[term] += weight
            pos += 1
        pos += GAP
    out = []
    for term, plist in poses.items():
        n = len(plist)
        deltas = plist if n == 1 else [b - a for a, b in zip([0, *plist[:-1]], plist, strict=True)]
        out.append((term.encode("utf-8"), n, weights[term], _UINT(n) + _dumps(deltas, 2)))
    return out


class WeightedText(fields.FieldType):
    """Positional text; the value is a list of (band, weight, text) pieces, analysed here.

    Analysis runs inside `index()` so that `procs=N` rebuilds analyse in the worker processes.
    """

    def __init__(self):
        super().__init__(formats.Positions(), FoldStemAnalyzer(), scorable=True)

    def index(self, value, **kwargs):
        """Postings for the pieces; a plain string counts as one summary-weight piece."""
        if isinstance(value, str):
            value = [(0, 1.0, value)]
        return _positional(value)


class NotesText(fields.FieldType):
    """Private notes; the value is a list of (author user id, text); terms carry the author."""

    def __init__(self):
        super().__init__(formats.Positions(), FoldStemAnalyzer(), scorable=True)

    def index(self, value, **kwargs):
        """Postings with every term prefixed by "<author>:"."""
        by_author = defaultdict(list)
        for author, text in value:
            by_author[author].append((0, 1.0, text))
        for author, pieces in by_author.items():
            yield from _positional(pieces, prefix=f"{author}:")


def _keys(**kwargs) -> fields.FieldType:
    """A multi-valued exact-match field.

    Not scorable: nothing reads its document lengths (only those of `all`, see
    segments.norms), and storing them cost a column value per field and profile in a rebuild.
    Writers use search.whoosh_internals.codec, which never looks lengths up per posting.
    """
    return fields.KEYWORD(**kwargs)


def _key(**kwargs) -> fields.FieldType:
    """A single-valued exact-match field (no lengths, as `_keys`)."""
    return fields.ID(**kwargs)


def build_schema() -> fields.Schema:
    """The Whoosh schema of the profile index: fixed fields, and one per registered facet."""
    facets = {f.facet_field: _keys() if f.kind == TEXTS else _key()
              for f in registry.REGISTRY.facets}
    return fields.Schema(
        pid=_key(stored=True, unique=True, sortable=True),
        all=WeightedText(),
        notes=NotesText(),
        name_ac=_keys(),
        owner=_key(),
        visibility=_key(),
        audience=_keys(),
        **facets,
        pidn=fields.COLUMN(columns.NumericColumn("i")),  # person id per document, read in bulk
        namec=fields.COLUMN(columns.VarBytesColumn()),  # display name, for typeahead
        fp=fields.COLUMN(),
        doc=fields.STORED(),
        applied=fields.STORED(),
    )


def facet_value(text) -> str:
    """A facet value as shown and filtered on: the text with its whitespace collapsed."""
    return " ".join(str(text).split())


def distinct_values(doc, name) -> list[str]:
    """The distinct facet values of a list field (skills), in the document's order."""
    seen = {}
    for item in doc.get(name) or ():
        value = facet_value(item)
        if value:
            seen.setdefault(value, None)
    return list(seen)


def fingerprint(doc) -> str:
    """A short stable hash of a profile document, to tell whether the index holds this version."""
    raw = json.dumps(doc, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def name_prefixes(name: str) -> list[str]:
    """Edge n-grams of each folded name word ("Zoë Ann" -> z, zo, zoe, a, an, ann)."""
    grams = set()
    for surface, _t, _s, _e in analyze(clean(name)):
        for i in range(1, min(len(surface), NGRAM_MAX) + 1):
            grams.add(surface[:i])
    return sorted(grams)


def _facet_values(field, doc, lists):
    """The exact values a document files under one facet (a list, a value, or None)."""
    if field.kind == TEXTS:
        return lists[field.name] or None
    if field.kind == FLAG:
        return "true" if doc.get(field.name) else "false"
    return facet_value(doc.get(field.name) or "") or None


def to_fields(doc) -> dict:
    """The Whoosh fields of a profile document (see the module docstring for the layout)."""
    reg = registry.REGISTRY
    lists = {f.name: distinct_values(doc, f.name) for f in reg.fields if f.kind == TEXTS}
    text = {f.name: clean(str(doc.get(f.name) or "")) for f in reg.searched if f.kind != TEXTS}
    notes = [(int(n["author"]), clean(str(n.get("text") or "")))
             for n in doc.get("notes") or () if n.get("author") is not None]
    visibility = doc.get("visibility") or "private"
    pieces = []
    for f in reg.searched:  # in registry order: a field's pieces are contiguous in its band
        values = lists[f.name] if f.kind == TEXTS else [text[f.name]]
        pieces += [(f.band, f.weight, value) for value in values if value]
    out = {
        "pid": str(int(doc["id"])),
        "pidn": int(doc["id"]),
        "namec": text["name"].encode("utf-8"),
        "all": pieces,
        "name_ac": name_prefixes(text["name"]),
        "visibility": visibility,
        "fp": fingerprint(doc).encode("ascii"),
        "doc": {**text, **{f.name: lists[f.name] for f in reg.searched if f.kind == TEXTS},
                "notes": notes},
    }
    for f in reg.facets:
        values = _facet_values(f, doc, lists)
        if values is not None:
            out[f.facet_field] = values
    if notes:
        out["notes"] = notes
    if doc.get("owner") is not None:
        out["owner"] = str(int(doc["owner"]))
    if visibility != "private":  # the rule: a private profile has no audience at all
        audience = sorted({str(int(p)) for p in doc.get("audience") or ()})
        if audience:
            out["audience"] = audience
    return out
