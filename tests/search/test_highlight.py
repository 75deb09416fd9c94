"""Snippets: a long text is cut to a window that always shows a word that matched."""

from hypothesis import given
from hypothesis import strategies as st

from search.highlight import SNIPPET_CHARS, mark

FILLER = st.sampled_from(["word", "x" * 39, "x" * 60, "--", "über", "a", "&", "<b>", "Ünïcode"])
GAP = st.sampled_from([" ", "\n", "\t", "", ", ", "  \n\n"])


@given(before=st.lists(st.tuples(FILLER, GAP), max_size=120),
       after=st.lists(st.tuples(FILLER, GAP), max_size=120))
def test_a_snippet_always_shows_the_matched_word(before, after):
    text = "".join(w + g for w, g in before) + " Payroll " + "".join(w + g for w, g in after)
    snippet = mark(text, {"payrol", "payroll"}, SNIPPET_CHARS)
    assert "<mark>Payroll</mark>" in snippet
    assert len(snippet) < SNIPPET_CHARS + 120  # still a snippet, not the whole text


def test_a_match_after_a_long_run_without_spaces_is_shown():
    text = "intro.\n" + "\n".join(["word"] * 100) + "\npayroll lead"
    assert mark(text, {"payroll"}, SNIPPET_CHARS).endswith("\n<mark>payroll</mark> lead")
    assert mark("x" * 300 + " payroll", {"payroll"}, SNIPPET_CHARS).endswith(
        " <mark>payroll</mark>")
