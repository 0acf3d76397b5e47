"""The prep timer, with an injected clock: it expires without the test waiting."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from trainer.ui import dialogs
from trainer.ui.timer import PrepTimer, format_remaining

from .helpers import HANG_MS, TINY_PACK_ID, click, click_item_with_id


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_timer_counts_down_pauses_and_expires(qtbot) -> None:  # noqa: ANN001
    clock = FakeClock()
    timer = PrepTimer(clock=clock)
    timer.start(60)
    assert timer.running and timer.remaining() == 60
    clock.now += 20
    assert timer.remaining() == 40
    timer.pause()
    clock.now += 500
    assert timer.paused and timer.remaining() == 40
    timer.resume()
    clock.now += 39
    timer.tick()
    assert not timer.has_expired
    clock.now += 1
    with qtbot.waitSignal(timer.expired, timeout=HANG_MS):
        timer.tick()
    assert timer.has_expired and timer.remaining() == 0 and not timer.running
    timer.stop()
    assert not timer.active


def test_format_remaining() -> None:
    assert format_remaining(60) == "01:00"
    assert format_remaining(59.2) == "01:00"
    assert format_remaining(58.9) == "00:59"
    assert format_remaining(0) == "00:00"
    assert format_remaining(600) == "10:00"


def test_timer_expiry_in_the_practice_view(qtbot, make_window, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)

    preset = win.findChild(QWidget, "timerPreset")
    assert [preset.itemText(i) for i in range(preset.count())] == ["1 min", "2 min", "3 min", "5 min", "10 min", "Custom…"]
    preset.setCurrentIndex(0)
    label = win.findChild(QWidget, "timerLabel")
    start = win.findChild(QWidget, "timerStartButton")
    click(qtbot, start)
    assert label.text() == "01:00"
    clock.advance(30)
    qtbot.waitUntil(lambda: label.text() == "00:30", timeout=HANG_MS)
    click(qtbot, start)  # pause
    assert "Resume" in start.text()
    clock.advance(300)
    win.session_page.practice_view.timer.tick()
    assert label.text() == "00:30"
    click(qtbot, start)  # resume
    clock.advance(31)
    with qtbot.waitSignal(win.session_page.practice_view.timer.expired, timeout=HANG_MS):
        pass  # the view's own tick timer notices within a tick
    assert label.text() == "Time's up"
    assert win.findChild(QWidget, "timerNotice").isVisible()
    editor = win.findChild(QWidget, "responseEditor")
    assert not editor.isReadOnly()
    qtbot.keyClicks(editor, "Still writing")
    assert editor.toPlainText() == "Still writing"


def test_custom_timer_length(qtbot, make_window, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "ask_minutes", lambda *a, **k: 7)
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    click(qtbot, win.start_page.start_button)
    preset = win.findChild(QWidget, "timerPreset")
    preset.setCurrentIndex(preset.count() - 1)
    click(qtbot, win.findChild(QWidget, "timerStartButton"))
    assert win.findChild(QWidget, "timerLabel").text() == "07:00"
