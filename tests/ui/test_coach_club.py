"""The coach's windows (issue 15, parts 3 and 4), driven as a user would:
a dispute filed by a student, accepted by the coach in the dispute queue and
shown to the student with the new score; the class overview's grid, tabs,
filters and refresh; and both windows closing when the coach is locked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from trainer.core.service import Service
from trainer.ui.class_overview import score_colour

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, TINY_PACK_ID, answer_pin_dialogs, click, click_item_with_id


@pytest.fixture
def coach(app_service: Service) -> int:
    profile = app_service.profiles.add_coach("Coach Lee", pin="2468")
    app_service.profiles.lock(profile_id=profile.id)
    return profile.id


def unlock_coach(qtbot, win, monkeypatch) -> None:  # noqa: ANN001
    answer_pin_dialogs(qtbot, monkeypatch, ["2468"])
    win.unlock_coach_action.trigger()
    assert win.coach_menu.menuAction().isVisible()


def test_a_dispute_is_filed_accepted_by_the_coach_and_shown_to_the_student_with_the_new_score(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    win = make_window()
    # the student: a response to the tiny pack's first claim, and a dispute on a missed point
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        click(qtbot, win.findChild(QWidget, "submitButton"))
    attempt = submitted.args[0]
    feedback = win.session_page.feedback_view
    feedback.key_point_list.set_current(next(c for c in feedback.key_point_list.cards() if c.status == "missed"))
    missed_id = feedback.current_key_point_id()
    qtbot.keyClicks(feedback.dispute_comment, "My second sentence says bullying moves to other things")
    with qtbot.waitSignal(feedback.dispute_filed, timeout=HANG_MS):
        click(qtbot, feedback.dispute_made_button)
    assert "waiting for your coach" in feedback.current_card().text()
    win.switch_student_action.trigger()

    # the coach: Coach ▸ Disputes…, the case as filed, Accept with a note
    unlock_coach(qtbot, win, monkeypatch)
    qtbot.waitUntil(lambda: win.disputes_action.text() == "&Disputes (1 open)…", timeout=HANG_MS)
    win.disputes_action.trigger()
    queue = win.dispute_window
    qtbot.waitUntil(lambda: queue.list.count() == 1 and queue.accept_button.isEnabled(), timeout=HANG_MS)
    assert "Ada" in queue.list.item(0).text()
    assert queue.comment.text() == "My second sentence says bullying moves to other things"
    assert queue.matcher_said.text().startswith("not made") and queue.verdict_combo.currentData() == "covered"
    assert GOOD_TINY_RESPONSE in queue.response.toPlainText()
    qtbot.keyClicks(queue.note, "Yes: 'what they say in class' is the point.")
    with qtbot.waitSignal(queue.resolved, timeout=HANG_MS) as resolved:
        click(qtbot, queue.accept_button)
    case = resolved.args[0]
    assert case.dispute.status == "accepted" and case.attempt.score > attempt.score
    qtbot.waitUntil(lambda: "No open dispute" in queue.status.text(), timeout=HANG_MS)
    assert "→" in queue.status.text() and not queue.accept_button.isEnabled()
    qtbot.waitUntil(lambda: win.disputes_action.text() == "&Disputes…", timeout=HANG_MS)

    # the student again: their history shows the coach's answer and the new score
    win.switch_student_action.trigger()
    assert not queue.isVisible()  # the coach's windows close with the coach's unlock
    win.history_action.trigger()
    items = win.history_view.attempt_items()
    new_score = f"{round(100 * case.attempt.score)}%"
    assert [i.text(2) for i in items] == [f"{new_score} ✎"]
    assert f"the matcher gave {round(100 * attempt.score)}%" in items[0].toolTip(2)
    win.history_view.history_list.setCurrentItem(items[0])
    shown = win.history_view.feedback_view
    assert shown.findChild(QWidget, "overallScore").text() == new_score
    assert f"the matcher gave {round(100 * attempt.score)}%" in shown.summary.text()
    card = shown.key_point_list.card(missed_id)
    text = card.text()
    assert card.status == "covered" and "accepted by Coach Lee: counted as made" in text and "what they say in class" in text
    # the original verdict and score are kept in the attempt's history
    stored = app_service.results.get_attempt(attempt_id=attempt.id)
    assert stored is not None and [s.score for s in stored.superseded_scores] == [attempt.score]
    assert dialog_log["errors"] == []


def test_a_rejected_dispute_keeps_the_score_and_says_why(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    ann = app_service.profiles.add("Ann")
    attempt = app_service.store.record_attempt(
        profile_id=ann.id, pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None,
        text="Uniforms cost money.", started_at=app_service.clock() - timedelta(minutes=1), score=0.2,
        breakdown={"matcher_version": "m", "score": 0.2, "key_points": [{"key_point_id": "cost-cheaper", "probability": 0.1, "verdict": "missed", "spans": []}], "rubric": []},
        matcher_version="m",
    )
    app_service.results.add_dispute(attempt_id=attempt.id, key_point_id="cost-cheaper", kind="did-make-point", comment="I did")
    win = make_window()
    unlock_coach(qtbot, win, monkeypatch)
    win.disputes_action.trigger()
    queue = win.dispute_window
    qtbot.waitUntil(lambda: queue.reject_button.isEnabled(), timeout=HANG_MS)
    qtbot.keyClicks(queue.note, "Say why cheaper matters.")
    with qtbot.waitSignal(queue.resolved, timeout=HANG_MS):
        click(qtbot, queue.reject_button)
    qtbot.waitUntil(lambda: queue.list.count() == 0, timeout=HANG_MS)
    assert queue.empty.isVisible()
    # resolved disputes are one choice away, with their outcome
    with qtbot.waitSignal(queue.loaded, timeout=HANG_MS):
        queue.show_combo.setCurrentIndex(queue.show_combo.findData("rejected"))
    assert queue.list.count() == 1 and not queue.accept_button.isEnabled()
    assert queue.outcome.text() == "This dispute was rejected by Coach Lee: the verdict stands. Note: Say why cheaper matters."
    assert app_service.results.get_attempt(attempt_id=attempt.id).score == 0.2  # type: ignore[union-attr]


def _seed(app_service: Service) -> dict[str, int]:
    """Three students on the tiny pack: Ann (two tries at claim 1, one at 2), Bo (one), Cy (none)."""
    ids = {n: app_service.profiles.add(n).id for n in ("Ann", "Bo", "Cy")}
    now = app_service.clock()

    def attempt(name: str, claim: str, score: float, days_ago: float, **verdicts: str) -> None:
        app_service.store.record_attempt(
            profile_id=ids[name], pack_id=TINY_PACK_ID, pack_version="1", claim_id=claim, perspective_id=None,
            text=f"{name}'s answer about {claim}.", started_at=now - timedelta(days=days_ago, minutes=3),
            submitted_at=now - timedelta(days=days_ago), score=score, matcher_version="m",
            breakdown={"score": score, "key_points": [{"key_point_id": k.replace("_", "-"), "probability": 0.5, "verdict": v, "spans": []} for k, v in verdicts.items()]},
        )

    attempt("Ann", "expression", 0.35, 20, expression_bullying="missed")
    attempt("Ann", "expression", 0.75, 2, expression_bullying="covered")
    attempt("Ann", "cost", 0.5, 1, cost_cheaper="missed")
    attempt("Bo", "expression", 0.2, 1, expression_bullying="missed")
    return ids


def test_the_class_overview_shows_the_grid_students_and_most_missed_and_refreshes(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log  # noqa: ANN001
) -> None:
    ids = _seed(app_service)
    win = make_window()
    unlock_coach(qtbot, win, monkeypatch)
    win.class_overview_action.trigger()
    view = win.overview_window
    qtbot.waitUntil(lambda: view.overview is not None and not view.loading, timeout=HANG_MS)
    assert "4 attempts from 2 of 3 students" in view.status.text()
    grid = view.grid
    # all packs: only the claims someone tried
    assert grid.rowCount() == 3 and grid.columnCount() == 2
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        view.pack_combo.setCurrentIndex(view.pack_combo.findData(TINY_PACK_ID))
    assert [grid.verticalHeaderItem(i).text() for i in range(3)] == ["Ann", "Bo", "Cy"]
    assert [grid.horizontalHeaderItem(j).text() for j in range(grid.columnCount())] == ["1", "2"]
    ann_1 = grid.item(0, 0)
    assert ann_1.text() == "75%" and ann_1.background().color() == score_colour(0.75)
    assert "2 attempts" in ann_1.toolTip() and "their own view" in ann_1.toolTip()
    assert grid.item(1, 0).background().color() == score_colour(0.2) and grid.item(2, 0).text() == "·"
    assert "Cy has not tried claim 1" in grid.item(2, 0).toolTip()

    students = view.students
    assert [students.item(i, 0).text() for i in range(3)] == ["Ann", "Bo", "Cy"]
    assert students.item(0, 1).text() == "3" and students.item(0, 5).text().endswith("points")
    assert students.item(0, 6).text() == "9 min 00 s" and students.item(2, 7).text() == "never"
    students.setCurrentCell(0, 0)
    assert view.week_chart.accessibleDescription().startswith("2 ")  # Ann's two weeks

    missed = view.missed
    assert missed.item(0, 1).text() == "School uniform reduces bullying"  # missed by Bo; Ann made it later
    assert missed.item(0, 2).text() == "1 of 2 students" and missed.item(0, 3).text() == "2 of 3 attempts"
    assert missed.item(0, 4).text() == "Bo: “Bo's answer about expression.”"

    # the date range: only the last week
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        view.from_date.setDate(QDate(app_service.clock().date()).addDays(-7))
        view.from_check.setChecked(True)
    qtbot.waitUntil(lambda: not view.loading, timeout=HANG_MS)
    assert "3 attempts" in view.status.text() and grid.item(0, 0).text() == "75%"

    # live: another laptop saves an attempt; Refresh (F5) shows it
    app_service.store.record_attempt(
        profile_id=ids["Cy"], pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None, text="Cy.",
        started_at=app_service.clock() - timedelta(minutes=1), score=0.9, breakdown={}, matcher_version="m",
    )
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        click(qtbot, view.refresh_button)
    assert grid.item(2, 1).text() == "90%"

    # closed and opened again (Coach ▸ Class Overview…): read afresh, refreshing again
    view.close()
    assert not view.timer.isActive()
    app_service.store.record_attempt(
        profile_id=ids["Cy"], pack_id=TINY_PACK_ID, pack_version="1", claim_id="cost", perspective_id=None, text="Cy again.",
        started_at=app_service.clock() - timedelta(minutes=1), score=0.95, breakdown={}, matcher_version="m",
    )
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        win.class_overview_action.trigger()
    assert win.overview_window is view and view.timer.isActive() and grid.item(2, 1).text() == "95%"

    win.switch_student_action.trigger()
    assert not view.isVisible() and win.overview_window is None
    assert dialog_log["errors"] == []


def test_the_coach_windows_need_an_unlocked_coach(qtbot, make_window, app_service: Service, coach: int, dialog_log) -> None:  # noqa: ANN001
    win = make_window()
    win.class_overview_action.trigger()
    win.disputes_action.trigger()
    assert win.overview_window is None and win.dispute_window is None
    assert [title for title, _ in dialog_log["infos"]] == ["Class Overview", "Disputes"]
