"""The GUI fixtures use the real matcher and say so loudly when it cannot load."""

from __future__ import annotations

import pytest

from .conftest import load_real_matcher


def test_a_matcher_that_fails_to_load_is_an_error_not_a_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.core.matching import Matcher

    def broken(*_args: object, **_kwargs: object) -> Matcher:
        raise OSError("model file missing")

    monkeypatch.setattr(Matcher, "load", broken)
    with pytest.raises(RuntimeError, match="real matcher failed to load.*model file missing"):
        load_real_matcher()


def test_the_shared_matcher_is_the_real_one(shared_matcher) -> None:  # noqa: ANN001
    from trainer.core.matching import Matcher

    assert isinstance(shared_matcher, Matcher)
