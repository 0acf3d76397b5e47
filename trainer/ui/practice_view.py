"""The practice view: the claim, the article, "Argue as:", the editor, the prep timer."""

from __future__ import annotations

import html
import time
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.limits import SCORED_CHARS
from ..core.packs import Claim, Pack
from . import dialogs
from .formatting import display_quote
from .plain import plain_label, plain_tooltip
from .theme import current_marks
from .timer import PRESET_MINUTES, PrepTimer, format_remaining

CUSTOM = -1


def word_count(text: str) -> int:
    return len(text.split())


def article_html(article: str, start: int, length: int, marks: dict[str, tuple[str, str]]) -> str:
    """The article as HTML paragraphs, with ``article[start:start+length]`` highlighted and anchored."""

    def para(text: str) -> str:
        return html.escape(text).replace("\n\n", "</p><p>").replace("\n", "<br>")

    if 0 <= start < len(article) and length > 0:
        bg, fg = marks["selected"]
        end = min(len(article), start + length)
        body = (
            para(article[:start])
            + f'<a name="claim"></a><span style="background-color:{bg}; color:{fg}; font-weight:600">'
            + para(article[start:end])
            + "</span>"
            + para(article[end:])
        )
    else:
        body = para(article)
    return f"<p>{body}</p>"


class PracticeView(QWidget):
    submit_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    skip_requested = Signal()
    text_edited = Signal()
    perspective_chosen = Signal(object)  # str | None

    def __init__(self, parent: QWidget | None = None, *, timer_clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("practiceView")
        self._loading = False
        self._pack: Pack | None = None
        self._current_claim: Claim | None = None

        self.claim_position = plain_label("", self)
        self.claim_position.setObjectName("claimPosition")
        self.claim_text = plain_label("", self)
        self.claim_text.setObjectName("claimText")
        self.claim_text.setAccessibleName("Claim")
        self.claim_text.setWordWrap(True)
        self.claim_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.claim_text.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.claim_text.setFont(font)

        self.article_toggle = QToolButton(self)
        self.article_toggle.setObjectName("articleToggle")
        self.article_toggle.setAccessibleName("Show or hide the article")
        self.article_toggle.setCheckable(True)
        self.article_toggle.setChecked(True)
        self.article_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.article_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.article_toggle.setText("Article (click to hide)")
        self.article_toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.article_toggle.toggled.connect(self.on_article_toggle_toggled)
        self.article_view = QTextBrowser(self)
        self.article_view.setObjectName("articleView")
        self.article_view.setAccessibleName("Article")
        self.article_view.setOpenLinks(False)
        self.article_view.setOpenExternalLinks(False)

        perspective_label = plain_label("Argue &as:", self)
        self.perspective_selector = QComboBox(self)
        self.perspective_selector.setObjectName("perspectiveSelector")
        self.perspective_selector.setAccessibleName("Argue as")
        self.perspective_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        perspective_label.setBuddy(self.perspective_selector)
        self.perspective_selector.currentIndexChanged.connect(self.on_perspective_selector_changed)
        self.perspective_note = plain_label("", self)
        self.perspective_note.setObjectName("perspectiveNote")
        self.perspective_note.setWordWrap(True)
        self.perspective_note.setAccessibleName("About this perspective")

        editor_label = plain_label("Your &counterargument:", self)
        self.response_editor = QPlainTextEdit(self)
        self.response_editor.setObjectName("responseEditor")
        self.response_editor.setAccessibleName("Your counterargument")
        self.response_editor.setPlaceholderText("Write the strongest counterargument to the claim…")
        self.response_editor.setTabChangesFocus(True)
        editor_label.setBuddy(self.response_editor)
        self.response_editor.textChanged.connect(self.on_response_editor_text_changed)
        self.word_count = plain_label("0 words", self)
        self.word_count.setObjectName("wordCount")
        self.word_count.setAccessibleName("Word count")

        # -- prep timer
        timer_label = plain_label("Prep &timer:", self)
        self.timer_preset = QComboBox(self)
        self.timer_preset.setObjectName("timerPreset")
        self.timer_preset.setAccessibleName("Prep timer length")
        for minutes in PRESET_MINUTES:
            self.timer_preset.addItem(f"{minutes} min", minutes * 60)
        self.timer_preset.addItem("Custom…", CUSTOM)
        self.timer_preset.setCurrentIndex(2)
        timer_label.setBuddy(self.timer_preset)
        self.timer_button = QPushButton("Start t&imer", self)
        self.timer_button.setObjectName("timerStartButton")
        self.timer_button.setAccessibleName("Start or pause the prep timer")
        self.timer_button.setAutoDefault(False)
        self.timer_button.clicked.connect(self.on_timer_button_clicked)
        self.timer_reset_button = QPushButton("Reset", self)
        self.timer_reset_button.setObjectName("timerResetButton")
        self.timer_reset_button.setAccessibleName("Reset the prep timer")
        self.timer_reset_button.setAutoDefault(False)
        self.timer_reset_button.clicked.connect(self.on_timer_reset_button_clicked)
        self.timer_label = plain_label("--:--", self)
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setAccessibleName("Time left")
        mono = QFont(self.timer_label.font())
        mono.setBold(True)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.timer_label.setFont(mono)
        self.length_notice = plain_label(
            f"This response is very long: only the first {SCORED_CHARS:,} characters are scored. "
            "All of it is kept in your draft.",
            self,
        )
        self.length_notice.setObjectName("lengthNotice")
        self.length_notice.setAccessibleName("Length notice")
        self.length_notice.setWordWrap(True)
        self.length_notice.hide()
        self.timer_notice = plain_label("Time is up. You can keep writing and submit when you are ready.", self)
        self.timer_notice.setObjectName("timerNotice")
        self.timer_notice.setWordWrap(True)
        self.timer_notice.hide()
        self.timer = PrepTimer(self, clock=timer_clock)
        self.timer.ticked.connect(self.on_timer_ticked)
        self.timer.expired.connect(self.on_timer_expired)
        self.timer.state_changed.connect(self._update_timer_controls)

        # -- busy indicator
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("scoringProgress")
        self.busy_bar.setAccessibleName("Scoring in progress")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(10)
        self.busy_label = plain_label("Scoring your response…", self)
        self.busy_label.setObjectName("busyLabel")
        self.busy_bar.hide()
        self.busy_label.hide()

        # -- navigation
        self.previous_button = self._button("previousButton", "◀ &Previous", "Previous claim (Alt+Left)", self.previous_requested)
        self.skip_button = self._button("skipButton", "S&kip", "Skip this claim", self.skip_requested)
        self.next_button = self._button("nextButton", "&Next ▶", "Next claim (Alt+Right)", self.next_requested)
        self.submit_button = self._button("submitButton", "S&ubmit", "Submit your response (Ctrl+Return)", self.submit_requested)
        self.submit_button.setDefault(False)

        # -- layout
        article_box = QWidget(self)
        article_layout = QVBoxLayout(article_box)
        article_layout.setContentsMargins(0, 0, 0, 0)
        article_layout.addWidget(self.article_view)
        editor_box = QWidget(self)
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(perspective_label)
        row.addWidget(self.perspective_selector)
        row.addStretch(1)
        editor_layout.addLayout(row)
        editor_layout.addWidget(self.perspective_note)
        editor_layout.addWidget(editor_label)
        editor_layout.addWidget(self.response_editor, 1)
        row = QHBoxLayout()
        row.addWidget(self.word_count)
        row.addStretch(1)
        row.addWidget(timer_label)
        row.addWidget(self.timer_preset)
        row.addWidget(self.timer_button)
        row.addWidget(self.timer_reset_button)
        row.addWidget(self.timer_label)
        editor_layout.addLayout(row)
        editor_layout.addWidget(self.timer_notice)
        editor_layout.addWidget(self.length_notice)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("practiceSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(article_box)
        self.splitter.addWidget(editor_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._article_box = article_box

        layout = QVBoxLayout(self)
        layout.addWidget(self.claim_position)
        layout.addWidget(self.claim_text)
        layout.addWidget(self.article_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.splitter, 1)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        layout.addLayout(busy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)

        for first, second in [
            (self.perspective_selector, self.response_editor),
            (self.response_editor, self.submit_button),
            (self.submit_button, self.previous_button),
            (self.previous_button, self.skip_button),
            (self.skip_button, self.next_button),
            (self.next_button, self.timer_preset),
            (self.timer_preset, self.timer_button),
            (self.timer_button, self.timer_reset_button),
            (self.timer_reset_button, self.article_toggle),
            (self.article_toggle, self.article_view),
        ]:
            QWidget.setTabOrder(first, second)
        visible = QSettings().value("practice/articleVisible", True, type=bool)
        self.article_toggle.setChecked(bool(visible))
        self.on_article_toggle_toggled(bool(visible))
        self._update_timer_controls()

    def _button(self, name: str, text: str, tip: str, signal: Signal) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(tip.split(" (")[0])
        button.setToolTip(plain_tooltip(tip))
        button.setAutoDefault(True)
        button.clicked.connect(signal.emit)
        return button

    # -- rendering ---------------------------------------------------------
    def show_claim(
        self,
        *,
        pack: Pack,
        claim: Claim,
        label: str,
        perspective_id: str | None,
        text: str,
        cursor_position: int,
        can_go_back: bool,
        can_go_forward: bool,
    ) -> None:
        self._loading = True
        try:
            self.claim_position.setText(f"{label} · {claim.kind_label} · difficulty {'●' * claim.difficulty}{'○' * max(0, 3 - claim.difficulty)}")
            self.claim_position.setAccessibleName(label)
            self.claim_text.setText(f"“{display_quote(claim.quote)}”")
            self._show_article(pack, claim)
            self.perspective_selector.clear()
            self.perspective_selector.addItem("My own view", None)
            self.perspective_selector.setItemData(0, "Argue from your own point of view.", Qt.ItemDataRole.ToolTipRole)
            for i, p in enumerate(pack.perspectives, start=1):
                self.perspective_selector.addItem(p.name, p.id)
                self.perspective_selector.setItemData(i, plain_tooltip(" ".join(p.description.split())), Qt.ItemDataRole.ToolTipRole)
            index = max(0, self.perspective_selector.findData(perspective_id)) if perspective_id else 0
            self.perspective_selector.setCurrentIndex(index)
            self._show_perspective_note(pack)
            self.response_editor.setPlainText(text)
            cursor = self.response_editor.textCursor()
            cursor.setPosition(min(max(cursor_position, 0), len(text)))
            self.response_editor.setTextCursor(cursor)
            self.response_editor.document().clearUndoRedoStacks()
            self._update_word_count()
        finally:
            self._loading = False
        self._pack = pack
        self._current_claim = claim
        self.previous_button.setEnabled(can_go_back)
        self.next_button.setEnabled(True)
        self.next_button.setText("&Next ▶" if can_go_forward else "&Finish ▶")
        self.skip_button.setEnabled(True)
        self.timer.stop()
        self.timer_label.setText("--:--")
        self.timer_notice.hide()
        self.set_busy(False)

    def _show_article(self, pack: Pack, claim: Claim) -> None:
        self.article_view.setHtml(article_html(pack.article, claim.position, len(claim.quote), current_marks()))
        self.article_view.setToolTip(plain_tooltip(pack.attribution))
        if claim.position >= 0:
            self.article_view.scrollToAnchor("claim")

    def _show_perspective_note(self, pack: Pack | None) -> None:
        pid = self.perspective_selector.currentData()
        if pid is None or pack is None:
            self.perspective_note.setText("Argue from your own point of view.")
            self.perspective_selector.setToolTip("Argue from your own point of view.")
            return
        description = " ".join(pack.perspective(pid).description.split())
        self.perspective_note.setText(description)
        self.perspective_selector.setToolTip(plain_tooltip(description))

    def _update_word_count(self) -> None:
        text = self.response_editor.toPlainText()
        n = word_count(text)
        self.word_count.setText(f"{n:,} word" if n == 1 else f"{n:,} words")
        self.length_notice.setVisible(len(text) > SCORED_CHARS)

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        for widget in (self.submit_button, self.previous_button, self.next_button, self.skip_button, self.perspective_selector):
            widget.setEnabled(not busy)
        self.response_editor.setReadOnly(busy)

    def refresh_theme(self) -> None:
        if self._pack is not None and self._current_claim is not None:
            self._show_article(self._pack, self._current_claim)

    # -- questions -----------------------------------------------------------
    def text(self) -> str:
        return self.response_editor.toPlainText()

    def cursor_position(self) -> int:
        return self.response_editor.textCursor().position()

    def perspective_id(self) -> str | None:
        return self.perspective_selector.currentData()

    def focus_editor(self) -> None:
        self.response_editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.response_editor.moveCursor(QTextCursor.MoveOperation.NoMove)

    # -- slots -------------------------------------------------------------
    def on_response_editor_text_changed(self) -> None:
        self._update_word_count()
        if not self._loading:
            self.text_edited.emit()

    def on_perspective_selector_changed(self, _index: int) -> None:
        if self._loading:
            return
        self._show_perspective_note(self._pack)
        self.perspective_chosen.emit(self.perspective_selector.currentData())

    def on_article_toggle_toggled(self, checked: bool) -> None:
        self._article_box.setVisible(checked)
        self.article_toggle.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)
        self.article_toggle.setText("Article (click to hide)" if checked else "Article (click to show)")
        QSettings().setValue("practice/articleVisible", checked)

    def on_timer_button_clicked(self) -> None:
        if self.timer.running:
            self.timer.pause()
        elif self.timer.paused:
            self.timer.resume()
        else:
            seconds = self.timer_preset.currentData()
            if seconds == CUSTOM:
                minutes = dialogs.ask_minutes(self, "Prep timer", "Minutes:")
                if minutes is None:
                    return
                seconds = minutes * 60
            self.timer_notice.hide()
            self.timer.start(seconds)

    def on_timer_reset_button_clicked(self) -> None:
        self.timer.stop()
        self.timer_label.setText("--:--")
        self.timer_notice.hide()

    def on_timer_ticked(self, remaining: float) -> None:
        self.timer_label.setText(format_remaining(remaining))

    def on_timer_expired(self) -> None:
        self.timer_label.setText("Time's up")
        self.timer_notice.show()

    def _update_timer_controls(self) -> None:
        if self.timer.running:
            self.timer_button.setText("Pause t&imer")
        elif self.timer.paused:
            self.timer_button.setText("Resume t&imer")
        else:
            self.timer_button.setText("Start t&imer")
        self.timer_preset.setEnabled(not self.timer.running and not self.timer.paused)
        self.timer_reset_button.setEnabled(self.timer.active)
