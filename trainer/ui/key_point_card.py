"""Key points as cards: the verdict as a chip, the statement, the student's sentences, the model rebuttal.

:class:`KeyPointCardList` holds the cards in a scroll area, in sections
("To work on", "Made", …). One card is *current* (the one a dispute is about,
whose sentences the response highlights). Keyboard: the current card is the
one Tab reaches (a roving tab stop), Up/Down (and Home/End) move between
cards, Enter or Space shows or hides the model rebuttal. Each card's
accessible name is "Covered: <statement>".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from . import design
from .markdown_view import MarkdownBrowser
from .plain import plain_label

def text_label(text: str = "", role: str = "body", *, muted: bool = False, wrap: bool = True, name: str = "",
               parent: QWidget | None = None) -> QLabel:
    """``design.label`` with word wrap on by default: card and dialog text wraps."""
    return design.label(text, role, parent, name=name or None, wrap=wrap, muted=muted)


STATUS_NAMES = {"covered": "Covered", "partly": "Partly made", "missed": "Missed", "off-list": "Your own point"}
QUOTE_CHARS = 280


class AutoHeightBrowser(MarkdownBrowser):
    """A Markdown browser as tall as its text (no scroll bar of its own: the card list scrolls)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTextBrowser { border: none; background: transparent; }")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the card has the tab stop; a click may select text

    def _fit(self) -> None:
        height = round(self.document().size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(max(height, self.fontMetrics().height()))


class KeyPointCard(design.Card):
    """One key point (or one of the student's own points off the list)."""

    selected = Signal(object)          # this card, when clicked
    move_requested = Signal(object, int)  # this card, +1/-1 (or ±1000 for End/Home)
    expanded_changed = Signal(bool)

    def __init__(
        self,
        key_point_id: str,
        status: str,
        statement: str,
        *,
        quotes: Sequence[str] = (),
        perspective: str = "",
        own_side: bool = False,
        note: str = "",
        rebuttal_parts: Sequence[tuple[str, str]] = (),
        on_link: Callable[[QUrl], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, status=status if status in ("covered", "partly", "missed") else None)
        self.key_point_id = key_point_id
        self.status = status
        self.statement = statement
        self.quotes = tuple(quotes)
        self._current = False
        self._parts = list(rebuttal_parts)
        self._on_link = on_link
        self.rebuttal_view: AutoHeightBrowser | None = None
        self.setObjectName("keyPointCard")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.M + 2, design.M, design.M, design.M)
        layout.setSpacing(design.S)
        top = QHBoxLayout()
        top.setSpacing(design.S)
        if status in ("covered", "partly", "missed"):
            self.chip: QWidget = design.StatusChip(status, self)
        else:
            self.chip = text_label(STATUS_NAMES.get(status, status), "small", muted=True, wrap=False, parent=self)
        top.addWidget(self.chip)
        self.perspective_label = text_label(perspective, "caption", muted=True, name="keyPointPerspective", parent=self)
        self.perspective_label.setVisible(bool(perspective))
        if own_side:
            self.perspective_label.setProperty("muted", False)
            design.set_role(self.perspective_label, "small")
        top.addWidget(self.perspective_label, 1)
        layout.addLayout(top)

        self.statement_label = plain_label(statement, self)
        self.statement_label.setObjectName("keyPointStatement")
        design.set_role(self.statement_label, "strong")
        self.statement_label.setWordWrap(True)
        layout.addWidget(self.statement_label)

        self.quote_label = plain_label("\n".join(f"“{_short(q)}”" for q in self.quotes), self)
        self.quote_label.setObjectName("keyPointQuote")
        design.set_role(self.quote_label, "small")
        self.quote_label.setWordWrap(True)
        self.quote_label.setIndent(design.S)
        self.quote_label.setVisible(bool(self.quotes))
        layout.addWidget(self.quote_label)

        self.note_label = plain_label(note, self)
        self.note_label.setObjectName("keyPointNote")
        design.set_role(self.note_label, "small")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        layout.addWidget(self.note_label)

        self.toggle_button = QPushButton("Show model rebuttal", self)
        self.toggle_button.setObjectName("rebuttalToggle")
        self.toggle_button.setProperty("link", True)
        self.toggle_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter/Space on the card does the same
        self.toggle_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle_button.clicked.connect(self.toggle)
        self.toggle_button.pressed.connect(lambda: self.selected.emit(self))
        self.toggle_button.setVisible(bool(self._parts))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._layout = layout
        self._refresh_icon()
        self._describe()

    # -- state -------------------------------------------------------------------------------------
    def text(self) -> str:
        """The card as plain text: its verdict, statement and any dispute note."""
        lines = [f"{STATUS_NAMES.get(self.status, self.status)}: {self.statement}"]
        if self.note_label.text():
            lines.append(self.note_label.text())
        return "\n".join(lines)

    def set_note(self, note: str) -> None:
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self._describe()

    def _describe(self) -> None:
        self.setAccessibleName(f"{STATUS_NAMES.get(self.status, self.status)}: {self.statement}")
        parts = []
        if self.quotes:
            parts.append("Your sentence: " + " ".join(f"“{_short(q)}”" for q in self.quotes))
        if self.perspective_label.text():
            parts.append(self.perspective_label.text())
        if self.note_label.text():
            parts.append(self.note_label.text())
        if self._parts:
            parts.append("Press Enter to " + ("hide" if self.is_expanded() else "show") + " the model rebuttal.")
        self.setAccessibleDescription(" ".join(parts))

    def is_current(self) -> bool:
        return self._current

    def set_current(self, current: bool) -> None:
        self._current = current
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if current else Qt.FocusPolicy.ClickFocus)
        self.update()

    def is_expanded(self) -> bool:
        return self.rebuttal_view is not None and self.rebuttal_view.isVisibleTo(self)

    def set_expanded(self, expanded: bool) -> None:
        if not self._parts or expanded == self.is_expanded():
            return
        if expanded and self.rebuttal_view is None:
            self.rebuttal_view = AutoHeightBrowser(self)
            self.rebuttal_view.setObjectName("cardRebuttalView")
            self.rebuttal_view.setAccessibleName(f"Model rebuttal: {self.statement}")
            if self._on_link is not None:
                self.rebuttal_view.anchorClicked.connect(self._on_link)
            self._layout.addWidget(self.rebuttal_view)
            self.rebuttal_view.show_parts(self._parts)  # off the GUI thread unless cached
        if self.rebuttal_view is not None:
            self.rebuttal_view.setVisible(expanded)
        self.toggle_button.setText("Hide model rebuttal" if expanded else "Show model rebuttal")
        self._refresh_icon()
        self._describe()
        self.expanded_changed.emit(expanded)

    def toggle(self) -> None:
        self.set_expanded(not self.is_expanded())

    def refresh_theme(self) -> None:
        self._refresh_icon()
        if self.rebuttal_view is not None:
            self.rebuttal_view.show_parts(self._parts)  # links take the new palette's colours
        if isinstance(self.chip, design.StatusChip):
            self.chip.set_status(self.chip.status)

    def _refresh_icon(self) -> None:
        design.set_icon(self.toggle_button, "chevron-down" if self.is_expanded() else "chevron-right", "accent", 16)

    # -- events ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.toggle()
            return
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Home: -1000, Qt.Key.Key_End: 1000}
        if key in moves and not event.modifiers():
            self.move_requested.emit(self, moves[key])
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.selected.emit(self)
        super().mousePressEvent(event)

    def focusInEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        if not self._current:
            self.selected.emit(self)
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.update()
        super().focusOutEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
        super().changeEvent(event)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not (self._current or self.hasFocus()):
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(design.color("focus" if self.hasFocus() else "accent"), 2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), design.RADIUS, design.RADIUS)
        painter.end()


class KeyPointCardList(QScrollArea):
    """The cards, in titled sections, in a scroll area; one card is current."""

    current_changed = Signal(object)  # the current KeyPointCard, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyPointList")
        self.setAccessibleName("Key points and verdicts")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus goes to the current card (its focus proxy)
        self._body = QWidget()
        self._body.setObjectName("keyPointListBody")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(0, 0, design.S, 0)
        self._layout.setSpacing(design.S)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self._cards: list[KeyPointCard] = []
        self._current: KeyPointCard | None = None
        self.section_labels: list[QLabel] = []

    # -- content -------------------------------------------------------------------------------------
    def set_sections(self, sections: Sequence[tuple[str, Sequence[KeyPointCard]]]) -> None:
        """Replace the content: each section a heading and its cards (empty sections are left out)."""
        self.setFocusProxy(None)
        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._cards, self._current, self.section_labels = [], None, []
        index = 0
        for title, cards in sections:
            if not cards:
                continue
            heading = text_label(title, "heading", name="keyPointSection")
            if index:
                heading.setContentsMargins(0, design.M, 0, 0)
            self._layout.insertWidget(index, heading)
            heading.show()
            self.section_labels.append(heading)
            index += 1
            for card in cards:
                card.setParent(self._body)
                card.selected.connect(self.set_current)
                card.move_requested.connect(self._move)
                self._layout.insertWidget(index, card)
                card.show()  # at once, not when the layout gets round to it: setFocus() may follow
                self._cards.append(card)
                index += 1

    def cards(self) -> list[KeyPointCard]:
        return list(self._cards)

    def card(self, key_point_id: str) -> KeyPointCard | None:
        return next((c for c in self._cards if c.key_point_id == key_point_id), None)

    def current_card(self) -> KeyPointCard | None:
        return self._current

    def current_key_point_id(self) -> str | None:
        return None if self._current is None else self._current.key_point_id

    def set_current(self, card: KeyPointCard | str | None, *, focus: bool = False) -> None:
        if isinstance(card, str):
            card = self.card(card)
        if card is not None and card not in self._cards:
            return
        if card is not self._current:
            if self._current is not None:
                self._current.set_current(False)
            self._current = card
            if card is not None:
                card.set_current(True)
            self.setFocusProxy(card)
            self.current_changed.emit(card)
        if card is not None:
            self.ensureWidgetVisible(card, 0, design.S)
            if focus:
                card.setFocus(Qt.FocusReason.OtherFocusReason)

    def _move(self, card: KeyPointCard, step: int) -> None:
        if card not in self._cards:
            return
        index = max(0, min(len(self._cards) - 1, self._cards.index(card) + step))
        self.set_current(self._cards[index], focus=True)

    def refresh_theme(self) -> None:
        for card in self._cards:
            card.refresh_theme()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"
