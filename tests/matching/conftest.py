"""Fixtures for the matcher tests: the matcher is loaded once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def matcher():
    from trainer.core.matching import Matcher

    return Matcher.load()
