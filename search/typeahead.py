"""Typeahead over names and skills, limited to the profiles a viewer may see.

Names come from `name_ac`, an edge n-gram field (every prefix of every name word is a term), so
a prefix is a single posting list, never an expansion over the lexicon. Skills come from the
small vocabulary of skill facet values; a skill is offered only if a visible profile has it.
"""

from search import bits
from search.analysis import WORD, clean, fold
from search.schema import NGRAM_MAX

MAX_WORDS = 4
NAME_CANDIDATES = 200


def _skill_vocabulary(snap) -> list:
    """(value, folded words) of every skill facet value, cached on the snapshot."""
    vocab = getattr(snap, "_skill_vocab", None)
    if vocab is None:
        vocab = [(value, fold(value).split()) for value in snap.facet_masks("skills")]
        snap._skill_vocab = vocab
    return vocab


def suggest(snap, allowed: int, prefix: str, limit: int) -> list[dict]:
    """Up to `limit` {"label", "kind", "id"?} for names, then skills, matching a prefix."""
    words = [fold(w)[:NGRAM_MAX] for w in WORD.findall(clean(prefix or ""))][:MAX_WORDS]
    if not words or limit <= 0:
        return []
    names = allowed
    for w in words:
        names &= snap.mask("name_ac", w)
        if not names:
            break
    people = []
    pids = snap.pids()
    typed = " ".join(words)
    for d in bits.ones(names, NAME_CANDIDATES):
        label = snap.name(d)
        people.append((not fold(label).startswith(typed), fold(label), label, pids[d]))
    people.sort()
    skills = []
    masks = snap.facet_masks("skills")
    for value, folded in _skill_vocabulary(snap):
        if all(any(f.startswith(w) for f in folded) for w in words):
            count = (masks[value] & allowed).bit_count()
            if count:
                skills.append((-count, value))
    skills.sort()
    n_skills = min(len(skills), max(limit // 2, limit - len(people)))
    out = [{"label": label, "kind": "name", "id": pid}
           for _, _, label, pid in people[:limit - n_skills]]
    out += [{"label": value, "kind": "skill"} for _, value in skills[:n_skills]]
    return out
