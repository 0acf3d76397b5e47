"""One word count for the editor and the rubric (``trainer/core/words.py``)."""

from __future__ import annotations

import pytest

from trainer.core.matching.text import words
from trainer.core.words import word_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("one", 1),
        ("Uniforms stop children from expressing who they are.", 8),
        ("a well-known, long-term policy", 4),  # hyphenated words count once
        ("The U.S. and the U.K. agreed.", 6),  # "U.S." counts once
        ("It rose 3.5% in 2018, to $1,200.", 7),  # numbers count once
        ("don't won't it’s", 3),
        ("and/or", 1),
        ("Yes - no -- maybe — perhaps – so … fine ...", 6),  # dashes and dots alone are not words
        ("claim—but", 2),  # an em dash between words separates them
        ("claim--but", 2),
        ("wait…what", 2),
        ("« quoted » ; ( bracketed ) !", 2),
        ("Café naïve résumé", 3),
        ("line\none\r\ntwo\x01three", 4),  # control characters separate, as the matcher reads them
    ],
)
def test_word_count(text: str, expected: int) -> None:
    assert word_count(text) == expected


def test_no_words_exactly_when_the_matcher_finds_none() -> None:
    """The matcher's "no words to score" (its token list) and the count agree on ASCII text."""
    for text in ["", "...", " - — ", "?!", "a", "U.S.", "3", "--- ok ---"]:
        assert (word_count(text) == 0) == (words(text) == [])
