"""Spaced review in the window (issue 17): the start page counts the claims due,
"Review due claims" starts a session over exactly those, and the claim list marks them.

The attempts are made weeks ago through the service's injected clock (``clock``),
then the clock is moved to today; nothing waits on time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from trainer.core.review import Thresholds
from trainer.core.service import Service
from trainer.ui.claim_sidebar import REVIEW_MARK

from .helpers import HANG_MS, KOREA_PACK_ID, TINY_PACK_ID, click, click_item_with_id, list_texts

DUE = ["modest-steps", "near-zero"]  # claims 1 and 3, answered three weeks ago
TODAY = "back-to-2017"  # claim 2, answered today: not due
ANSWER = ("Kim will not give up his weapons, because they guarantee the regime survives; "
          "sanctions relief without verification just funds the next missile test.")


@pytest.fixture
def ann(app_service: Service, clock) -> int:  # noqa: ANN001
    """Ann's attempts: two claims weeks ago, one today (submitted through the service, as the app does)."""
    profile = app_service.profiles.add("Ann")
    today = clock.now
    clock.now = today - timedelta(weeks=3)
    for claim_id in DUE:
        app_service.practice.submit_attempt(profile_id=profile.id, pack_id=KOREA_PACK_ID, claim_id=claim_id, text=ANSWER)
    clock.now = today
    app_service.practice.submit_attempt(profile_id=profile.id, pack_id=KOREA_PACK_ID, claim_id=TODAY, text=ANSWER)
    app_service.practice.save_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="cost", text="a draft is not an answer")
    return profile.id


def pack_item_text(win, pack_id: str) -> str:  # noqa: ANN001
    items = [win.pack_list.item(i) for i in range(win.pack_list.count())]
    return next(i.text() for i in items if i.data(Qt.ItemDataRole.UserRole) == pack_id)


def sidebar_texts(win) -> dict[str, str]:  # noqa: ANN001
    claim_list = win.session_page.sidebar.claim_list
    return {claim_list.item(i).data(Qt.ItemDataRole.UserRole): claim_list.item(i).text() for i in range(claim_list.count())}


def test_a_due_review_session_with_an_injected_clock(qtbot, make_window, app_service: Service, ann: int, dialog_log) -> None:  # noqa: ANN001
    win = make_window()
    start = win.start_page
    qtbot.waitUntil(lambda: start.selected_profile_id() == ann, timeout=HANG_MS)
    click_item_with_id(qtbot, win.pack_list, KOREA_PACK_ID)
    qtbot.waitUntil(lambda: "↻ Review: 2 claims due today" in pack_item_text(win, KOREA_PACK_ID), timeout=HANG_MS)
    assert "Review:" not in pack_item_text(win, TINY_PACK_ID)  # a draft is not review
    button = start.review_button
    assert button.isVisible() and button.isEnabled()
    assert (button.text(), button.accessibleName()) == ("Review &due claims (2)", "Review 2 due claims")

    click(qtbot, button)
    assert win.stack.currentWidget() is win.session_page
    session = win.session_page.session
    assert session is not None and session.pack.id == KOREA_PACK_ID and session.claim_ids == DUE
    qtbot.waitUntil(lambda: all(REVIEW_MARK in text for text in sidebar_texts(win).values()), timeout=HANG_MS)
    assert list(sidebar_texts(win)) == DUE

    # answering the first claim schedules it again: its mark goes, the other's stays
    assert session.current.id == DUE[0]
    qtbot.keyClicks(win.session_page.practice_view.response_editor, ANSWER)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS):
        win.submit_action.trigger()
    qtbot.waitUntil(lambda: REVIEW_MARK not in sidebar_texts(win)[DUE[0]], timeout=HANG_MS)
    assert REVIEW_MARK in sidebar_texts(win)[DUE[1]]
    assert dialog_log["errors"] == []

    # back on the start page, one claim is left; an ordinary session marks it among all the claims
    win.show_start()
    qtbot.waitUntil(lambda: "↻ Review: 1 claim due today" in pack_item_text(win, KOREA_PACK_ID), timeout=HANG_MS)
    assert start.review_button.text() == "Review &due claims (1)"
    click(qtbot, start.start_button)
    qtbot.waitUntil(lambda: len(sidebar_texts(win)) > 3, timeout=HANG_MS)
    marked = [claim_id for claim_id, text in sidebar_texts(win).items() if REVIEW_MARK in text]
    assert marked == [DUE[1]]


def test_nothing_due_hides_the_review_button(qtbot, make_window, app_service: Service, clock) -> None:  # noqa: ANN001
    profile = app_service.profiles.add("Bo")
    app_service.practice.submit_attempt(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="cost", text=ANSWER)
    win = make_window()
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    assert not win.start_page.review_button.isVisible()
    assert all("Review:" not in text for text in list_texts(win.pack_list))
    # a week later the claim is due, and the start page says so when it is shown again
    clock.advance(timedelta(weeks=1).total_seconds())
    win.show_start()
    qtbot.waitUntil(lambda: "↻ Review: 1 claim due today" in pack_item_text(win, TINY_PACK_ID), timeout=HANG_MS)
    click_item_with_id(qtbot, win.pack_list, KOREA_PACK_ID)
    assert not win.start_page.review_button.isVisible()  # the button is for the pack chosen
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    assert win.start_page.review_button.isVisible()


def test_the_review_settings_dialog_checks_restores_and_saves(qtbot, make_window, app_service: Service, monkeypatch) -> None:  # noqa: ANN001
    from trainer.ui import review_settings

    win = make_window()
    seen = {}

    def run(dialog) -> bool:  # noqa: ANN001 - replaces the modal exec()
        qtbot.addWidget(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert dialog.values() == {"again": 15, "hard": 30, "good": 55}
        dialog.spins["hard"].setValue(60)  # above Good: refused until fixed
        seen["problem"] = dialog.problem.text()
        seen["ok while wrong"] = ok.isEnabled()
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults))
        seen["restored"] = dialog.values()
        dialog.spins["again"].setValue(20)
        dialog.spins["good"].setValue(70)
        return ok.isEnabled()

    monkeypatch.setattr(review_settings, "run_dialog", run)
    assert win.review_settings_action in [a for m in win.menuBar().actions() if m.menu() for a in m.menu().actions()]
    win.review_settings_action.trigger()
    assert seen == {
        "problem": "⚠ The thresholds must go up: Again (15%) ≤ Hard (60%) ≤ Good (55%).",
        "ok while wrong": False,
        "restored": {"again": 15, "hard": 30, "good": 55},
    }
    assert app_service.review.thresholds() == Thresholds(again=20, hard=30, good=70)
    assert "Again under 20%" in win.statusBar().currentMessage()


def test_with_a_locked_coach_a_student_is_told_to_ask_the_coach(qtbot, make_window, app_service: Service, monkeypatch, dialog_log) -> None:  # noqa: ANN001
    from trainer.ui import review_settings

    app_service.profiles.add_coach("Coach Lee", pin="2468")
    app_service.profiles.lock_all()
    opened: list[object] = []
    monkeypatch.setattr(review_settings, "run_dialog", lambda dialog: opened.append(dialog) or True)
    win = make_window()
    win.review_settings_action.trigger()
    assert opened == []  # the dialog is not even shown
    ((title, message),) = dialog_log["infos"]
    assert title == "Review settings" and "only a coach may change them" in message and "Unlock as Coach" in message
    assert app_service.review.thresholds().good == 55
