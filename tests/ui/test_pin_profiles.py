"""A PIN-protected profile asks for its PIN (through the dialogs seam) before practice or history."""

from __future__ import annotations

import pytest

from trainer.core.service import Service
from trainer.ui import dialogs


def test_pin_is_asked_once_and_a_wrong_pin_is_refused(qtbot, make_window, app_service: Service, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    profile = app_service.store.add_profile(name="Kim")
    app_service.profiles.set_pin(profile_id=profile.id, pin="1234")
    app_service.profiles.lock(profile_id=profile.id)
    errors: list[str] = []
    answers = iter(["0000", "1234"])
    monkeypatch.setattr(dialogs, "ask_pin", lambda *a, **k: next(answers))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(title))
    win = make_window()
    win.start_page.start_button.click()
    assert errors == ["The profile stays locked"]
    assert win.stack.currentWidget() is win.start_page
    win.start_page.start_button.click()
    assert win.stack.currentWidget() is win.session_page
    win.history_action.trigger()  # already unlocked: no third question
    assert win.stack.currentWidget() is win.history_view
