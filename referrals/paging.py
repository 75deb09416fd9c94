"""Pages of a long list: which page was asked for, and what one page shows. Pure Python."""

from dataclasses import dataclass
from typing import Any

from referrals.refusals import Refused

PAGE_SIZE = 50
# A page number past this is not a page anyone reached by following links.
MAX_PAGE = 1_000_000


class BadPage(Refused):
    """A page number that is not a whole number from 1."""

    status = 400


def page_number(raw: str | None) -> int:
    """The page asked for in the query string (1 when absent); refuses anything that is not a
    whole number from 1. Numbers past the last page are clamped later, by `Page`."""
    if raw is None or raw == "":
        return 1
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        raise BadPage("The page must be a whole number from 1, as in ?page=2.")
    # However many digits, a number past the end means the last page; no 5,000-digit ints.
    return MAX_PAGE if len(text) > 7 else min(int(text), MAX_PAGE)


def clamp(number: int, total: int, size: int = PAGE_SIZE) -> int:
    """The page to show: the one asked for, or the last one when it is past the end."""
    last = max(1, -(-total // size))
    return max(1, min(number, last))


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, its number (1-based), the page size and the list's total."""

    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the list fills (at least 1, empty or not)."""
        return max(1, -(-self.total // self.size))

    @property
    def first_index(self) -> int:
        """The 1-based position of the first item shown (0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        """The 1-based position of the last item shown."""
        return min(self.total, self.number * self.size)

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.number - 1) * self.size

    def links(self, around: int = 2) -> list[int | None]:
        """Page numbers to link to: the first, the last, and those around this one; None
        where numbers are skipped."""
        wanted = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def page_of(items: list[Any], number: int, size: int = PAGE_SIZE) -> Page:
    """The page of an in-memory list (already sorted) to show for page `number`."""
    number = clamp(number, len(items), size)
    start = (number - 1) * size
    return Page(items[start:start + size], number, size, len(items))
