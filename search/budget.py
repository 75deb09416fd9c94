"""A search's allowance of work: what only widens or corrects a search stops when it is spent,
and reading the matches stops a little later, with a partial answer.

Matching the words as typed is always started (its cost is estimated beforehand against
results.WORK_BUDGET); typo variants, wildcard expansions, corrections and further alternatives
of an OR are optional, and each checks the budget first. A search that skipped some of them
says so (CUT_NOTICE). Reading postings and checking phrases go through the documents in
order and ask `reads(document)` per block of postings and per batch of phrase candidates:
past EVALUATION_SECONDS the read stops there, and every document from that one on (the
`horizon`) is left out of the answer, so what is shown is exact for the documents before it
and the total is a lower bound (PARTIAL_NOTICE). Parts of the query read after a cut read
only below the horizon, for GRACE_SECONDS more at most.

Measured, not estimated: what makes a search slow is the vocabulary walk of a long or strange
word or the positions of common phrases, which no count predicts well. And measured as this
thread's CPU time, not wall time: the work is what is bounded, the same on a busy machine as on
an idle one (on a busy one the search also waits for a core, as every other request does).
"""

import time
from collections.abc import Callable

SEARCH_SECONDS = 0.15  # optional work stops after this
# reading the matches stops after this, and parts read after a cut stop GRACE_SECONDS later:
# with the ranking and the page of a cut search (under 30 ms), about 250 ms of CPU at most
EVALUATION_SECONDS = 0.18
GRACE_SECONDS = 0.03
CUT_NOTICE = ("This search was too broad to finish; showing the best results found so far. "
              "Fewer or more common words will finish.")
PARTIAL_NOTICE = ("This search was cut short: only part of the profiles were checked, so more "
                  "may match than are shown. Fewer common words or quoted phrases, or a "
                  "filter, will let it finish.")


class Budget:
    """Deadlines for one search's optional work and its reading; `cut` once optional work was
    skipped, `horizon` (a document number) once reading stopped before the end."""

    def __init__(self, seconds: float | None = None,
                 clock: Callable[[], float] = time.thread_time,
                 evaluation: float | None = None):
        self.clock = clock
        start = clock()
        self.deadline = start + (SEARCH_SECONDS if seconds is None else seconds)
        self.reading_deadline = start + (EVALUATION_SECONDS if evaluation is None
                                         else evaluation)
        self.cut = False
        self.horizon: int | None = None

    def allows(self) -> bool:
        """Whether optional work may go on; the first refusal marks the search as cut."""
        if not self.cut and self.clock() > self.deadline:
            self.cut = True
        return not self.cut

    def reads(self, document: int) -> bool:
        """Whether reading may go on at `document` (reads go in document order); a refusal
        for time sets the horizon there: no document from it on is in the answer."""
        if self.horizon is not None and document >= self.horizon:
            return False
        limit = self.reading_deadline + (0.0 if self.horizon is None else GRACE_SECONDS)
        if self.clock() > limit:
            self.horizon = document
            return False
        return True

    def below_horizon(self, matched: int) -> int:
        """The documents of `matched` before the horizon (all of them if reading finished)."""
        return matched if self.horizon is None else matched & ((1 << self.horizon) - 1)


class Unlimited(Budget):
    """No deadline (callers outside a search: tests, the evaluation set's tools)."""

    def __init__(self) -> None:
        super().__init__(float("inf"), evaluation=float("inf"))
