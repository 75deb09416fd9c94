"""Turning a parsed query into a Whoosh query over the `all` and `notes` fields, with bounds.

Every expansion (typos, wildcards, abbreviations) is decided here, against the index's own
vocabulary, and capped: at most MAX_VARIANTS typo variants and MAX_EXPANSIONS wildcard words
per word, each cap announced in `notices` when it bites.
"""

import fnmatch
import re
from dataclasses import dataclass, field

from search import fields as registry
from search import plan
from search.abbreviations import load as load_abbreviations
from search.analysis import analyze, clean, fold
from search.budget import Budget, Unlimited
from search.query import AnyOf, Bool, Leaf, Parsed
from search.rerank import TITLE_WORD_WEIGHT, TITLE_WORDS

MAX_PHRASE = 12
MAX_VARIANTS = 8  # typo variants per word, the most frequent kept
MAX_EXPANSIONS = 50  # words per wildcard, the most frequent kept
WILDCARD_SCAN = 5000  # lexicon entries a wildcard may look at before giving up on the rest
FUZZY_RARE = 3  # a word seen in fewer visible profiles than this gets typo variants
# longer words get no typo variants: no real word is that long, and the automaton that finds a
# long word's neighbours in the vocabulary costs tens of milliseconds per word and segment
MAX_FUZZY_LENGTH = 24
COMMON_SHARE = 0.02
VARIANT_BOOST = 0.5
EXPANSION_BOOST = 0.8
NOTES_BOOST = 1.5


@dataclass
class Compiled:
    """A plan (None: nothing to search) and what the results page needs to know."""

    query: object
    marks: dict = field(default_factory=dict)  # field name or None (any field) -> stems
    note_marks: set = field(default_factory=set)
    messages: list = field(default_factory=list)
    notices: list = field(default_factory=list)


class Compiler:
    """Compiles parsed queries for one viewer against one index snapshot."""

    def __init__(self, view, user_id, allowed, typos=True, budget: Budget | None = None):
        self.view = view
        self.typos = typos  # False: the query verbatim, no automatic typo variants
        self.budget = budget or Unlimited()  # typo variants stop when it is spent
        self.user_id = user_id
        self.allowed = allowed
        self.abbreviations = load_abbreviations()
        self.out = None

    def compile(self, parsed: Parsed) -> Compiled:
        """The Whoosh query for a parsed query."""
        self.out = Compiled(None, messages=list(parsed.messages), notices=list(parsed.notices))
        if parsed.tree is not None:
            self.out.query = self.node(parsed.tree)
        return self.out

    def say(self, text):
        if text not in self.out.notices:
            self.out.notices.append(text)

    def node(self, node):
        if isinstance(node, Leaf):
            return self.run([node])
        if isinstance(node, AnyOf):
            kids = [q for q in map(self.node, node.children) if q is not None]
            return plan.any_of(kids) if kids else None
        if isinstance(node, Bool):
            return self.boolean(node)
        return self.run(node) if isinstance(node, list) else None

    def boolean(self, node: Bool):
        must = [q for q in self.clauses(node.must) if q is not None]
        should = [q for q in self.clauses(node.should) if q is not None]
        marks = self.out.marks
        saved = {k: set(v) for k, v in marks.items()}, set(self.out.note_marks)
        must_not = [q for q in self.clauses(node.must_not) if q is not None]
        # excluded words are not what the user is looking for: never highlight them
        self.out.marks, self.out.note_marks = saved
        if must:
            base = plan.all_of(must)
            if should:
                base = plan.Boosted(base, plan.any_of(should))
        elif should:
            base = plan.any_of(should)
        elif must_not:
            base = plan.EVERYTHING
        else:
            return None
        if must_not:
            base = plan.Excluding(base, plan.any_of(must_not))
        return base

    def clauses(self, nodes):
        """Compile one list of clauses; runs of plain words are checked for abbreviations."""
        out, run = [], []
        for node in nodes:
            if isinstance(node, Leaf) and node.kind == "word" and node.fuzzy is None and (
                    not run or run[-1].field == node.field):
                run.append(node)
                continue
            if run:
                out.extend(self.run_split(run))
                run = []
            if isinstance(node, Leaf) and node.kind == "word" and node.fuzzy is None:
                run = [node]
            else:
                out.append(self.node(node))
        if run:
            out.extend(self.run_split(run))
        return out

    def run_split(self, words):
        """One query per word, except that words forming an abbreviation become one."""
        terms, owner = [], []
        for i, leaf in enumerate(words):
            for tok in analyze(clean(leaf.text)):
                terms.append(tok)
                owner.append(i)
        out, i, done = [], 0, set()
        while i < len(terms):
            hit = self.abbreviations.match([t[1] for t in terms], i)
            first, last = owner[i], owner[i + hit[0] - 1] if hit else None
            aligned = hit and (i == 0 or owner[i - 1] != first) and (
                i + hit[0] == len(terms) or owner[i + hit[0]] != last)
            if aligned:
                out.append(self.alternatives(hit[1], words[first].field))
                done.update(range(first, last + 1))
                i += hit[0]
            else:
                i += 1
        for j, leaf in enumerate(words):
            if j not in done:
                out.append(self.leaf(leaf))
        return out

    def run(self, words):
        return plan.all_of(self.run_split(words))

    def alternatives(self, forms, fname):
        return plan.any_of(self.phrase(list(form), fname) for form in forms)

    def leaf(self, leaf: Leaf):
        if leaf.kind == "wildcard":
            return self.wildcard(leaf.text, leaf.field)
        terms = [t[1] for t in analyze(clean(leaf.text))]
        if leaf.kind == "phrase":
            hit = self.abbreviations.match(terms, 0)
            if hit and hit[0] == len(terms):
                return self.alternatives(hit[1], leaf.field)
            if len(terms) > MAX_PHRASE:
                self.say(f"Only the first {MAX_PHRASE} words of a quoted phrase were used.")
                terms = terms[:MAX_PHRASE]
        if len(terms) == 1:
            return self.term(terms[0], leaf.field, leaf.fuzzy)
        return self.phrase(terms, leaf.field)

    def mark(self, fname, terms):
        if fname != "notes":
            self.out.marks.setdefault(fname, set()).update(terms)
        if fname in (None, "notes"):
            self.out.note_marks.update(terms)

    def term(self, text, fname, fuzzy=None, boost=1.0):
        """A word: itself, plus typo variants when it is rare among visible profiles."""
        if text in TITLE_WORDS:
            boost *= TITLE_WORD_WEIGHT  # "manager" says less about a person than "reward"
        weighted = [(text, boost)]
        if fuzzy and len(text) > MAX_FUZZY_LENGTH:
            self.say(f"Typos are looked for in words of up to {MAX_FUZZY_LENGTH} letters.")
            fuzzy = 0
        if fuzzy is None and self.typos and 5 <= len(text) <= MAX_FUZZY_LENGTH and \
                self.budget.allows() and self.rare(text):
            fuzzy = 1 if len(text) < 8 else 2
        if fuzzy and self.budget.allows():
            variants = self.view.fuzzy_terms("all", text, fuzzy, prefix=1 if fuzzy == 1 else 2)
            variants = [v for v in variants if v != text]
            if len(variants) > MAX_VARIANTS:
                self.say(f"\u201c{text}\u201d is close to many words; only the "
                         f"{MAX_VARIANTS} most common were searched for as typos.")
            weighted += [(v, boost * VARIANT_BOOST) for v in variants[:MAX_VARIANTS]]
        self.mark(fname, [t for t, _ in weighted])
        return self.either(weighted, fname)

    def rare(self, text) -> bool:
        """Whether a term is in fewer than FUZZY_RARE profiles the viewer can see.

        Terms in more than COMMON_SHARE of all profiles are common words and are never
        expanded; below that the visible count is computed exactly (a cheap, short list), so
        whether typo variants are added does not depend on hidden profiles.
        """
        if self.view.doc_frequency("all", text) > COMMON_SHARE * max(self.view.size, 1):
            return False
        visible = self.view.mask("all", text) & self.allowed
        return visible.bit_count() < FUZZY_RARE

    def either(self, weighted, fname):
        """Any of the weighted terms, in one field's band, in any field, or in own notes."""
        qs = []
        if fname is None:
            qs += [plan.Term("all", text, boost) for text, boost in weighted]
        elif fname != "notes":
            qs += [plan.Positional("all", (text,), registry.REGISTRY.band[fname], boost)
                   for text, boost in weighted]
        if fname in (None, "notes"):
            qs += [plan.Term("notes", f"{self.user_id}:{text}", boost * NOTES_BOOST)
                   for text, boost in weighted]
        return plan.any_of(qs)

    def phrase(self, terms, fname):
        if not terms:
            return None
        if len(terms) == 1:
            return self.term(terms[0], fname, fuzzy=0)
        self.mark(fname, terms)
        qs = []
        if fname != "notes":
            qs.append(plan.Positional("all", tuple(terms), registry.REGISTRY.band.get(fname)))
        if fname in (None, "notes"):
            own = tuple(f"{self.user_id}:{t}" for t in terms)
            qs.append(plan.Positional("notes", own, None, NOTES_BOOST))
        return plan.any_of(qs)

    def wildcard(self, pattern, fname):
        """Words of the index vocabulary matching `pay*`-style patterns, most frequent first."""
        pattern = fold(pattern)
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        prefix = "".join(re.findall(r"\w", prefix))
        rest = pattern[len(prefix):]
        exact = None if rest.strip("*") == "" else re.compile(fnmatch.translate(pattern))
        found, complete = self.view.prefix_terms("all", prefix, WILDCARD_SCAN)
        if exact is not None:
            found = [(t, n) for t, n in found if exact.match(t)]
        else:
            # the index holds stems ("recruitment" -> "recruit"): a prefix longer than the
            # stem of the word the user is typing must still find it
            for size in range(len(prefix) - 1, max(3, len(prefix) - 5), -1):
                n = self.view.doc_frequency("all", prefix[:size])
                if n:
                    found.append((prefix[:size], n))
                    break
        found.sort(key=lambda tn: -tn[1])
        if len(found) > MAX_EXPANSIONS or not complete:
            self.say(f"\u201c{pattern}\u201d matches many words; only the {MAX_EXPANSIONS} most "
                     "common were searched for.")
        weighted = [(t, EXPANSION_BOOST) for t, _ in found[:MAX_EXPANSIONS]]
        if fname in (None, "notes"):
            mine, _ = self.view.prefix_terms("notes", f"{self.user_id}:{prefix}", WILDCARD_SCAN)
            own = {t.split(":", 1)[1] for t, _ in mine[:MAX_EXPANSIONS]}
            weighted += [(t, EXPANSION_BOOST) for t in sorted(own - {t for t, _ in weighted})]
        if not weighted:
            return plan.NOTHING
        self.mark(fname, [t for t, _ in weighted])
        return self.either(weighted, fname)
