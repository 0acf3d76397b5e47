"""Results files from a terminal (issue 16): ``steelman results export`` on a
student's laptop, ``steelman results import`` on the coach's.

Two data folders (SQLite each): the laptop, seeded through the service, and the
coach's. The CLI runs in this process (``main()``), and once as a real process
to check the exit status and that stderr holds one line, not a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.paths import resolve_locations
from trainer.core.service import Service

ROOT = Path(__file__).resolve().parents[2]
PACK = "tiny-uniforms"
T0 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
COACH = ("--coach", "Coach Lee", "--pin-stdin")
COACH_PIN = "2468\n"


def _open(data_dir: Path) -> Service:
    return Service.open(resolve_locations(data_dir=data_dir))


def _attempt(service: Service, profile_id: int, claim: str, score: float, minutes: int, **verdicts: str) -> int:
    breakdown = {"score": score, "key_points": [{"key_point_id": k.replace("_", "-"), "probability": 0.5, "verdict": v, "spans": []}
                                               for k, v in verdicts.items()]}
    at = T0 + timedelta(minutes=minutes)
    return service.store.record_attempt(
        profile_id=profile_id, pack_id=PACK, pack_version="1.0.0", claim_id=claim, perspective_id=None,
        text=f"Answer {minutes} ✓", started_at=at - timedelta(minutes=4), submitted_at=at, score=score,
        breakdown=breakdown, matcher_version="m1",
    ).id


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """Ann (2 attempts, one disputed) and Bo (1 attempt), no PINs, no coach."""
    data_dir = tmp_path / "laptop"
    service = _open(data_dir)
    try:
        ann, bo = service.profiles.add("Ann"), service.profiles.add("Bo")
        first = _attempt(service, ann.id, "cost", 0.3, 0, cost_cheaper="missed", cost_second_hand="covered")
        _attempt(service, ann.id, "expression", 0.62, 5, expression_bullying="covered")
        _attempt(service, bo.id, "cost", 0.1, 7, cost_cheaper="missed")
        service.results.add_dispute(attempt_id=first, key_point_id="cost-cheaper", kind="did-make-point", comment="I did")
    finally:
        service.close()
    return data_dir


@pytest.fixture
def coach_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "coach"
    service = _open(data_dir)
    try:
        service.profiles.add_coach("Coach Lee", pin="2468")
    finally:
        service.close()
    return data_dir


def _students(data_dir: Path) -> dict[str, list[tuple[str, float | None]]]:
    """Each profile's attempts as (claim, score), read as the coach."""
    service = _open(data_dir)
    try:
        coach = service.profiles.by_name("Coach Lee")
        if coach is not None:
            service.profiles.unlock(profile_id=coach.id, pin="2468")
        found: dict[str, list[tuple[str, float | None]]] = {p.name: [] for p in service.profiles.list() if not p.is_coach}
        for a in service.results.list_attempts():
            found[a.profile_name].append((a.claim_id, a.score))
        return {name: sorted(rows) for name, rows in found.items()}
    finally:
        service.close()


def _add_profiles(data_dir: Path, *names: str) -> None:
    service = _open(data_dir)
    try:
        for name in names:
            service.profiles.add(name)
    finally:
        service.close()


def _set_pin(data_dir: Path, name: str, pin: str) -> None:
    service = _open(data_dir)
    try:
        service.profiles.set_pin(profile_id=service.profiles.by_name(name).id, pin=pin)  # type: ignore[union-attr]
    finally:
        service.close()


def _export(cli, laptop: Path, out: Path) -> Path:  # noqa: ANN001
    result = cli("results", "export", str(out), data_dir=laptop)
    assert result.returncode == 0, result.stderr
    return out


def _profile_names(path: Path) -> list[str]:
    import json

    return [p["name"] for p in json.loads(zipfile.ZipFile(path).read("results.json"))["profiles"]]


# -- export -------------------------------------------------------------------------------


def test_export_then_import_into_another_data_folder_then_again_adds_nothing(cli, laptop: Path, coach_dir: Path,
                                                                             tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "usb" / "monday.steelresults"
    exported = cli("results", "export", str(out), data_dir=laptop)
    assert (exported.returncode, exported.stderr) == (0, "")
    assert exported.stdout == f"wrote 3 attempts of 2 students to {out}\n"

    imported = cli("results", "import", str(out), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout == "3 new attempts from 2 students; 1 dispute; new students: Ann, Bo\n"
    assert _students(coach_dir) == _students(laptop) == {"Ann": [("cost", 0.3), ("expression", 0.62)], "Bo": [("cost", 0.1)]}

    again = cli("results", "import", str(out), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert (again.returncode, again.stdout, again.stderr) == (0, "0 new attempts from 0 students; 3 already imported\n", "")
    assert _students(coach_dir) == {"Ann": [("cost", 0.3), ("expression", 0.62)], "Bo": [("cost", 0.1)]}


def test_export_adds_the_suffix_and_refuses_a_folder(cli, laptop: Path, tmp_path: Path) -> None:  # noqa: ANN001
    result = cli("results", "export", str(tmp_path / "monday"), data_dir=laptop)
    assert result.returncode == 0 and result.stdout.endswith(f"to {tmp_path / 'monday.steelresults'}\n")
    assert (tmp_path / "monday.steelresults").is_file() and not (tmp_path / "monday").exists()
    upper = cli("results", "export", str(tmp_path / "FRIDAY.STEELRESULTS"), data_dir=laptop)
    assert upper.returncode == 0 and (tmp_path / "FRIDAY.STEELRESULTS").is_file()

    folder = cli("results", "export", str(tmp_path), data_dir=laptop)
    assert folder.returncode == 1 and folder.stdout == ""
    assert folder.stderr == f"steelman: {tmp_path} is a folder; name the file to write, e.g. {tmp_path / 'results.steelresults'}\n"


def test_one_student_only_after_their_pin(cli, laptop: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _set_pin(laptop, "Bo", "1234")
    out = tmp_path / "bo.steelresults"
    wrong = cli("results", "export", "--profile", "Bo", "--pin-stdin", str(out), data_dir=laptop, stdin="9999\n")
    assert wrong.returncode == 1 and wrong.stderr.startswith("steelman: ") and wrong.stderr.count("\n") == 1
    assert not out.exists()
    right = cli("results", "export", "--profile", "Bo", "--pin-stdin", str(out), data_dir=laptop, stdin="1234\n")
    assert (right.returncode, right.stdout, right.stderr) == (0, f"wrote 1 attempt of 1 student to {out}\n", "")
    assert _profile_names(out) == ["Bo"]
    nobody = cli("results", "export", "--profile", "Cy", str(out), data_dir=laptop)
    assert (nobody.returncode, nobody.stderr) == (1, "steelman: no profile named 'Cy'\n")


def test_pin_protected_students_are_left_out_without_a_coach(cli, laptop: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _set_pin(laptop, "Bo", "1234")
    out = tmp_path / "all.steelresults"
    result = cli("results", "export", str(out), data_dir=laptop)
    assert result.returncode == 0
    assert result.stdout == f"wrote 2 attempts of 1 student to {out}\n"
    assert result.stderr == ("steelman: left out PIN-protected student(s): Bo "
                             "(use --profile NAME to enter the PIN, or --coach NAME)\n")
    assert _profile_names(out) == ["Ann"]

    service = _open(laptop)
    try:
        service.profiles.add_coach("Coach Lee", pin="2468")
    finally:
        service.close()
    wrong = cli("results", "export", *COACH, str(out), data_dir=laptop, stdin="0000\n")
    assert wrong.returncode == 1 and "PIN" in wrong.stderr and _profile_names(out) == ["Ann"]  # the old file stays
    with_coach = cli("results", "export", *COACH, str(out), data_dir=laptop, stdin=COACH_PIN)
    assert (with_coach.returncode, with_coach.stdout, with_coach.stderr) == (0, f"wrote 3 attempts of 2 students to {out}\n", "")
    assert _profile_names(out) == ["Ann", "Bo"]  # never the coach
    coach_only = cli("results", "export", "--profile", "Coach Lee", *COACH, str(out), data_dir=laptop, stdin=COACH_PIN)
    assert (coach_only.returncode, coach_only.stderr) == (1, "steelman: 'Coach Lee' is a coach; a results file carries students' work\n")


def test_nothing_to_export_without_students(cli, coach_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    result = cli("results", "export", str(tmp_path / "r"), data_dir=coach_dir)
    assert (result.returncode, result.stderr) == (1, "steelman: no students here to export (add one with: steelman profiles add NAME)\n")
    assert not (tmp_path / "r.steelresults").exists()


# -- import -------------------------------------------------------------------------------


def test_a_corrupt_file_is_refused_with_its_reason(cli, laptop: Path, coach_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    good = _export(cli, laptop, tmp_path / "good.steelresults")
    cut = tmp_path / "cut.steelresults"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    reason = "not a results file, or it is damaged or cut short (not a readable zip)"

    alone = cli("results", "import", str(cut), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert alone.returncode == 1
    assert alone.stdout == f"0 new attempts from 0 students; 1 file refused: {reason}\n"
    assert alone.stderr == f"steelman: cut.steelresults was not imported: {reason}\n"
    missing = cli("results", "import", str(tmp_path / "none.steelresults"), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert missing.returncode == 1 and missing.stderr.startswith("steelman: none.steelresults was not imported: cannot be read")
    assert _students(coach_dir) == {}

    # one bad file does not take the good one down, and the exit status is 0
    mixed = cli("results", "import", str(cut), str(good), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert mixed.returncode == 0
    assert mixed.stdout == f"3 new attempts from 2 students; 1 dispute; new students: Ann, Bo; 1 file refused: {reason}\n"
    assert mixed.stderr == f"steelman: cut.steelresults was not imported: {reason}\n"


def test_a_taken_name_refuses_the_file_until_the_coach_chooses(cli, laptop: Path, coach_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    out = _export(cli, laptop, tmp_path / "r.steelresults")
    _add_profiles(coach_dir, "ann", "Bo")

    refused = cli("results", "import", str(out), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert refused.returncode == 1
    assert refused.stdout == ("0 new attempts from 0 students; 1 file refused: "
                              "'Ann' is already a student here, and no choice was made\n")
    assert refused.stderr == ("steelman: r.steelresults was not imported: 'Ann' is already a student here (as 'ann'): "
                              "add --on-conflict merge if it is the same student, "
                              "or --on-conflict separate to add a different student with the same name\n")
    assert _students(coach_dir) == {"ann": [], "Bo": []}

    separate = cli("results", "import", str(out), *COACH, "--on-conflict", "separate", data_dir=coach_dir, stdin=COACH_PIN)
    assert (separate.returncode, separate.stderr) == (0, "")
    assert separate.stdout == "3 new attempts from 2 students; 1 dispute; new students: Ann (2), Bo (2)\n"
    assert _students(coach_dir) == {"ann": [], "Bo": [], "Ann (2)": [("cost", 0.3), ("expression", 0.62)], "Bo (2)": [("cost", 0.1)]}


def test_merge_puts_the_work_with_the_student_here_and_later_files_follow(cli, laptop: Path, coach_dir: Path,
                                                                          tmp_path: Path) -> None:  # noqa: ANN001
    out = _export(cli, laptop, tmp_path / "r.steelresults")
    _add_profiles(coach_dir, "ann", "Bo")
    merged = cli("results", "import", str(out), "--on-conflict", "merge", *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert (merged.returncode, merged.stderr) == (0, "")
    assert merged.stdout == "3 new attempts from 2 students; 1 dispute\n"
    assert _students(coach_dir) == {"ann": [("cost", 0.3), ("expression", 0.62)], "Bo": [("cost", 0.1)]}

    service = _open(laptop)
    try:
        _attempt(service, service.profiles.by_name("Ann").id, "cost", 0.9, 60, cost_cheaper="covered")  # type: ignore[union-attr]
    finally:
        service.close()
    later = _export(cli, laptop, tmp_path / "r2.steelresults")
    # Ann is known now (by her uuid): no flag needed
    again = cli("results", "import", str(later), *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert (again.returncode, again.stdout, again.stderr) == (0, "1 new attempt from 1 student; 3 already imported\n", "")
    assert _students(coach_dir)["ann"] == [("cost", 0.3), ("cost", 0.9), ("expression", 0.62)]


def test_a_student_is_never_merged_into_a_coach(cli, coach_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    laptop = tmp_path / "laptop2"
    _add_profiles(laptop, "Coach Lee")  # a student who took the coach's name
    out = _export(cli, laptop, tmp_path / "r.steelresults")
    message = ("steelman: r.steelresults was not imported: 'Coach Lee' is the name of a coach here, "
               "whom a student cannot be merged into: add --on-conflict separate\n")
    for flags in ((), ("--on-conflict", "merge")):
        refused = cli("results", "import", str(out), *flags, *COACH, data_dir=coach_dir, stdin=COACH_PIN)
        assert (refused.returncode, refused.stderr) == (1, message)
    separate = cli("results", "import", str(out), "--on-conflict", "separate", *COACH, data_dir=coach_dir, stdin=COACH_PIN)
    assert (separate.returncode, separate.stdout) == (0, "0 new attempts from 0 students; new student: Coach Lee (2)\n")


def test_only_a_coach_imports(cli, laptop: Path, coach_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    out = _export(cli, laptop, tmp_path / "r.steelresults")
    _add_profiles(coach_dir, "Ann")
    no_flag = cli("results", "import", str(out), data_dir=coach_dir)
    assert (no_flag.returncode, no_flag.stdout, no_flag.stderr) == (1, "", "steelman: only a coach may import results: add --coach NAME\n")
    student = cli("results", "import", str(out), "--coach", "Ann", "--pin-stdin", data_dir=coach_dir, stdin="1\n")
    assert (student.returncode, student.stderr) == (1, "steelman: no coach profile named 'Ann'\n")
    wrong = cli("results", "import", str(out), *COACH, data_dir=coach_dir, stdin="1111\n")
    assert wrong.returncode == 1 and "PIN" in wrong.stderr and wrong.stderr.count("\n") == 1 and wrong.stdout == ""
    assert _students(coach_dir) == {"Ann": []}


def test_a_real_process_exits_1_with_one_line_when_every_file_is_refused(laptop: Path, coach_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.steelresults"
    bad.write_text("just some notes", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    run = subprocess.run(
        [sys.executable, "-m", "trainer", "results", "import", str(bad), *COACH, "--data-dir", str(coach_dir)],
        env=env, input=COACH_PIN, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )
    assert run.returncode == 1
    assert run.stderr == "steelman: notes.steelresults was not imported: not a results file, or it is damaged or cut short (not a readable zip)\n"
    assert run.stdout.startswith("0 new attempts from 0 students; 1 file refused: not a results file")
