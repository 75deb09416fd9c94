"""Running a search on a snapshot: match, count, facet, rank, page, highlight, suggest."""

import heapq
import math
from dataclasses import dataclass, field

from search import bits, plan, ranking, rerank
from search import budget as search_budget
from search import fields as registry
from search.analysis import stems
from search.budget import CUT_NOTICE, PARTIAL_NOTICE, Budget
from search.compiler import Compiler
from search.fields import ALL, FLAG
from search.highlight import highlights
from search.query import parse
from search.suggest import did_you_mean

MAX_WINDOW = 1000  # deepest result reachable by paging
MAX_PER_PAGE = 100
UNITS_PER_SECOND = 1_000_000  # plan.cost's units are about a microsecond of cold work
WORK_BUDGET = UNITS_PER_SECOND  # about a second of cold reading; cached work costs nothing
PAGE_SETTLE = 20  # results the ranking walk settles exactly (a default page)
TRUE_WORDS = {"true", "yes", "1", "on"}
# The flag some viewers never see set: a profile open to work, shown as not, to people whose
# organisation is its employer (Viewer.open_hidden), in its facet, filter and counts alike.
HIDDEN_FLAG = "open_to_work"


@dataclass(frozen=True)
class Viewer:
    """Who is searching: their user id, their person record (if any) and their role; and the
    person ids whose open-to-work flag this viewer must not learn (their own staff)."""

    user_id: int
    person_id: int | None
    role: str
    open_hidden: frozenset = frozenset()


def hidden_mask(snap, viewer: Viewer) -> int:
    """The documents whose open-to-work flag reads as unset for this viewer."""
    mask = 0
    for pid in viewer.open_hidden:
        d = snap.docnum(pid)
        if d is not None:
            mask |= 1 << d
    return mask


def facet_masks_for(snap, name: str, hidden: int) -> dict:
    """A facet's value masks as one viewer sees them: the hidden documents' flag as unset."""
    masks = snap.facet_masks(name)
    if name != HIDDEN_FLAG or not hidden:
        return masks
    moved = masks.get("true", 0) & hidden
    return {**masks, "true": masks.get("true", 0) & ~moved,
            "false": masks.get("false", 0) | moved}


@dataclass
class Hit:
    """One result: a person, its score, and HTML snippets (field -> escaped text with <mark>)."""

    person_id: int
    score: float
    highlights: dict


@dataclass
class SearchPage:
    """A page of results with counts and facets over everything the viewer may see."""

    hits: list
    total: int
    page: int
    pages: int
    per_page: int
    facets: dict
    did_you_mean: str | None = None
    # the query whose results are shown when a typo was corrected automatically, else None
    corrected: str | None = None
    requested_page: int = 1  # the page asked for: past the last, the last one is shown
    message: str | None = None
    notices: list = field(default_factory=list)
    partial: bool = False  # reading was cut short: `total` is how many were found, at least


def _filters(snap, universe, filters, messages, hidden=0):
    """Narrow the universe by exact facet values; several values of one key are alternatives,
    except for a facet that matches ALL (skills): each must be present."""
    by_name = registry.REGISTRY.by_name
    for key, wanted in (filters or {}).items():
        facet = by_name.get(key)
        if facet is None or facet.facet is None:
            messages.append(f"The filter \u201c{key}\u201d is not known and was ignored.")
            continue
        if wanted is None or wanted == "" or wanted == []:
            continue
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        if facet.kind == FLAG:
            values = ["true" if (v is True or str(v).lower() in TRUE_WORDS) else "false"
                      for v in values]
        masks = facet_masks_for(snap, key, hidden)
        picked = [masks.get(" ".join(str(v).split()), 0) for v in values]
        if facet.facet.match == ALL:
            for m in picked:
                universe &= m
        else:
            universe &= _union(picked)
    return universe


def _union(masks):
    out = 0
    for m in masks:
        out |= m
    return out


def to_int(value, default) -> int:
    """An int from user input, or `default` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def facets(snap, matched: int, hidden: int = 0) -> dict:
    """name -> [(value, count)] over the matched documents, most common first (`hidden`:
    documents whose open-to-work flag reads as unset)."""
    out = {}
    for facet in registry.REGISTRY.facets:
        counts = []
        if matched:
            for value, mask in facet_masks_for(snap, facet.name, hidden).items():
                n = (mask & matched).bit_count()
                if n:
                    counts.append((value == "true" if facet.kind == FLAG else value, n))
        counts.sort(key=lambda vc: (-vc[1], str(vc[0])))
        out[facet.name] = counts
    return out


def _zones(snap, d, load, summary):
    """A document's re-rank zones, kept for the snapshot's lifetime (its stored text is fixed)."""
    key = ("zones", d, summary)
    hit = snap.memo.get(key)
    return hit if hit is not None else snap.memo.put(key, rerank.zones(load(d), summary))


def _scoring_terms(snap, node, budget):
    """The plan's terms to score by: after a cut, only those read whole (the others would be
    read now, past the budget)."""
    terms = plan.scoring_terms(node)
    if budget.horizon is None:
        return terms
    return [(f, t, b) for f, t, b in terms if snap.has_mask(f, t)]


def _ranked(snap, matched, node, want, sort, sort_values, load, budget):
    """The first `want` (docnum, score) of the matches, in the requested order; `load` gives
    a document's stored fields."""
    terms = _scoring_terms(snap, node, budget)
    pids = snap.pids()
    if sort != "values" and terms:
        # the pool needs its members, not their order: the walk is sized for one page, as
        # before, and the same for every page within the pool (so they share one order)
        pool = max(want, rerank.RERANK_POOL)
        best = ranking.top(snap, matched, terms, pool, settle=min(pool, PAGE_SETTLE))
        best.sort(key=lambda ds: (-ds[1], pids[ds[0]]))
        parts = rerank.concepts(node)
        weights = rerank.weights(parts, lambda t: (snap.mask("all", t) & snap.live).bit_count()
                                 if budget.horizon is None or snap.has_mask("all", t)
                                 else snap.doc_frequency("all", t), snap.count)
        phrase = len(parts) > 1
        best = rerank.rerank(best, parts, weights, lambda d: _zones(snap, d, load, phrase),
                             pids.__getitem__)[:want]
        if len(best) < want:  # matched through EVERYTHING or a NOT only: no score
            scored = {d for d, _ in best}
            rest = [d for d in bits.ones(matched) if d not in scored]
            best += [(d, 0.0) for d in heapq.nlargest(want - len(best), rest,
                                                     key=pids.__getitem__)]
        return best
    scores = ranking.scores(snap, matched, terms) if terms else {}
    docs = bits.ones(matched)
    if sort == "values":
        values = sort_values or {}

        def key(d):
            v = values.get(pids[d])
            ok = isinstance(v, (int, float)) and not math.isnan(v)
            return (ok, v if ok else 0.0, scores.get(d, 0.0), -pids[d])
    else:  # browsing: newest people first
        key = pids.__getitem__
    return [(d, scores.get(d, 0.0)) for d in heapq.nlargest(want, docs, key=key)]


def _compile(snap, viewer, text, allowed, typos, budget=None):
    """(parsed, compiled, node, messages) of one query text; node None when too costly."""
    parsed = parse(text)
    compiled = Compiler(snap, viewer.user_id, allowed, typos, budget).compile(parsed)
    messages = list(compiled.messages)
    node = compiled.query
    if node is None and not parsed.leaves and not parsed.messages and not text.strip(" *"):
        node = plan.EVERYTHING  # an empty query (or a lone *) browses everything visible
    elif node is None and not messages:
        messages.append("There were no words to search for: try a name, a skill or a job "
                        "title.")
    if node is not None and plan.cost(node, snap) > WORK_BUDGET:
        messages.append("This search asks for too many common words at once; remove some "
                        "words or wildcards and try again.")
        node = None
    return parsed, compiled, node, messages


def _words_cost(snap, parsed) -> float:
    """The work of reading the postings of a query's plain words (inf: nothing to correct)."""
    words = [leaf.text for leaf in parsed.leaves if leaf.kind == "word"]
    if not words:
        return math.inf
    return sum(snap.read_cost("all", term) for word in words for term in stems(word))


def _match(snap, viewer, text, allowed, universe, typos, budget=None):
    """(parsed, compiled, node, matched bitset, messages) of one query text."""
    parsed, compiled, node, messages = _compile(snap, viewer, text, allowed, typos, budget)
    matched = plan.evaluate(node, snap, universe, budget) if node is not None else 0
    return parsed, compiled, node, budget.below_horizon(matched) if budget else matched, \
        messages


def run(snap, viewer: Viewer, text, filters=None, page=1, per_page=20, sort="relevance",
        sort_values=None, exact=False) -> SearchPage:
    """Search the snapshot as `viewer`; see SearchIndex.search_profiles."""
    text = text if isinstance(text, str) else ""
    per_page = max(1, min(to_int(per_page, 20), MAX_PER_PAGE))
    page = max(1, to_int(page, 1))
    allowed = snap.allowed(viewer)
    messages: list = []
    hidden = hidden_mask(snap, viewer)
    universe = _filters(snap, allowed, filters, messages, hidden)
    runs: dict = {}
    budget = Budget()  # typo variants and corrections stop when it is spent, reading later

    def attempt(query, typos):
        if (query, typos) not in runs:
            runs[query, typos] = _match(snap, viewer, query, allowed, universe, typos, budget)
        return runs[query, typos]

    def correct():
        return did_you_mean(snap, allowed, parse(text), text, viewer.user_id,
                            lambda fixed: bool(attempt(fixed, False)[3]),
                            (viewer.user_id, viewer.person_id, viewer.role), budget)

    # A word no visible profile holds is a typo: the correction's results are shown, and the
    # page says so and offers the original verbatim (`exact`). Corrections are looked for
    # first, so a corrected query never pays for the original's typo variants.
    # (only within the work bound: checking the words reads their postings)
    corrected = correct() if not exact and _words_cost(snap, parse(text)) <= WORK_BUDGET \
        else None
    parsed, compiled, node, matched, said = attempt(corrected or text,
                                                    not exact and not corrected)
    suggestion = correct() if exact and parsed.leaves and node is not None and not matched \
        else None
    messages += said
    notices = compiled.notices
    matched = budget.below_horizon(matched)  # a later read may have stopped earlier
    if budget.horizon is not None:
        notices.append(PARTIAL_NOTICE)
    elif budget.cut:
        notices.append(CUT_NOTICE)
    total = matched.bit_count()
    last_page = max(1, math.ceil(min(total, MAX_WINDOW) / per_page))
    if total > MAX_WINDOW:
        notices.append(f"{total:,} profiles match; only the best {MAX_WINDOW:,} can be paged "
                       "through, so narrow your search to see the others.")
    page_in = min(page, last_page)
    stored_docs: dict = {}

    def load(d):
        if d not in stored_docs:
            stored_docs[d] = snap.reader.stored_fields(d).get("doc") or {}
        return stored_docs[d]

    ranked = (_ranked(snap, matched, node, page_in * per_page, sort, sort_values, load, budget)
              if total else [])
    pids = snap.pids()
    hits = []
    for d, score in ranked[(page_in - 1) * per_page:]:
        stored = load(d)
        marks = highlights(stored, compiled.marks, compiled.note_marks, viewer.user_id)
        hits.append(Hit(int(pids[d]), round(score, 4), marks))
    return SearchPage(hits=hits, total=total, page=page_in,
                      pages=last_page if total else 0, per_page=per_page,
                      facets=facets(snap, matched, hidden),
                      did_you_mean=suggestion,
                      message=" ".join(messages) or None, notices=notices,
                      corrected=corrected, requested_page=page,
                      partial=budget.horizon is not None)


@dataclass(frozen=True)
class TopScores:
    """The best matches' relevance by person id, how many matched, and whether it was refused."""

    scores: dict[int, float]  # the best `limit` matches, plus every match among `among`
    total: int
    too_costly: bool = False  # the query would cost more than WORK_BUDGET: nothing was run
    cut: bool = False  # typo variants were skipped, or reading stopped (total: at least)


def affordable_work() -> float:
    """The estimated work (plan.cost's units) one search's reading budget affords: a query
    estimated past it is most likely cut before it is done."""
    return min(WORK_BUDGET, search_budget.EVALUATION_SECONDS * UNITS_PER_SECOND)


def top_scores(snap, viewer: Viewer, text: str, limit: int, among=(),
               work: float | None = None) -> TopScores:
    """The best `limit` matches' relevance scores by person id, and how many matched at all;
    the people of `among` who match are scored too, wherever they rank. Refused (too_costly)
    when its estimated cold work is past `work`, by default WORK_BUDGET.

    For ranking an opening's candidates: no page, highlights or facets, just who and how well.
    """
    allowed = snap.allowed(viewer)
    budget = Budget()
    node = Compiler(snap, viewer.user_id, allowed, budget=budget).compile(parse(text)).query
    if node is None:
        return TopScores({}, 0)
    if plan.cost(node, snap) > (WORK_BUDGET if work is None else work):
        return TopScores({}, 0, too_costly=True)
    matched = budget.below_horizon(plan.evaluate(node, snap, allowed, budget))
    total = matched.bit_count()
    cut = budget.cut or budget.horizon is not None
    if not total:
        return TopScores({}, 0, cut=cut)
    pids = snap.pids()
    best, extra = ranking.top_exact(snap, matched, _scoring_terms(snap, node, budget),
                                    max(1, limit), among)
    return TopScores({pids[d]: score for d, score in best + extra}, total, cut=cut)
