"""How one profile stands against an opening: which must-haves it meets or misses, and its fit.

Pure Python (no Flask, no database, no I/O). `referrals.openings.wildcards` ranks with it; the two
input records read here, `Criteria` and `CandidateFacts`, are re-exported there, and the
contract for them is written in that module's docstring.

How text is compared, everywhere: case, punctuation and runs of spaces are ignored and "&" reads
as "and", so "Employee-Relations" is "employee relations" and "C&B" is "c and b".
- Skills match when equal after that normalisation (no stemming: "Reward" is not "Rewards").
- A required qualification is met when a held one (in `qualifications` or in `skills`) BEGINS
  with the same words: "CIPD" is met by "CIPD Level 7" (the more specific holds the less
  specific), but "CIPD Level 7" is not met by "CIPD" nor by "CIPD Level 5": a level cannot be
  assumed, and a recruiter flexing it should see that it was flexed.
- Locations compare the place before the first comma: "London, UK" is "London". A role that
  allows remote work is met by anyone who says they are open to remote work.
- Unknown is not met: no years of experience or no location cannot prove a must-have, so such a
  person is never shortlisted on it (they may still be a wild card, with "not known" said).
- Keywords (from the criteria and the title) match the start of a word in the person's title or
  headline: "reward" matches "Rewards"; "hr" matches "HRBP" but not "three".
"""

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

# Fit is a blend of the search engine's relevance and what this module can see on the profile.
# Half each: search sees the whole profile (summary, history) but knows nothing of must versus
# nice; the overlap below knows the criteria but only reads skills, title and headline.
RELEVANCE_WEIGHT = 0.5
# Within the profile half. Must-have skills weigh most because they are what the client named
# first; nice-to-haves and the words of the role raise fit without being able to carry it alone.
# A part with nothing to compare (no nice-to-haves asked, say) drops out and the rest rescale.
MUST_SKILLS_WEIGHT = 0.4
NICE_SKILLS_WEIGHT = 0.3
KEYWORDS_WEIGHT = 0.3

# Title words that say seniority or grammar, not the field: "Head of Engineering" must not look
# relevant to "Head of Reward" because both are heads of something.
TITLE_STOP_WORDS = frozenset(
    "a an and at for in of on or the to with head lead senior junior principal chief manager "
    "director vp vice president officer interim partner associate assistant deputy global "
    "group regional".split()
)

_NON_WORD = re.compile(r"[^\w+#]+")


def normalise(text: str | None) -> str:
    """Return `text` casefolded, with "&" as "and" and punctuation or spacing as single spaces."""
    if not text:
        return ""
    return _NON_WORD.sub(" ", text.casefold().replace("&", " and ")).strip()


def place_key(location: str | None) -> str:
    """Return the comparable place of a location: the part before the first comma, normalised."""
    return normalise(location.split(",", 1)[0]) if location else ""


@dataclass(frozen=True, slots=True)
class Criteria:
    """What a hiring client asks for in an opening (the contract: `openings.wildcards`)."""

    title: str
    must_skills: tuple[str, ...] = ()
    nice_skills: tuple[str, ...] = ()
    min_years: int | None = None
    location: str | None = None
    remote_ok: bool = False
    qualifications: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What the app knows of one person's profile (the contract: `openings.wildcards`)."""

    person_id: int
    name: str
    title: str = ""
    headline: str = ""
    skills: tuple[str, ...] = ()
    years_experience: int | None = None
    location: str | None = None
    open_to_remote: bool = False
    qualifications: tuple[str, ...] = ()
    relevance: float = 0.0
    consent_required: bool = False


@dataclass(frozen=True, slots=True)
class Miss:
    """One must-have a person does not meet: what was asked and what they have, if anything."""

    kind: str  # "skill" | "qualification" | "years" | "location"
    asked: str
    held: str | None = None

    def phrase(self, remote_ok: bool = False) -> str:
        """Say the miss in plain words, e.g. "8 years against 10 asked"."""
        if self.kind == "skill":
            return f"{self.asked} not among their skills"
        if self.kind == "qualification":
            return f"no {self.asked} qualification" + (f" (holds {self.held})" if self.held else "")
        if self.kind == "years":
            if self.held is None:
                return f"years of experience not known, {self.asked} asked"
            unit = "year" if self.held == "1" else "years"
            return f"{self.held} {unit} against {self.asked} asked"
        where = f"based in {self.held}" if self.held else "location not known"
        extra = " (remote is possible, but they have not said they are open to it)"
        return f"{where}, role is in {self.asked}" + (extra if remote_ok else "")


@dataclass(frozen=True, slots=True)
class Match:
    """What of the criteria a profile shows, in the criteria's own spelling, and the fit."""

    fit: float
    must_skills: tuple[str, ...]
    nice_skills: tuple[str, ...]
    keywords: tuple[str, ...]


_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class _Memo(dict[_K, _V]):
    """A dict that computes a missing value once: profiles repeat the same skills and places."""

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.compute(key)
        return value


def _once(memo: dict[int, tuple[CandidateFacts, _V]], c: CandidateFacts,
          compute: Callable[[CandidateFacts], _V]) -> _V:
    """compute(c), worked out once per profile object for as long as `memo` lives."""
    known = memo.get(id(c))
    if known is not None and known[0] is c:
        return known[1]
    value = compute(c)
    memo[id(c)] = (c, value)
    return value


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


class PreparedCriteria:
    """Criteria normalised once, so that judging each profile costs a few set and dict look-ups."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self.must = _by_key(criteria.must_skills)  # normalised -> as the client wrote it
        self.nice = {k: v for k, v in _by_key(criteria.nice_skills).items() if k not in self.must}
        self.must_keys = frozenset(self.must)
        self.quals = tuple(
            (qwords, q) for q in dict.fromkeys(criteria.qualifications) if (qwords := _words(q))
        )
        self.min_years = criteria.min_years
        self.place = place_key(criteria.location) or None
        self.remote_ok = criteria.remote_ok
        words = [w for k in criteria.keywords for w in _words(k)]
        words += [w for w in _words(criteria.title) if w not in TITLE_STOP_WORDS]
        self.keywords = tuple(dict.fromkeys(w for w in words if len(w) > 1))
        self.must_have_count = len(self.must) + len(self.quals)
        self.must_have_count += (self.min_years is not None) + (self.place is not None)
        parts = ((self.must, MUST_SKILLS_WEIGHT), (self.nice, NICE_SKILLS_WEIGHT),
                 (self.keywords, KEYWORDS_WEIGHT))
        self._profile_weight = sum(weight for present, weight in parts if present)
        self._skill = _Memo(normalise)
        self._place = _Memo(place_key)
        self._qual_words = _Memo(_words)
        # One memo per required qualification: held text -> whether it satisfies it.
        self._qual_ok = tuple(self._qual_memo(asked) for asked, _ in self.quals)
        # A keyword matches where a word starts: not after a letter, digit, "_", "+" or "#".
        self._keyword_res = tuple(
            (k, re.compile(r"(?<![\w+#])" + re.escape(k), re.IGNORECASE)) for k in self.keywords
        )
        self._title_keywords = _Memo(self._keywords_in)
        # A ranking asks the same profile for its misses and fit more than once (choosing who
        # can reach a list, then ranking them): each is worked out once per profile.
        # Keyed by the profile object (which each entry keeps alive), not its value: hashing a
        # whole profile would cost about what it saves.
        self._held = _Memo(self._normalised_skills)
        self._fits: dict[int, tuple[CandidateFacts, float]] = {}
        self._missed: dict[int, tuple[CandidateFacts, tuple[Miss, ...]]] = {}
        # Raw skill spellings already read, and per must-have skill the spellings that mean it:
        # lets `meets_all` test a profile's skills as they are, without normalising them again.
        self._read: set[str] = set()
        self._must_spellings: tuple[set[str], ...] = tuple(set() for _ in self.must)
        self._must_index = {key: i for i, key in enumerate(self.must)}

    def _qual_memo(self, asked: tuple[str, ...]) -> _Memo[str, bool]:
        return _Memo(lambda held: self._qual_words[held][: len(asked)] == asked)

    def _place_ok(self, c: CandidateFacts) -> bool:
        return (self.remote_ok and c.open_to_remote) or self._place[c.location] == self.place

    def _holds(self, c: CandidateFacts, i: int) -> bool:
        ok = self._qual_ok[i].__getitem__
        return any(map(ok, c.qualifications)) or any(map(ok, c.skills))

    def held_qualification(self, c: CandidateFacts, i: int) -> str | None:
        """What the profile holds that meets the i-th required qualification, if anything."""
        ok = self._qual_ok[i].__getitem__
        return next((held for held in (*c.qualifications, *c.skills) if ok(held)), None)

    def place_ok(self, c: CandidateFacts) -> bool:
        """Whether the profile meets the location (or remote) must-have; True if none is set."""
        return self.place is None or self._place_ok(c)

    def _learn(self, skills: tuple[str, ...]) -> None:
        for raw in skills:
            if raw not in self._read:
                self._read.add(raw)
                i = self._must_index.get(self._skill[raw])
                if i is not None:
                    self._must_spellings[i].add(raw)

    def _keywords_in(self, text: str | None) -> frozenset[str]:
        if not text:
            return frozenset()
        return frozenset(k for k, rx in self._keyword_res if rx.search(text))

    def meets_all(self, c: CandidateFacts) -> bool:
        """Whether the profile meets every must-have (cheapest checks first)."""
        if self.min_years is not None:
            years = c.years_experience
            if years is None or years < self.min_years:
                return False
        if self.place is not None and not self._place_ok(c):
            return False
        if self.must:
            skills = c.skills
            if not self._read.issuperset(skills):
                self._learn(skills)
            for spellings in self._must_spellings:
                if spellings.isdisjoint(skills):
                    return False
        return not self.quals or all(self._holds(c, i) for i in range(len(self.quals)))

    def _normalised_skills(self, skills: tuple[str, ...]) -> frozenset[str]:
        return frozenset(map(self._skill.__getitem__, skills))

    def missed_count(self, c: CandidateFacts) -> int:
        """How many must-haves the profile does not meet: len(misses(c)), without the words."""
        count = len(self.must_keys - self._held[c.skills]) if self.must else 0
        count += sum(not self._holds(c, i) for i in range(len(self.quals)))
        if self.min_years is not None:
            count += c.years_experience is None or c.years_experience < self.min_years
        return count + (self.place is not None and not self._place_ok(c))

    def misses(self, c: CandidateFacts) -> list[Miss]:
        """The must-haves the profile does not meet, in the criteria's order; [] if none."""
        missed: tuple[Miss, ...] = _once(self._missed, c, self._misses)
        return list(missed)

    def _misses(self, c: CandidateFacts) -> tuple[Miss, ...]:
        held = self._held[c.skills]
        out = [Miss("skill", shown) for key, shown in self.must.items() if key not in held]
        for i, (asked, shown) in enumerate(self.quals):
            if not self._holds(c, i):
                near = [q for q in c.qualifications if self._qual_words[q][:1] == asked[:1]]
                out.append(Miss("qualification", shown, near[0] if near else None))
        if self.min_years is not None:
            years = c.years_experience
            if years is None or years < self.min_years:
                held_years = None if years is None else str(years)
                out.append(Miss("years", str(self.min_years), held_years))
        if self.place is not None and not self._place_ok(c):
            out.append(Miss("location", self.criteria.location or "", c.location or None))
        return tuple(out)

    def relevance_needed(self, fit: float) -> float:
        """The least relevance with which a profile could still reach `fit`: lets a ranking skip."""
        if not self._profile_weight:
            return fit - 1e-9
        # A hair lower, so that rounding never skips a profile that would exactly tie.
        return (fit - (1.0 - RELEVANCE_WEIGHT)) / RELEVANCE_WEIGHT - 1e-9

    def fit(self, c: CandidateFacts) -> float:
        """Fit in [0, 1]: search relevance blended with the profile's overlap with the criteria."""
        return _once(self._fits, c, self._fit)

    def _fit(self, c: CandidateFacts) -> float:
        relevance = _clamp(c.relevance)
        if not self._profile_weight:
            return relevance
        profile = 0.0
        if self.must or self.nice:
            held = self._held[c.skills]
            if self.must:
                profile += MUST_SKILLS_WEIGHT * len(held & self.must_keys) / len(self.must)
            if self.nice:
                profile += NICE_SKILLS_WEIGHT * len(held & self.nice.keys()) / len(self.nice)
        if self.keywords:
            found = len(self._title_keywords[c.title] | self._keywords_in(c.headline))
            profile += KEYWORDS_WEIGHT * found / len(self.keywords)
        profile /= self._profile_weight
        return RELEVANCE_WEIGHT * relevance + (1.0 - RELEVANCE_WEIGHT) * profile

    def match(self, c: CandidateFacts) -> Match:
        """The fit and which must-have skills, nice-to-haves and keywords the profile shows."""
        held = self._held[c.skills]
        found = self._title_keywords[c.title] | self._keywords_in(c.headline)
        return Match(
            self.fit(c),
            tuple(shown for key, shown in self.must.items() if key in held),
            tuple(shown for key, shown in self.nice.items() if key in held),
            tuple(k for k in self.keywords if k in found),
        )


def match_reasons(m: Match, c: CandidateFacts, with_must_skills: bool) -> list[str]:
    """Plain lines on why a profile is relevant: skills, nice-to-haves, words, search relevance."""
    lines = []
    if with_must_skills and m.must_skills:
        lines.append("has the must-have skills " + ", ".join(m.must_skills))
    if m.nice_skills:
        lines.append("nice to have: " + ", ".join(m.nice_skills))
    if m.keywords:
        lines.append(f"profile ({c.title or c.headline}) mentions " + ", ".join(m.keywords))
    elif c.title:
        lines.append(f"works as {c.title}")
    if 0 < c.relevance <= 1:
        lines.append(f"search rates the profile {round(c.relevance * 100)}% relevant")
    return lines


def _clamp(relevance: float) -> float:
    if 0.0 <= relevance <= 1.0:
        return relevance
    return 1.0 if relevance > 1.0 else 0.0  # NaN fails both comparisons and lands here


def _by_key(names: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in names:
        key = normalise(name)
        if key:
            out.setdefault(key, name.strip())
    return out
