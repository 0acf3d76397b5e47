"""Drafts: saved while typing (debounced), on navigation and on close; restored with the cursor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from trainer.core.service import Service
from trainer.ui import dialogs

from .helpers import HANG_MS, TINY_PACK_ID, click, open_tiny

DRAFT = "Uniforms are cheaper than fashion clothes."


@pytest.fixture(autouse=True)
def _patched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append((title, message)))
    return errors



def test_draft_saved_after_the_last_keystroke_without_leaving_the_claim(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QWidget, "responseEditor")
    with qtbot.waitSignal(win.session_page.draft_saved, timeout=HANG_MS):
        qtbot.keyClicks(editor, DRAFT)
    profile = app_service.store.get_profile(name="Ada")
    draft = app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="expression")
    assert draft is not None and draft.text == DRAFT and draft.cursor_position == len(DRAFT)


def test_draft_restored_after_the_window_is_closed_and_rebuilt(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    # go to the second claim, pick a perspective, type, move the cursor back
    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "nextButton"))
    win.findChild(QWidget, "perspectiveSelector").setCurrentIndex(1)
    editor = win.findChild(QWidget, "responseEditor")
    qtbot.keyClicks(editor, DRAFT)
    for _ in range(8):
        qtbot.keyClick(editor, Qt.Key.Key_Left)
    expected_cursor = len(DRAFT) - 8
    assert win.close()  # saves the draft straight away

    profile = app_service.store.get_profile(name="Ada")
    draft = app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="cost")
    assert draft is not None and draft.text == DRAFT
    assert draft.cursor_position == expected_cursor and draft.perspective_id == "parent"

    again = make_window()
    # the last profile and pack are remembered; one click (or Enter) continues
    assert again.start_page.selected_profile_id() == profile.id
    assert again.start_page.selected_pack_id() == TINY_PACK_ID
    click(qtbot, again.start_page.start_button)
    assert "Claim 2 of 2" in again.findChild(QWidget, "claimPosition").text()
    restored = again.findChild(QWidget, "responseEditor")
    assert restored.toPlainText() == DRAFT
    assert restored.textCursor().position() == expected_cursor
    assert again.findChild(QWidget, "perspectiveSelector").currentData() == "parent"
    assert again.findChild(QWidget, "wordCount").text() == "6 words"


def test_draft_saved_on_navigation(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), "first claim draft")
    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        qtbot.keyClick(win.findChild(QWidget, "responseEditor"), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    profile = app_service.store.get_profile(name="Ada")
    assert app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="expression").text == "first claim draft"
    assert win.findChild(QWidget, "responseEditor").toPlainText() == ""
    with qtbot.waitSignal(win.session_page.claim_shown, timeout=HANG_MS):
        qtbot.keyClick(win.findChild(QWidget, "responseEditor"), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert win.findChild(QWidget, "responseEditor").toPlainText() == "first claim draft"


def test_a_failing_draft_save_keeps_the_text(qtbot, make_window, app_service: Service, _patched, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QWidget, "responseEditor")
    qtbot.keyClicks(editor, "precious words")

    def broken(**_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(app_service.store, "save_draft", broken)
    click(qtbot, win.findChild(QWidget, "nextButton"))
    assert _patched and "draft could not be saved" in _patched[0][0]
    assert "Claim 1 of 2" in win.findChild(QWidget, "claimPosition").text()  # did not move on
    assert editor.toPlainText() == "precious words"
    monkeypatch.undo()
    monkeypatch.setattr(dialogs, "show_error", lambda *a: None)
    assert win.close()


def test_undo_and_redo(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QWidget, "responseEditor")
    qtbot.keyClicks(editor, "abc")
    win.undo_action.trigger()
    assert editor.toPlainText() != "abc"
    win.redo_action.trigger()
    assert editor.toPlainText() == "abc"


def test_a_claim_that_cannot_be_read_is_not_moved_to(qtbot, make_window, app_service: Service, _patched, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QWidget, "responseEditor")
    with qtbot.waitSignal(win.session_page.draft_saved, timeout=HANG_MS):
        qtbot.keyClicks(editor, "first claim text")

    def unreadable(**_kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(app_service.practice, "get_draft", unreadable)
    with qtbot.waitSignal(win.session_page.status_message, timeout=HANG_MS) as message:
        click(qtbot, win.findChild(QWidget, "nextButton"))
    assert "stay" in message.args[0] and "Input/output error" in message.args[0]
    assert win.session_page.session.current.id == "expression"
    assert "Claim 1 of 2" in win.findChild(QWidget, "claimPosition").text()
    assert editor.toPlainText() == "first claim text"
    monkeypatch.undo()
    monkeypatch.setattr(dialogs, "show_error", lambda *a: None)
    qtbot.keyClicks(editor, " and more")
    assert win.close()
    profile = app_service.store.get_profile(name="Ada")
    assert app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="expression").text == "first claim text and more"
    assert app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="cost") is None
