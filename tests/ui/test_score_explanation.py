""""How is this scored?": the dialog shows the stored breakdown's own numbers, and they add up
to the stored score; Esc closes it; its text can be copied."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from trainer.core.explain import BAND_WORDS, verdict_words
from trainer.core.service import Service
from trainer.ui.score_explanation import COLUMNS, ScoreExplanationDialog

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, click, open_tiny

PARENT = (
    "Uniforms protect the kids who cannot afford brand-name clothes: when everyone wears the same thing, "
    "nobody gets bullied for cheap trainers, so the poorer children feel free to be themselves."
)
AGREEING = (
    "I agree with the claim completely. Uniforms really do stop children from expressing who they are, "
    "because every child is forced to look exactly the same every single day."
)


@pytest.fixture(autouse=True)
def _dialogs(dialog_log: dict[str, list]) -> dict[str, list]:
    return dialog_log


def submit(qtbot, win, text: str, perspective: str | None = None):  # noqa: ANN001, ANN201
    if perspective:
        selector = win.findChild(QWidget, "perspectiveSelector")
        selector.setCurrentIndex(next(i for i in range(selector.count()) if selector.itemData(i) == perspective))
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), text)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        click(qtbot, win.findChild(QWidget, "submitButton"))
    return submitted.args[0], win.session_page.feedback_view


def open_dialog(qtbot, feedback) -> ScoreExplanationDialog:  # noqa: ANN001
    click(qtbot, feedback.explain_button)
    qtbot.waitUntil(lambda: feedback.score_dialog is not None and feedback.score_dialog.isVisible(), timeout=HANG_MS)
    return feedback.score_dialog


@pytest.mark.parametrize("text, perspective", [(GOOD_TINY_RESPONSE, None), (PARENT, "parent"), (AGREEING, None)],
                         ids=["own-view", "as-a-parent", "argues-for"])
def test_the_dialog_shows_the_stored_breakdown_and_adds_up_to_the_stored_score(
    qtbot, make_window, app_service: Service, text: str, perspective: str | None  # noqa: ANN001
) -> None:
    win = make_window()
    open_tiny(qtbot, win)
    submitted, feedback = submit(qtbot, win, text, perspective)
    stored = app_service.results.get_attempt(attempt_id=submitted.id)
    claim = app_service.packs.get("tiny-uniforms").claim(stored.claim_id)
    pack_kp = {k.id: k for k in claim.key_points}
    mine = set(stored.breakdown["perspective_key_points"])
    assert bool(mine) == bool(perspective)

    dialog = open_dialog(qtbot, feedback)
    assert dialog.windowTitle() == "How is this scored?"
    percent = f"{round(100 * stored.score)}%"
    assert dialog.headline.text() == f"Your score: {percent} · {verdict_words(stored.score)}"
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))] == list(COLUMNS)
    entries = stored.breakdown["key_points"]
    total_weight = sum(pack_kp[k["key_point_id"]].weight * (2 if k["key_point_id"] in mine else 1) for k in entries)
    adds = 0.0
    for row, entry in enumerate(entries):
        kp = pack_kp[entry["key_point_id"]]
        weight = kp.weight * (2 if kp.id in mine else 1)
        assert dialog.cell(row, 0) == kp.statement
        assert dialog.cell(row, 1) == {"covered": "Covered", "partly": "Partly made", "missed": "Missed"}[entry["verdict"]]
        assert dialog.cell(row, 2) == (f"{kp.weight:g} × 2 (your side)" if kp.id in mine else f"{kp.weight:g}")
        assert dialog.cell(row, 3) == f"{round(100 * weight / total_weight)}%"
        assert float(dialog.cell(row, 4).rstrip("%")) == pytest.approx(100 * entry["probability"], abs=0.1)
        adds += float(dialog.cell(row, 5))
    last = dialog.table.rowCount() - 1
    assert dialog.cell(last, 0) == "Total" and dialog.cell(last, 2) == f"{total_weight:g}"
    assert dialog.cell(last, 5) == f"{100 * stored.score:.1f} = {percent}"
    assert dialog.table.rowCount() == len(entries) + 1  # exact: no rounding line, and no points off the list count
    assert adds == pytest.approx(100 * stored.score, abs=0.05 * len(entries) + 1e-9)
    assert dialog.explanation.total == stored.score and dialog.explanation.exact
    # the answer that argues for the claim: said in words, and nothing earned
    note = dialog.findChild(QWidget, "forShareNote")
    assert (note is not None) == (dialog.explanation.for_share > 0)
    if stored.breakdown["argued_for"]:
        assert note is not None and "argue for the claim" in note.text()
    # the rubric is listed, and said not to change the score
    for signal in stored.breakdown["rubric"]:
        label = dialog.findChild(QWidget, f"rubric-{signal['name']}")
        assert label is not None and signal["explanation"] in label.text()
    text_all = dialog.text()
    assert "The rubric does not change the score" in text_all
    # the scale, with the student's band marked
    band = {BAND_WORDS[b]: b for b in BAND_WORDS}[verdict_words(stored.score)]
    assert dialog.findChild(QWidget, f"scale-{band}").text().endswith("← you are here")
    dialog.close()


def test_esc_closes_and_copy_puts_the_explanation_on_the_clipboard(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    submitted, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    dialog = open_dialog(qtbot, feedback)
    QGuiApplication.clipboard().clear()
    click(qtbot, dialog.copy_button)
    copied = QGuiApplication.clipboard().text()
    assert copied == "\n".join(dialog.explanation.lines())
    assert copied.startswith(f"Score {round(100 * submitted.score)}%") and f"= {round(100 * submitted.score)}%." in copied
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: feedback.score_dialog is None, timeout=HANG_MS)  # closed and deleted


def test_the_history_explains_a_stored_attempt_too(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    submitted, _feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    win.history_action.trigger()
    items = win.history_view.attempt_items()
    win.history_view.history_list.setCurrentItem(items[0])
    shown = win.history_view.feedback_view
    qtbot.waitUntil(lambda: shown.attempt is not None, timeout=HANG_MS)
    dialog = open_dialog(qtbot, shown)
    assert dialog.explanation.total == submitted.score
    dialog.close()
