"""The end-of-pack summary: average score, key points most often missed, time spent."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ..core.packs import Pack
from ..core.progress import PackSummary, format_duration, format_score
from .formatting import display_quote
from .plain import plain_label


class SummaryView(QWidget):
    weakest_requested = Signal()
    restart_requested = Signal()
    history_requested = Signal()
    home_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryView")
        self.heading = plain_label("", self)
        self.heading.setObjectName("summaryHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.body = QTextBrowser(self)
        self.body.setObjectName("summaryText")
        self.body.setAccessibleName("Summary")
        self.body.setOpenLinks(False)
        self.weakest_button = self._button("weakestButton", "Practise &weakest claims again", self.weakest_requested)
        self.restart_button = self._button("restartButton", "Practise the &whole pack again", self.restart_requested)
        self.history_button = self._button("summaryHistoryButton", "See &history", self.history_requested)
        self.home_button = self._button("summaryHomeButton", "Choose another &pack", self.home_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        row = QHBoxLayout()
        row.addWidget(self.home_button)
        row.addWidget(self.history_button)
        row.addStretch(1)
        row.addWidget(self.restart_button)
        row.addWidget(self.weakest_button)
        layout.addLayout(row)

    def _button(self, name: str, text: str, signal: Signal) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(True)
        button.clicked.connect(signal.emit)
        return button

    def show_summary(self, pack: Pack, summary: PackSummary, weakest: list[str]) -> None:
        self.heading.setText(f"End of pack: {pack.title}")
        rows = [
            f"<p>You tried <b>{summary.claims_tried}</b> of {summary.claims_total} claims "
            f"({summary.attempts} attempt{'s' if summary.attempts != 1 else ''}).</p>",
            f"<p>Average score: <b>{format_score(summary.average_score)}</b> · best: <b>{format_score(summary.best_score)}</b> · "
            f"time spent writing: <b>{format_duration(summary.time_spent_seconds)}</b></p>",
        ]
        if summary.most_missed:
            rows.append("<h3>Key points you missed most often</h3><ol>")
            for m in summary.most_missed:
                claim_no = pack.claim_index(m.claim_id) + 1 if m.claim_id in {c.id for c in pack.claims} else "?"
                times = "once" if m.times_missed == 1 else f"{m.times_missed} times"
                rows.append(f"<li>{html.escape(m.statement)} <i>(claim {claim_no}, missed {times})</i></li>")
            rows.append("</ol>")
        if weakest:
            rows.append("<h3>Your weakest claims</h3><ul>")
            for cid in weakest:
                rows.append(f"<li>{pack.claim_index(cid) + 1}. {html.escape(display_quote(pack.claim(cid).quote))}</li>")
            rows.append("</ul>")
        self.body.setHtml("".join(rows))
        self.weakest_button.setEnabled(bool(weakest))
        self.weakest_button.setFocus()
