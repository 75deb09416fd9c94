"""Abbreviations of the trade (HRBP, L&D, TA, ...): equivalent forms from abbreviations.json."""

import json
from functools import lru_cache
from pathlib import Path

from search.analysis import stems

DATA = Path(__file__).with_name("abbreviations.json")


class Abbreviations:
    """Groups of equivalent forms, each form a tuple of index terms ("l&d" -> ("l", "d"))."""

    def __init__(self, groups):
        self.groups = []
        self.index = {}
        for group in groups:
            forms = tuple(dict.fromkeys(tuple(stems(form)) for form in group if stems(form)))
            for form in forms:
                self.index.setdefault(form, len(self.groups))
            self.groups.append(forms)
        self.longest = max((len(form) for form in self.index), default=0)

    def match(self, terms, start):
        """The longest form starting at terms[start]: (its length, all forms) or None."""
        for size in range(min(self.longest, len(terms) - start), 0, -1):
            group = self.index.get(tuple(terms[start:start + size]))
            if group is not None:
                return size, self.groups[group]
        return None


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Abbreviations:
    """The abbreviation groups from a JSON file ({"groups": [[form, ...], ...]})."""
    with open(path or DATA, encoding="utf-8") as fh:
        return Abbreviations(json.load(fh)["groups"])
