"""Results that travel (issue 16, part 1): a laptop's work goes into a
``.steelresults`` file and into the coach's database exactly once.

The laptop is a SQLite file; the coach's database is SQLite and, when the test
script starts one, the real PostgreSQL server (``database_url``).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from trainer.core import results_file
from trainer.core.paths import Locations
from trainer.core.service import Service
from trainer.core.services.transfer import Conflict
from trainer.core.storage import CoachRequiredError
from trainer.core.storage.transfer import Decision

from .conftest import FakeClock

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"
T0 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def open_service(data_dir: Path, url: str, clock: FakeClock) -> Service:
    return Service.open(Locations(data_dir=data_dir, database_url=url), clock=clock, pack_folders=[(TINY.parent, True)])


@pytest.fixture
def laptop(tmp_path: Path, clock: FakeClock) -> Iterator[Service]:
    svc = open_service(tmp_path / "laptop", f"sqlite:///{tmp_path / 'laptop' / 'steelman.sqlite3'}", clock)
    yield svc
    svc.close()


@pytest.fixture
def coach_db(tmp_path: Path, database_url: str, clock: FakeClock) -> Iterator[Service]:
    svc = open_service(tmp_path / "coach", database_url, clock)
    svc.profiles.add_coach("Coach Lee", pin="2468")  # unlocked
    yield svc
    svc.close()


def attempt(svc: Service, profile_id: int, claim: str, score: float, minutes: int, **verdicts: str) -> int:
    breakdown = {"score": score, "key_points": [{"key_point_id": k.replace("_", "-"), "probability": 0.5, "verdict": v, "spans": []}
                                               for k, v in verdicts.items()]}
    at = T0 + timedelta(minutes=minutes)
    return svc.store.record_attempt(
        profile_id=profile_id, pack_id=PACK, pack_version="1.0.0", claim_id=claim, perspective_id=None,
        text=f"Answer {minutes} ✓ «quoted»", started_at=at - timedelta(minutes=4), submitted_at=at, score=score,
        breakdown=breakdown, matcher_version="m1",
    ).id


def seed_laptop(laptop: Service) -> dict[str, int]:
    ann, bo = laptop.profiles.add("Ann"), laptop.profiles.add("Bo")
    first = attempt(laptop, ann.id, "cost", 0.3, 0, cost_cheaper="missed", cost_second_hand="covered")
    attempt(laptop, ann.id, "expression", 0.62, 5, expression_bullying="covered")
    attempt(laptop, bo.id, "cost", 0.1, 7, cost_cheaper="missed")
    laptop.results.add_dispute(attempt_id=first, key_point_id="cost-cheaper", kind="did-make-point", comment="I did")
    laptop.store.rescore_attempt(attempt_id=first, score=0.35, breakdown={"score": 0.35, "key_points": []}, matcher_version="m2")
    return {"Ann": ann.id, "Bo": bo.id}


def snapshot(svc: Service) -> list[tuple[Any, ...]]:
    """Every row the import could touch, in a stable order (the database "as bytes")."""
    engine = create_engine(svc.locations.database_url)
    rows: list[tuple[Any, ...]] = []
    try:
        with engine.connect() as conn:
            for table in ("profiles", "attempts", "attempt_scores", "attempt_verdicts", "disputes", "settings"):
                rows += [(table, *map(str, r)) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    finally:
        engine.dispose()
    return rows


def by_student(svc: Service) -> dict[str, list[tuple[str, float | None, int]]]:
    found: dict[str, list[tuple[str, float | None, int]]] = {}
    for a in svc.results.list_attempts():
        found.setdefault(a.profile_name, []).append((a.claim_id, a.score, len(a.superseded_scores)))
    return found


def test_a_laptops_work_arrives_once_with_the_same_counts_and_scores(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    seed_laptop(laptop)
    out = tmp_path / "usb" / "ann-and-bo.steelresults"
    exported = laptop.transfer.export_results(out)
    assert (exported.attempts, exported.students, exported.excluded) == (3, 2, ())

    report = coach_db.transfer.import_results([out], decide=lambda c: None)
    assert report.summary() == "3 new attempts from 2 students; 1 dispute; new students: Ann, Bo"
    assert by_student(coach_db) == by_student(laptop) == {"Ann": [("cost", 0.35, 1), ("expression", 0.62, 0)], "Bo": [("cost", 0.1, 0)]}
    [ann] = [p for p in coach_db.profiles.list() if p.name == "Ann"]
    assert ann.uuid == next(p.uuid for p in laptop.profiles.list() if p.name == "Ann")
    disputes = coach_db.results.list_disputes(profile_id=ann.id)
    assert [(d.key_point_id, d.comment, d.status) for d in disputes] == [("cost-cheaper", "I did", "open")]
    assert coach_db.club.open_disputes() == 1
    # the verdicts came too: the class overview counts them
    assert [m.key_point_id for m in coach_db.club.overview().most_missed] == ["cost-cheaper"]

    before = snapshot(coach_db)
    again = coach_db.transfer.import_results([out], decide=lambda c: None)
    assert again.summary() == "0 new attempts from 0 students; 3 already imported"
    assert snapshot(coach_db) == before


def test_a_new_attempt_on_the_laptop_comes_in_the_next_file_alone(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    ids = seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "monday.steelresults")
    attempt(laptop, ids["Bo"], "expression", 0.5, 60, expression_bullying="partly")
    laptop.transfer.export_results(tmp_path / "friday.steelresults")
    report = coach_db.transfer.import_results([tmp_path / "monday.steelresults", tmp_path / "friday.steelresults"], decide=lambda c: None)
    assert (report.new_attempts, report.known_attempts, report.imported_files) == (4, 3, ["monday.steelresults", "friday.steelresults"])


def test_one_student_only_and_pin_protected_students_need_a_coach(laptop: Service, tmp_path: Path) -> None:
    ids = seed_laptop(laptop)
    laptop.profiles.set_pin(profile_id=ids["Bo"], pin="1234")
    laptop.profiles.lock_all()
    everyone = laptop.transfer.export_results(tmp_path / "all.steelresults")
    assert (everyone.students, everyone.excluded) == (1, ("Bo",))
    laptop.transfer.export_results(tmp_path / "bo.steelresults", profile_id=ids["Bo"], pin="1234")
    assert [p["name"] for p in results_file.read_results_file(tmp_path / "bo.steelresults").profiles] == ["Bo"]
    laptop.profiles.add_coach("Coach Lee", pin="2468")
    assert laptop.transfer.export_results(tmp_path / "all2.steelresults").excluded == ()


def test_only_a_coach_imports(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "r.steelresults")
    coach_db.profiles.lock_all()
    with pytest.raises(CoachRequiredError):
        coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=lambda c: None)


def test_a_taken_name_is_merged_or_kept_separate_as_the_coach_decides(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "r.steelresults")
    coach_ann = coach_db.profiles.add("ann")  # the same student, made by hand on the coach's laptop
    coach_db.profiles.add("Bo")  # a different Bo
    asked: list[Conflict] = []

    def decide(conflict: Conflict) -> Decision:
        asked.append(conflict)
        return Decision("merge", conflict.existing_id) if conflict.name == "Ann" else Decision("separate")

    report = coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=decide)
    assert sorted((c.name, c.existing_name) for c in asked) == [("Ann", "ann"), ("Bo", "Bo")]
    assert report.new_profiles == ["Bo (2)"]
    assert {k: len(v) for k, v in by_student(coach_db).items()} == {"ann": 2, "Bo (2)": 1}
    # the next file from that laptop: Ann is known now, nobody is asked again
    attempt(laptop, next(p.id for p in laptop.profiles.list() if p.name == "Ann"), "cost", 0.9, 99, cost_cheaper="covered")
    laptop.transfer.export_results(tmp_path / "r2.steelresults")
    asked.clear()
    report = coach_db.transfer.import_results([tmp_path / "r2.steelresults"], decide=decide)
    assert asked == [] and report.new_attempts == 1 and report.students == {"ann"}
    assert coach_ann.id in {a.profile_id for a in coach_db.results.list_attempts() if a.score == 0.9}


def test_no_choice_refuses_the_file_and_writes_nothing(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "r.steelresults")
    coach_db.profiles.add("Ann")
    before = snapshot(coach_db)
    report = coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=lambda c: None)
    assert report.refused == [("r.steelresults", "'Ann' is already a student here, and no choice was made")]
    assert snapshot(coach_db) == before


# -- hostile files ------------------------------------------------------------------------
def _rewrite(src: Path, dst: Path, *, manifest: Any = None, contents: bytes | None = None, extra: dict[str, bytes] | None = None,
             fix_checksum: bool = True) -> Path:
    with zipfile.ZipFile(src) as zf:
        m = json.loads(zf.read("manifest.json"))
        c = zf.read("results.json")
    if contents is not None:
        c = contents
        if fix_checksum:
            m["sha256"] = hashlib.sha256(c).hexdigest()
    if manifest is not None:
        m.update(manifest)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(m))
        zf.writestr("results.json", c)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return dst


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """results.json unpacking to 600 MB of spaces, in a file of about 600 KB."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.steelresults"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps({"format": "steelman-results", "version": 1, "app_version": "x", "created": T0.isoformat(),
                                                 "laptop_id": "l", "sha256": "0" * 64}))
        with zf.open("results.json", "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(600):
                fh.write(block)
    return path


def hostile_files(good: Path, folder: Path, zip_bomb: Path) -> dict[str, tuple[Path, str]]:
    data = good.read_bytes()
    contents = json.loads(zipfile.ZipFile(good).read("results.json"))
    (folder / "truncated.steelresults").write_bytes(data[: len(data) // 2])
    (folder / "garbage.steelresults").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    (folder / "notes.txt.steelresults").write_text("just some notes", encoding="utf-8")
    tampered = json.loads(json.dumps(contents))
    tampered["attempts"][0]["score"] = 1.0
    huge = json.loads(json.dumps(contents))
    huge["attempts"][0]["text"] = "x" * (results_file.MAX_TEXT_CHARS + 1)
    naive = json.loads(json.dumps(contents))
    naive["attempts"][1]["submitted_at"] = "2026-11-02T15:00:00"
    orphan = json.loads(json.dumps(contents))
    orphan["attempts"][0]["profile_uuid"] = "nobody"
    return {
        "truncated": (folder / "truncated.steelresults", "not a results file, or it is damaged or cut short"),
        "garbage": (folder / "garbage.steelresults", "not a results file"),
        "text file": (folder / "notes.txt.steelresults", "not a results file"),
        "tampered": (_rewrite(good, folder / "tampered.steelresults", contents=json.dumps(tampered).encode(), fix_checksum=False),
                     "do not match their checksum"),
        "newer": (_rewrite(good, folder / "newer.steelresults", manifest={"version": 2}), "made by a newer Steelman (results format 2"),
        "traversal": (_rewrite(good, folder / "traversal.steelresults", extra={"../../evil.py": b"print('x')"}), "not a results file: it holds"),
        "zip bomb": (zip_bomb, "results.json would unpack to 629 MB; at most 512 MB"),
        "huge text": (_rewrite(good, folder / "huge.steelresults", contents=json.dumps(huge).encode()),
                      f"attempts[0].text: is {results_file.MAX_TEXT_CHARS + 1:,} characters"),
        "no time zone": (_rewrite(good, folder / "naive.steelresults", contents=json.dumps(naive).encode()),
                         "attempts[1].submitted_at: '2026-11-02T15:00:00' has no time zone"),
        "orphan": (_rewrite(good, folder / "orphan.steelresults", contents=json.dumps(orphan).encode()),
                   "attempts[0].profile_uuid: no profile in the file has this uuid"),
        "not json": (_rewrite(good, folder / "notjson.steelresults", contents=b"{'profiles': NaN"), "results.json is not valid JSON"),
    }


def test_every_hostile_file_is_refused_with_its_reason_and_the_database_is_unchanged(
    laptop: Service, coach_db: Service, tmp_path: Path, zip_bomb: Path
) -> None:
    seed_laptop(laptop)
    good = tmp_path / "good.steelresults"
    laptop.transfer.export_results(good)
    files = hostile_files(good, tmp_path, zip_bomb)
    before = snapshot(coach_db)
    report = coach_db.transfer.import_results([path for path, _ in files.values()], decide=lambda c: None)
    assert report.new_attempts == 0 and report.imported_files == []
    reasons = dict(report.refused)
    for case, (path, expected) in files.items():
        assert expected in reasons[path.name], (case, reasons[path.name])
    assert snapshot(coach_db) == before
    # one bad file does not take the others down
    mixed = coach_db.transfer.import_results([files["garbage"][0], good], decide=lambda c: None)
    assert (mixed.new_attempts, len(mixed.refused)) == (3, 1)
    assert mixed.summary().endswith("1 file refused: not a results file, or it is damaged or cut short (not a readable zip)")


def test_a_file_that_fails_half_way_writes_nothing(laptop: Service, coach_db: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.core.storage import transfer

    seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "r.steelresults")
    before = snapshot(coach_db)

    def broken(self: Any, s: Any, results: Any, ids: Any) -> int:
        raise transfer.InvalidInputError("disputes", "the disk filled up")  # after the attempts went in

    monkeypatch.setattr(transfer.TransferStore, "_merge_disputes", broken)
    report = coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=lambda c: None)
    assert report.refused == [("r.steelresults", "disputes: the disk filled up")]
    assert snapshot(coach_db) == before


def test_a_second_import_of_the_same_file_parses_no_json_and_adds_nothing(
    laptop: Service, coach_db: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_laptop(laptop)
    laptop.transfer.export_results(tmp_path / "r.steelresults")
    coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=lambda c: None)
    parsed: list[str] = []
    real_json = results_file._json
    monkeypatch.setattr(results_file, "_json", lambda data, entry, fail: parsed.append(entry) or real_json(data, entry, fail))
    before = snapshot(coach_db)
    again = coach_db.transfer.import_results([tmp_path / "r.steelresults"], decide=lambda c: None)
    assert parsed == [results_file.MANIFEST]  # the quick path: results.json was only scanned for its uuids
    assert (again.new_attempts, again.known_attempts, again.new_disputes) == (0, 3, 0)
    assert snapshot(coach_db) == before

    # a new dispute on an attempt the coach has: not all here, so the file is read in full and the dispute arrives
    first = next(a.id for a in laptop.results.list_attempts(profile_id=ids["Bo"]))
    laptop.results.add_dispute(attempt_id=first, key_point_id="cost-cheaper", kind="did-make-point", comment="Really")
    laptop.transfer.export_results(tmp_path / "r2.steelresults")
    parsed.clear()
    report = coach_db.transfer.import_results([tmp_path / "r2.steelresults"], decide=lambda c: None)
    assert parsed == [results_file.MANIFEST, results_file.CONTENTS]
    assert (report.new_attempts, report.known_attempts, report.new_disputes) == (0, 3, 1)


def test_the_uuid_scan_meets_only_real_keys_and_must_match_the_counts() -> None:
    hidden = json.dumps({"text": 'I wrote "client_uuid":"x" and "uuid":"y" in my answer'}, separators=(",", ":")).encode()
    contents = b'{"profiles":[{"uuid":"p1"}],"attempts":[{"client_uuid":"a1",' + hidden[1:-1] + b'}],"disputes":[]}'
    assert results_file._uuids_in(contents, {"attempts": 1, "profiles": 1, "disputes": 0}) == (["a1"], ["p1"])
    assert results_file._uuids_in(contents, {"attempts": 2, "profiles": 1, "disputes": 0}) is None  # counts disagree: read in full
    assert results_file._uuids_in(contents, {"attempts": "1", "profiles": 1, "disputes": 0}) is None
    assert results_file._uuids_in(contents, None) is None


def test_a_cancelled_export_writes_no_file(laptop: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.core.errors import Cancelled

    seed_laptop(laptop)
    out = tmp_path / "usb" / "r.steelresults"
    seen: list[tuple[int, int]] = []
    laptop.transfer.export_results(out, progress=lambda done, total: seen.append((done, total)) is None)
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    before = out.read_bytes()
    with pytest.raises(Cancelled):
        laptop.transfer.export_results(out, progress=lambda done, total: False)
    assert out.read_bytes() == before and sorted(p.name for p in out.parent.iterdir()) == ["r.steelresults"]
