"""Every student page at 150 % text in a 1280 x 800 window: nothing asks for more
room than the window has, and no button or one-line label is cut short.

The type roles of ``design.py`` scale from the application font when a widget
is made, so the font is raised before the window is built, as a system set to
150 % text would do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from trainer.core.service import Service

from .helpers import HANG_MS, KOREA_PACK_ID, click, click_item_with_id

ANSWER = (
    "Kim has already put denuclearization in writing, in Panmunjom and in Singapore, and written pledges can be tested "
    "step by step: we should judge him by whether he hands over a declaration and admits inspectors."
)


@pytest.fixture
def big_text() -> Iterator[float]:
    original = QApplication.font()
    bigger = QFont(original)
    if original.pointSizeF() > 0:
        bigger.setPointSizeF(original.pointSizeF() * 1.5)
    else:
        bigger.setPixelSize(round(original.pixelSize() * 1.5))
    QApplication.setFont(bigger)
    yield 1.5
    QApplication.setFont(original)


def cut_short(root: QWidget) -> list[str]:
    """Visible buttons narrower than their text needs, and one-line labels cut off."""
    found = []
    for w in root.findChildren(QAbstractButton):
        if w.isVisibleTo(root) and w.text() and w.width() < w.minimumSizeHint().width() - 1:
            found.append(f"button {w.objectName() or w.text()!r}: {w.width()} < {w.minimumSizeHint().width()}")
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root) and label.text() and not label.wordWrap() and label.pixmap().isNull():
            need = label.minimumSizeHint().width()
            if label.width() < need - 1:
                found.append(f"label {label.objectName() or label.text()[:30]!r}: {label.width()} < {need}")
    return found


def check_page(qtbot, win, name: str) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: win.isVisible(), timeout=HANG_MS)
    QApplication.processEvents()
    hint = win.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800, f"{name}: the window needs {hint.width()}x{hint.height()}"
    assert (win.width(), win.height()) == (1280, 800), f"{name}: the window grew to {win.width()}x{win.height()}"
    assert cut_short(win.stack.currentWidget()) == [], name


def test_every_page_fits_at_150_percent_text(qtbot, big_text, make_window, app_service: Service, dialog_log) -> None:  # noqa: ANN001
    win = make_window()
    win.resize(1280, 800)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == (1280, 800), timeout=HANG_MS)
    assert win.start_page.findChild(QLabel, "startTitle").font().pointSizeF() > QFont().pointSizeF() * 1.5  # display role, scaled
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, KOREA_PACK_ID)
    check_page(qtbot, win, "start")
    click(qtbot, win.start_page.start_button)
    page = win.session_page
    page.go_to("arsenal")
    qtbot.keyClicks(page.practice_view.response_editor, ANSWER)
    check_page(qtbot, win, "practice")
    with qtbot.waitSignal(page.feedback_shown, timeout=HANG_MS):
        click(qtbot, page.practice_view.submit_button)
    check_page(qtbot, win, "feedback")
    page.try_again()
    check_page(qtbot, win, "try again")
    win.show_history()
    check_page(qtbot, win, "history")
    assert dialog_log["errors"] == []
