"""Results files from the window (issue 16): File ▸ Export Results for Coach…
on a student's laptop, Coach ▸ Import Results… on the coach's, with the
name-conflict question, the progress dialog and Cancel between files."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from trainer.core.paths import Locations
from trainer.core.service import Service
from trainer.ui import dialogs, results_actions

from .helpers import HANG_MS, TINY_PACK_ID, answer_pin_dialogs, click


def laptop_file(tmp_path: Path, name: str, student: str = "Ann", attempts: int = 2) -> Path:
    """A results file made on another laptop (its own database)."""
    laptop = Service.open(Locations(data_dir=tmp_path / name, database_url=f"sqlite:///{tmp_path / name / 'db.sqlite3'}"))
    try:
        profile = laptop.profiles.add(student)
        for n in range(attempts):
            laptop.store.record_attempt(
                profile_id=profile.id, pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None,
                text=f"answer {n}", started_at=laptop.clock() - timedelta(minutes=5), score=0.4,
                breakdown={"key_points": [{"key_point_id": "cost-cheaper", "verdict": "missed"}]}, matcher_version="m",
            )
        out = tmp_path / f"{name}.steelresults"
        laptop.transfer.export_results(out)
        return out
    finally:
        laptop.close()


def test_a_student_exports_results_for_the_coach(qtbot, make_window, app_service: Service, tmp_path: Path,  # noqa: ANN001
                                                 monkeypatch: pytest.MonkeyPatch, dialog_log) -> None:
    ann = app_service.profiles.add("Ann")
    app_service.store.record_attempt(
        profile_id=ann.id, pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None, text="x",
        started_at=app_service.clock() - timedelta(minutes=1), score=0.5, breakdown={}, matcher_version="m",
    )
    win = make_window()
    target = tmp_path / "usb" / "ann"
    target.parent.mkdir()
    suggested: list[str] = []
    monkeypatch.setattr(results_actions, "choose_results_target", lambda parent, name: suggested.append(name) or str(target) + ".steelresults")
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[-1])  # every student
    with qtbot.waitSignal(win.results_actions.exported, timeout=HANG_MS) as done:
        win.export_results_action.trigger()
    assert (done.args[0].attempts, done.args[0].students) == (1, 1)
    assert suggested[0].startswith("all-students-") and suggested[0].endswith(".steelresults")
    from trainer.core.results_file import read_results_file

    assert read_results_file(Path(str(target) + ".steelresults")).profiles[0]["name"] == "Ann"
    assert dialog_log["infos"][-1][0] == "Results exported" and "Coach ▸ Import Results" in dialog_log["infos"][-1][1]


def test_a_coach_imports_files_answers_a_name_conflict_and_reads_the_report(
    qtbot, make_window, app_service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    good = laptop_file(tmp_path, "laptop-3")
    garbage = tmp_path / "holiday.steelresults"
    garbage.write_bytes(b"not a zip at all")
    app_service.profiles.add("ann")  # the same student, already on the coach's laptop
    coach = app_service.profiles.add_coach("Coach Lee", pin="2468")
    app_service.profiles.lock(profile_id=coach.id)
    win = make_window()
    answer_pin_dialogs(qtbot, monkeypatch, ["2468"])
    win.unlock_coach_action.trigger()
    monkeypatch.setattr(results_actions, "choose_results_files", lambda parent: [str(good), str(garbage)])
    asked: list[str] = []
    monkeypatch.setattr(results_actions, "ask_conflict", lambda parent, conflict, name: asked.append(f"{conflict.name}/{conflict.existing_name}/{name}") or "merge")
    with qtbot.waitSignal(win.results_actions.imported, timeout=HANG_MS) as done:
        win.import_results_action.trigger()
    report = done.args[0]
    assert asked == ["Ann/ann/laptop-3.steelresults"]
    assert report.summary() == "2 new attempts from 1 student; 1 file refused: not a results file, or it is damaged or cut short (not a readable zip)"
    title, text = dialog_log["infos"][-1]
    assert title == "Results imported" and "holiday.steelresults: not a results file" in text
    assert win.results_actions.dialog is None  # the progress dialog is gone
    assert {a.profile_name for a in app_service.results.list_attempts()} == {"ann"}


def test_cancel_stops_between_files_and_each_file_is_whole(
    qtbot, make_window, app_service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    from trainer.core.storage import transfer

    first, second = laptop_file(tmp_path, "one", "Ann", 3), laptop_file(tmp_path, "two", "Bo", 2)
    app_service.profiles.add_coach("Coach Lee", pin="2468")  # unlocked
    win = make_window()
    monkeypatch.setattr(results_actions, "choose_results_files", lambda parent: [str(first), str(second)])
    merging, go_on = threading.Event(), threading.Event()
    real_merge = transfer.TransferStore.merge

    def slow_merge(self, results, decisions):  # noqa: ANN001, ANN202 - the first file waits for the Cancel click
        merging.set()
        go_on.wait(HANG_MS / 1000)
        return real_merge(self, results, decisions)

    monkeypatch.setattr(transfer.TransferStore, "merge", slow_merge)
    with qtbot.waitSignal(win.results_actions.imported, timeout=HANG_MS) as done:
        win.import_results_action.trigger()
        qtbot.waitUntil(merging.is_set, timeout=HANG_MS)
        dialog = win.results_actions.dialog
        assert dialog is not None and dialog.isVisible()
        # the worker's "now importing" signal is queued: the GUI shows it on its next turn of the event loop
        qtbot.waitUntil(lambda: dialog.labelText() == "Importing one.steelresults (1 of 2)…", timeout=HANG_MS)
        click(qtbot, dialog.findChild(QPushButton))  # its Cancel button
        go_on.set()
    report = done.args[0]
    assert (report.imported_files, report.new_attempts) == (["one.steelresults"], 3)
    assert "Cancelled" in dialog_log["infos"][-1][1]
    assert {a.profile_name for a in app_service.results.list_attempts()} == {"Ann"}


def test_cancelling_the_export_for_the_coach_writes_no_file(
    qtbot, make_window, app_service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    from trainer.core import results_file

    ann = app_service.profiles.add("Ann")
    app_service.store.record_attempt(
        profile_id=ann.id, pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None, text="x",
        started_at=app_service.clock() - timedelta(minutes=1), score=0.5, breakdown={}, matcher_version="m",
    )
    win = make_window()
    target = tmp_path / "usb" / "all.steelresults"
    target.parent.mkdir()
    monkeypatch.setattr(results_actions, "choose_results_target", lambda parent, name: str(target))
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[-1])  # every student
    building, go_on = threading.Event(), threading.Event()
    real = results_file._attempt_json

    def slow_attempt(a):  # noqa: ANN001, ANN202 - the first attempt waits for the Cancel click
        building.set()
        go_on.wait(HANG_MS / 1000)
        return real(a)

    monkeypatch.setattr(results_file, "_attempt_json", slow_attempt)
    win.export_results_action.trigger()
    qtbot.waitUntil(building.is_set, timeout=HANG_MS)
    dialog = win.results_actions.dialog
    assert dialog is not None and dialog.isVisible()
    click(qtbot, dialog.findChild(QPushButton))  # Cancel
    go_on.set()
    qtbot.waitUntil(lambda: win.results_actions.dialog is None, timeout=HANG_MS)
    qtbot.waitUntil(lambda: "cancelled" in win.statusBar().currentMessage(), timeout=HANG_MS)
    assert list(target.parent.iterdir()) == []  # no file, no temporary file
    assert dialog_log["errors"] == [] and dialog_log["infos"] == []
