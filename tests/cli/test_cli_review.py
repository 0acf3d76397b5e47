"""Spaced review from a terminal (issue 17): ``steelman review due`` and ``steelman review thresholds``.

The CLI reads the real clock, so the attempts are dated relative to it (weeks
ago, and just now); nothing here checks a wall-clock time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.paths import resolve_locations
from trainer.core.service import Service

PACK = "korea-summit-2019"  # built in, so installed in every data folder


def _attempt(service: Service, profile_id: int, claim: str, score: float, at: datetime) -> None:
    service.store.record_attempt(
        profile_id=profile_id, pack_id=PACK, pack_version="1", claim_id=claim, perspective_id=None, text="An answer.",
        started_at=at - timedelta(minutes=4), submitted_at=at, score=score, breakdown={}, matcher_version="m1",
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Ann answered claims 1 and 3 three weeks ago (due now) and claim 2 just now (not due); Bo has a PIN."""
    folder = tmp_path / "data"
    service = Service.open(resolve_locations(data_dir=folder))
    try:
        ann, bo = service.profiles.add("Ann"), service.profiles.add("Bo")
        weeks_ago = datetime.now(UTC) - timedelta(weeks=3)
        _attempt(service, ann.id, "near-zero", 0.05, weeks_ago)
        _attempt(service, ann.id, "modest-steps", 0.6, weeks_ago)
        _attempt(service, ann.id, "back-to-2017", 0.6, datetime.now(UTC) - timedelta(minutes=1))
        _attempt(service, bo.id, "near-zero", 0.3, weeks_ago)
        service.profiles.set_pin(profile_id=bo.id, pin="1357")
    finally:
        service.close()
    return folder


def test_review_due_lists_the_claims_due_with_their_numbers(cli, data_dir: Path) -> None:  # noqa: ANN001
    result = cli("review", "due", "--profile", "Ann", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Ann: 2 claims due for review today"
    assert lines[1].split() == ["pack", "claim", "due", "last", "answered"]
    assert [line.split()[:2] for line in lines[2:]] == [[PACK, "1"], [PACK, "3"]]  # in pack order
    assert "(Easy)" in lines[2] and "(Again)" in lines[3]
    assert cli("review", "due", "--profile", "Ann", "--pack", PACK, data_dir=data_dir).stdout == result.stdout


def test_review_due_asks_for_a_pin_and_names_what_is_wrong(cli, data_dir: Path) -> None:  # noqa: ANN001
    locked = cli("review", "due", "--profile", "Bo", "--pin-stdin", data_dir=data_dir, stdin="0000\n")
    assert locked.returncode == 1 and locked.stderr.startswith("steelman: ") and "PIN" in locked.stderr
    bo = cli("review", "due", "--profile", "Bo", "--pin-stdin", data_dir=data_dir, stdin="1357\n")
    assert bo.returncode == 0 and bo.stdout.splitlines()[0] == "Bo: 1 claim due for review today"
    nobody = cli("review", "due", "--profile", "Cy", data_dir=data_dir)
    assert (nobody.returncode, nobody.stderr) == (1, "steelman: no profile named 'Cy'\n")
    unknown = cli("review", "due", "--profile", "Ann", "--pack", "no-such-pack", data_dir=data_dir)
    assert unknown.returncode == 1 and "no-such-pack" in unknown.stderr
    assert cli("review", "due", data_dir=data_dir).returncode == 2  # --profile is required


def test_thresholds_are_shown_set_checked_and_restored(cli, data_dir: Path) -> None:  # noqa: ANN001
    shown = cli("review", "thresholds", data_dir=data_dir)
    assert (shown.returncode, shown.stdout) == (0, "Again under 15%, Hard under 30%, Good under 55%, Easy from 55%\n")
    changed = cli("review", "thresholds", "--good", "70", "--hard", "40", data_dir=data_dir)
    assert changed.stdout == "Set: Again under 15%, Hard under 40%, Good under 70%, Easy from 70%\n"
    refused = cli("review", "thresholds", "--again", "80", data_dir=data_dir)
    assert refused.returncode == 1
    assert refused.stderr == "steelman: the thresholds must go up: Again (80%) ≤ Hard (40%) ≤ Good (70%)\n"
    assert cli("review", "thresholds", data_dir=data_dir).stdout.startswith("Again under 15%, Hard under 40%")
    assert cli("review", "thresholds", "--again", "x", data_dir=data_dir).returncode == 2
    assert cli("review", "thresholds", "--defaults", "--good", "60", data_dir=data_dir).returncode == 1
    restored = cli("review", "thresholds", "--defaults", data_dir=data_dir)
    assert restored.stdout == "Set: Again under 15%, Hard under 30%, Good under 55%, Easy from 55%\n"


def test_rebuild_makes_the_schedule_again(cli, data_dir: Path) -> None:  # noqa: ANN001
    before = cli("review", "due", "--profile", "Ann", data_dir=data_dir).stdout
    rebuilt = cli("review", "rebuild", "--profile", "Ann", data_dir=data_dir)
    assert (rebuilt.returncode, rebuilt.stdout) == (0, "rebuilt 3 review cards from the submitted attempts\n")
    assert cli("review", "due", "--profile", "Ann", data_dir=data_dir).stdout == before
    everyone = cli("review", "rebuild", data_dir=data_dir)
    assert everyone.returncode == 1 and "--coach" in everyone.stderr


def test_where_there_is_a_coach_only_the_coach_changes_the_thresholds(cli, data_dir: Path) -> None:  # noqa: ANN001
    service = Service.open(resolve_locations(data_dir=data_dir))
    try:
        service.profiles.add_coach("Coach Lee", pin="2468")
    finally:
        service.close()
    assert cli("review", "thresholds", data_dir=data_dir).returncode == 0  # anyone may read them
    refused = cli("review", "thresholds", "--good", "70", data_dir=data_dir)
    assert refused.returncode == 1 and "Only a coach may change the review thresholds" in refused.stderr
    wrong = cli("review", "thresholds", "--good", "70", "--coach", "Coach Lee", "--pin-stdin", data_dir=data_dir, stdin="1111\n")
    assert wrong.returncode == 1
    done = cli("review", "thresholds", "--good", "70", "--coach", "Coach Lee", "--pin-stdin", data_dir=data_dir, stdin="2468\n")
    assert (done.returncode, done.stdout) == (0, "Set: Again under 15%, Hard under 30%, Good under 70%, Easy from 70%\n")
