"""A model rebuttal ends with its sources (issue 14): title, publisher, date,
what each supports, and the address as text to copy; Open… asks before the
system browser gets it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QWidget

from trainer.core.paths import resolve_locations
from trainer.core.service import Service

from .conftest import TINY_PACK
from .helpers import HANG_MS, click, open_tiny, show_window

SOURCES = '''
[[key_points.sources]]
title = "Uniform policies <b>and</b> pupils"
publisher = "The Test Institute"
date = "2019-02-28"
url = "https://example.org/uniforms?a=1&b=2"
supports = "what uniforms cost parents"

[[key_points.sources]]
title = "A printed survey"
publisher = "Survey Press"
'''


@pytest.fixture
def window(qtbot, tmp_path: Path, shared_matcher):  # noqa: ANN001, ANN201
    from trainer.ui.main_window import MainWindow

    packs = tmp_path / "packs"
    shutil.copytree(TINY_PACK, packs / "tiny")
    claim = packs / "tiny" / "claims" / "01-expression.toml"
    text = claim.read_text(encoding="utf-8")
    weak = text.index("[[weak_examples]]")  # after the second key point: its sources
    note = '\n[[note_sources]]\ntitle = "Coach\'s reading"\npublisher = "Club notes"\ndate = "2024"\n'
    claim.write_text(text[:weak] + SOURCES + "\n" + text[weak:] + note, encoding="utf-8")
    service = Service.open(resolve_locations(data_dir=tmp_path / "data"), matcher_loader=lambda: shared_matcher, pack_folders=[(packs, False)])
    win = show_window(qtbot, MainWindow(service))
    yield win
    service.close()


def click_text(qtbot, browser, text: str) -> None:  # noqa: ANN001
    """Click the middle of ``text`` in ``browser``, as a user would."""
    cursor = browser.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not shown"
    middle = QTextCursor(cursor)
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    browser.setTextCursor(middle)
    browser.ensureCursorVisible()
    rect = browser.cursorRect(middle)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))


def submit_and_show_rebuttals(qtbot, window):  # noqa: ANN001, ANN201
    """Answer claim 1 and wait until its model rebuttals are on screen."""
    open_tiny(qtbot, window)
    qtbot.keyClicks(window.findChild(QWidget, "responseEditor"), "Uniforms save parents money, because brands cost more than a uniform.")
    with qtbot.waitSignal(window.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, window.findChild(QWidget, "submitButton"))
    feedback = window.session_page.feedback_view
    view = feedback.rebuttal_view
    bar = feedback.right_tabs.tabBar()  # every rebuttal with its sources: the second tab beside the response
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(feedback.right_tabs.indexOf(feedback.rebuttals_tab)).center())
    assert view.isVisible()
    qtbot.waitUntil(lambda: not view.pending, timeout=HANG_MS)
    return view


def test_sources_are_listed_under_the_rebuttal_and_open_only_after_asking(qtbot, window, monkeypatch, dialog_log) -> None:  # noqa: ANN001
    from trainer.ui import dialogs

    view = submit_and_show_rebuttals(qtbot, window)
    shown = view.toPlainText()
    assert "Uniform policies <b>and</b> pupils, The Test Institute, 2019-02-28" in shown  # escaped, not markup
    assert "Supports: what uniforms cost parents" in shown
    assert "https://example.org/uniforms?a=1&b=2" in shown  # selectable text
    assert "A printed survey, Survey Press" in shown
    assert "Coach's reading, Club notes, 2024" in shown
    assert shown.index("Sources") > shown.index("nobody is mocked")  # after its rebuttal

    asked: list[str] = []
    opened: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, message: asked.append(message) or False)
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()) or True))
    click_text(qtbot, view, "Open…")
    assert len(asked) == 1 and "https://example.org/uniforms?a=1&b=2" in asked[0] and "offline" in asked[0]
    assert opened == []  # the user said no

    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, message: asked.append(message) or True)
    click_text(qtbot, view, "Open…")
    assert opened == ["https://example.org/uniforms?a=1&b=2"]

    QGuiApplication.clipboard().clear()
    click_text(qtbot, view, "Copy address")
    assert QGuiApplication.clipboard().text() == "https://example.org/uniforms?a=1&b=2"
    assert len(opened) == 1


def test_a_theme_change_redraws_the_sources_in_the_new_colours(qtbot, window, dialog_log) -> None:  # noqa: ANN001
    """Links take the palette's colour when the HTML is set: after switching to
    dark, the rebuttals are set again (from the cache) so Open… stays legible."""
    view = submit_and_show_rebuttals(qtbot, window)
    try:
        window.set_theme("dark")
        from trainer.ui import design

        assert design.tokens("dark")["accent"] in view.toHtml()  # the dark theme's link colour (its accent token)
        assert "Open…" in view.toPlainText() and not view.pending
    finally:
        window.set_theme("light")
