"""The live checklist (issue 17): with "Live check" on, a typing pause re-scores the
revision on the worker and ticks the key points it now makes. It never stores an
attempt; a newer draft makes an older result stale; at most one check waits."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings

from trainer.core.service import Service
from trainer.ui import dialogs
from trainer.ui.checklist import LIVE_KEY

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, TINY_PACK_ID, click, click_item_with_id

BULLYING = "expression-bullying"
MAKES_BULLYING = " Uniforms also reduce bullying at school."


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")


class GatedMatcher:
    """The real matcher, recording every response it scores; closing ``gate`` holds scoring on the worker."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.gate = threading.Event()
        self.gate.set()
        self.responses: list[str] = []

    def score(self, **kwargs):  # noqa: ANN003, ANN201
        self.responses.append(kwargs["response"])
        assert self.gate.wait(HANG_MS / 1000), "the test never opened the gate"
        return self.inner.score(**kwargs)

    def __getattr__(self, name: str):  # noqa: ANN204 - prepare() and the rest: the real matcher's
        return getattr(self.inner, name)


def revise(qtbot, win) -> None:  # noqa: ANN001
    """A profile, the tiny pack, a first answer (which misses the bullying point), Try again."""
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    page = win.session_page
    qtbot.keyClicks(page.practice_view.response_editor, GOOD_TINY_RESPONSE)
    with qtbot.waitSignal(page.attempt_submitted, timeout=HANG_MS):
        click(qtbot, page.practice_view.submit_button)
    click(qtbot, page.feedback_view.try_again_button)
    assert page.practice_view.checklist.status_of(BULLYING) == "missed"


def test_live_check_ticks_a_point_the_revision_makes_and_stores_nothing(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    revise(qtbot, win)
    page = win.session_page
    checklist = page.practice_view.checklist
    assert not checklist.live_check.isChecked()  # off by default
    attempts = len(app_service.store.list_attempts(claim_id="expression"))
    assert attempts == 1

    click(qtbot, checklist.live_check)
    assert QSettings().value(LIVE_KEY, type=bool) is True
    editor = page.practice_view.response_editor
    qtbot.keyClicks(editor, MAKES_BULLYING)
    assert page.live_timer.isActive()  # waits for a pause in the typing
    qtbot.waitUntil(lambda: checklist.status_of(BULLYING) == "covered", timeout=HANG_MS)
    assert checklist.item(BULLYING).chip.text() == "Covered"
    assert "Live: your draft makes 2 of 2 key points" in checklist.summary.text()
    qtbot.waitUntil(lambda: not checklist.checking.isVisible(), timeout=HANG_MS)
    # the order is the last attempt's: the point the student was working on stays where it was
    assert checklist.order()[0] == BULLYING

    # a live tick is not an attempt: nothing new is stored, the claim list is unchanged
    assert len(app_service.store.list_attempts(claim_id="expression")) == attempts
    assert editor.toPlainText() == GOOD_TINY_RESPONSE + MAKES_BULLYING

    # off again: back to the last attempt's verdicts
    click(qtbot, checklist.live_check)
    assert checklist.status_of(BULLYING) == "missed"
    assert QSettings().value(LIVE_KEY, type=bool) is False

    # only Submit counts
    with qtbot.waitSignal(page.attempt_submitted, timeout=HANG_MS):
        click(qtbot, page.practice_view.submit_button)
    assert len(app_service.store.list_attempts(claim_id="expression")) == attempts + 1


def test_live_check_is_off_by_default_and_scores_nothing(qtbot, make_window, app_service: Service, shared_matcher) -> None:  # noqa: ANN001
    matcher = GatedMatcher(shared_matcher)
    app_service.scoring.use(matcher)
    win = make_window()
    revise(qtbot, win)
    page = win.session_page
    scored = len(matcher.responses)
    qtbot.keyClicks(page.practice_view.response_editor, MAKES_BULLYING)
    assert not page.live_timer.isActive()
    with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):  # the draft is saved; nothing is scored
        pass
    assert len(matcher.responses) == scored
    assert page.practice_view.checklist.status_of(BULLYING) == "missed"


def test_the_choice_is_remembered(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    revise(qtbot, win)
    click(qtbot, win.session_page.practice_view.checklist.live_check)
    win.close()
    again = make_window()
    assert again.session_page.practice_view.checklist.live_check.isChecked()


def test_a_newer_draft_drops_the_older_result_and_only_the_newest_waits(qtbot, make_window, app_service: Service, shared_matcher) -> None:  # noqa: ANN001
    matcher = GatedMatcher(shared_matcher)
    app_service.scoring.use(matcher)
    win = make_window()
    revise(qtbot, win)
    page = win.session_page
    checklist = page.practice_view.checklist
    editor = page.practice_view.response_editor
    shown: list[object] = []
    page.live_checked.connect(shown.append)
    matcher.responses.clear()

    matcher.gate.clear()
    click(qtbot, checklist.live_check)  # checks the draft at once: held on the worker
    qtbot.waitUntil(lambda: len(matcher.responses) == 1, timeout=HANG_MS)
    assert matcher.responses == [GOOD_TINY_RESPONSE]
    assert checklist.checking.isVisible()  # "Checking…"

    qtbot.keyClicks(editor, " Uniforms also")
    page.check_live()  # the pause (the timer's slot, called at once)
    qtbot.keyClicks(editor, " reduce bullying at school.")
    page.check_live()  # replaces the draft that was waiting
    assert not page.live_timer.isActive()
    assert len(matcher.responses) == 1  # one runs, one waits: nothing else is queued

    matcher.gate.set()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=HANG_MS)
    qtbot.waitUntil(lambda: not checklist.checking.isVisible(), timeout=HANG_MS)
    # the first result came back after newer drafts, so it was dropped; the middle draft was never scored
    assert matcher.responses == [GOOD_TINY_RESPONSE, GOOD_TINY_RESPONSE + MAKES_BULLYING]
    assert shown[0].verdict_for(BULLYING).verdict == "covered"
    assert checklist.status_of(BULLYING) == "covered"
    assert len(app_service.store.list_attempts(claim_id="expression")) == 1


def test_leaving_the_claim_drops_a_running_check(qtbot, make_window, app_service: Service, shared_matcher) -> None:  # noqa: ANN001
    matcher = GatedMatcher(shared_matcher)
    app_service.scoring.use(matcher)
    win = make_window()
    revise(qtbot, win)
    page = win.session_page
    checklist = page.practice_view.checklist
    shown: list[object] = []
    page.live_checked.connect(shown.append)
    click(qtbot, checklist.live_check)
    qtbot.waitUntil(lambda: not checklist.checking.isVisible(), timeout=HANG_MS)
    shown.clear()

    matcher.gate.clear()
    qtbot.keyClicks(page.practice_view.response_editor, MAKES_BULLYING)
    page.check_live()
    assert checklist.checking.isVisible()
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, page.practice_view.next_button)
    assert not checklist.isVisible() and not checklist.checking.isVisible()
    with qtbot.waitSignal(win.tasks.task_finished, timeout=HANG_MS):
        matcher.gate.set()
    assert shown == []
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, page.practice_view.previous_button)
    # back on the claim: the last attempt's verdicts, then a fresh check of the draft
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=HANG_MS)
    assert checklist.status_of(BULLYING) == "covered"
    assert len(app_service.store.list_attempts(claim_id="expression")) == 1
