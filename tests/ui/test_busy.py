"""While an answer is scored or a backup restored, nothing may switch pages or
touch the database, and closing the window waits instead of dropping the answer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from trainer.core.backups import list_backups, make_daily_backup
from trainer.core.paths import resolve_locations
from trainer.core.service import Service, builtin_packs_dir
from trainer.ui import dialogs

from .conftest import TINY_PACK, Clock
from .helpers import GOOD_TINY_RESPONSE, HANG_MS, KOREA_PACK_ID, TINY_PACK_ID, click, open_tiny, show_window


class GatedMatcher:
    """Scores with the real matcher, but only once the test opens the gate."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.gate = threading.Event()

    def score(self, **kwargs: object) -> object:
        self.entered.set()
        if not self.gate.wait(10):
            raise TimeoutError("the test never opened the gate")
        return self.inner.score(**kwargs)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _patched(dialog_log: dict[str, list]) -> dict[str, list]:
    return dialog_log



def page_actions(win) -> list:  # noqa: ANN001
    return [win.home_action, win.history_action, win.restore_action, win.new_profile_action, win.next_action, win.previous_action]


def test_pages_and_restore_are_disabled_while_scoring_and_the_feedback_is_for_the_right_claim(
    qtbot, make_window, app_service: Service, shared_matcher  # noqa: ANN001
) -> None:
    matcher = GatedMatcher(shared_matcher)
    app_service.scoring.use(matcher)  # a test double for the loaded matcher
    win = make_window()
    open_tiny(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    click(qtbot, win.findChild(QWidget, "submitButton"))
    qtbot.waitUntil(matcher.entered.is_set, timeout=HANG_MS)
    assert [a.objectName() for a in page_actions(win) if a.isEnabled()] == []
    assert not win.start_page.history_button.isVisible()
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        matcher.gate.set()
    assert win.session_page.feedback_view.attempt.claim_id == "expression"
    assert win.session_page.session.current.id == "expression"
    assert "Claim 1 of 2" in win.findChild(QWidget, "claimPosition").text()
    assert all(a.isEnabled() for a in page_actions(win) if a is not win.previous_action)


def test_a_result_for_a_session_no_longer_shown_is_stored_but_not_shown(
    qtbot, make_window, app_service: Service, shared_matcher  # noqa: ANN001
) -> None:
    matcher = GatedMatcher(shared_matcher)
    app_service.scoring.use(matcher)
    win = make_window()
    open_tiny(qtbot, win)
    page = win.session_page
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    click(qtbot, win.findChild(QWidget, "submitButton"))
    qtbot.waitUntil(matcher.entered.is_set, timeout=HANG_MS)
    page.start(profile_id=page.session.profile_id, pack_id=KOREA_PACK_ID)  # another session replaced this one
    with qtbot.waitSignal(page.attempt_submitted, timeout=HANG_MS):
        matcher.gate.set()
    assert not page.in_feedback
    assert page.session.pack.id == KOREA_PACK_ID
    assert "earlier answer" in win.statusBar().currentMessage()
    assert [(a.pack_id, a.claim_id) for a in app_service.store.list_attempts()] == [(TINY_PACK_ID, "expression")]


# -- a worker that is still busy loading the matcher ------------------------------------------


@pytest.fixture
def gate() -> threading.Event:
    return threading.Event()


@pytest.fixture
def slow_service(tmp_path: Path, shared_matcher, clock: Clock, gate: threading.Event) -> Iterator[Service]:  # noqa: ANN001
    """The matcher loads only once ``gate`` is set (like a slow first load)."""

    def load() -> object:
        if not gate.wait(10):
            raise TimeoutError("the test never opened the gate")
        return shared_matcher

    svc = Service.open(
        resolve_locations(data_dir=tmp_path / "slowdata"),
        matcher_loader=load,
        pack_folders=[(builtin_packs_dir(), True), (TINY_PACK.parent, True)],
        clock=clock.utc,
    )
    yield svc
    svc.close()


@pytest.fixture
def slow_window(qtbot, slow_service: Service, clock: Clock) -> Callable[[], object]:  # noqa: ANN001
    from trainer.ui.main_window import MainWindow

    win = show_window(qtbot, MainWindow(slow_service, timer_clock=clock.monotonic))
    win.start_background_loading()  # blocks the worker until the gate opens
    return win


def test_closing_while_an_answer_waits_to_be_scored_closes_after_it_is_saved(
    qtbot, slow_window, slow_service: Service, gate: threading.Event  # noqa: ANN001
) -> None:
    win = slow_window
    open_tiny(qtbot, win)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), GOOD_TINY_RESPONSE)
    click(qtbot, win.findChild(QWidget, "submitButton"))  # queued behind the matcher loading
    assert win.session_page.busy
    assert not win.close(), "the window closed with an answer still waiting to be scored"
    assert win.isVisible()
    assert "close after saving your answer" in win.statusBar().currentMessage()
    assert win.findChild(QWidget, "scoringProgress").isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=HANG_MS)
    assert [a.text for a in slow_service.store.list_attempts()] == [GOOD_TINY_RESPONSE]


def test_restore_runs_on_the_worker_once_it_is_free_with_the_window_disabled(
    qtbot, slow_window, slow_service: Service, gate: threading.Event, monkeypatch: pytest.MonkeyPatch, _patched: dict[str, list]  # noqa: ANN001
) -> None:
    win = slow_window
    slow_service.store.add_profile(name="Before")
    make_daily_backup(slow_service.locations, now=slow_service.clock())
    slow_service.store.add_profile(name="After")
    assert len(list_backups(slow_service.locations)) == 1
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[0])
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    win.restore_action.trigger()
    # The worker is still loading the matcher: the restore waits, and so does the window.
    assert win.restoring
    assert not win.stack.isEnabled()
    assert [a.objectName() for a in page_actions(win) if a.isEnabled()] == []
    assert sorted(p.name for p in slow_service.store.list_profiles()) == ["After", "Before"]  # not restored yet
    with qtbot.waitSignal(win.backup_restored, timeout=HANG_MS):
        gate.set()
    assert [p.name for p in slow_service.store.list_profiles()] == ["Before"]
    assert [t for t, _ in _patched["infos"]] == ["Backup restored"]
    assert _patched["errors"] == []
    assert win.stack.isEnabled() and win.restore_action.isEnabled() and win.home_action.isEnabled()
    assert win.stack.currentWidget() is win.start_page
