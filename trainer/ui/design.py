"""Steelman's small design system: spacing, type, colour tokens, icons and the style sheet.

Everything a page needs to look like the rest of the app comes from here:

* **Spacing** — one scale (``XS`` … ``XXL``, in device-independent pixels)
  for margins and gaps, so pages line up.
* **Type** — roles (``display``, ``title``, ``heading``, ``body``, ``small``,
  ``caption``) scaled from the application font, so the system font size (and
  150 % scaling) is followed: :func:`set_role` gives a widget its role.
* **Colour** — tokens per theme (:data:`LIGHT`, :data:`DARK`): surfaces, text,
  the accent, and the three verdicts *covered*, *partly* and *missed*, each a
  foreground on its own background that passes WCAG AA (4.5:1; checked by
  ``tests/ui/test_design.py``).
* **Icons** — one stroke set in ``resources/icons/ui/`` (24 × 24, drawn for
  Steelman), tinted to a token by :func:`icon`.
* **Widgets** — :class:`Card` (a raised surface), :class:`StatusChip` (a
  verdict in words with its icon), and :func:`stylesheet`, the application
  style sheet the theme applies (buttons, cards, chips, inputs, lists).

Qt's own widgets with QSS; no web view.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from ..resources import resources_dir
from .plain import plain_label

# --- spacing (px) ---------------------------------------------------------------------------
XS, S, M, L, XL, XXL = 4, 8, 12, 16, 24, 32
RADIUS, RADIUS_SMALL = 8, 6

# --- type: role -> (scale of the application font, weight) -------------------------------------
TYPE_SCALE: dict[str, tuple[float, QFont.Weight]] = {
    "display": (2.2, QFont.Weight.Bold),
    "title": (1.45, QFont.Weight.DemiBold),
    "heading": (1.15, QFont.Weight.DemiBold),
    "body": (1.0, QFont.Weight.Normal),
    "strong": (1.0, QFont.Weight.DemiBold),
    "small": (0.92, QFont.Weight.Normal),
    "caption": (0.85, QFont.Weight.Normal),
}

# --- colour tokens -------------------------------------------------------------------------------
LIGHT: dict[str, str] = {
    "window": "#f3f4f6", "surface": "#ffffff", "surface_alt": "#f7f8fa", "border": "#d5d9df", "border_strong": "#aab1bb",
    "text": "#1b1f24", "muted": "#59616b", "accent": "#0b5cad", "accent_hover": "#0a4f95", "on_accent": "#ffffff",
    "focus": "#2f81f7",
    "covered": "#116329", "covered_bg": "#dcf5e3", "covered_border": "#6fcf8a",
    "partly": "#7a4b00", "partly_bg": "#fff3c4", "partly_border": "#e0b640",
    "missed": "#a3122a", "missed_bg": "#ffe8e8", "missed_border": "#f19a9f",
    "supports": "#a3122a", "supports_bg": "#fbe3e3",
}
DARK: dict[str, str] = {
    "window": "#1f2226", "surface": "#292d32", "surface_alt": "#24272c", "border": "#3d424a", "border_strong": "#5b626c",
    "text": "#e8eaed", "muted": "#a9b1bb", "accent": "#5aa2f0", "accent_hover": "#78b4f4", "on_accent": "#0b1520",
    "focus": "#78b4f4",
    "covered": "#8ee3a5", "covered_bg": "#173a24", "covered_border": "#2f7a47",
    "partly": "#f3cf6a", "partly_bg": "#3b3009", "partly_border": "#8a6d14",
    "missed": "#ffa3a8", "missed_bg": "#4a1a1e", "missed_border": "#93363e",
    "supports": "#ffb3b3", "supports_bg": "#5a2226",
}
THEMES = {"light": LIGHT, "dark": DARK}

# A verdict in words, with its icon.
STATUS_WORDS = {"covered": "Covered", "partly": "Partly made", "missed": "Missed"}
STATUS_ICONS = {"covered": "covered", "partly": "partly", "missed": "missed"}


def current_theme() -> str:
    app = QApplication.instance()
    return "dark" if app is not None and app.property("steelmanTheme") == "dark" else "light"


def tokens(theme: str | None = None) -> dict[str, str]:
    """The colour tokens of ``theme`` (default: the one applied)."""
    return THEMES[theme or current_theme()]


def color(name: str, theme: str | None = None) -> QColor:
    return QColor(tokens(theme)[name])


# --- contrast (WCAG 2.x) -------------------------------------------------------------------------
def _luminance(hex_colour: str) -> float:
    c = QColor(hex_colour)

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# --- type ------------------------------------------------------------------------------------------
def font(role: str, base: QFont | None = None) -> QFont:
    """The application font scaled for ``role`` (follows the system font size)."""
    scale, weight = TYPE_SCALE[role]
    f = QFont(base if base is not None else QApplication.font())
    size = f.pointSizeF()
    if size > 0:
        f.setPointSizeF(size * scale)
    else:  # a pixel-sized font
        f.setPixelSize(max(1, round(f.pixelSize() * scale)))
    f.setWeight(weight)
    return f


def set_role(widget: QWidget, role: str) -> QWidget:
    """Give ``widget`` a type role: its font, and a ``textRole`` property the style sheet colours."""
    widget.setFont(font(role))
    widget.setProperty("textRole", role)
    return widget


def label(text: str = "", role: str = "body", parent: QWidget | None = None, *, name: str | None = None, wrap: bool = False,
          muted: bool = False) -> QLabel:
    """A plain-text label in a type role (``muted`` for secondary text; pack text is never read as markup)."""
    widget = plain_label(text, parent)
    set_role(widget, role)
    if muted:
        widget.setProperty("muted", True)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


# --- icons -----------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _svg(name: str) -> str:
    return (resources_dir() / "icons" / "ui" / f"{name}.svg").read_text(encoding="utf-8")


def icon_names() -> list[str]:
    return sorted(p.stem for p in (resources_dir() / "icons" / "ui").glob("*.svg"))


def pixmap(name: str, size: int = 16, colour: str | QColor | None = None) -> QPixmap:
    """Icon ``name`` drawn ``size`` px square in ``colour`` (default: the text token), sharp on HiDPI."""
    tint = QColor(colour) if colour is not None else color("text")
    svg = _svg(name).replace("currentColor", tint.name())
    app = QApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    image = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def icon(name: str, colour: str | QColor | None = None, size: int = 20) -> QIcon:
    """Icon ``name`` tinted to ``colour`` (a token name or a colour; default: the text token)."""
    if isinstance(colour, str) and colour in tokens():
        colour = color(colour)
    result = QIcon()
    result.addPixmap(pixmap(name, size, colour))
    result.addPixmap(pixmap(name, size, color("muted")), QIcon.Mode.Disabled)
    return result


def set_icon(button: QWidget, name: str, colour: str | None = None, size: int = 20) -> None:
    """Give ``button`` icon ``name`` in token ``colour``, re-tinted when the theme changes (:func:`retint`)."""
    button.setProperty("designIcon", f"{name}|{colour or ''}|{size}")
    button.setIcon(icon(name, colour, size))  # type: ignore[attr-defined]


def retint() -> None:
    """Re-draw every :func:`set_icon` icon in the applied theme's colours."""
    for widget in QApplication.allWidgets():
        spec = widget.property("designIcon")
        if isinstance(spec, str) and hasattr(widget, "setIcon"):
            name, colour, size = spec.split("|")
            widget.setIcon(icon(name, colour or None, int(size)))


# --- widgets ---------------------------------------------------------------------------------------
class Card(QFrame):
    """A raised surface with the card border and radius (``status`` tints its border)."""

    def __init__(self, parent: QWidget | None = None, *, status: str | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        if status:
            self.setProperty("status", status)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def set_status(self, status: str | None) -> None:
        self.setProperty("status", status or "")
        repolish(self)


class StatusChip(QWidget):
    """A verdict as a chip: its icon and its word, on the verdict's colours."""

    def __init__(self, status: str = "missed", parent: QWidget | None = None, *, text: str | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("chip", status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(S, 2, S + 2, 2)
        layout.setSpacing(XS)
        self.icon_label = plain_label()
        self.text_label = plain_label()
        set_role(self.text_label, "small")
        self.text_label.setProperty("chipText", status)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.text_label)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_status(status, text=text)

    def set_status(self, status: str, *, text: str | None = None) -> None:
        self.status = status
        words = text or STATUS_WORDS.get(status, status)
        self.setProperty("chip", status)
        self.text_label.setProperty("chipText", status)
        self.text_label.setText(words)
        self.icon_label.setPixmap(pixmap(STATUS_ICONS.get(status, "missed"), 14, tokens().get(status, tokens()["text"])))
        self.setAccessibleName(words)
        repolish(self)
        repolish(self.text_label)

    def text(self) -> str:
        return self.text_label.text()


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


# --- the application style sheet ---------------------------------------------------------------------
def stylesheet(theme: str) -> str:
    """The style sheet for ``theme``: no font sizes (the type roles set fonts), so system sizes hold."""
    t = THEMES[theme]
    check = (resources_dir() / "icons" / "ui" / "indicator" / f"check-{theme}.svg").as_posix()  # on_accent, drawn ahead
    chips = "\n".join(
        f'QWidget[chip="{s}"] {{ background: {t[s + "_bg"]}; border: 1px solid {t[s + "_border"]}; border-radius: 10px; }}\n'
        f'QLabel[chipText="{s}"] {{ color: {t[s]}; font-weight: 600; background: transparent; }}\n'
        f'QFrame[card="true"][status="{s}"] {{ border-left: 4px solid {t[s + "_border"]}; }}'
        for s in ("covered", "partly", "missed")
    )
    return f"""
QMainWindow, QDialog {{ background: {t["window"]}; }}
QLabel[muted="true"], QLabel[textRole="caption"] {{ color: {t["muted"]}; }}
QFrame[card="true"] {{ background: {t["surface"]}; border: 1px solid {t["border"]}; border-radius: {RADIUS}px; }}
QFrame[card="true"] QLabel {{ background: transparent; }}
{chips}
QPushButton {{
    background: {t["surface"]}; color: {t["text"]}; border: 1px solid {t["border_strong"]};
    border-radius: {RADIUS_SMALL}px; padding: 5px 14px; min-height: 20px;
}}
QPushButton:hover {{ background: {t["surface_alt"]}; border-color: {t["accent"]}; }}
QPushButton:pressed {{ background: {t["border"]}; }}
QPushButton:focus {{ border: 2px solid {t["focus"]}; padding: 4px 13px; }}
QPushButton:disabled {{ color: {t["muted"]}; background: {t["surface_alt"]}; border-color: {t["border"]}; }}
QPushButton[primary="true"] {{ background: {t["accent"]}; color: {t["on_accent"]}; border: 1px solid {t["accent"]}; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: {t["accent_hover"]}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid {t["focus"]}; }}
QPushButton[primary="true"]:disabled {{ background: {t["border"]}; color: {t["muted"]}; border-color: {t["border"]}; }}
QPushButton[flat="true"], QPushButton[link="true"] {{ background: transparent; border: none; color: {t["accent"]}; padding: 4px 6px; }}
QPushButton[link="true"]:hover {{ text-decoration: underline; }}
QPushButton[link="true"]:focus {{ border: 1px dashed {t["focus"]}; padding: 3px 5px; }}
QLineEdit, QPlainTextEdit, QTextEdit, QTextBrowser, QListWidget, QListView, QTreeView, QTableView, QTableWidget {{
    background: {t["surface"]}; color: {t["text"]}; border: 1px solid {t["border"]}; border-radius: {RADIUS_SMALL}px;
}}
QLineEdit {{ padding: 4px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QListWidget:focus, QTreeView:focus, QTableView:focus {{
    border: 1px solid {t["focus"]};
}}
QListWidget::item, QListView::item {{ padding: 4px 6px; border-radius: 4px; }}
QListWidget[wrapping="true"] {{ padding: 2px 4px; }}
QListWidget[wrapping="true"]::item {{ padding: 3px 0px; }}
QListWidget::item:selected, QListView::item:selected {{ background: {t["accent"]}; color: {t["on_accent"]}; }}
QListWidget::item:hover:!selected {{ background: {t["surface_alt"]}; }}
QCheckBox::indicator {{ width: 15px; height: 15px; border: 1px solid {t["muted"]}; border-radius: 4px; background: {t["surface"]}; }}
QCheckBox::indicator:hover {{ border-color: {t["accent"]}; }}
QCheckBox::indicator:focus {{ border: 2px solid {t["focus"]}; }}
QCheckBox::indicator:checked {{ background: {t["accent"]}; border-color: {t["accent"]}; image: url({check}); }}
QCheckBox::indicator:disabled {{ background: {t["surface_alt"]}; border-color: {t["border"]}; }}
QProgressBar {{ background: {t["surface_alt"]}; border: 1px solid {t["border"]}; border-radius: 5px; text-align: center; color: {t["text"]}; min-height: 14px; }}
QProgressBar::chunk {{ background: {t["accent"]}; border-radius: 4px; }}
QToolTip {{ background: {t["surface"]}; color: {t["text"]}; border: 1px solid {t["border_strong"]}; padding: 4px; }}
QTabWidget::pane {{ border: 1px solid {t["border"]}; border-radius: {RADIUS_SMALL}px; background: {t["surface"]}; top: -1px; }}
QTabBar::tab {{ padding: 6px 14px; color: {t["muted"]}; border: none; border-bottom: 2px solid transparent; background: transparent; }}
QTabBar::tab:selected {{ color: {t["text"]}; border-bottom: 2px solid {t["accent"]}; }}
QTabBar::tab:hover:!selected {{ color: {t["text"]}; }}
QSplitter::handle {{ background: transparent; }}
QStatusBar {{ color: {t["muted"]}; }}
QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
"""
