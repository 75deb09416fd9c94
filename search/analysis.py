"""Text analysis shared by indexing, querying and highlighting, so all three agree on terms.

A word is folded (lower case, accents and ligatures removed, "Zoë" -> "zoe"), then stemmed with
Porter for English ("recruiting" -> "recruit"). Stop words are dropped but "it" and "us" are kept
because recruiters search for IT people and US locations.
"""

import re
import unicodedata
from functools import lru_cache

from whoosh.lang.porter import stem as _porter

WORD = re.compile(r"\w+")
MAX_WORD = 40  # longer "words" are hashes, URLs or junk; indexing them only bloats the lexicon
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in is of on or that the this to was were with"
    .split()
)
_SPECIAL = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
            "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"}
_FOLD_TABLE = str.maketrans(_SPECIAL)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case a word and strip accents and ligatures ("Søren" -> "soren", "ﬁ" -> "fi")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_FOLD_TABLE)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term for a folded word: its English Porter stem."""
    return _porter(word)


def clean(text: str) -> str:
    """Normalise text to NFC so character offsets agree between indexing and highlighting."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=8192)
def analyze(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(surface, stem, start, end) per indexable word of NFC text; stop words left out.

    Cached because one document's text is analysed for several fields in a row.
    """
    out = []
    for m in WORD.finditer(text):
        terms = _terms(m.group())
        if terms is not None:
            out.append((*terms, *m.span()))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _terms(word: str) -> tuple[str, str] | None:
    """(surface, stem) of one word, or None for a stop word or one too long to index: one
    look-up per word of a rebuild's text, where folding and stemming were two."""
    if len(word) > MAX_WORD:
        return None
    surface = fold(word)
    if surface in STOP_WORDS or not surface:
        return None
    return surface, stem(surface)


def stems(text: str) -> list[str]:
    """The index terms of a piece of text, in order (stop words removed)."""
    return [t[1] for t in analyze(clean(text))]


def surfaces(text: str) -> list[str]:
    """The folded, unstemmed words of a piece of text, in order (stop words removed)."""
    return [t[0] for t in analyze(clean(text))]
