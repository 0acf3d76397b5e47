"""Assignments from the window (issue 16, part 2): a coach sets one in the
dialog and saves the file; on an offline laptop a student opens it, sees it
on the start page and marked in the claim list; the overview shows progress."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from trainer.core.paths import Locations
from trainer.core.service import Service
from trainer.ui import assignment_actions, dialogs

from .helpers import HANG_MS, TINY_PACK_ID, click, click_item_with_id, list_texts


def test_a_coach_sets_an_assignment_and_saves_the_file(qtbot, make_window, app_service: Service, tmp_path: Path,  # noqa: ANN001
                                                      monkeypatch: pytest.MonkeyPatch, dialog_log) -> None:
    ann = app_service.profiles.add("Ann")
    app_service.profiles.add("Bo")
    app_service.profiles.add_coach("Coach Lee", pin="2468")  # unlocked
    win = make_window()

    def fill(dialog: assignment_actions.AssignmentDialog) -> bool:
        dialog.show()
        dialog.pack_combo.setCurrentIndex(dialog.pack_combo.findData(TINY_PACK_ID))
        dialog.claims.item(0).setCheckState(Qt.CheckState.Unchecked)  # only claim 2
        assert dialog.problem.text() == ""
        dialog.chosen.setChecked(True)
        assert not dialog.set_button.isEnabled() and dialog.problem.text() == "Choose at least one student, or the whole club."
        row = next(i for i in range(dialog.students.count()) if dialog.students.item(i).text() == "Ann")
        dialog.students.item(row).setCheckState(Qt.CheckState.Checked)
        dialog.due.setDate(QDate(2025, 3, 7))
        qtbot.keyClicks(dialog.title_edit, "Costs before Friday")
        click(qtbot, dialog.file_button)
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(assignment_actions, "run_dialog", fill)
    out = tmp_path / "costs.steelassign"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: str(out))
    with qtbot.waitSignal(win.assignment_actions.assignment_set, timeout=HANG_MS) as done:
        win.new_assignment_action.trigger()
    assignment = done.args[0]
    assert (assignment.claim_ids, assignment.students, assignment.due_on, assignment.title) == (
        ("cost",), ((ann.uuid, "Ann"),), date(2025, 3, 7), "Costs before Friday")
    assert out.exists() and "File ▸ Open Assignment" in dialog_log["infos"][-1][1]

    # the overview's Assignments tab: Ann 0 of 1, Bo not assigned
    win.class_overview_action.trigger()
    view = win.overview_window
    qtbot.waitUntil(lambda: view.overview is not None and not view.loading, timeout=HANG_MS)
    table = view.assignment_table
    assert table.horizontalHeaderItem(0).text() == "Costs before Friday\ndue Fri 7 Mar"
    cells = {table.verticalHeaderItem(i).text(): table.item(i, 0).text() for i in range(table.rowCount())}
    assert cells == {"Ann": "0 of 1", "Bo": "—"}


def test_a_student_opens_an_assignment_file_and_sees_the_assigned_claims(
    qtbot, make_window, app_service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    # the coach's laptop makes the file
    coach_side = Service.open(Locations(data_dir=tmp_path / "coach", database_url=f"sqlite:///{tmp_path / 'coach' / 'db.sqlite3'}"),
                              pack_folders=app_service._pack_folders, clock=app_service.clock)
    try:
        coach_side.profiles.add_coach("Coach Lee", pin="2468")
        a = coach_side.assignments.create(pack_id=TINY_PACK_ID, due_on=date(2025, 3, 7), claim_ids=["cost"])
        file = coach_side.assignments.export_file(a.id, tmp_path / "costs.steelassign")
    finally:
        coach_side.close()
    # the student's offline laptop
    app_service.profiles.add("Ada")
    win = make_window()
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: str(file))
    with qtbot.waitSignal(win.assignment_actions.assignment_opened, timeout=HANG_MS):
        win.open_assignment_action.trigger()
    assert dialog_log["infos"][-1] == ("Assignment opened", "Assigned by your coach: 1 claim, due Fri 7 Mar (1 claim of School uniforms (test pack)).")
    notice = win.start_page.assignment_notice
    assert notice.isVisible() and notice.text() == "📌 Assigned by your coach: 1 claim, due Fri 7 Mar."
    # opening it again changes nothing
    win.open_assignment_action.trigger()
    assert "already here; nothing changed" in dialog_log["infos"][-1][1]

    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    sidebar = win.session_page.sidebar
    texts = list_texts(sidebar.claim_list)
    assert "📌 assigned" not in texts[0] and texts[1].endswith("not tried · 📌 assigned")
    assert sidebar.assignment.text() == "📌 1 claim of School uniforms (test pack): 0 of 1 done, due Fri 7 Mar"
    # doing the claim ticks it off
    session = win.current_session
    app_service.store.record_attempt(
        profile_id=session.profile_id, pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None,
        text="x", started_at=app_service.clock() - timedelta(minutes=1), submitted_at=app_service.clock() + timedelta(minutes=1),
        score=0.5, breakdown={}, matcher_version="m",
    )
    win.session_page.refresh_sidebar()
    assert list_texts(sidebar.claim_list)[1].endswith("📌 assigned, done")
    assert sidebar.assignment.text().startswith("📌 1 claim of School uniforms (test pack): 1 of 1 done")
