"""Feedback a judge would sign, in the window: an answer that argues *for* the claim is
called out, and an answer argued as a perspective shows that side's key points first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from trainer.core.service import Service

from .helpers import HANG_MS, click, list_texts, open_tiny

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
    assert all(t.startswith("✘") for t in list_texts(feedback.key_point_list))
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
    texts = list_texts(feedback.key_point_list)
    assert texts[0] == "A parent on a tight budget: this side's key points"
    assert "bullied" in texts[1].lower() or "bully" in texts[1].lower()  # expression-bullying is the parent's
    assert texts[2] == "Other key points"
    note = feedback.findChild(QWidget, "feedbackPerspectiveNote")
    assert note.isVisible()
    assert "Argued as A parent on a tight budget" in note.text() and "How this side argues" in note.text()
    # the first selectable row is the perspective's own key point, and headers cannot be selected
    assert feedback.current_key_point_id() == "expression-bullying"
    attempt = app_service.store.list_attempts(claim_id="expression")[-1]
    assert attempt.perspective_id == "parent"
