"""A search's allowance of work: what only widens or corrects a search stops when it is spent.

Matching the words as typed is always done (its cost is bounded beforehand by
results.WORK_BUDGET); typo variants, wildcard expansions, corrections and further alternatives
of an OR are optional, and each checks the budget first. A search that skipped some of them
says so (CUT_NOTICE). Measured, not estimated: what makes a search slow is the vocabulary
walk of a long or strange word, which no count predicts well. And measured as this thread's CPU
time, not wall time: the work is what is bounded, the same on a busy machine as on an idle one
(on a busy one the search also waits for a core, as every other request does).
"""

import time
from collections.abc import Callable

SEARCH_SECONDS = 0.15  # optional work stops after this (at 100,000 profiles the rest of a
# search takes well under 100 ms warm), so a search answers in about 250 ms at most
CUT_NOTICE = ("This search was too broad to finish; showing the best results found so far. "
              "Fewer or more common words will finish.")


class Budget:
    """A deadline for one search's optional work; `cut` once something was skipped for it."""

    def __init__(self, seconds: float | None = None,
                 clock: Callable[[], float] = time.thread_time):
        self.clock = clock
        self.deadline = clock() + (SEARCH_SECONDS if seconds is None else seconds)
        self.cut = False

    def allows(self) -> bool:
        """Whether optional work may go on; the first refusal marks the search as cut."""
        if not self.cut and self.clock() > self.deadline:
            self.cut = True
        return not self.cut


class Unlimited(Budget):
    """No deadline (callers outside a search: tests, the evaluation set's tools)."""

    def __init__(self) -> None:
        super().__init__(float("inf"))
