"""File ▸ Re-score History with the Current Matcher, driven through the menu action."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from trainer.core.progress import format_score
from trainer.core.service import Service
from trainer.ui import dialogs
from trainer.ui.history_view import ATTEMPT_ROLE

from .conftest import StandInMatcher
from .helpers import GOOD_TINY_RESPONSE, HANG_MS, TINY_PACK_ID, answer_pin_dialogs, click

OLD_SCORE = 0.37


class OldMatcher(StandInMatcher):
    """The matcher the attempts were first scored with ("stand-in-1"), with a score easy to tell apart."""

    def score(self, **kwargs):  # noqa: ANN003, ANN201
        return dataclasses.replace(super().score(**kwargs), score=OLD_SCORE)


def seed(service: Service, profile_id: int) -> None:
    """Two attempts scored by the old matcher, and one at a pack that is no longer installed."""
    current = service.scoring.use(OldMatcher())  # a test double for the matcher of an earlier version
    try:
        service.practice.submit_attempt(profile_id=profile_id, pack_id=TINY_PACK_ID, claim_id="expression", text=GOOD_TINY_RESPONSE)
        service.practice.submit_attempt(
            profile_id=profile_id, pack_id=TINY_PACK_ID, claim_id="cost", perspective_id="parent",
            text="Uniforms are cheaper than fashion clothes, because brands cost more.",
        )
    finally:
        service.scoring.use(current)
    when = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)
    service.store.record_attempt(
        profile_id=profile_id, pack_id="removed-pack", pack_version="1.0", claim_id="c1", perspective_id=None,
        text="An answer to a pack the coach has since removed.", started_at=when, submitted_at=when,
        score=0.5, breakdown={}, matcher_version="stand-in-1",
    )


def history_scores(win) -> dict[int, str]:  # noqa: ANN001
    """The score column of the history list, by attempt id."""
    return {item.data(0, ATTEMPT_ROLE): item.text(2) for item in win.history_view.attempt_items()}


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []

    def confirm(parent, title: str, message: str) -> bool:  # noqa: ANN001
        seen.append((title, message))
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return seen


def test_rescore_the_history_from_the_file_menu(
    qtbot, make_window, app_service: Service, shared_matcher, dialog_log: dict[str, list],  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = make_window()
    assert win.findChild(type(win.rescore_action), "rescoreAction") is win.rescore_action
    assert win.rescore_action in win.menuBar().actions()[0].menu().actions()  # File
    assert not win.rescore_action.isEnabled()  # no profile yet
    click(qtbot, win.start_page.add_profile_button)  # "Ada", from the patched name dialog
    assert win.rescore_action.isEnabled()
    ada = app_service.store.get_profile(name="Ada")
    seed(app_service, ada.id)
    old = {a.id: a for a in app_service.results.list_attempts(profile_id=ada.id)}
    assert {a.matcher_version for a in old.values()} == {"stand-in-1"}

    win.history_action.trigger()
    assert win.stack.currentWidget() is win.history_view
    assert sorted(history_scores(win).values()) == ["37%", "37%", "50%"]

    # Saying no does nothing.
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, message: False)
    win.rescore_action.trigger()
    assert not win.busy and not win.tasks.busy
    assert {a.matcher_version for a in app_service.results.list_attempts(profile_id=ada.id)} == {"stand-in-1"}
    confirmations: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, message: confirmations.append((title, message)) or True)

    # Progress reaches the status bar on the GUI thread, while the action is disabled.
    # (A direct connection: the recorder runs on whichever thread changed the message.)
    shown: list[tuple[str, bool, bool]] = []
    win.statusBar().messageChanged.connect(
        lambda text: shown.append(
            (text, win.rescore_action.isEnabled(), threading.current_thread() is threading.main_thread())
        ),
        Qt.ConnectionType.DirectConnection,
    )
    with qtbot.waitSignal(win.attempts_rescored, timeout=HANG_MS) as finished:
        win.rescore_action.trigger()
    assert finished.args == [2, 1]

    ((title, question),) = confirmations
    assert title == "Re-score history" and "Ada" in question and "score history" in question
    progress = [entry for entry in shown if entry[0].startswith("Re-scoring ") and " of " in entry[0]]
    assert [text for text, _, _ in progress] == ["Re-scoring 1 of 3…", "Re-scoring 2 of 3…", "Re-scoring 3 of 3…"]
    assert all(not enabled and on_gui for _, enabled, on_gui in progress)
    assert dialog_log["errors"] == []
    assert dialog_log["infos"][-1] == (
        "Re-scoring finished",
        "Re-scored 2 attempts; 1 skipped because their pack (or claim) is no longer installed.",
    )
    assert win.rescore_action.isEnabled() and not win.busy

    # The attempts carry the current matcher's version, and the old scores are still in their history.
    now = {a.id: a for a in app_service.results.list_attempts(profile_id=ada.id)}
    rescored = [a for a in now.values() if a.pack_id == TINY_PACK_ID]
    assert len(rescored) == 2
    for attempt in rescored:
        assert attempt.matcher_version == shared_matcher.version != "stand-in-1"
        assert [(s.score, s.matcher_version) for s in attempt.superseded_scores] == [(OLD_SCORE, "stand-in-1")]
        assert [(s.score, s.matcher_version) for s in app_service.results.get_attempt(attempt_id=attempt.id).superseded_scores] == [
            (OLD_SCORE, "stand-in-1")
        ]
    (skipped,) = [a for a in now.values() if a.pack_id == "removed-pack"]
    assert (skipped.score, skipped.matcher_version, skipped.superseded_scores) == (0.5, "stand-in-1", ())

    # The history list, which was showing, now shows the new scores.
    assert win.stack.currentWidget() is win.history_view
    assert history_scores(win) == {a.id: format_score(a.score) for a in now.values()}


def test_a_pin_protected_profile_is_unlocked_first(
    qtbot, make_window, app_service: Service, shared_matcher, dialog_log: dict[str, list],  # noqa: ANN001
    confirmations: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    ada = app_service.store.get_profile(name="Ada")
    seed(app_service, ada.id)
    app_service.profiles.set_pin(profile_id=ada.id, pin="1234")
    app_service.profiles.lock(profile_id=ada.id)

    answer_pin_dialogs(qtbot, monkeypatch, [None])  # the PIN dialog is cancelled
    win.rescore_action.trigger()
    assert not win.busy and not win.tasks.busy
    assert {a.matcher_version for a in app_service.store.list_attempts(profile_id=ada.id)} == {"stand-in-1"}

    answer_pin_dialogs(qtbot, monkeypatch, ["1234"])
    with qtbot.waitSignal(win.attempts_rescored, timeout=HANG_MS) as finished:
        win.rescore_action.trigger()
    assert finished.args == [2, 1]
    assert dialog_log["errors"] == []
    assert {a.matcher_version for a in app_service.results.list_attempts(profile_id=ada.id) if a.pack_id == TINY_PACK_ID} == {
        shared_matcher.version
    }


class BrokenMatcher:
    version = "broken-2"

    def score(self, **kwargs):  # noqa: ANN003, ANN201
        raise RuntimeError("the matcher's model file is damaged")


def test_an_error_is_shown_and_the_old_scores_stay(
    qtbot, make_window, app_service: Service, dialog_log: dict[str, list],  # noqa: ANN001
    confirmations: list[tuple[str, str]],
) -> None:
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    ada = app_service.store.get_profile(name="Ada")
    seed(app_service, ada.id)
    app_service.scoring.use(BrokenMatcher())  # a matcher that fails to score
    win.rescore_action.trigger()
    qtbot.waitUntil(lambda: bool(dialog_log["errors"]), timeout=HANG_MS)
    ((title, message),) = dialog_log["errors"]
    assert title == "Re-scoring stopped"
    assert "model file is damaged" in message and "keep their old one" in message
    assert dialog_log["infos"] == []
    assert win.rescore_action.isEnabled() and not win.busy
    assert {a.matcher_version for a in app_service.results.list_attempts(profile_id=ada.id)} == {"stand-in-1"}
