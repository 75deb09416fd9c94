"""Safe HTML snippets: the user's text escaped, matched words wrapped in <mark>."""

from html import escape

from search import fields as registry
from search.analysis import analyze, clean
from search.fields import TEXTS

SNIPPET_CHARS = 240  # a long note is cut to a window around its first match
SLACK = 20  # how far a snippet's start may move back to begin at a word


def mark(text: str, terms: set, window: int | None = None) -> str | None:
    """Escaped text with words whose index term is in `terms` marked; None if none matched."""
    text = clean(text)
    spans = []
    for _surface, term, start, end in analyze(text):
        if term in terms:
            if spans and not text[spans[-1][1]:start].strip():
                spans[-1] = (spans[-1][0], end)  # "employee relations" as one mark
            else:
                spans.append((start, end))
    if not spans:
        return None
    lo, hi = 0, len(text)
    if window and len(text) > window:
        lo, hi = _window(text, spans[0], window)
    out, at = [], lo
    for start, end in spans:
        if start >= hi:
            break
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:min(end, hi)])}</mark>")
        at = min(end, hi)
    out.append(escape(text[at:hi]))
    return ("\u2026" if lo > 0 else "") + "".join(out) + ("\u2026" if hi < len(text) else "")


def _window(text: str, first: tuple[int, int], window: int) -> tuple[int, int]:
    """(start, end) of a window of about `window` characters that holds the first match whole.

    It starts about a third of the window before the match, at a word boundary when one is
    near, and ends at a word boundary after the match; never before the match's end, so a
    snippet always shows a matched word (whatever the spacing: newlines, long runs).
    """
    start, end = first
    lo = max(0, start - window // 3)
    if lo:
        gap = max(text.rfind(c, max(0, lo - SLACK), lo) for c in " \n\t")
        lo = gap + 1 if gap >= 0 else lo
    hi = min(len(text), max(lo + window, end))
    if hi < len(text):
        cut = max(text.rfind(c, end, hi) for c in " \n\t")
        hi = cut if cut >= end else hi
    return lo, hi


def highlights(stored: dict, marks: dict, note_marks: set, user_id: int) -> dict:
    """field -> snippet for the fields of one hit that contain matched words.

    `marks` maps a field name (or None for every field) to index terms; notes are shown only
    when written by `user_id`, the viewer.
    """
    out = {}
    anywhere = marks.get(None, set())
    for f in registry.REGISTRY.highlighted:
        terms = anywhere | marks.get(f.name, set())
        if not terms:
            continue
        value = stored.get(f.name)
        if f.kind == TEXTS:
            value = ", ".join(value or ())
        if value:
            snippet = mark(value, terms, f.snippet)
            if snippet:
                out[f.name] = snippet
    if note_marks:
        own = [mark(text, note_marks, SNIPPET_CHARS) for author, text in stored.get("notes") or ()
               if author == user_id]
        own = [s for s in own if s]
        if own:
            out["notes"] = " \u2026 ".join(own)
    return out
