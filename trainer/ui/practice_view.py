"""The practice view: the claim, the article, "Argue as:", the editor, the prep timer.

After "Try again" the revision checklist (:mod:`.checklist`) sits beside the
editor with the last attempt's verdicts. The article keeps the claim in the
middle of its viewport, with the sentences before it in view.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QShowEvent, QTextCursor, QTextLayout
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
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
from ..core.words import word_count
from . import design, dialogs
from .checklist import RevisionChecklist
from .formatting import display_quote
from .plain import plain_label, plain_tooltip
from .theme import current_marks
from .timer import PRESET_MINUTES, PrepTimer, format_remaining

if TYPE_CHECKING:
    from ..core.matching import MatchResult

CUSTOM = -1
CHECKLIST_SHARE = 0.38  # of the page's width, when the checklist first opens
CHECKLIST_SHARE_KEY = "practice/checklistShare"  # then the share the user drags it to
NOTE_LINES = 3  # a perspective's description shows this many lines until "More" is pressed

__all__ = ["PracticeView", "article_html", "claim_range", "word_count"]


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


def elide_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """``text`` as it fits in ``lines`` lines of ``width`` pixels, the last one ending in "…"."""
    if width <= 0 or not text:
        return text
    layout = QTextLayout(text, font)
    layout.beginLayout()
    starts = []
    while len(starts) <= lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= lines:
        return text
    last = starts[lines - 1]
    return text[:last] + QFontMetrics(font).elidedText(text[last:].replace("\n", " "), Qt.TextElideMode.ElideRight, width)


def claim_range(browser: QTextBrowser, background: str) -> tuple[int, int] | None:
    """Where the highlighted claim is in ``browser``'s document: (first, last) character positions."""
    wanted = background.lower()
    first = last = None
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.background().style() != Qt.BrushStyle.NoBrush and fmt.background().color().name() == wanted:
                if first is None:
                    first = fragment.position()
                last = fragment.position() + fragment.length() - 1
            it += 1
        block = block.next()
    return None if first is None or last is None else (first, last)


class ArticleBrowser(QTextBrowser):
    """The article; tells the view after a resize (the text is laid out again by then)."""

    resized = Signal()
    shown = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.resized.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.shown.emit()


class Footer(QWidget):
    """The word count and the prep timer, then the navigation and Submit: one row when
    it fits, two when the page is narrow (or the font is large), never wider than the page."""

    def __init__(self, meta: QHBoxLayout, actions: QHBoxLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceFooter")
        self.meta, self.actions = meta, actions
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(design.L)
        self.box.addLayout(meta)
        self.box.addLayout(actions)

    def _one_row_width(self) -> int:
        return self.meta.sizeHint().width() + self.actions.sizeHint().width() + self.box.spacing()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(self.meta.minimumSize().width(), self.actions.minimumSize().width())
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        direction = QBoxLayout.Direction.LeftToRight if width >= self._one_row_width() else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.box.setSpacing(design.L if direction == QBoxLayout.Direction.LeftToRight else design.S)

    @property
    def one_row(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.LeftToRight


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
        self._follow_claim = True  # keep the claim centred until the user scrolls the article

        # -- the claim
        self.claim_position = plain_label("", self)
        self.claim_position.setObjectName("claimPosition")
        design.set_role(self.claim_position, "caption")
        self.claim_text = plain_label("", self)
        self.claim_text.setObjectName("claimText")
        self.claim_text.setAccessibleName("Claim")
        self.claim_text.setWordWrap(True)
        self.claim_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        design.set_role(self.claim_text, "title")

        # -- the article, in a card
        self.article_toggle = QToolButton(self)
        self.article_toggle.setObjectName("articleToggle")
        self.article_toggle.setAccessibleName("Show or hide the article")
        self.article_toggle.setCheckable(True)
        self.article_toggle.setChecked(True)
        self.article_toggle.setAutoRaise(True)
        self.article_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.article_toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        design.set_role(self.article_toggle, "strong")
        self.article_toggle.setStyleSheet("QToolButton#articleToggle { border: none; background: transparent; padding: 2px 4px; }")
        self.article_toggle.toggled.connect(self.on_article_toggle_toggled)
        self.article_view = ArticleBrowser(self)
        self.article_view.setObjectName("articleView")
        self.article_view.setAccessibleName("Article")
        self.article_view.setOpenLinks(False)
        self.article_view.setOpenExternalLinks(False)
        self.article_view.setFrameShape(QFrame.Shape.NoFrame)
        self.article_view.resized.connect(self._keep_claim_centred)
        self.article_view.shown.connect(self._keep_claim_centred)
        self.article_view.verticalScrollBar().actionTriggered.connect(self._on_article_scrolled_by_user)

        # -- argue as, the editor
        perspective_label = plain_label("Argue &as:", self)
        design.set_role(perspective_label, "strong")
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
        design.set_role(self.perspective_note, "small")
        self.perspective_note.setProperty("muted", True)
        self.perspective_note.installEventFilter(self)
        self._note_text = ""
        self._note_width = -1
        self.perspective_more = QPushButton("More", self)
        self.perspective_more.setObjectName("perspectiveMore")
        self.perspective_more.setProperty("link", True)
        self.perspective_more.setCheckable(True)
        self.perspective_more.setAutoDefault(False)
        self.perspective_more.setAccessibleName("Show the whole description of this perspective")
        self.perspective_more.toggled.connect(lambda _checked: self._fit_perspective_note())
        self.perspective_more.hide()

        editor_label = plain_label("Your &counterargument", self)
        design.set_role(editor_label, "strong")
        self.response_editor = QPlainTextEdit(self)
        self.response_editor.setObjectName("responseEditor")
        self.response_editor.setAccessibleName("Your counterargument")
        self.response_editor.setPlaceholderText(
            "Write the strongest counterargument: say where the claim goes wrong, why, and why it matters. "
            "Your draft is saved as you type."
        )
        self.response_editor.setTabChangesFocus(True)
        editor_label.setBuddy(self.response_editor)
        self.response_editor.textChanged.connect(self.on_response_editor_text_changed)
        self.word_count = plain_label("0 words", self)
        self.word_count.setObjectName("wordCount")
        self.word_count.setAccessibleName("Word count")
        design.set_role(self.word_count, "small")
        self.word_count.setProperty("muted", True)

        # -- prep timer
        timer_label = plain_label("Prep &timer:", self)
        design.set_role(timer_label, "small")
        timer_label.setProperty("muted", True)
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
        design.set_icon(self.timer_button, "play", "text", 16)
        self.timer_button.clicked.connect(self.on_timer_button_clicked)
        self.timer_reset_button = QPushButton("Reset", self)
        self.timer_reset_button.setObjectName("timerResetButton")
        self.timer_reset_button.setAccessibleName("Reset the prep timer")
        self.timer_reset_button.setAutoDefault(False)
        self.timer_reset_button.clicked.connect(self.on_timer_reset_button_clicked)
        self.timer_label = plain_label("--:--", self)
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setAccessibleName("Time left")
        mono = design.font("strong")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setFamily("monospace")
        self.timer_label.setFont(mono)
        self.length_notice = plain_label(
            f"This response is very long: only the first {SCORED_CHARS:,} characters are scored. "
            "All of it is kept in your draft.",
            self,
        )
        self.length_notice.setObjectName("lengthNotice")
        self.length_notice.setAccessibleName("Length notice")
        self.length_notice.setWordWrap(True)
        design.set_role(self.length_notice, "small")
        self.length_notice.hide()
        self.timer_notice = plain_label("Time is up. You can keep writing and submit when you are ready.", self)
        self.timer_notice.setObjectName("timerNotice")
        self.timer_notice.setWordWrap(True)
        design.set_role(self.timer_notice, "small")
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
        design.set_role(self.busy_label, "small")
        self.busy_bar.hide()
        self.busy_label.hide()

        # -- navigation
        self.previous_button = self._button("previousButton", "&Previous", "Previous claim (Alt+Left)", self.previous_requested)
        design.set_icon(self.previous_button, "previous", "text", 16)
        self.skip_button = self._button("skipButton", "S&kip", "Skip this claim", self.skip_requested)
        self.next_button = self._button("nextButton", "&Next", "Next claim (Alt+Right)", self.next_requested)
        design.set_icon(self.next_button, "next", "text", 16)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # the arrow after the word
        self.submit_button = self._button("submitButton", "S&ubmit", "Submit your response (Ctrl+Return)", self.submit_requested)
        self.submit_button.setDefault(False)
        self.submit_button.setProperty("primary", True)

        # -- the revision checklist (after "Try again")
        self.checklist = RevisionChecklist(self)
        self.checklist.hide()

        # -- layout
        article_box = QWidget(self)
        article_layout = QVBoxLayout(article_box)
        article_layout.setContentsMargins(0, 0, 0, design.S)
        self.article_card = design.Card(article_box)
        self.article_card.setObjectName("articleCard")
        self.article_card.setStyleSheet("QTextBrowser#articleView { border: none; }")  # the card is the frame
        card_layout = QVBoxLayout(self.article_card)
        card_layout.setContentsMargins(design.S, design.XS, design.XS, design.XS)
        card_layout.addWidget(self.article_view)
        article_layout.addWidget(self.article_card)
        editor_box = QWidget(self)
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, design.S, 0, 0)
        editor_layout.setSpacing(design.XS)
        row = QHBoxLayout()
        row.setSpacing(design.S)
        row.addWidget(perspective_label)
        row.addWidget(self.perspective_selector)
        row.addStretch(1)
        editor_layout.addLayout(row)
        note_row = QHBoxLayout()
        note_row.setSpacing(design.XS)
        note_row.addWidget(self.perspective_note, 1)
        note_row.addWidget(self.perspective_more, 0, Qt.AlignmentFlag.AlignBottom)
        editor_layout.addLayout(note_row)
        editor_layout.addSpacing(design.S)
        editor_layout.addWidget(editor_label)
        editor_layout.addWidget(self.response_editor, 1)
        editor_layout.addWidget(self.timer_notice)
        editor_layout.addWidget(self.length_notice)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("practiceSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(article_box)
        self.splitter.addWidget(editor_box)
        self.splitter.setStretchFactor(0, 1)  # the article and the editor share the height
        self.splitter.setStretchFactor(1, 1)
        self._article_box = article_box
        self.revision_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.revision_splitter.setObjectName("revisionSplitter")
        self.revision_splitter.setChildrenCollapsible(False)
        self.revision_splitter.addWidget(self.splitter)
        self.revision_splitter.addWidget(self.checklist)
        self.revision_splitter.setStretchFactor(0, 3)
        self.revision_splitter.setStretchFactor(1, 2)
        self.revision_splitter.splitterMoved.connect(self.on_revision_splitter_moved)

        meta = QHBoxLayout()
        meta.setSpacing(design.S)
        meta.addWidget(self.word_count)
        meta.addSpacing(design.M)
        meta.addWidget(timer_label)
        meta.addWidget(self.timer_preset)
        meta.addWidget(self.timer_button)
        meta.addWidget(self.timer_reset_button)
        meta.addWidget(self.timer_label)
        meta.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(design.S)
        actions.addStretch(1)
        actions.addWidget(self.previous_button)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.next_button)
        actions.addSpacing(design.M)
        actions.addWidget(self.submit_button)
        self.footer = Footer(meta, actions, self)

        header = QVBoxLayout()
        header.setSpacing(design.XS)
        header.addWidget(self.claim_position)
        header.addWidget(self.claim_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.S, design.XS, design.XS, design.XS)
        layout.setSpacing(design.S)
        layout.addLayout(header)
        layout.addWidget(self.article_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.revision_splitter, 1)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        layout.addLayout(busy)
        separator = QFrame(self)
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setObjectName("footerRule")
        separator.setStyleSheet(f"QFrame#footerRule {{ color: {design.tokens()['border']}; }}")
        self._footer_rule = separator
        layout.addWidget(separator)
        layout.addWidget(self.footer)

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
            (self.article_view, self.checklist.live_check),
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
        self.next_button.setText("&Next" if can_go_forward else "&Finish")
        self.skip_button.setEnabled(True)
        self.timer.stop()
        self.timer_label.setText("--:--")
        self.timer_notice.hide()
        self.set_busy(False)

    def _show_article(self, pack: Pack, claim: Claim) -> None:
        self.article_view.setHtml(article_html(pack.article, claim.position, len(claim.quote), current_marks()))
        self.article_view.setToolTip(plain_tooltip(pack.attribution))
        self._follow_claim = True
        self.centre_claim()

    # -- the claim in the middle of the article ------------------------------------
    def claim_rect(self) -> tuple[int, int] | None:
        """The claim's top and bottom in the article's viewport (pixels), or ``None``."""
        found = claim_range(self.article_view, current_marks()["selected"][0])
        if found is None:
            return None
        first, last = found
        cursor = QTextCursor(self.article_view.document())
        cursor.setPosition(first)
        top = self.article_view.cursorRect(cursor).top()
        cursor.setPosition(last + 1)
        bottom = self.article_view.cursorRect(cursor).bottom()
        return top, max(top, bottom)

    def centre_claim(self) -> None:
        """Scroll the article so the claim's middle is at the viewport's middle (the
        sentences before it stay in view); a claim taller than the viewport starts
        a couple of lines from the top."""
        view = self.article_view
        view.document().documentLayout().documentSize()  # lay the whole text out, so the scroll range is final
        rect = self.claim_rect()
        if rect is None:
            return
        bar = view.verticalScrollBar()
        top, bottom = rect[0] + bar.value(), rect[1] + bar.value()
        height = view.viewport().height()
        line = view.fontMetrics().lineSpacing()
        if bottom - top <= height - 4 * line:
            target = (top + bottom) // 2 - height // 2
        else:
            target = top - 2 * line
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))

    def _keep_claim_centred(self) -> None:
        if self._follow_claim and self._current_claim is not None:
            self.centre_claim()

    def _on_article_scrolled_by_user(self, _action: int) -> None:
        self._follow_claim = False

    def _show_perspective_note(self, pack: Pack | None) -> None:
        pid = self.perspective_selector.currentData()
        if pid is None or pack is None:
            description = "Argue from your own point of view."
            self.perspective_selector.setToolTip("Argue from your own point of view.")
        else:
            description = " ".join(pack.perspective(pid).description.split())
            self.perspective_selector.setToolTip(plain_tooltip(description))
        self._note_text = description
        self.perspective_note.setAccessibleDescription(description)
        self.perspective_more.setChecked(False)
        self._fit_perspective_note()

    def _fit_perspective_note(self) -> None:
        """The description in full, or its first lines and "More" when it is long."""
        text = self._note_text
        full = self.perspective_more.isChecked()
        self._note_width = width = self.perspective_note.contentsRect().width()
        shown = text if full else elide_lines(text, self.perspective_note.font(), width - 2, NOTE_LINES)
        self.perspective_note.setText(shown)
        self.perspective_note.setToolTip(plain_tooltip("" if full or shown == text else text))
        self.perspective_more.setVisible(full or shown != text)
        self.perspective_more.setText("Less" if full else "More")
        self.perspective_more.setAccessibleName(
            "Show less of the description of this perspective" if full else "Show the whole description of this perspective"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.perspective_note and event.type() == QEvent.Type.Resize:
            if self.perspective_note.contentsRect().width() != self._note_width:
                self._fit_perspective_note()
        return super().eventFilter(watched, event)

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
        self._footer_rule.setStyleSheet(f"QFrame#footerRule {{ color: {design.tokens()['border']}; }}")
        for button, name in ((self.timer_button, "play"), (self.previous_button, "previous"), (self.next_button, "next")):
            design.set_icon(button, name, "text", 16)
        self._update_article_toggle()
        self.checklist.refresh_theme()
        if self._pack is not None and self._current_claim is not None:
            position = self.article_view.verticalScrollBar().value()
            follow = self._follow_claim
            self._show_article(self._pack, self._current_claim)
            if not follow:  # the reader had scrolled: keep their place
                self._follow_claim = False
                self.article_view.verticalScrollBar().setValue(position)

    # -- the revision checklist ------------------------------------------------------
    def show_checklist(self, *, claim: Claim, result: MatchResult, summary: str) -> None:
        """Show the last attempt's verdicts on ``claim`` beside the editor."""
        self.checklist.show_attempt(claim=claim, result=result, summary=summary)
        if not self.checklist.isVisibleTo(self):
            self.checklist.show()
            total = sum(self.revision_splitter.sizes()) or max(self.width(), 1)
            share = QSettings().value(CHECKLIST_SHARE_KEY, CHECKLIST_SHARE, type=float)
            right = round(total * min(max(share, 0.2), 0.6))  # the width the user last gave it
            self.revision_splitter.setSizes([total - right, right])

    def on_revision_splitter_moved(self, _pos: int, _index: int) -> None:
        sizes = self.revision_splitter.sizes()
        if self.checklist.isVisibleTo(self) and sum(sizes) > 0:
            QSettings().setValue(CHECKLIST_SHARE_KEY, sizes[1] / sum(sizes))

    def hide_checklist(self) -> None:
        self.checklist.hide()

    @property
    def checklist_shown(self) -> bool:
        return self.checklist.isVisibleTo(self)

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
        self._update_article_toggle()
        QSettings().setValue("practice/articleVisible", checked)

    def _update_article_toggle(self) -> None:
        checked = self.article_toggle.isChecked()
        design.set_icon(self.article_toggle, "chevron-down" if checked else "chevron-right", "text", 16)
        self.article_toggle.setText("Article" if checked else "Article (hidden)")
        self.article_toggle.setToolTip(plain_tooltip(f"{'Hide' if checked else 'Show'} the article (Ctrl+Shift+A)"))

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
