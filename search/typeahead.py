"""Typeahead over names and skills, limited to the profiles a viewer may see.

Names come from `name_ac`, an edge n-gram field (every prefix of every name word is a term), so
a prefix is a single posting list, never an expansion over the lexicon. Skills (and any other
field registered with `typeahead`) come from the small vocabulary of its facet values; a value
is offered only if a visible profile has it.
"""

from search import bits
from search import fields as registry
from search.analysis import WORD, clean, fold
from search.schema import NGRAM_MAX

MAX_WORDS = 4
NAME_CANDIDATES = 200


def _vocabulary(snap, name) -> list:
    """(value, folded words) of every value of one facet, cached on the snapshot."""
    cache = getattr(snap, "_typeahead_vocab", None)
    if cache is None:
        cache = snap._typeahead_vocab = {}
    vocab = cache.get(name)
    if vocab is None:
        vocab = [(value, fold(value).split()) for value in snap.facet_masks(name)]
        cache[name] = vocab
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
    values = []  # facet values (skills), most common among visible profiles first
    for field in registry.REGISTRY.facets:
        if not field.typeahead:
            continue
        masks = snap.facet_masks(field.name)
        for value, folded in _vocabulary(snap, field.name):
            if all(any(f.startswith(w) for f in folded) for w in words):
                count = (masks[value] & allowed).bit_count()
                if count:
                    values.append((-count, value, field.typeahead))
    values.sort()
    n_values = min(len(values), max(limit // 2, limit - len(people)))
    out = [{"label": label, "kind": "name", "id": pid}
           for _, _, label, pid in people[:limit - n_values]]
    out += [{"label": value, "kind": kind} for _, value, kind in values[:n_values]]
    return out
