"""Counting words the way a student counts them: one count for the editor and the rubric.

The editor's word count and the rubric's "Good length (N words)" must agree,
so both call :func:`word_count`. A word is a run of text between spaces (or
dashes used as punctuation: "—", "–", "--", and "…") that holds at least one
letter or digit. So "well-known", "U.S.", "3.5%", "don't" and "and/or" count
once each, and a lone "-", "—" or "..." does not count at all.

Pure Python, no Qt: the UI and the matcher both import it.
"""

from __future__ import annotations

import re

# What separates words: white space (and control characters, which the matcher reads as
# spaces), and dashes or an ellipsis used as punctuation.
_SEPARATORS = re.compile(r"(?:[\s\x00-\x1f\x7f\u2014\u2013\u2026]|-{2,})+")


def word_count(text: str) -> int:
    """The number of words in ``text`` as a student would count them (see the module docstring)."""
    return sum(1 for token in _SEPARATORS.split(text) if any(ch.isalnum() for ch in token))
