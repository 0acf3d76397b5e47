"""Assignments (issue 16, part 2): set by a coach on a shared database, or
carried to an offline laptop as a ``.steelassign`` file, with each student's
progress. On SQLite and, when the test script starts one, PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.paths import Locations
from trainer.core.service import Service
from trainer.core.services.assignments import AssignmentFileError
from trainer.core.storage import CoachRequiredError, InvalidInputError

from .conftest import FakeClock

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"


def open_service(data_dir: Path, url: str, clock: FakeClock) -> Service:
    return Service.open(Locations(data_dir=data_dir, database_url=url), clock=clock, pack_folders=[(TINY.parent, True)])


@pytest.fixture
def club(tmp_path: Path, database_url: str, clock: FakeClock) -> Iterator[Service]:
    svc = open_service(tmp_path / "club", database_url, clock)
    yield svc
    svc.close()


def submit(svc: Service, profile_id: int, claim: str, at: datetime) -> None:
    svc.store.record_attempt(profile_id=profile_id, pack_id=PACK, pack_version="1", claim_id=claim, perspective_id=None,
                             text="x", started_at=at - timedelta(minutes=1), submitted_at=at, score=0.5, breakdown={}, matcher_version="m")


def test_a_coach_sets_an_assignment_and_sees_who_has_done_it(club: Service, clock: FakeClock) -> None:
    ann, bo = club.profiles.add("Ann"), club.profiles.add("Bo")
    submit(club, ann.id, "cost", clock.now - timedelta(days=1))  # before it was set: does not count
    with pytest.raises(CoachRequiredError):
        club.assignments.create(pack_id=PACK, due_on=date(2025, 3, 14))
    club.profiles.add_coach("Coach Lee", pin="2468")
    whole_pack = club.assignments.create(pack_id=PACK, due_on=date(2025, 3, 14))
    only_bo = club.assignments.create(pack_id=PACK, due_on=date(2025, 3, 12), claim_ids=["cost"], student_ids=[bo.id], title="Costs")
    assert (whole_pack.claim_ids, whole_pack.students, whole_pack.title) == (("expression", "cost"), None, "2 claims of School uniforms (test pack)")
    assert only_bo.students == ((bo.uuid, "Bo"),) and only_bo.created_by == "Coach Lee"
    clock.advance(hours=1)
    submit(club, ann.id, "expression", clock.now)
    submit(club, bo.id, "cost", clock.now)
    assert club.assignments.club_progress() == {whole_pack.id: {ann.id: 1, bo.id: 1}, only_bo.id: {bo.id: 1}}
    assert [a.title for a in club.assignments.for_profile(ann.id)] == ["2 claims of School uniforms (test pack)"]
    assert [a.title for a in club.assignments.for_profile(bo.id)] == ["Costs", "2 claims of School uniforms (test pack)"]  # soonest due first
    assert club.assignments.done(whole_pack, ann.id) == {"expression"}
    with pytest.raises(InvalidInputError, match=r"not in School uniforms \(test pack\): nope"):
        club.assignments.create(pack_id=PACK, due_on=date(2025, 3, 14), claim_ids=["nope"])


def test_an_assignment_file_reaches_an_offline_laptop_once(club: Service, clock: FakeClock, tmp_path: Path) -> None:
    ann = club.profiles.add("Ann")
    club.profiles.add_coach("Coach Lee", pin="2468")
    assignment = club.assignments.create(pack_id=PACK, due_on=date(2025, 3, 14), claim_ids=["cost"], student_ids=[ann.id])
    out = club.assignments.export_file(assignment.id, tmp_path / "costs.steelassign")
    laptop = open_service(tmp_path / "laptop", f"sqlite:///{tmp_path / 'laptop' / 'db.sqlite3'}", clock)
    try:
        her = laptop.profiles.add("ann")  # made on the laptop: another uuid, the same name
        other = laptop.profiles.add("Cy")
        opened, new = laptop.assignments.open_file(out)
        assert new and opened.uuid == assignment.uuid and opened.claim_ids == ("cost",) and opened.due_on == date(2025, 3, 14)
        assert laptop.assignments.open_file(out) == (opened, False)
        assert [a.uuid for a in laptop.assignments.for_profile(her.id)] == [assignment.uuid]
        assert laptop.assignments.for_profile(other.id) == []
    finally:
        laptop.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG not json", "not an assignment file (not JSON text)"),
        (json.dumps({"format": "something-else"}).encode(), "not an assignment file (format is not 'steelman-assignment')"),
        (None, "made by a newer Steelman (assignment format 2)"),
        (b"[" * 100_000, "not an assignment file"),
    ],
)
def test_a_bad_assignment_file_is_refused_with_its_reason(club: Service, tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.steelassign"
    if content is None:
        content = json.dumps({"format": "steelman-assignment", "version": 2}).encode()
    path.write_bytes(content)
    with pytest.raises(AssignmentFileError, match=f"^bad.steelassign: {message}".replace("(", r"\(").replace(")", r"\)")):
        club.assignments.open_file(path)


def test_an_assignment_for_claims_the_installed_pack_lacks_is_refused(club: Service, tmp_path: Path) -> None:
    path = tmp_path / "x.steelassign"
    path.write_text(json.dumps({
        "format": "steelman-assignment", "version": 1, "uuid": "u1", "title": "T", "pack_id": PACK, "claim_ids": ["cost", "gone"],
        "due_on": "2025-03-14", "students": None, "created_at": datetime(2025, 3, 1, tzinfo=UTC).isoformat(), "created_by": "Lee",
    }), encoding="utf-8")
    with pytest.raises(AssignmentFileError, match=r"claims not in School uniforms \(test pack\) as installed here: gone"):
        club.assignments.open_file(path)
