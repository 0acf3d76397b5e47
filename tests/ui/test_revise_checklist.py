"""Revising with the feedback in view (issue 17): after "Try again" the practice page
keeps the last attempt's verdicts beside the editor, missed key points first, each
with its model rebuttal one click away. Also: the article centres the claim, and
the editor counts words as the rubric does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractSlider

from trainer.core.service import Service
from trainer.core.words import word_count
from trainer.ui import dialogs
from trainer.ui.practice_view import claim_range
from trainer.ui.theme import current_marks

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, KOREA_PACK_ID, TINY_PACK_ID, click, click_item_with_id, focused, press

BULLYING = "expression-bullying"
OTHER_MEANS = "expression-other-means"


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append((title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    return errors


def start(qtbot, win, pack_id: str = TINY_PACK_ID) -> None:  # noqa: ANN001
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, pack_id)
    click(qtbot, win.start_page.start_button)
    assert win.stack.currentWidget() is win.session_page


def submit(qtbot, win) -> object:  # noqa: ANN001
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        click(qtbot, win.session_page.practice_view.submit_button)
    return submitted.args[0]


def test_try_again_keeps_the_verdicts_beside_the_editor_missed_first(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    start(qtbot, win)
    page = win.session_page
    view = page.practice_view
    checklist = view.checklist
    assert not checklist.isVisible()  # a fresh claim: nothing to revise yet

    qtbot.keyClicks(view.response_editor, GOOD_TINY_RESPONSE)
    submit(qtbot, win)
    click(qtbot, page.feedback_view.try_again_button)

    assert page.stack.currentWidget() is view
    assert view.response_editor.toPlainText() == GOOD_TINY_RESPONSE
    assert checklist.isVisible()
    # the pack lists "other means" first; the checklist puts the missed point first
    assert checklist.order() == [BULLYING, OTHER_MEANS]
    assert [item.status for item in checklist.items] == ["missed", "covered"]
    assert [item.chip.text() for item in checklist.items] == ["Missed", "Covered"]
    assert checklist.items[0].statement.text() == "School uniform reduces bullying"
    assert checklist.items[0].accessibleName() == "Missed: School uniform reduces bullying"
    assert "1 of 2 key points covered" in checklist.summary.text()
    # beside the editor, side by side, both usable
    left, right = view.revision_splitter.sizes()
    assert left > 0 and right >= checklist.minimumSizeHint().width()
    assert view.response_editor.geometry().width() > 0 and focused() is view.response_editor

    # one click shows the missed point's model rebuttal (rendered Markdown)
    missed = checklist.items[0]
    assert not missed.rebuttal.isVisible()
    assert missed.disclosure.accessibleName() == "Show model rebuttal: School uniform reduces bullying"
    click(qtbot, missed.disclosure)
    qtbot.waitUntil(lambda: "nobody is mocked for cheap" in missed.rebuttal.toPlainText(), timeout=HANG_MS)
    assert missed.rebuttal.isVisible() and missed.rebuttal.height() > 0
    assert missed.disclosure.text() == "Hide model rebuttal"
    assert missed.disclosure.accessibleName() == "Hide model rebuttal: School uniform reduces bullying"
    click(qtbot, missed.disclosure)
    assert not missed.rebuttal.isVisible()

    # nothing was stored by looking: one attempt
    assert len(app_service.store.list_attempts(claim_id="expression")) == 1


def test_the_checklist_works_from_the_keyboard(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    start(qtbot, win)
    view = win.session_page.practice_view
    qtbot.keyClicks(view.response_editor, GOOD_TINY_RESPONSE)
    submit(qtbot, win)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Practice ▸ Try Again
    checklist = view.checklist
    assert checklist.isVisible()

    view.article_view.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is checklist.live_check
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is checklist.items[0].disclosure
    press(qtbot, Qt.Key.Key_Tab)
    covered = checklist.items[1]
    assert focused() is covered.disclosure
    press(qtbot, Qt.Key.Key_Space)
    assert covered.expanded
    # Markdown, rendered: the bold lead-in is bold, not asterisks
    qtbot.waitUntil(lambda: "Self-expression does not live in a shirt." in covered.rebuttal.toPlainText(), timeout=HANG_MS)
    assert "**" not in covered.rebuttal.toPlainText()
    assert "font-weight:700" in covered.rebuttal.toHtml().replace(" ", "")


def test_the_checklist_stays_with_its_claim_until_it_is_submitted_again(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    start(qtbot, win)
    page = win.session_page
    view = page.practice_view
    qtbot.keyClicks(view.response_editor, GOOD_TINY_RESPONSE)
    submit(qtbot, win)
    click(qtbot, page.feedback_view.try_again_button)
    assert view.checklist.isVisible()

    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, view.next_button)
    assert not view.checklist.isVisible()  # another claim, never tried
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, view.previous_button)
    assert view.checklist.isVisible() and view.checklist.order() == [BULLYING, OTHER_MEANS]

    # the user widens the checklist by dragging the splitter; it opens that wide again
    handle = view.revision_splitter.handle(1)
    narrow = view.checklist.width()
    middle = handle.height() // 2
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=QPoint(1, middle))
    qtbot.mouseMove(handle, QPoint(-120, middle))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=QPoint(-120, middle))
    wide = view.checklist.width()
    assert wide > narrow + 60
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, view.next_button)
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, view.previous_button)
    assert abs(view.checklist.width() - wide) <= 2

    # the revision makes the missed point; the next Try again shows the new verdicts
    view.response_editor.moveCursor(view.response_editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(view.response_editor, " Uniforms also reduce bullying at school.")
    submit(qtbot, win)
    assert len(app_service.store.list_attempts(claim_id="expression")) == 2
    click(qtbot, page.feedback_view.try_again_button)
    assert [item.status for item in view.checklist.items] == ["covered", "covered"]

    # once submitted, coming back to the claim starts fresh again
    submit(qtbot, win)
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, page.feedback_view.next_claim_button)
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        click(qtbot, view.previous_button)
    assert not view.checklist.isVisible()


# -- the article centres the claim ---------------------------------------------------

def _middle_claim(pack) -> int:  # noqa: ANN001
    """The claim nearest the middle of the article (room above and below it)."""
    middle = len(pack.article) // 2
    return min(range(len(pack.claims)), key=lambda i: abs(pack.claims[i].position - middle))


def _centred(view) -> bool:  # noqa: ANN001
    rect = view.claim_rect()
    if rect is None:
        return False
    centre = (rect[0] + rect[1]) / 2
    return abs(centre - view.article_view.viewport().height() / 2) <= view.article_view.fontMetrics().lineSpacing()


def test_the_article_centres_the_claim_with_the_text_before_it_in_view(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    start(qtbot, win, KOREA_PACK_ID)
    page = win.session_page
    index = _middle_claim(page.session.pack)
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        page.go_to(page.session.claim_ids[index])
    view = page.practice_view
    article = view.article_view
    assert article.isVisible() and article.verticalScrollBar().value() > 0
    qtbot.waitUntil(lambda: _centred(view), timeout=HANG_MS)

    # the text before the claim is on screen: the top line of the viewport is article text before it
    top_line = article.cursorForPosition(QPoint(4, 2)).position()
    first, _last = claim_range(article, current_marks()["selected"][0])
    assert top_line < first
    claim = page.session.current
    before = page.session.pack.article[max(0, claim.position - 60):claim.position].split()[-3]
    visible = article.toPlainText()[top_line:first]
    assert before in visible

    # a different size keeps it centred (the text is laid out again)
    win.resize(win.width() - 120, win.height() - 80)
    qtbot.waitUntil(lambda: _centred(view), timeout=HANG_MS)

    # once the reader scrolls, a resize leaves their place alone
    article.verticalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)
    assert article.verticalScrollBar().value() == 0
    win.resize(win.width() + 60, win.height() + 40)
    qtbot.waitUntil(lambda: win.width() > 0)
    assert article.verticalScrollBar().value() == 0


def test_the_article_centres_the_claim_after_it_is_shown_again(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    start(qtbot, win, KOREA_PACK_ID)
    page = win.session_page
    view = page.practice_view
    view.article_toggle.click()  # hidden: nothing laid out at its real size
    with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS):
        page.go_to(page.session.claim_ids[_middle_claim(page.session.pack)])
    assert not view.article_view.isVisible()
    view.article_toggle.click()
    assert view.article_view.isVisible()
    qtbot.waitUntil(lambda: _centred(view), timeout=HANG_MS)


# -- one word count ----------------------------------------------------------------------

def test_the_editor_counts_words_as_the_rubric_does(qtbot, make_window) -> None:  # noqa: ANN001
    text = (
        "The U.S. has a well-known, long-term policy -- and it failed in 2018 — twice… "
        "But 3.5% of aid is not nothing ; because sanctions bite."
    )
    win = make_window()
    start(qtbot, win)
    view = win.session_page.practice_view
    typed, pasted = text.split(" -- ", 1)
    qtbot.keyClicks(view.response_editor, typed)  # QTest types Latin-1 only: the dashes and "…" are pasted
    view.response_editor.insertPlainText(" -- " + pasted)
    expected = word_count(text)
    assert expected == 23  # "U.S.", "well-known", "3.5%" once each; "--", "—" and ";" not at all
    assert view.word_count.text() == f"{expected} words"
    attempt = submit(qtbot, win)
    length = next(r for r in attempt.breakdown["rubric"] if r["name"] == "length")
    assert length["value"] == expected
    assert f"({expected} words)" in length["explanation"]
