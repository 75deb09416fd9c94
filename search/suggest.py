""""Did you mean": corrections drawn only from words the viewer could find.

A candidate correction must occur in a profile the viewer may see (its term's bitset meets the
viewer's permitted set) or in the viewer's own notes, and the corrected query must itself find
something. So a suggestion never reveals a word of a hidden profile or of someone else's notes.
"""

import re

from search import bits
from search import fields as registry
from search.analysis import analyze, clean
from search.budget import Budget, Unlimited
from search.compiler import MAX_FUZZY_LENGTH
from search.fields import TEXTS
from search.query import Parsed
from search.snapshot import distance

MAX_WORDS = 6
MAX_CANDIDATES = 12
NOTE_TERMS = 20_000  # words of one user's notes compared with a typo, at most


def _surface(snap, docnum, term, user_id, notes=False) -> str | None:
    """The word (lower case, as written) behind an index term in one document."""
    stored = snap.reader.stored_fields(docnum).get("doc") or {}
    if notes:
        texts = [text for author, text in stored.get("notes") or () if author == user_id]
    else:
        searched = registry.REGISTRY.searched
        texts = [stored.get(f.name) for f in searched if f.kind != TEXTS]
        for f in searched:
            if f.kind == TEXTS:
                texts += list(stored.get(f.name) or ())
    for text in texts:
        text = clean(text or "")
        for _s, t, start, end in analyze(text):
            if t == term:
                return text[start:end].lower()
    return None


def _correction(snap, allowed, word, user_id, budget: Budget) -> str | None:
    """The visible word closest to a typed one, measured on the words as written (surfaces).

    The index holds stems, so candidates are found by stem and by leading characters, then
    each is spelt as in a profile the viewer may see and compared with what was typed: "Lomx"
    is one edit from "Lomax" but two from "Lomas" (whose stem "loma" is as close as "lomax").
    """
    toks = analyze(clean(word))
    if len(toks) != 1 or not 3 <= len(toks[0][0]) <= MAX_FUZZY_LENGTH:
        return None
    surface, term = toks[0][0], toks[0][1]
    own = f"{user_id}:"
    if snap.mask("all", term, budget) & allowed or snap.mask("notes", own + term, budget) \
            & allowed:
        return None  # the word itself is fine; something else made the search come up empty
    if budget.horizon is not None:
        return None  # reading the word was cut short: whether it is a typo is not known
    found = []

    def seen(name):  # only words the viewer could find decide how far the search goes
        return lambda cand: bool(snap.mask(name, cand) & allowed)

    for cand in snap.typo_terms("all", surface, term, accept=seen("all"),
                                allows=budget.allows)[:MAX_CANDIDATES]:
        visible = snap.mask("all", cand) & allowed
        if visible:
            found.append((_surface(snap, bits.first(visible), cand, user_id), visible))
    for cand in _own_note_terms(snap, own, surface, term)[:MAX_CANDIDATES]:
        visible = snap.mask("notes", cand) & allowed
        if visible:
            found.append((_surface(snap, bits.first(visible), cand[len(own):], user_id,
                                   notes=True), visible))
    found = [(written, visible) for written, visible in found if written]
    if not found:
        return None
    # closest as written, then the commoner among the profiles the viewer sees
    return min(found, key=lambda wv: (distance(wv[0], surface), -wv[1].bit_count(),
                                      wv[0]))[0]


def _own_note_terms(snap, own, surface, term) -> list[str]:
    """Terms of the viewer's own notes near a typed word (its stem, or its first characters),
    closest first. One user's notes are a short list: compared directly, no automaton."""
    probes = {surface, term} | {surface[:n] for n in range(len(surface) - 4, len(surface))
                                if n >= 5}
    mine, _complete = snap.prefix_terms("notes", own, NOTE_TERMS)
    near = []
    for cand, _df in mine:
        word = cand[len(own):]
        if not word or word[0] != surface[0]:
            continue
        dist = min(distance(word, p) for p in probes)
        if dist <= (1 if len(word) <= 5 else 2):
            near.append((dist, cand))
    return [cand for _d, cand in sorted(near)]


def did_you_mean(snap, allowed, parsed: Parsed, text: str, user_id: int, finds,
                 viewer_key=None, budget: Budget | None = None) -> str | None:
    """A corrected query string that finds something, or None; `finds(text)` runs a query.

    With `viewer_key` (what `allowed` was derived from), each word's correction is kept for
    the snapshot's lifetime: finding one walks the vocabulary, which takes milliseconds.
    Words are corrected while `budget` allows; one cut short is not kept.
    """
    budget = budget or Unlimited()
    corrected = text
    changed = False
    for leaf in [leaf for leaf in parsed.leaves if leaf.kind == "word"][:MAX_WORDS]:
        key = ("fix", viewer_key, leaf.text.lower())
        fix = snap.memo.get(key) if viewer_key is not None else None
        if fix is None:
            if not budget.allows():
                break
            fix = _correction(snap, allowed, leaf.text, user_id, budget) or ""
            if viewer_key is not None and not budget.cut:
                snap.memo.put(key, fix)
        if fix and fix != leaf.text.lower():
            pattern = re.compile(r"(?<!\w)" + re.escape(leaf.text) + r"(?!\w)")
            corrected, n = pattern.subn(lambda _m, f=fix: f, corrected, count=1)
            changed = changed or n > 0
    if changed and finds(corrected):
        return corrected
    return None
