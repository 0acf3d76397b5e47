"""Profile ▸ Set PIN / Remove PIN / Forgot the PIN, as a student at a shared laptop uses them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from trainer.core.service import Service
from trainer.ui import dialogs

from .helpers import click


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    record: dict[str, list] = {"errors": [], "infos": []}
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: record["errors"].append(message))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message: record["infos"].append(message))
    return record


def answers(monkeypatch: pytest.MonkeyPatch, name: str, values: list[str | None]) -> Iterator[str | None]:
    queue = iter(values)
    monkeypatch.setattr(dialogs, name, lambda *a, **k: next(queue))
    return queue


def window_with_profile(qtbot, make_window, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    return win


def test_set_change_and_remove_a_pin(qtbot, make_window, app_service: Service, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = window_with_profile(qtbot, make_window, monkeypatch)
    ada = app_service.store.get_profile(name="Ada")
    answers(monkeypatch, "ask_pin", ["1234", "1234"])
    win.set_pin_action.trigger()
    assert app_service.store.get_profile(name="Ada").has_pin
    assert app_service.profiles.verify_pin(profile_id=ada.id, pin="1234") and not app_service.profiles.verify_pin(profile_id=ada.id, pin="9999")

    answers(monkeypatch, "ask_pin", ["0000", "5678", "5678"])  # wrong current PIN
    win.set_pin_action.trigger()
    assert app_service.profiles.verify_pin(profile_id=ada.id, pin="1234") and seen["errors"]

    answers(monkeypatch, "ask_pin", ["1234", "5678", "5679"])  # the two new PINs differ
    win.set_pin_action.trigger()
    assert app_service.profiles.verify_pin(profile_id=ada.id, pin="1234")
    assert "not the same" in seen["errors"][-1]

    answers(monkeypatch, "ask_pin", ["1234"])
    win.clear_pin_action.trigger()
    assert not app_service.store.get_profile(name="Ada").has_pin


def test_a_forgotten_pin_is_reset_only_by_deleting_the_profiles_data(qtbot, make_window, app_service: Service, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = window_with_profile(qtbot, make_window, monkeypatch)
    ada = app_service.store.get_profile(name="Ada")
    app_service.profiles.set_pin(profile_id=ada.id, pin="1234")
    app_service.practice.save_draft(profile_id=ada.id, pack_id="tiny-uniforms", claim_id="cost", text="my work")
    answers(monkeypatch, "ask_text", ["ada?"])  # not the exact name: nothing happens
    win.reset_profile_action.trigger()
    assert app_service.store.get_profile(name="Ada").has_pin
    assert "did not match" in seen["infos"][-1]
    answers(monkeypatch, "ask_text", ["Ada"])
    win.reset_profile_action.trigger()
    assert not app_service.store.get_profile(name="Ada").has_pin
    assert app_service.practice.get_draft(profile_id=ada.id, pack_id="tiny-uniforms", claim_id="cost") is None
