"""Feedback a judge would sign, in the window: an answer that argues *for* the claim is
called out, and an answer argued as a perspective shows that side's key points first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from trainer.core.service import Service

from .helpers import HANG_MS, click, open_tiny

AGREEING = (
    "I agree with the claim completely. Uniforms really do stop children from expressing who they are, "
    "because every child is forced to look exactly the same every single day."
)
PARENT = (
    "Uniforms protect the kids who cannot afford brand-name clothes: when everyone wears the same thing, "
    "nobody gets bullied for cheap trainers, so the poorer children feel free to be themselves."
)


@pytest.fixture(autouse=True)
def _dialogs(dialog_log: dict[str, list]) -> dict[str, list]:
    return dialog_log


def _submit(qtbot, win, text: str, perspective_index: int = 0) -> None:  # noqa: ANN001
    if perspective_index:
        win.findChild(QWidget, "perspectiveSelector").setCurrentIndex(perspective_index)
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), text)
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))


def test_an_answer_for_the_claim_is_called_out(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    _submit(qtbot, win, AGREEING)
    feedback = win.session_page.feedback_view
    banner = feedback.findChild(QWidget, "stanceBanner")
    assert banner.isVisible()
    assert "You argued <i>for</i> the claim" in banner.text()
    assert {c.status for c in feedback.key_point_list.cards()} == {"missed"}
    assert not feedback.findChild(QWidget, "feedbackPerspectiveNote").isVisible()
    # the agreeing sentences are marked in the response
    assert "#f6d0d0" in feedback.response_view.toHtml().lower()


def test_argued_as_a_perspective_its_key_points_come_first(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    selector = win.findChild(QWidget, "perspectiveSelector")
    parent_index = next(i for i in range(selector.count()) if selector.itemData(i) == "parent")
    _submit(qtbot, win, PARENT, parent_index)
    feedback = win.session_page.feedback_view
    cards = feedback.key_point_list.cards()
    own = [c for c in cards if c.perspective_label.text() == "Your side's key point · counts double"]
    assert [c.key_point_id for c in own] == ["expression-bullying"]  # the parent's key point
    # within its section (missed, partly made, covered), the side's own key point comes first
    section = [c for c in cards if c.status == own[0].status]
    assert section[0] is own[0]
    note = feedback.findChild(QWidget, "feedbackPerspectiveNote")
    assert note.isVisible()
    assert "Argued as A parent on a tight budget" in note.text() and "How this side argues" in note.text()
    # the first card is selected: the first missed one, if any (what to work on next)
    assert feedback.current_card() is cards[0]
    assert cards[0].status == ("missed" if any(c.status == "missed" for c in cards) else cards[0].status)
    attempt = app_service.store.list_attempts(claim_id="expression")[-1]
    assert attempt.perspective_id == "parent"
