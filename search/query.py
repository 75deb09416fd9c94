"""Recruiters' search syntax, parsed into a small tree with bounds that make any input safe.

Syntax: words; "quoted phrases"; AND / OR / NOT (upper case) and parentheses, where NOT binds
tighter than AND, and AND tighter than OR ("a b OR c" is "(a AND b) OR c"); `+must` and
`-exclude`; `field:word`, `field:"a phrase"`, `field:(a OR b)`; `pay*` / `h?bp` wildcards with at
least 3 leading characters; `word~` (or `~1`, `~2`) for explicit typo tolerance.
Plain words are all required, unless the same group has a `+word`: then the `+` words are
required and the plain words only rank the matches higher (must-have vs nice-to-have).
The parser never raises: it drops what it cannot honour and says so in `messages` (problems
with the query) or `notices` (limits that were applied).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from search import fields as registry

MAX_CHARS = 1000
MAX_LEAVES = 24
MAX_DEPTH = 8
MIN_WILDCARD_PREFIX = 3
MIN_FUZZY_LENGTH = 3
_FIELD_PREFIX = re.compile(r"([A-Za-z_]{1,30}):(?=[^\s:])")
_FUZZY = re.compile(r"^(.*[^~])~([0-9]?)$")
_BOOST = re.compile(r"\^[0-9]+(?:\.[0-9]+)?$")
_OPS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}
_SPECIAL = set('()"')


@dataclass
class Leaf:
    """A word, phrase or wildcard pattern, possibly limited to one field."""

    kind: str  # "word", "phrase" or "wildcard"
    text: str
    field: str | None = None
    fuzzy: int | None = None  # explicit word~N


@dataclass
class Bool:
    """One level of AND: required, nice-to-have and excluded parts."""

    must: list = field(default_factory=list)
    should: list = field(default_factory=list)
    must_not: list = field(default_factory=list)


@dataclass
class AnyOf:
    """Alternatives joined by OR."""

    children: list


@dataclass
class Parsed:
    """A parsed query: the tree (None when nothing searchable is left) and what was said."""

    tree: object
    messages: list[str]
    notices: list[str]
    leaves: list[Leaf]


@dataclass
class _Tok:
    kind: str
    text: str = ""
    mod: str = ""
    field: str | None = None


def _sanitize(text: str, notices: list[str]) -> str:
    """NFC text without control or format characters (NUL, bidi overrides), length-bounded."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    if len(text) > MAX_CHARS:
        notices.append(f"Your search was long, so only its first {MAX_CHARS:,} characters "
                       "were used.")
        text = text[:MAX_CHARS]
    return text


def _lex(s: str, messages: list[str]) -> list[_Tok]:
    """Split the query into tokens; unbalanced quotes and brackets are tolerated."""
    toks, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        mod = ""
        if c in "+-":
            if i + 1 >= n or s[i + 1].isspace():
                i += 1
                continue
            mod, i = c, i + 1
            c = s[i]
        fname = None
        m = _FIELD_PREFIX.match(s, i)
        if m:
            fname, i = m.group(1), m.end()
            c = s[i]
        if c in "()":
            toks.append(_Tok(c, mod=mod, field=fname))
            i += 1
        elif c == '"':
            j = s.find('"', i + 1)
            if j < 0:
                messages.append("A closing quote was missing, so one was added at the end.")
                j = n
            toks.append(_Tok("phrase", s[i + 1:j], mod, fname))
            i = j + 1
        elif c in "[{" and re.match(r"[\[{][^\]}]*\sTO\s[^\]}]*[\]}]", s[i:]):
            j = min(k for k in (s.find("]", i), s.find("}", i)) if k >= 0)
            toks.append(_Tok("range", s[i:j + 1]))
            i = j + 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in _SPECIAL:
                j += 1
            word = s[i:j]
            if word in _OPS and not mod and not fname:
                toks.append(_Tok(_OPS[word]))
            else:
                toks.append(_Tok("word", word, mod, fname))
            i = j
    return toks


class _Parser:
    def __init__(self, toks, messages, notices):
        self.toks, self.pos = toks, 0
        self.messages, self.notices = messages, notices
        self.leaves: list[Leaf] = []
        self.depth = 0

    def say(self, text, notice=False):
        target = self.notices if notice else self.messages
        if text not in target:
            target.append(text)

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def parse_or(self, fname):
        alts = []
        while True:
            node = self.parse_and(fname)
            if node is not None:
                alts.append(node)
            tok = self.peek()
            if tok is None or tok.kind != "OR":
                break
            self.pos += 1
        if not alts:
            return None
        return alts[0] if len(alts) == 1 else AnyOf(alts)

    def parse_and(self, fname):
        parts = []  # (occur, node) with occur "+", "-" or ""
        while True:
            tok = self.peek()
            if tok is None or tok.kind in (")", "OR"):
                break
            if tok.kind == "AND":
                self.pos += 1
                continue
            negate = tok.kind == "NOT"
            if negate:
                self.pos += 1
                tok = self.peek()
                if tok is None or tok.kind in (")", "OR", "AND", "NOT"):
                    continue
            node = self.parse_primary(fname)
            if node is not None:
                parts.append(("-" if negate else tok.mod, node))
        if not parts:
            return None
        if len(parts) == 1 and parts[0][0] == "":
            return parts[0][1]
        has_must = any(occur == "+" for occur, _ in parts)
        out = Bool()
        for occur, node in parts:
            if occur == "-":
                out.must_not.append(node)
            elif occur == "+" or not has_must:
                out.must.append(node)
            else:
                out.should.append(node)
        if not out.must and not out.should:
            self.say("Only exclusions were given, so every profile you can see without those "
                     "words is shown.", notice=True)
        return out

    def resolve_field(self, name, inherited):
        if name is None:
            return inherited
        known = registry.REGISTRY.syntax.get(name.lower())
        if known is None:
            self.say(f"There is no field called \u201c{name}\u201d, so all fields were searched. "
                     f"Fields you can use: {registry.REGISTRY.syntax_names}.")
            return inherited
        return known

    def parse_primary(self, inherited):
        tok = self.peek()
        self.pos += 1
        fname = self.resolve_field(tok.field, inherited)
        if tok.kind == "(":
            if self.depth >= MAX_DEPTH:
                self.say(f"Brackets nested deeper than {MAX_DEPTH} levels were ignored.", True)
                return None
            self.depth += 1
            node = self.parse_or(fname)
            self.depth -= 1
            closing = self.peek()
            if closing is not None and closing.kind == ")":
                self.pos += 1
            else:
                self.say("A closing bracket was missing, so one was added at the end.")
            return node
        if tok.kind == ")":
            self.say("An unmatched closing bracket was ignored.")
            return None
        if tok.kind == "range":
            self.say("Ranges such as [a TO z] are not supported; search for the words instead.")
            return None
        if tok.kind == "phrase":
            return self.leaf(Leaf("phrase", tok.text, fname))
        return self.word(tok.text, fname)

    def word(self, text, fname):
        text = _BOOST.sub("", text)
        fuzzy = None
        m = _FUZZY.match(text)
        if m:
            text = m.group(1)
            fuzzy = min(int(m.group(2) or 2), 2)
            if len(text.strip("*?")) < MIN_FUZZY_LENGTH:
                self.say(f"Typo matching (~) needs at least {MIN_FUZZY_LENGTH} letters, so "
                         "short words were searched as typed.")
                fuzzy = None
        elif text.endswith("~"):
            text = text.rstrip("~")
        if "*" in text or "?" in text:
            stem = re.split(r"[*?]", text, maxsplit=1)[0]
            if len(re.sub(r"\W", "", stem)) < MIN_WILDCARD_PREFIX:
                self.say(f"Wildcards need at least {MIN_WILDCARD_PREFIX} characters before "
                         "the * or ?, so that part was left out.")
                return None
            return self.leaf(Leaf("wildcard", text, fname))
        if not text:
            return None
        return self.leaf(Leaf("word", text, fname, fuzzy))

    def leaf(self, leaf):
        if len(self.leaves) >= MAX_LEAVES:
            self.say(f"Only the first {MAX_LEAVES} words and phrases of your search were used.",
                     notice=True)
            return None
        self.leaves.append(leaf)
        return leaf


def parse(text: str) -> Parsed:
    """Parse a query string; never raises, whatever the input."""
    messages: list[str] = []
    notices: list[str] = []
    toks = _lex(_sanitize(text, notices), messages)
    parser = _Parser(toks, messages, notices)
    tree = None
    while parser.pos < len(toks):  # a stray ")" ends parse_or early: keep going after it
        node = parser.parse_or(None)
        if node is not None:
            tree = node if tree is None else Bool(must=[tree, node])
        if parser.pos < len(toks):
            parser.say("An unmatched closing bracket was ignored.")
            parser.pos += 1
    return Parsed(tree, messages, notices, parser.leaves)
