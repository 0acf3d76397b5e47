"""The whole practice flow, driven as a user would: mouse, then keyboard only."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from trainer.core.service import Service
from trainer.ui import dialogs

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, TINY_PACK_ID, click, click_item_with_id, focused, list_texts, press


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append((title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "show_about", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    return errors


def start_tiny_session(qtbot, win) -> None:  # noqa: ANN001
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    assert win.stack.currentWidget() is win.session_page


def test_full_flow_with_the_mouse(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    start_tiny_session(qtbot, win)
    practice = win.findChild(QWidget, "practiceView")
    claim_text = practice.findChild(QWidget, "claimText")
    assert "Uniforms stop children" in claim_text.text()
    assert "Claim 1 of 2" in win.findChild(QWidget, "claimPosition").text()
    assert win.findChild(QWidget, "perspectiveSelector").currentText() == "My own view"

    editor = win.findChild(QWidget, "responseEditor")
    qtbot.keyClicks(editor, GOOD_TINY_RESPONSE)
    assert win.findChild(QWidget, "wordCount").text() == f"{len(GOOD_TINY_RESPONSE.split())} words"

    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        click(qtbot, win.findChild(QWidget, "submitButton"))
    attempt = submitted.args[0]

    feedback = win.session_page.feedback_view
    assert win.session_page.stack.currentWidget() is feedback
    assert feedback.objectName() == "feedbackView"
    assert feedback.findChild(QWidget, "overallScore").text().endswith("%")
    cards = feedback.key_point_list.cards()
    assert any(c.status == "covered" and c.accessibleName().startswith("Covered: ") for c in cards), [c.text() for c in cards]
    assert any(c.status == "missed" for c in cards), [c.text() for c in cards]
    assert feedback.rubric_list.count() > 0
    # the user's matching sentence is highlighted in their own text
    assert "background-color" in feedback.response_view.toHtml()
    # the model rebuttals come from the render thread (usually already cached)
    qtbot.waitUntil(lambda: not feedback.rebuttal_view.pending, timeout=10_000)
    assert "Self-expression does not live in a shirt" in feedback.rebuttal_view.toPlainText()

    # dispute the missed key point: click its card
    missed = next(c for c in cards if c.status == "missed")
    click(qtbot, missed.statement_label)
    assert feedback.current_card() is missed
    missed_id = feedback.current_key_point_id()
    qtbot.keyClicks(feedback.dispute_comment, "I said uniforms stop teasing")
    with qtbot.waitSignal(feedback.dispute_filed, timeout=HANG_MS):
        click(qtbot, feedback.dispute_made_button)
    disputes = app_service.store.list_disputes(attempt_id=attempt.id)
    assert [(d.key_point_id, d.kind, d.comment) for d in disputes] == [(missed_id, "did-make-point", "I said uniforms stop teasing")]
    assert "Disputed" in feedback.current_card().text()

    # next claim
    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        click(qtbot, feedback.next_claim_button)
    assert "cost" in claim_text.text().lower() or "Claim 2 of 2" in win.findChild(QWidget, "claimPosition").text()
    sidebar_texts = list_texts(win.findChild(QWidget, "claimList"))
    assert "best" in sidebar_texts[0] and "not tried" in sidebar_texts[1]

    # the history shows the attempt, and opens it read-only with its feedback
    win.history_action.trigger()
    assert win.stack.currentWidget() is win.history_view
    history_list = win.findChild(QWidget, "historyList")
    items = win.history_view.attempt_items()
    assert len(items) == 1 and items[0].text(1) == "My own view" and items[0].text(2).endswith("%")
    history_list.setCurrentItem(items[0])
    shown = win.history_view.feedback_view
    assert shown.attempt is not None and shown.attempt.id == attempt.id
    assert not shown.try_again_button.isVisibleTo(win)
    assert win.history_view.response_text.isReadOnly()
    assert win.history_view.response_text.toPlainText() == GOOD_TINY_RESPONSE
    assert "1 claims tried" in win.history_view.stats_text()


def test_keyboard_only_flow(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    win.start_page.profile_list.setFocus()
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File ▸ New Profile (ask_text patched)
    assert [p.name for p in app_service.store.list_profiles()] == ["Ada"]
    assert focused() is win.start_page.profile_list
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is win.pack_list
    for _ in range(win.pack_list.count()):
        if win.start_page.selected_pack_id() == TINY_PACK_ID:
            break
        press(qtbot, Qt.Key.Key_Down)
    assert win.start_page.selected_pack_id() == TINY_PACK_ID
    press(qtbot, Qt.Key.Key_Return)
    assert win.stack.currentWidget() is win.session_page

    editor = win.findChild(QWidget, "responseEditor")
    assert focused() is editor
    qtbot.keyClicks(focused(), GOOD_TINY_RESPONSE)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "\n" not in submitted.args[0].text

    feedback = win.session_page.feedback_view
    cards = feedback.key_point_list.cards()
    assert focused() is cards[0] is feedback.current_card()  # the key point cards have the focus
    missed_row = next(i for i, c in enumerate(cards) if c.status == "missed")
    for _ in range(missed_row):
        press(qtbot, Qt.Key.Key_Down)
    assert focused() is cards[missed_row] is feedback.current_card()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is feedback.dispute_made_button
    with qtbot.waitSignal(feedback.dispute_filed, timeout=HANG_MS):
        press(qtbot, Qt.Key.Key_Space)
    assert len(app_service.store.list_disputes(attempt_id=submitted.args[0].id)) == 1

    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert "Claim 2 of 2" in win.findChild(QWidget, "claimPosition").text()
    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert "Claim 1 of 2" in win.findChild(QWidget, "claimPosition").text()

    press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.history_view
    assert focused() is win.findChild(QWidget, "historyList")
    for _ in range(6):
        if win.history_view.feedback_view.attempt is not None:
            break
        press(qtbot, Qt.Key.Key_Down)
    assert win.history_view.feedback_view.attempt.id == submitted.args[0].id


def test_scoring_runs_off_the_gui_thread(qtbot, make_window, app_service: Service, shared_matcher) -> None:  # noqa: ANN001
    release = threading.Event()
    threads: list[str] = []

    class SlowMatcher:
        def score(self, **kwargs):  # noqa: ANN003, ANN202
            threads.append(threading.current_thread().name)
            release.wait(10)
            return shared_matcher.score(**kwargs)

    app_service.scoring.use(SlowMatcher())  # a test double for the loaded matcher
    win = make_window()
    start_tiny_session(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    click(qtbot, win.findChild(QWidget, "submitButton"))
    qtbot.waitUntil(lambda: threads != [], timeout=HANG_MS)
    # the GUI still runs: the busy indicator shows and the buttons are disabled
    assert win.findChild(QWidget, "scoringProgress").isVisible()
    assert not win.findChild(QWidget, "submitButton").isEnabled()
    assert not win.submit_action.isEnabled()
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS):
        release.set()
    assert threads[0].startswith("steelman-worker")
    assert not win.findChild(QWidget, "scoringProgress").isVisible()


def test_a_scoring_error_keeps_the_text(qtbot, make_window, app_service: Service, _no_real_modals) -> None:  # noqa: ANN001
    class BrokenMatcher:
        def score(self, **kwargs):  # noqa: ANN003, ANN202
            raise RuntimeError("matcher exploded")

    app_service.scoring.use(BrokenMatcher())
    win = make_window()
    start_tiny_session(qtbot, win)
    editor = win.findChild(QWidget, "responseEditor")
    qtbot.keyClicks(editor, GOOD_TINY_RESPONSE)
    with qtbot.waitSignal(win.session_page.submission_failed, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    assert _no_real_modals and "could not be scored" in _no_real_modals[0][0]
    assert editor.toPlainText() == GOOD_TINY_RESPONSE
    assert not editor.isReadOnly()
    assert app_service.store.list_attempts() == []


def test_end_of_pack_summary_and_weakest_claims(qtbot, make_window, app_service: Service, clock) -> None:  # noqa: ANN001
    win = make_window()
    start_tiny_session(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    clock.advance(90)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    click(qtbot, win.session_page.feedback_view.next_claim_button)
    skip = win.findChild(QWidget, "skipButton")
    click(qtbot, skip)  # the last claim: skipping it ends the pack
    assert win.stack.currentWidget() is win.summary_view
    text = win.summary_view.plain_text()
    assert "1 of 2 claims tried" in text
    assert "average score" in text and "1 min 30 s" in text
    assert "missed" in text  # the bullying key point
    assert win.summary_view.not_tried == ["cost"] and "cost" not in win.summary_view.weakest  # skipped: not tried, never "weakest"
    click(qtbot, win.summary_view.not_tried_button)
    assert win.stack.currentWidget() is win.session_page
    assert win.session_page.session.claim_ids == ["cost"]
    assert "Claim 1 of 1" in win.findChild(QWidget, "claimPosition").text()


def test_try_again_starts_a_new_attempt(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    start_tiny_session(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    click(qtbot, win.session_page.feedback_view.try_again_button)
    editor = win.findChild(QWidget, "responseEditor")
    assert win.session_page.stack.currentWidget() is win.session_page.practice_view
    assert editor.toPlainText() == GOOD_TINY_RESPONSE
    qtbot.keyClicks(editor, " Uniforms also reduce bullying at school.")
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    assert len(app_service.store.list_attempts(claim_id="expression")) == 2


def test_perspective_selector_shows_the_description(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    start_tiny_session(qtbot, win)
    selector = win.findChild(QWidget, "perspectiveSelector")
    assert selector.count() == 3
    selector.setCurrentIndex(1)
    assert "budget" in selector.currentText()
    assert "uniforms cost" in win.findChild(QWidget, "perspectiveNote").text()
    assert "uniforms cost" in selector.toolTip()
    assert win.session_page.session.perspective_id == "parent"


def test_each_claim_is_prepared_for_scoring_on_the_worker_while_it_is_read(qtbot, make_window, app_service: Service, shared_matcher) -> None:  # noqa: ANN001
    prepared: list[tuple[str, str]] = []

    class RecordingMatcher:
        def prepare(self, **kwargs):  # noqa: ANN003, ANN202
            prepared.append((threading.current_thread().name, kwargs["claim"]))

        def score(self, **kwargs):  # noqa: ANN003, ANN202
            return shared_matcher.score(**kwargs)

    app_service.scoring.use(RecordingMatcher())
    win = make_window()
    with qtbot.waitSignal(win.matcher_loaded, timeout=HANG_MS):
        win.start_background_loading()
    start_tiny_session(qtbot, win)
    qtbot.waitUntil(lambda: len(prepared) == 1, timeout=HANG_MS)
    assert prepared[0][0].startswith("steelman-worker")
    assert prepared[0][1] == win.current_session.current.quote
    click(qtbot, win.findChild(QWidget, "nextButton"))
    qtbot.waitUntil(lambda: len(prepared) == 2, timeout=HANG_MS)
    assert prepared[1][1] == win.current_session.current.quote != prepared[0][1]
