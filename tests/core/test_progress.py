"""Progress figures from attempt records (no Qt, no storage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.packs import load_pack
from trainer.core.progress import (
    claim_statuses,
    format_duration,
    format_score,
    pack_summary,
    profile_overview,
    weakest_claims,
)
from trainer.core.records import AttemptInfo

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
T0 = datetime(2025, 1, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def pack():  # noqa: ANN201
    return load_pack(TINY)


def attempt(n: int, claim_id: str, score: float | None, *, missed: tuple[str, ...] = (), duration: float = 60.0, pack_id: str = "tiny-uniforms") -> AttemptInfo:
    when = T0 + timedelta(minutes=n)
    return AttemptInfo(
        id=n,
        profile_id=1,
        profile_name="Ada",
        pack_id=pack_id,
        pack_version="0.1.0",
        claim_id=claim_id,
        perspective_id=None,
        text="text",
        started_at=when - timedelta(seconds=duration),
        submitted_at=when,
        duration_seconds=duration,
        score=score,
        breakdown={"key_points": [{"key_point_id": k, "verdict": "missed", "probability": 0.1, "spans": []} for k in missed]},
        matcher_version="m",
    )


def test_claim_statuses(pack) -> None:  # noqa: ANN001
    statuses = claim_statuses(pack, [attempt(1, "expression", 0.4), attempt(2, "expression", 0.7), attempt(3, "expression", None)])
    assert statuses["expression"].attempts == 3 and statuses["expression"].best_score == 0.7
    assert not statuses["cost"].tried and statuses["cost"].best_score is None


def test_profile_overview_running_average_and_best() -> None:
    overview = profile_overview([attempt(2, "cost", 0.2), attempt(1, "expression", 0.6), attempt(3, "expression", 0.4), attempt(4, "cost", None)])
    assert overview.claims_tried == 2 and overview.attempts == 4
    assert overview.average_score == pytest.approx(0.4)
    assert overview.best_score == 0.6
    assert [round(p.running_average, 2) for p in overview.points] == [0.6, 0.4, 0.4]
    assert [p.best_so_far for p in overview.points] == [0.6, 0.6, 0.6]


def test_profile_overview_empty() -> None:
    overview = profile_overview([])
    assert overview.average_score is None and overview.best_score is None and overview.points == ()


def test_pack_summary(pack) -> None:  # noqa: ANN001
    attempts = [
        attempt(1, "expression", 0.5, missed=("expression-bullying",), duration=100),
        attempt(2, "expression", 0.7, missed=("expression-bullying",), duration=50),
        attempt(3, "cost", 0.3, missed=("expression-bullying",) if False else (), duration=30),
        attempt(4, "other", 0.9, pack_id="another-pack"),
    ]
    summary = pack_summary(pack, attempts)
    assert summary.attempts == 3 and summary.claims_tried == 2 and summary.claims_total == 2
    assert summary.average_score == pytest.approx(0.5)
    assert summary.best_score == 0.7
    assert summary.time_spent_seconds == 180
    assert summary.most_missed[0].key_point_id == "expression-bullying"
    assert summary.most_missed[0].times_missed == 2
    assert summary.most_missed[0].statement == "School uniform reduces bullying"


def test_weakest_claims(pack) -> None:  # noqa: ANN001
    assert weakest_claims(pack, [attempt(1, "expression", 0.8)]) == ["cost"]  # untried counts as 0
    assert weakest_claims(pack, [attempt(1, "expression", 0.2), attempt(2, "cost", 0.6)]) == ["expression"]
    assert weakest_claims(pack, [attempt(1, "expression", 0.2), attempt(2, "cost", 0.6)], limit=2) == ["expression", "cost"]
    assert weakest_claims(pack, [attempt(1, "expression", 0.95), attempt(2, "cost", 0.99)]) == ["expression"]
    assert weakest_claims(pack, [], claim_ids=[]) == []


def test_formatting() -> None:
    assert format_duration(45) == "45 s"
    assert format_duration(750) == "12 min 30 s"
    assert format_duration(3900) == "1 h 05 min"
    assert format_score(None) == "—" and format_score(0.726) == "73%"
