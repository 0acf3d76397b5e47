"""Re-scoring stored attempts: progress is reported, old scores stay in history,
and the UI's variant checks the profile's PIN."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.core.matching.types import KeyPointVerdict, MatchResult
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.core.storage import ProfileLockedError

TINY_PACK = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"


class FixedMatcher:
    """Scores every response the same; only the version and the score differ."""

    def __init__(self, version: str, score: float) -> None:
        self.version = version
        self.fixed = score

    def score(self, *, claim: str, key_points, response: str, perspective=None, background=()):  # noqa: ANN001, ANN201
        verdicts = tuple(KeyPointVerdict(kp.id, self.fixed, "covered", ()) for kp in key_points)
        return MatchResult(self.version, self.fixed, verdicts, ())


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service.open(
        resolve_locations(data_dir=tmp_path / "data"),
        matcher_loader=lambda: FixedMatcher("old-1", 0.25),
        pack_folders=[(TINY_PACK.parent, True)],
    )
    yield svc
    svc.close()


def seed(service: Service, profile_id: int) -> None:
    """Two attempts scored by the old matcher, and one at a pack no longer installed."""
    for claim_id in ("expression", "cost"):
        service.practice.submit_attempt(profile_id=profile_id, pack_id="tiny-uniforms", claim_id=claim_id, text=f"An answer about {claim_id}.")
    when = datetime(2025, 1, 1, tzinfo=UTC)
    service.store.record_attempt(
        profile_id=profile_id, pack_id="gone-pack", pack_version="1", claim_id="c1", perspective_id=None,
        text="An answer to a pack that was removed.", started_at=when, submitted_at=when,
        score=0.5, breakdown={}, matcher_version="old-1",
    )


def test_rescore_reports_progress_for_every_attempt_and_keeps_the_old_scores(service: Service) -> None:
    ada = service.store.add_profile(name="Ada")
    seed(service, ada.id)
    service.scoring.use(FixedMatcher("new-2", 0.75))  # the matcher changed since

    calls: list[tuple[int, int]] = []
    assert service.scoring.rescore_attempts(profile_id=ada.id, progress=lambda done, total: calls.append((done, total))) == (2, 1)

    assert calls == [(1, 3), (2, 3), (3, 3)]
    attempts = service.results.list_attempts(profile_id=ada.id)
    rescored = [a for a in attempts if a.pack_id == "tiny-uniforms"]
    (skipped,) = [a for a in attempts if a.pack_id == "gone-pack"]
    assert [(a.score, a.matcher_version) for a in rescored] == [(0.75, "new-2")] * 2
    assert [[(s.score, s.matcher_version) for s in a.superseded_scores] for a in rescored] == [[(0.25, "old-1")]] * 2
    assert (skipped.score, skipped.matcher_version, skipped.superseded_scores) == (0.5, "old-1", ())


def test_rescore_without_attempts_or_without_a_callback(service: Service) -> None:
    ada = service.store.add_profile(name="Ada")
    calls: list[tuple[int, int]] = []
    assert service.scoring.rescore_attempts(profile_id=ada.id, progress=lambda *args: calls.append(args)) == (0, 0)
    assert calls == []
    seed(service, ada.id)
    assert service.scoring.rescore_attempts(profile_id=ada.id) == (2, 1)  # progress stays optional (the CLI)


def test_the_gated_variant_needs_the_profiles_pin(service: Service) -> None:
    ada = service.store.add_profile(name="Ada")
    bo = service.store.add_profile(name="Bo")
    seed(service, ada.id)
    seed(service, bo.id)
    service.profiles.set_pin(profile_id=ada.id, pin="1234")
    service.profiles.lock(profile_id=ada.id)
    service.scoring.use(FixedMatcher("new-2", 0.75))

    with pytest.raises(ProfileLockedError):
        service.scoring.rescore_profile(profile_id=ada.id)
    with pytest.raises(ProfileLockedError):
        service.scoring.rescore_profile(profile_id=ada.id, pin="0000")
    assert {a.matcher_version for a in service.store.list_attempts(profile_id=ada.id)} == {"old-1"}

    calls: list[tuple[int, int]] = []
    assert service.scoring.rescore_profile(profile_id=ada.id, pin="1234", progress=lambda d, t: calls.append((d, t))) == (2, 1)
    assert calls[-1] == (3, 3)
    assert service.scoring.rescore_profile(profile_id=ada.id) == (2, 1)  # unlocked now, for this session
    assert service.scoring.rescore_profile(profile_id=bo.id) == (2, 1)  # no PIN: nothing to unlock
    assert {a.matcher_version for a in service.store.list_attempts() if a.pack_id != "gone-pack"} == {"new-2"}
