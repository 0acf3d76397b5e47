"""Light and dark palettes: follow the system by default, or a choice from the View menu.

The choice ("system", "light" or "dark") is kept in QSettings. The Fusion
style is used so that both palettes look the same on every platform; fonts
are left alone so the system font size is followed.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from . import design

THEMES = ("system", "light", "dark")
SETTINGS_KEY = "view/theme"

# Highlight colours used in feedback (background, text), readable in both palettes.
# Highlights in the student's response: a key point made, partly made, the selected one, and a
# sentence that argues *for* the claim (never credited).
LIGHT_MARKS = {"covered": ("#c8f0c8", "#0b3d0b"), "partly": ("#fbe6a6", "#4a3800"), "selected": ("#9fd3ff", "#00264d"),
               "supports": ("#f6d0d0", "#5c0a0a")}
DARK_MARKS = {"covered": ("#2e6b34", "#f0fff0"), "partly": ("#7a6210", "#fffbe6"), "selected": ("#1f5f99", "#ffffff"),
              "supports": ("#7a2a2a", "#fff0f0")}


def saved_theme() -> str:
    value = QSettings().value(SETTINGS_KEY, "system")
    return value if value in THEMES else "system"


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def effective_theme(choice: str) -> str:
    if choice == "system":
        return "dark" if system_is_dark() else "light"
    return choice


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 39, 43), QColor(27, 29, 32), QColor(232, 232, 232)
    disabled = QColor(130, 130, 130)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(45, 48, 53))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(55, 58, 64))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(50, 53, 58))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 120, 120))
    p.setColor(QPalette.ColorRole.Link, QColor(120, 180, 255))
    p.setColor(QPalette.ColorRole.LinkVisited, QColor(190, 160, 255))
    p.setColor(QPalette.ColorRole.Highlight, QColor(60, 120, 200))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Light, QColor(70, 73, 79))
    p.setColor(QPalette.ColorRole.Midlight, QColor(60, 63, 69))
    p.setColor(QPalette.ColorRole.Mid, QColor(45, 47, 52))
    p.setColor(QPalette.ColorRole.Dark, QColor(20, 21, 23))
    p.setColor(QPalette.ColorRole.Shadow, QColor(0, 0, 0))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(110, 110, 110))
    return palette


def apply_theme(choice: str) -> str:
    """Apply ``choice`` to the running application and return the effective theme."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return "light"
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    effective = effective_theme(choice)
    app.setProperty("steelmanTheme", effective)
    app.setPalette(with_tokens(dark_palette() if effective == "dark" else light_palette(), effective))
    app.setStyleSheet(design.stylesheet(effective))
    design.retint()
    return effective


def with_tokens(palette: QPalette, effective: str) -> QPalette:
    """``palette`` with the design tokens' surfaces, text and accent, so widgets QSS leaves alone match."""
    t = design.THEMES[effective]
    roles = {
        QPalette.ColorRole.Window: "window", QPalette.ColorRole.Base: "surface", QPalette.ColorRole.AlternateBase: "surface_alt",
        QPalette.ColorRole.WindowText: "text", QPalette.ColorRole.Text: "text", QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.Highlight: "accent", QPalette.ColorRole.HighlightedText: "on_accent",
        QPalette.ColorRole.Link: "accent", QPalette.ColorRole.PlaceholderText: "muted", QPalette.ColorRole.ToolTipBase: "surface",
        QPalette.ColorRole.ToolTipText: "text",
    }
    for role, token in roles.items():
        palette.setColor(QPalette.ColorGroup.Active, role, QColor(t[token]))
        palette.setColor(QPalette.ColorGroup.Inactive, role, QColor(t[token]))
    return palette


def current_marks() -> dict[str, tuple[str, str]]:
    app = QApplication.instance()
    dark = app is not None and app.property("steelmanTheme") == "dark"
    return DARK_MARKS if dark else LIGHT_MARKS
