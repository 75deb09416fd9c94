"""The executable form of a query: a tree evaluated as bitset algebra over a snapshot.

Matching is exact set algebra (AND = &, OR = |, NOT = & ~) restricted from the start to the
documents the viewer may see, so the permission filter is part of the query, not a check per
hit. Scores are computed afterwards, only for the matched documents.
"""

from dataclasses import dataclass

from search.snapshot import PHRASE_WORK, Snapshot


@dataclass(frozen=True)
class Term:
    """A term of `all` (any text field) or `notes` (an author-prefixed term)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Positional:
    """Terms at consecutive positions (a phrase), optionally inside one field's band."""

    field: str
    terms: tuple
    band: int | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    """Union."""

    children: tuple


@dataclass(frozen=True)
class AllOf:
    """Intersection."""

    children: tuple


@dataclass(frozen=True)
class Boosted:
    """Matches of `base`; matches of `extra` only rank higher (nice-to-have words)."""

    base: object
    extra: object


@dataclass(frozen=True)
class Excluding:
    """Matches of `base` without those of `without`."""

    base: object
    without: object


class _Constant:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


EVERYTHING = _Constant("EVERYTHING")
NOTHING = _Constant("NOTHING")


def any_of(nodes):
    """Union of the non-empty nodes (NOTHING if none)."""
    nodes = tuple(n for n in nodes if n is not None and n is not NOTHING)
    return NOTHING if not nodes else nodes[0] if len(nodes) == 1 else AnyOf(nodes)


def all_of(nodes):
    """Intersection of the nodes (None for no nodes)."""
    nodes = tuple(n for n in nodes if n is not None)
    return None if not nodes else nodes[0] if len(nodes) == 1 else AllOf(nodes)


def evaluate(node, snap: Snapshot, universe: int, budget=None) -> int:
    """The bitset of documents in `universe` matching `node`; with a search's `budget`,
    exact only below the budget's horizon once it stopped the reading (see budget.Budget)."""
    if not universe or node is NOTHING:
        return 0
    if node is EVERYTHING:
        return universe
    if isinstance(node, Term):
        return snap.mask(node.field, node.text, budget) & universe
    if isinstance(node, Positional):
        return snap.positional(node.field, node.terms, node.band, budget, universe) & universe
    if isinstance(node, AnyOf):
        out = 0
        for child in node.children:
            out |= evaluate(child, snap, universe, budget)
        return out
    if isinstance(node, AllOf):
        acc = universe
        # rarest first, phrases last: their positions are then checked for fewer candidates
        for child in sorted(node.children, key=lambda c: (_phrases(c), size_hint(c, snap))):
            acc = evaluate(child, snap, acc, budget)
            if not acc:
                break
        return acc
    if isinstance(node, Boosted):
        return evaluate(node.base, snap, universe, budget)
    if isinstance(node, Excluding):
        base = evaluate(node.base, snap, universe, budget)
        return base & ~evaluate(node.without, snap, base, budget) if base else 0
    raise TypeError(f"not a query node: {node!r}")


def _phrases(node) -> bool:
    """Whether a node checks positions of several words (costly per candidate)."""
    if isinstance(node, Positional):
        return len(node.terms) > 1
    if isinstance(node, (AnyOf, AllOf)):
        return any(_phrases(c) for c in node.children)
    if isinstance(node, (Boosted, Excluding)):
        return _phrases(node.base)
    return False


def size_hint(node, snap: Snapshot) -> int:
    """A cheap upper bound on the matches of a node, to intersect the rarest parts first."""
    if isinstance(node, Term):
        return snap.doc_frequency(node.field, node.text)
    if isinstance(node, Positional):
        return min(snap.doc_frequency(node.field, t) for t in node.terms)
    if isinstance(node, AnyOf):
        return sum(size_hint(c, snap) for c in node.children)
    if isinstance(node, AllOf):
        return min(size_hint(c, snap) for c in node.children)
    if isinstance(node, (Boosted, Excluding)):
        return size_hint(node.base, snap)
    return snap.size if node is EVERYTHING else 0


def cost(node, snap: Snapshot) -> float:
    """Estimated work (about a microsecond a unit) of evaluating and scoring a node cold."""
    if isinstance(node, Term):
        return snap.read_cost(node.field, node.text)
    if isinstance(node, Positional):
        reads = sum(snap.read_cost(node.field, t) for t in node.terms)
        if snap._masks.get(("p", node.field, node.terms, node.band)) is not None:
            return reads
        check = PHRASE_WORK * len(node.terms) * size_hint(node, snap)
        return 2 * reads + check  # positions are read a second time, with their values
    if isinstance(node, (AnyOf, AllOf)):
        return sum(cost(c, snap) for c in node.children)
    if isinstance(node, Boosted):
        return cost(node.base, snap) + cost(node.extra, snap)
    if isinstance(node, Excluding):
        return cost(node.base, snap) + cost(node.without, snap)
    return 0.0


def scoring_terms(node, out=None) -> list:
    """(field, text, boost) of every positive term, the highest boost kept per term."""
    best = {} if out is None else out
    if isinstance(node, Term):
        key = (node.field, node.text)
        best[key] = max(best.get(key, 0.0), node.boost)
    elif isinstance(node, Positional):
        for t in node.terms:
            key = (node.field, t)
            best[key] = max(best.get(key, 0.0), node.boost)
    elif isinstance(node, (AnyOf, AllOf)):
        for child in node.children:
            scoring_terms(child, best)
    elif isinstance(node, Boosted):
        scoring_terms(node.base, best)
        scoring_terms(node.extra, best)
    elif isinstance(node, Excluding):
        scoring_terms(node.base, best)
    if out is None:
        return [(f, t, b) for (f, t), b in best.items()]
    return best
