from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.packs import load_pack
from trainer.core.session import PracticeSession


@pytest.fixture
def pack(tiny_pack_dir: Path):  # noqa: ANN201
    return load_pack(tiny_pack_dir)


def test_walks_the_claims_in_order(pack) -> None:  # noqa: ANN001
    session = PracticeSession(pack=pack, profile_id=1)
    assert session.label == "Claim 1 of 2" and session.current.id == "expression"
    assert session.at_start and not session.previous()
    assert session.next() and session.current.id == "cost" and session.label == "Claim 2 of 2"
    assert session.at_end and not session.next()
    assert session.previous() and session.current.id == "expression"
    session.go_to("cost")
    assert session.position == 1


def test_perspective_choice(pack) -> None:  # noqa: ANN001
    session = PracticeSession(pack=pack, profile_id=1)
    assert session.perspective is None
    session.choose_perspective("parent")
    assert session.perspective.name.startswith("A parent")
    with pytest.raises(KeyError):
        session.choose_perspective("alien")
    assert session.perspective_id == "parent"


def test_subset_keeps_pack_order_and_rejects_unknown_claims(pack) -> None:  # noqa: ANN001
    session = PracticeSession.for_claims(pack, 1, ["cost", "expression"])
    assert session.claim_ids == ["expression", "cost"]
    with pytest.raises(KeyError):
        PracticeSession(pack=pack, profile_id=1, claim_ids=["nope"])
    assert PracticeSession(pack=pack, profile_id=1, position=99).position == 1
