"""Progress figures from attempt records (no Qt, no storage)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from trainer.core.packs import load_pack
from trainer.core.progress import (
    claim_statuses,
    format_duration,
    format_score,
    not_tried_claims,
    pack_summary,
    practice_calendar,
    profile_overview,
    progress_by_kind,
    progress_by_perspective,
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
    assert weakest_claims(pack, [attempt(1, "expression", 0.5)]) == ["expression"]  # "cost" was never tried: not weak
    assert weakest_claims(pack, [attempt(1, "expression", 0.7)], limit=5) == ["expression"]
    assert weakest_claims(pack, [attempt(1, "expression", 0.2), attempt(2, "cost", 0.6)]) == ["expression", "cost"]  # weakest first
    assert weakest_claims(pack, [attempt(1, "cost", 0.2), attempt(2, "expression", 0.6)]) == ["cost", "expression"]
    assert weakest_claims(pack, [attempt(1, "expression", 0.2), attempt(2, "cost", 0.6)], limit=1) == ["expression"]
    assert weakest_claims(pack, [attempt(1, "expression", 0.2), attempt(2, "expression", 0.85)]) == []  # best counts
    assert weakest_claims(pack, [attempt(1, "expression", 0.95), attempt(2, "cost", 0.99)]) == []  # nothing weak
    assert weakest_claims(pack, [attempt(1, "expression", None)]) == []  # not scored: not weak
    assert weakest_claims(pack, [], claim_ids=[]) == []
    assert weakest_claims(pack, []) == []


def test_not_tried_claims(pack) -> None:  # noqa: ANN001
    assert not_tried_claims(pack, []) == ["expression", "cost"]
    assert not_tried_claims(pack, [attempt(1, "expression", 0.1)]) == ["cost"]
    assert not_tried_claims(pack, [attempt(1, "expression", 0.1)], claim_ids=["expression"]) == []
    assert not_tried_claims(pack, [attempt(1, "cost", 0.1, pack_id="another-pack")]) == ["expression", "cost"]


def test_summary_separates_weakest_from_not_tried(pack) -> None:  # noqa: ANN001
    """Issue 17: a skipped claim was listed among the "weakest". Now the two lists never share a claim."""
    tried = [attempt(1, "expression", 0.3, missed=("expression-bullying",))]
    summary = pack_summary(pack, tried)
    assert [s.claim_id for s in summary.weakest] == ["expression"]
    assert [s.claim_id for s in summary.not_tried] == ["cost"]
    assert summary.not_tried[0].best_score is None and summary.weakest[0].best_score == 0.3
    assert not {s.claim_id for s in summary.weakest} & {s.claim_id for s in summary.not_tried}
    assert summary.claims_tried == 1 and summary.claims_total == 2


def test_summary_lists_come_from_the_whole_history(pack) -> None:  # noqa: ANN001
    """This session's figures, but a claim answered in an earlier session is never "not tried yet"."""
    earlier = attempt(1, "cost", 0.4)
    this_session = [attempt(5, "expression", 0.9)]
    summary = pack_summary(pack, this_session, history=[earlier, *this_session])
    assert summary.attempts == 1 and summary.average_score == 0.9
    assert summary.not_tried == ()
    assert [s.claim_id for s in summary.weakest] == ["cost"]  # 40% earlier; expression's 90% is not weak
    alone = pack_summary(pack, this_session)
    assert [s.claim_id for s in alone.not_tried] == ["cost"] and alone.weakest == ()


def test_summary_of_a_session_over_some_claims(pack) -> None:  # noqa: ANN001
    summary = pack_summary(pack, [], claim_ids=["cost"], history=[attempt(1, "expression", 0.1)])
    assert summary.claims_total == 1 and summary.weakest == ()
    assert [s.claim_id for s in summary.not_tried] == ["cost"]


def _with(n: int, claim_id: str, score: float | None, *, perspective: str | None = None, pack_id: str = "tiny-uniforms",
          when: datetime | None = None) -> AttemptInfo:
    a = attempt(n, claim_id, score, pack_id=pack_id)
    return dataclasses.replace(a, perspective_id=perspective, submitted_at=when or a.submitted_at)


def test_progress_by_perspective(pack) -> None:  # noqa: ANN001
    attempts = [
        _with(1, "expression", 0.2, perspective="parent"),
        _with(2, "cost", 0.6, perspective="parent"),
        _with(3, "cost", 0.5, perspective="student"),
        _with(4, "expression", 0.4),
        _with(5, "cost", None),  # not scored: counted, not averaged
        _with(6, "x", 0.9, perspective="hawk", pack_id="gone"),  # a pack no longer installed
    ]
    rows = {g.label: g for g in progress_by_perspective(attempts, {pack.id: pack})}
    order = [g.label for g in progress_by_perspective(attempts, {pack.id: pack})]
    assert order[0] == "My own view"
    assert order[1] == "A parent on a tight budget"  # then the most practised
    parent = rows["A parent on a tight budget"]
    assert parent.attempts == 2 and parent.claims == 2
    assert parent.average_score == pytest.approx(0.4) and parent.best_score == 0.6
    own = rows["My own view"]
    assert own.attempts == 2 and own.average_score == pytest.approx(0.4) and own.best_score == 0.4
    assert rows["A student council member"].average_score == 0.5
    assert rows["hawk"].best_score == 0.9  # named by its id
    assert progress_by_perspective([], {}) == []


def test_progress_by_kind(pack) -> None:  # noqa: ANN001
    # tiny: "expression" is causal, "cost" is factual
    attempts = [_with(1, "expression", 0.2), _with(2, "expression", 0.6), _with(3, "cost", 0.9), _with(4, "x", 0.1, pack_id="gone")]
    rows = progress_by_kind(attempts, {pack.id: pack})
    assert [g.key for g in rows] == ["factual", "causal", "prediction", "policy-recommendation", "value-judgement"]
    by = {g.label: g for g in rows}
    assert by["Causal"].attempts == 2 and by["Causal"].claims == 1
    assert by["Causal"].average_score == pytest.approx(0.4) and by["Causal"].best_score == 0.6
    assert by["Factual"].average_score == 0.9
    assert by["Prediction"].attempts == 0 and by["Prediction"].average_score is None and by["Prediction"].best_score is None


def test_practice_calendar_counts_local_days() -> None:
    """Days are the user's: 23:30 UTC is already the next day at UTC+2, and still the same day at UTC-5."""
    east, west = timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))
    late = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)  # a Tuesday, 23:30 UTC
    attempts = [_with(1, "cost", 0.5, when=late), _with(2, "cost", 0.5, when=late - timedelta(hours=2)),
                _with(3, "cost", 0.5, when=datetime(2025, 3, 1, 12, tzinfo=UTC)),
                _with(4, "cost", 0.5, when=datetime(2024, 1, 1, 12, tzinfo=UTC))]  # too long ago
    today = date(2025, 3, 6)  # a Thursday
    in_east = practice_calendar(attempts, today=today, weeks=4, tz=east)
    assert in_east.counts == {date(2025, 3, 5): 1, date(2025, 3, 4): 1, date(2025, 3, 1): 1}
    in_west = practice_calendar(attempts, today=today, weeks=4, tz=west)
    assert in_west.counts == {date(2025, 3, 4): 2, date(2025, 3, 1): 1}
    assert in_west.count(date(2025, 3, 4)) == 2 and in_west.count(date(2025, 3, 5)) == 0
    assert in_west.first == date(2025, 2, 10) and in_west.first.weekday() == 0 and in_west.weeks == 4
    assert in_west.days[0] == in_west.first and in_west.days[-1] == today and len(in_west.days) == 3 * 7 + 4
    assert in_west.attempts == 3 and in_west.days_practised == 2
    assert in_west.busiest == (date(2025, 3, 4), 2)
    assert in_east.streak == 2  # nothing today (the 6th) yet: the 4th and the 5th, up to yesterday
    assert in_west.streak == 0  # nothing today or yesterday
    assert practice_calendar(attempts, today=date(2025, 3, 5), weeks=4, tz=east).streak == 2  # the 4th and today
    assert practice_calendar([], today=today).busiest is None


def test_formatting() -> None:
    assert format_duration(45) == "45 s"
    assert format_duration(750) == "12 min 30 s"
    assert format_duration(3900) == "1 h 05 min"
    assert format_score(None) == "—" and format_score(0.726) == "73%"
