"""The revision checklist: the last attempt's verdicts beside the editor, missed key points first.

After "Try again" the practice page shows the claim's key points with the
verdict each got (missed, then partly made, then covered), so the student
revises with the feedback in view. Every point has a "Show model rebuttal"
disclosure that renders the pack's Markdown off the GUI thread
(:class:`~trainer.ui.markdown_view.MarkdownBrowser`, cached).

"Live check" (off by default, remembered in QSettings) lets the session page
re-score the draft on a typing pause and tick the points the revision now
makes; :meth:`RevisionChecklist.show_live` takes that result. A live check
never stores anything: only a submitted attempt counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.packs import Claim, KeyPoint
from . import design, dialogs
from .markdown_view import MarkdownBrowser, warm
from .plain import plain_label, plain_tooltip

if TYPE_CHECKING:
    from ..core.matching import MatchResult

LIVE_KEY = "practice/liveCheck"
ORDER = {"missed": 0, "partly": 1, "covered": 2}


def verdict_of(result: MatchResult | None, kp_id: str) -> str:
    verdict = result.verdict_for(kp_id) if result is not None else None
    return verdict.verdict if verdict is not None and verdict.verdict in ORDER else "missed"


def checklist_order(claim: Claim, result: MatchResult | None) -> list[KeyPoint]:
    """The claim's key points, missed first, then partly made, then covered (pack order within each)."""
    return sorted(claim.key_points, key=lambda kp: ORDER[verdict_of(result, kp.id)])


class RebuttalBrowser(MarkdownBrowser):
    """A model rebuttal, as tall as its text (the checklist scrolls, not each rebuttal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(design.XS)
        self.rendered.connect(self._fit)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_args: object) -> None:
        height = self.document().size().height() + 2 * self.frameWidth()
        self.setFixedHeight(max(self.fontMetrics().lineSpacing() + 2 * design.XS, int(height) + 2))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()


class ChecklistItem(design.Card):
    """One key point: its verdict chip, its statement and the model-rebuttal disclosure."""

    expanded_changed = Signal(bool)

    def __init__(self, key_point: KeyPoint, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, status=status)
        self.key_point = key_point
        self.setObjectName(f"checklistItem-{key_point.id}")
        self.attempt_status = status
        self.chip = design.StatusChip(status, self)
        self.chip.setObjectName("checklistChip")
        self.statement = plain_label(key_point.statement, self)
        self.statement.setObjectName("checklistStatement")
        design.set_role(self.statement, "body")
        self.statement.setWordWrap(True)
        self.statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.disclosure = QPushButton("Show model rebuttal", self)
        self.disclosure.setObjectName("rebuttalDisclosure")
        self.disclosure.setProperty("link", True)
        self.disclosure.setCheckable(True)
        self.disclosure.setAutoDefault(False)
        self.disclosure.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.disclosure.toggled.connect(self.set_expanded)
        self.rebuttal = RebuttalBrowser(self)
        self.rebuttal.setObjectName("checklistRebuttal")
        self.rebuttal.setAccessibleName(f"Model rebuttal: {key_point.statement}")
        self.rebuttal.anchorClicked.connect(self._on_link)
        self.rebuttal.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.M, design.S, design.M, design.S)
        layout.setSpacing(design.XS)
        layout.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.statement)
        layout.addWidget(self.disclosure, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.rebuttal)
        self.show_status(status)
        self._update_disclosure()

    @property
    def status(self) -> str:
        return self.chip.status

    @property
    def expanded(self) -> bool:
        return self.disclosure.isChecked()

    def show_status(self, status: str) -> None:
        """Show ``status`` on the chip and the card's edge (the last attempt's or a live one)."""
        self.chip.set_status(status)
        self.set_status(status)
        self.setAccessibleName(f"{design.STATUS_WORDS.get(status, status)}: {self.key_point.statement}")
        self.chip.setToolTip(plain_tooltip(
            f"In your last attempt: {design.STATUS_WORDS.get(self.attempt_status, self.attempt_status).lower()}."
        ))

    def set_expanded(self, expanded: bool) -> None:
        if self.disclosure.isChecked() != expanded:
            self.disclosure.setChecked(expanded)  # comes back here through toggled
            return
        if expanded and not self.rebuttal.toPlainText().strip():
            text = self.key_point.rebuttal_markdown
            if text.strip():
                self.rebuttal.set_markdown(text)
            else:
                self.rebuttal.setHtml("<p><i>No model rebuttal for this key point.</i></p>")
        self.rebuttal.setVisible(expanded)
        self._update_disclosure()
        self.expanded_changed.emit(expanded)

    def _update_disclosure(self) -> None:
        expanded = self.disclosure.isChecked()
        words = "Hide model rebuttal" if expanded else "Show model rebuttal"
        self.disclosure.setText(words)
        design.set_icon(self.disclosure, "chevron-down" if expanded else "chevron-right", "accent", 16)
        self.disclosure.setAccessibleName(f"{words}: {self.key_point.statement}")

    def refresh_theme(self) -> None:
        self.show_status(self.status)
        self._update_disclosure()

    def _on_link(self, url: QUrl) -> None:
        """A link inside a model rebuttal opens only after asking; nothing else is followed."""
        if url.scheme() in ("http", "https"):
            dialogs.open_in_browser(self, url.toString())


class RevisionChecklist(QWidget):
    """The last attempt's verdicts on the claim's key points, and the "Live check" switch."""

    #: The user turned "Live check" on or off (remembered in QSettings).
    live_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revisionChecklist")
        self.setAccessibleName("Key points from your last attempt")
        self._claim: Claim | None = None
        self._attempt_result: MatchResult | None = None
        self._summary = ""
        self._live_shown = False
        self._live_failed = False
        self.items: list[ChecklistItem] = []

        self.heading = design.set_role(plain_label("Your last attempt", self), "heading")
        self.heading.setObjectName("checklistHeading")
        self.summary = plain_label("", self)
        self.summary.setObjectName("checklistSummary")
        design.set_role(self.summary, "small")
        self.summary.setProperty("muted", True)
        self.summary.setWordWrap(True)
        self.live_check = QCheckBox("&Live check", self)
        self.live_check.setObjectName("liveCheck")
        self.live_check.setAccessibleName("Live check")
        self.live_check.setToolTip(plain_tooltip(
            "While you pause typing, check your draft against the key points and tick the ones it now makes. "
            "Nothing is saved as an attempt: only Submit counts."
        ))
        self.live_check.setChecked(bool(QSettings().value(LIVE_KEY, False, type=bool)))
        self.live_check.toggled.connect(self.on_live_check_toggled)
        self.checking = plain_label("Checking…", self)
        self.checking.setObjectName("checkingLabel")
        self.checking.setAccessibleName("Checking your draft")
        design.set_role(self.checking, "caption")
        self.checking.setProperty("muted", True)
        self.checking.hide()

        self._list = QWidget()
        self._list.setObjectName("checklistItems")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, design.XS, 0)
        self._list_layout.setSpacing(design.S)
        self._list_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("checklistScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self._list)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        top = QHBoxLayout()
        top.setSpacing(design.S)
        top.addWidget(self.heading, 1)
        top.addWidget(self.live_check)
        status = QHBoxLayout()
        status.setSpacing(design.S)
        status.addWidget(self.summary, 1)
        status.addWidget(self.checking, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.S, 0, 0, 0)
        layout.setSpacing(design.S)
        layout.addLayout(top)
        layout.addLayout(status)
        layout.addWidget(self.scroll, 1)

    # -- what it shows -----------------------------------------------------------
    def show_attempt(self, *, claim: Claim, result: MatchResult, summary: str) -> None:
        """The verdicts of the last attempt on ``claim``: missed points first."""
        self._claim, self._attempt_result, self._summary = claim, result, summary
        self._live_shown = self._live_failed = False
        for item in self.items:
            self._list_layout.removeWidget(item)
            item.deleteLater()
        self.items = []
        for kp in checklist_order(claim, result):
            item = ChecklistItem(kp, verdict_of(result, kp.id), self._list)
            self._list_layout.insertWidget(self._list_layout.count() - 1, item)
            self.items.append(item)
        warm(kp.rebuttal_markdown for kp in claim.key_points)  # "Show model rebuttal" then shows at once
        previous = None
        for item in self.items:  # keyboard order: the switch, then each disclosure in the order shown
            QWidget.setTabOrder(previous or self.live_check, item.disclosure)
            previous = item.disclosure
        self.set_checking(False)
        self._update_summary()
        self.scroll.verticalScrollBar().setValue(0)

    def show_live(self, result: MatchResult) -> None:
        """Tick what the draft makes now (the order stays that of the last attempt)."""
        for item in self.items:
            item.show_status(verdict_of(result, item.key_point.id))
        self._live_shown, self._live_failed = True, False
        self._update_summary()

    def show_attempt_verdicts(self) -> None:
        """Back to the last attempt's verdicts (Live check turned off)."""
        for item in self.items:
            item.show_status(item.attempt_status)
        self._live_shown = self._live_failed = False
        self._update_summary()

    def show_live_failed(self) -> None:
        self._live_failed = True
        self._update_summary()

    def set_checking(self, checking: bool) -> None:
        self.checking.setVisible(checking)

    def _update_summary(self) -> None:
        if not self.items:
            self.summary.setText("This claim has no key points to check.")
            return
        statuses = [item.status for item in self.items]
        made = statuses.count("covered")
        if self._live_failed:
            line = "Live check is not available just now; these are your last attempt's verdicts."
        elif self.is_live() and self._live_shown:
            line = f"Live: your draft makes {made} of {len(statuses)} key points. Only Submit saves an attempt."
        elif self.is_live():
            line = f"{self._summary} Live check ticks points as you revise; only Submit saves an attempt."
        else:
            line = f"{self._summary} Missed points first."
        self.summary.setText(line)

    def refresh_theme(self) -> None:
        for item in self.items:
            item.refresh_theme()

    # -- questions -------------------------------------------------------------------
    def is_live(self) -> bool:
        return self.live_check.isChecked()

    def item(self, kp_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.key_point.id == kp_id), None)

    def status_of(self, kp_id: str) -> str | None:
        item = self.item(kp_id)
        return None if item is None else item.status

    def order(self) -> list[str]:
        return [item.key_point.id for item in self.items]

    # -- slots -------------------------------------------------------------------
    def on_live_check_toggled(self, checked: bool) -> None:
        QSettings().setValue(LIVE_KEY, checked)
        if not checked:
            self.show_attempt_verdicts()
            self.set_checking(False)
        else:
            self._update_summary()
        self.live_toggled.emit(checked)
