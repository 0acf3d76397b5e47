"""Sentence splitting returns offsets into the original string."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.matching.text import split_sentences, stem, strip_markdown


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_simple_sentences() -> None:
    text = "They say talks fail. But sanctions worked in 2017! Why? Because China joined."
    assert pieces(text) == ["They say talks fail.", "But sanctions worked in 2017!", "Why?", "Because China joined."]


def test_abbreviations_do_not_split() -> None:
    text = "The U.S. and Dr. Kim met in Feb. 2019 in Hanoi. It failed, e.g. on sanctions."
    assert pieces(text) == ["The U.S. and Dr. Kim met in Feb. 2019 in Hanoi.", "It failed, e.g. on sanctions."]


def test_newlines_and_bullets() -> None:
    text = "My points:\n- first, talks lower the risk\n* second point\n\n1. a numbered one\nA paragraph\nwrapped over lines."
    assert pieces(text) == [
        "My points:",
        "first, talks lower the risk",
        "second point",
        "a numbered one",
        "A paragraph\nwrapped over lines.",
    ]


def test_offsets_point_into_original_with_leading_space_and_emoji() -> None:
    text = "  \U0001F600 Kim wants growth.  \n\nSanctions bite.   "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["\U0001F600 Kim wants growth.", "Sanctions bite."]


def test_no_words_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\t ") == []
    assert split_sentences("\U0001F600\U0001F44D") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_spans_are_ordered_trimmed_and_inside(text: str) -> None:
    prev = 0
    for s, e in split_sentences(text):
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        prev = e


def test_stem_and_markdown() -> None:
    assert stem("reduces") == stem("reducing")
    assert stem("bullied") == stem("bully")
    assert strip_markdown("**Bold** and [a link](http://x) `code`") == "Bold and a link code"
