"""The query language as a recruiter types it, parsed without an index."""

from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import AnyOf, Bool, Leaf, parse


def test_plain_words_are_all_required():
    tree = parse("payroll london").tree
    assert isinstance(tree, Bool)
    assert [leaf.text for leaf in tree.must] == ["payroll", "london"]


def test_a_plus_word_makes_the_plain_words_nice_to_have():
    tree = parse("+payroll reward -agency").tree
    assert [leaf.text for leaf in tree.must] == ["payroll"]
    assert [leaf.text for leaf in tree.should] == ["reward"]
    assert [leaf.text for leaf in tree.must_not] == ["agency"]


def test_and_binds_tighter_than_or():
    tree = parse("a b OR c").tree
    assert isinstance(tree, AnyOf)
    assert isinstance(tree.children[0], Bool) and tree.children[1] == Leaf("word", "c")


def test_lower_case_operators_are_words():
    assert [leaf.text for leaf in parse("learning and development").leaves] == [
        "learning", "and", "development"]


def test_fields_phrases_and_groups():
    parsed = parse('skills:"employee relations" location:(london OR leeds) company:acme')
    assert parsed.leaves == [Leaf("phrase", "employee relations", "skills"),
                             Leaf("word", "london", "location"),
                             Leaf("word", "leeds", "location"),
                             Leaf("word", "acme", "organisation")]


def test_not_applies_to_the_next_part_only():
    tree = parse("NOT agency payroll").tree
    assert tree.must_not == [Leaf("word", "agency")] and tree.must == [Leaf("word", "payroll")]


def test_fuzzy_and_wildcards_are_bounded():
    assert parse("recruitment~5").leaves == [Leaf("word", "recruitment", None, 2)]
    assert parse("pay*").leaves == [Leaf("wildcard", "pay*")]
    assert "at least 3 characters" in parse("p*").messages[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_without_raising(text):
    parsed = parse(text)
    assert len(parsed.leaves) <= 24
