"""Re-ranking the best matches by where the query's words were found, not only how often.

BM25 over `all` sums a word's weighted occurrences, so a long summary that repeats "manager"
and "compensation" can outrank a profile titled "C&B Manager". The best RERANK_POOL matches are
therefore re-scored with what a recruiter reads first: a query word found in the job title or
headline counts most, then the name, the skills and the location; the words together as in
the query (an exact phrase in the title) count again. Job-title nouns ("manager", "lead",
"head") weigh less than the specialism around them, both here and in BM25 (the compiler
lowers their boost).

The pool is fixed, so every page of one search sees the same order.
"""

import math
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from search import plan
from search.analysis import stem, stems

RERANK_POOL = 40  # best BM25 matches re-scored; below them, BM25 order is kept
# Words that say what level or kind of job, not what field: a recruiter's "reward manager"
# wants reward people first and managers second.
TITLE_WORDS = frozenset(stem(w) for w in (
    "manager managers management lead leader head director officer chief senior junior "
    "principal specialist consultant analyst advisor adviser coordinator assistant associate "
    "executive vp president partner team").split())
TITLE_WORD_WEIGHT = 0.35
# How much a concept found in a zone of the profile counts (the best zone it is found in).
ZONE_WEIGHT = {"title": 1.0, "name": 1.0, "headline": 0.6, "skills": 0.5, "location": 0.5,
               "organisation": 0.3, "summary": 0.0}
# the query's words side by side in one of these: an exact phrase, worth this much
PHRASE_ZONES = {"title": 1.0, "headline": 1.0, "summary": 0.5}
FIELD_WEIGHT = 1.0  # the share of the query found in good places, against BM25 scaled to 1
PHRASE_WEIGHT = 0.3  # the query's words together in the title or headline

Alternative = tuple[str, ...]  # index terms in a row
Part = tuple[tuple[Alternative, ...], float]  # a required part: its alternatives, its boost
Zones = dict[str, Any]  # a profile's `zones`


def concepts(node: object) -> list[Part]:
    """The required parts of a plan, each a tuple of alternatives (tuples of `all` terms),
    with the boost of its terms: [((alt, ...), boost), ...]."""
    if isinstance(node, plan.Boosted):
        return concepts(node.base) + concepts(node.extra)
    if isinstance(node, plan.Excluding):
        return concepts(node.base)
    if isinstance(node, plan.AllOf):
        return [c for child in node.children for c in concepts(child)]
    alts: list[Alternative] = []
    boost = 0.0
    for leaf in _leaves(node):
        if leaf.field == "all":
            alts.append(leaf.terms if isinstance(leaf, plan.Positional) else (leaf.text,))
            boost = max(boost, leaf.boost)
    return [(tuple(alts), boost)] if alts else []


def _leaves(node: object) -> Iterator[plan.Term | plan.Positional]:
    if isinstance(node, (plan.Term, plan.Positional)):
        yield node
    elif isinstance(node, plan.AnyOf):
        for child in node.children:
            yield from _leaves(child)


def weights(parts: list[Part], doc_frequency: Callable[[str], int],
            count: int) -> list[float]:
    """The weight of each concept: its rarest alternative's idf, times its boost."""
    out = []
    for alts, boost in parts:
        idf = max((min(_idf(doc_frequency(t), count) for t in alt) for alt in alts),
                  default=0.0)
        out.append(idf * boost)
    return out


def _idf(df: int, count: int) -> float:
    return math.log(1 + (count - df + 0.5) / (df + 0.5)) if df else 0.0


@lru_cache(maxsize=20_000)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(stems(text))


def zones(stored: dict[str, Any], summary: bool = True) -> Zones:
    """Where each index term of a profile's short fields is: term -> [(zone, text, position)],
    and the texts as tuples of terms (each skill its own text), for `evidence`. The summary
    (long: the costly part) only matters to a query of several parts (a phrase)."""
    texts = {("title", 0): _terms(stored.get("title") or ""),
             ("headline", 0): _terms(stored.get("headline") or ""),
             ("name", 0): _terms(stored.get("name") or ""),
             ("location", 0): _terms(stored.get("location") or ""),
             ("organisation", 0): _terms(stored.get("organisation") or ""),
             ("summary", 0): tuple(stems(stored.get("summary") or "")) if summary else ()}
    for i, skill in enumerate(stored.get("skills") or ()):
        texts["skills", i] = _terms(skill)
    where: dict[str, list[tuple[str, int, int]]] = {}
    for (zone, i), text in texts.items():
        for p, term in enumerate(text):
            where.setdefault(term, []).append((zone, i, p))
    return {"texts": texts, "where": where}


def evidence(parts: list[Part], concept_weights: list[float], doc: Zones) -> float:
    """A bonus in [0, FIELD_WEIGHT + PHRASE_WEIGHT] for where a profile holds the concepts;
    `doc` is the profile's `zones`."""
    total = sum(concept_weights)
    if not total:
        return 0.0
    texts, where = doc["texts"], doc["where"]
    found = 0.0
    # phrase zone -> concept -> (start, end) of where it was found in it
    spans: dict[str, dict[int, tuple[int, int]]] = {}
    for c, ((alts, _boost), weight) in enumerate(zip(parts, concept_weights, strict=True)):
        best = 0.0
        for alt in alts:
            n = len(alt)
            for zone, i, p in where.get(alt[0], ()):
                if n > 1 and texts[zone, i][p:p + n] != alt:
                    continue
                best = max(best, ZONE_WEIGHT[zone])
                if zone in PHRASE_ZONES:
                    spans.setdefault(zone, {}).setdefault(c, (p, p + n))
        found += weight * best
    phrase = 0.0
    if len(parts) > 1:
        for zone, matched in spans.items():
            # every concept found in one text, side by side: an exact phrase (the first place
            # of each is checked: enough for titles, a fair sample of a summary)
            start = min(s for s, _ in matched.values())
            end = max(e for _, e in matched.values())
            if len(matched) == len(parts) and end - start == sum(
                    e - s for s, e in matched.values()):
                phrase = max(phrase, PHRASE_ZONES[zone])
    return FIELD_WEIGHT * found / total + PHRASE_WEIGHT * phrase


def rerank(ranked: list[tuple[int, float]], parts: list[Part], concept_weights: list[float],
           where: Callable[[int], Zones], key: Callable[[int], int]
           ) -> list[tuple[int, float]]:
    """Re-order the first RERANK_POOL of `ranked` [(docnum, bm25)], best first, by BM25 scaled
    to the best one plus the evidence bonus; `where(docnum)` gives a document's `zones`, `key`
    breaks ties. The rest keep their order and scaled BM25, which stays below the pool's."""
    pool = ranked[:RERANK_POOL]
    if not pool or not parts:
        return ranked
    top = max(score for _, score in pool) or 1.0
    scored = [(d, score / top + evidence(parts, concept_weights, where(d)))
              for d, score in pool]
    scored.sort(key=lambda ds: (-ds[1], key(ds[0])))
    return scored + [(d, score / top) for d, score in ranked[RERANK_POOL:]]
