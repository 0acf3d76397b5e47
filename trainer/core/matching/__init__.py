"""Offline key-point matcher: which key points a response covers, where, and rubric signals.

Public API (the UI, CLI and storage rely on it)::

    from trainer.core.matching import (Matcher, KeyPointInput, MatchResult,
        KeyPointVerdict, RubricSignal, Span, MATCHER_VERSION)

No Qt here: this package is part of the screen-less core.
"""

from .matcher import MATCHER_RELEASE, Matcher, MatcherError
from .rubric import RUBRIC_NAMES
from .text import split_sentences
from .types import KeyPointInput, KeyPointVerdict, MatchResult, RubricSignal, SentenceNote, Span

MATCHER_VERSION = MATCHER_RELEASE  # the full version (with the model's digest) is Matcher.version

__all__ = [
    "MATCHER_VERSION",
    "Matcher",
    "MatcherError",
    "KeyPointInput",
    "KeyPointVerdict",
    "MatchResult",
    "RubricSignal",
    "Span",
    "SentenceNote",
    "RUBRIC_NAMES",
    "split_sentences",
]
