"""Window chrome: object names, accessible names, shortcuts, theme, About and the guide."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QTextBrowser, QTreeWidget, QWidget

from trainer.ui import dialogs

KEY_WIDGETS = [
    "claimText", "articleView", "perspectiveSelector", "responseEditor", "wordCount", "timerLabel",
    "submitButton", "previousButton", "nextButton", "feedbackView", "overallScore", "keyPointList", "historyList",
]


@pytest.fixture(autouse=True)
def _patched(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    seen: dict[str, str] = {}
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_about", lambda parent, title, html: seen.update(about=html))
    return seen


def test_key_widgets_have_stable_names(make_window) -> None:  # noqa: ANN001
    win = make_window()
    assert win.findChild(QWidget, "claimText") is None  # the session page is built on first use
    assert None not in (win.session_page, win.history_view, win.summary_view)
    for name in KEY_WIDGETS:
        assert win.findChild(QWidget, name) is not None, name


def test_every_control_has_an_accessible_name(make_window) -> None:  # noqa: ANN001
    win = make_window()
    kinds = (QAbstractButton, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QTextBrowser, QTreeWidget)
    unnamed = [
        f"{type(w).__name__}:{w.objectName()}"
        for kind in kinds
        for w in win.findChildren(kind)
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text()) and not w.objectName().startswith("qt_")
        and w.parent() is not None and type(w.parent()).__name__ not in ("QComboBox", "QTabBar", "QScrollBar")
    ]
    assert unnamed == []


def test_standard_shortcuts(make_window) -> None:  # noqa: ANN001
    win = make_window()
    assert win.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert win.redo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)
    assert win.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert win.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert win.submit_action.shortcut() == QKeySequence("Ctrl+Return")
    assert win.previous_action.shortcut() == QKeySequence("Alt+Left")
    assert win.next_action.shortcut() == QKeySequence("Alt+Right")


def test_default_size(make_window) -> None:  # noqa: ANN001
    win = make_window()
    assert win.minimumWidth() >= 900 and win.minimumHeight() >= 600
    assert win.width() >= 1000


def test_dark_mode_toggle_and_remembered(make_window) -> None:  # noqa: ANN001
    from PySide6.QtCore import QSettings

    win = make_window()
    before = QApplication.palette().color(QPalette.ColorRole.Window).lightness()
    win.dark_action.trigger()
    try:
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert QSettings().value("view/theme") == "dark"
        assert win.theme_actions["dark"].isChecked()
    finally:
        win.set_theme("light")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 150 or before < 100


def test_about_names_the_version_attribution_and_argkp(make_window, _patched) -> None:  # noqa: ANN001
    from trainer import __version__

    win = make_window()
    win.about_action.trigger()
    assert __version__ in _patched["about"]
    assert "Bandow" in _patched["about"]
    assert "ArgKP" in _patched["about"] and "CDLA-Sharing" in _patched["about"] and "Bar-Haim" in _patched["about"]


def test_help_opens_the_guide(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    win.guide_action.trigger()
    assert win.guide_window is not None and win.guide_window.isVisible()
    qtbot.waitUntil(lambda: "Steelman guide" in win.guide_window.browser.toPlainText(), timeout=10_000)  # rendered off the GUI thread
    win.guide_window.close()


def test_geometry_and_splitters_are_remembered(make_window) -> None:  # noqa: ANN001
    from PySide6.QtCore import QSettings

    win = make_window()
    win.session_page.splitter.setSizes([150, 850])
    saved = win.session_page.splitter.sizes()
    win.close()
    assert not QSettings().value("mainWindow/geometry").isEmpty()  # the offscreen screen clamps sizes, so check it is stored
    again = make_window()
    assert again.session_page.splitter.sizes() == saved


def test_the_article_highlights_the_claim_and_collapses(qtbot, make_window) -> None:  # noqa: ANN001
    win = make_window()
    qtbot.mouseClick(win.start_page.add_profile_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    win.start_page.start_button.click()  # the Korea pack is listed first
    article = win.findChild(QWidget, "articleView")
    claim = win.session_page.session.current
    assert claim.position >= 0
    assert "background-color" in article.toHtml()
    assert claim.quote[:40] in article.toPlainText()
    toggle = win.findChild(QWidget, "articleToggle")
    toggle.click()
    assert not article.isVisibleTo(win)
    toggle.click()
    assert article.isVisibleTo(win)
