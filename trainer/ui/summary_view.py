"""The end-of-pack summary: the headline figures, the weakest claims, the claims
not tried yet, the key points most often missed, and what to do next.

"Weakest" and "Not tried yet" are two separate lists that never share a claim
(``core/progress.py``: ``weakest_claims`` holds only tried claims, lowest best
score first; ``not_tried_claims`` the ones never tried). Each has its own
button, hidden when its list is empty: practising the weakest claims again, or
trying the skipped ones. Both emit :attr:`SummaryView.practice_requested` with
the claims to practise.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ..core.overview import score_band
from ..core.packs import Pack
from ..core.progress import WEAK_BELOW, ClaimStatus, PackSummary, format_duration, format_score
from . import design
from .chart import StatTile, ThemedIcons
from .formatting import display_quote, short
from .plain import plain_label, plain_tooltip

#: At most this many claims are listed in a card (the button still takes them all).
LIST_LIMIT = 5



def score_status(score: float | None) -> str:
    """The verdict colour of a best score, on the bands the feedback page's dial uses
    (``core/overview.score_band``): covered for a strong rebuttal, partly for some, missed for little."""
    return {"strong": "covered", "some": "partly"}.get(score_band(score) or "", "missed")


class SummaryView(QWidget):
    practice_requested = Signal(list)  # the claim ids to practise: the weakest, or the ones not tried
    restart_requested = Signal()
    history_requested = Signal()
    home_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryView")
        self.weakest: list[str] = []
        self.not_tried: list[str] = []
        self.icons = ThemedIcons()  # drawn again when the theme changes

        content = QWidget()
        content.setObjectName("summaryContent")
        page = QVBoxLayout(content)
        page.setContentsMargins(design.XL, design.L, design.XL, design.L)
        page.setSpacing(design.L)

        self.kicker = design.label("End of pack", "caption", content, muted=True, name="summaryKicker")
        self.heading = design.label("", "title", content, wrap=True, name="summaryHeading")
        page.addWidget(self.kicker)
        page.addWidget(self.heading)

        # the headline: the average score, large, and the other figures beside it
        figures = design.Card(content)
        figures.setObjectName("summaryFigures")
        row = QHBoxLayout(figures)
        row.setContentsMargins(design.XL, design.L, design.XL, design.L)
        row.setSpacing(design.XXL)
        self.average_tile = StatTile("average score this time", content, role="display", name="summaryAverage")
        self.claims_tile = StatTile("claims tried", content, name="summaryClaims")
        self.best_tile = StatTile("best score", content, name="summaryBest")
        self.time_tile = StatTile("time spent writing", content, name="summaryTime")
        row.addWidget(self.average_tile)
        divider = QFrame(figures)
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setProperty("muted", True)
        row.addWidget(divider)
        for tile in (self.claims_tile, self.best_tile, self.time_tile):
            row.addWidget(tile, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        page.addWidget(figures)

        # what to practise next: the weakest claims, and the ones not tried yet
        lists = QGridLayout()
        lists.setHorizontalSpacing(design.L)
        lists.setVerticalSpacing(design.L)
        self.weakest_card, self.weakest_note, self.weakest_rows, self.weakest_button = self._list_card(
            content, "Weakest claims", "target", "weakestCard", "weakestButton", "Practise &weakest claims again")
        self.not_tried_card, self.not_tried_note, self.not_tried_rows, self.not_tried_button = self._list_card(
            content, "Not tried yet", "empty", "notTriedCard", "notTriedButton", "&Try the claims you skipped")
        self.weakest_button.setProperty("primary", True)
        self.weakest_button.clicked.connect(lambda: self.practice_requested.emit(list(self.weakest)))
        self.not_tried_button.clicked.connect(lambda: self.practice_requested.emit(list(self.not_tried)))
        lists.addWidget(self.weakest_card, 0, 0, Qt.AlignmentFlag.AlignTop)
        lists.addWidget(self.not_tried_card, 0, 1, Qt.AlignmentFlag.AlignTop)
        lists.setColumnStretch(0, 1)
        lists.setColumnStretch(1, 1)
        page.addLayout(lists)

        # the key points missed most often
        self.missed_card = design.Card(content)
        self.missed_card.setObjectName("missedCard")
        missed_layout = QVBoxLayout(self.missed_card)
        missed_layout.setContentsMargins(design.L, design.M, design.L, design.L)
        missed_layout.setSpacing(design.S)
        missed_layout.addWidget(design.label("Key points you missed most often", "heading", self.missed_card))
        self.missed_rows = QVBoxLayout()
        self.missed_rows.setSpacing(design.S)
        missed_layout.addLayout(self.missed_rows)
        page.addWidget(self.missed_card)
        page.addStretch(1)

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("summaryScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)

        self.restart_button = self._button("restartButton", "Practise the &whole pack again", self.restart_requested)
        self.history_button = self._button("summaryHistoryButton", "See &history", self.history_requested)
        self.home_button = self._button("summaryHomeButton", "Choose another &pack", self.home_requested)
        self.icons.set(self.history_button, "history", size=20, token="text")
        self.icons.set(self.restart_button, "retry", size=20, token="text")
        bar = QHBoxLayout()
        bar.setContentsMargins(design.XL, design.S, design.XL, design.L)
        bar.setSpacing(design.S)
        bar.addWidget(self.home_button)
        bar.addWidget(self.history_button)
        bar.addStretch(1)
        bar.addWidget(self.restart_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bar)

    def _button(self, name: str, text: str, signal: Signal | None = None, parent: QWidget | None = None) -> QPushButton:
        button = QPushButton(text, parent or self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(True)
        if signal is not None:
            button.clicked.connect(signal.emit)
        return button

    def _list_card(self, parent: QWidget, title: str, icon: str, name: str, button_name: str, button_text: str):  # noqa: ANN202
        card = design.Card(parent)
        card.setObjectName(name)
        card.setAccessibleName(title)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(design.L, design.M, design.L, design.L)
        layout.setSpacing(design.S)
        head = QHBoxLayout()
        head.setSpacing(design.S)
        mark = plain_label("", card)
        self.icons.set(mark, icon)
        head.addWidget(mark)
        head.addWidget(design.label(title, "heading", card), 1)
        layout.addLayout(head)
        note = design.label("", "small", card, muted=True, wrap=True, name=f"{name}Note")
        layout.addWidget(note)
        rows = QGridLayout()
        rows.setHorizontalSpacing(design.M)
        rows.setVerticalSpacing(design.S)
        rows.setColumnStretch(0, 1)
        layout.addLayout(rows)
        button = self._button(button_name, button_text, parent=card)
        self.icons.set(button, "play" if icon == "empty" else "retry", size=20, token="text" if icon == "empty" else "on_accent")
        layout.addSpacing(design.XS)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return card, note, rows, button

    # -- filling -------------------------------------------------------------
    @staticmethod
    def _clear(layout: QVBoxLayout | QGridLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if (widget := item.widget()) is not None:
                widget.setParent(None)
                widget.deleteLater()
            elif item.layout() is not None:
                SummaryView._clear(item.layout())

    def _fill_list(self, rows: QGridLayout, parent: QWidget, pack: Pack, statuses: tuple[ClaimStatus, ...], *, chip: bool) -> None:
        """One row per claim: its number and quote (shortened; the tooltip has it whole) and, for a tried claim, its best score."""
        self._clear(rows)
        for r, status in enumerate(statuses[:LIST_LIMIT]):
            quote = display_quote(pack.claim(status.claim_id).quote)
            number = pack.claim_index(status.claim_id) + 1
            text = design.label(f"{number}. {short(quote, 80)}", "body", parent, wrap=True)
            text.setToolTip(plain_tooltip(quote))
            text.setAccessibleName(f"Claim {number}: {quote}" + (f", best {format_score(status.best_score)}" if chip else ""))
            rows.addWidget(text, r, 0, Qt.AlignmentFlag.AlignTop)
            if chip:
                badge = design.StatusChip(score_status(status.best_score), parent, text=f"best {format_score(status.best_score)}")
                rows.addWidget(badge, r, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        if len(statuses) > LIST_LIMIT:
            rows.addWidget(design.label(f"… and {len(statuses) - LIST_LIMIT} more", "small", parent, muted=True), LIST_LIMIT, 0, 1, 2)

    def show_summary(self, pack: Pack, summary: PackSummary) -> None:
        self.heading.setText(pack.title)
        self.setAccessibleName(f"End of pack: {pack.title}")
        self.average_tile.set_value(format_score(summary.average_score),
                                    detail="average score this time" if summary.attempts else "no answers this time")
        self.claims_tile.set_value(f"{summary.claims_tried} of {summary.claims_total}",
                                   detail=f"claims tried this time ({summary.attempts} attempt{'s' if summary.attempts != 1 else ''})")
        self.best_tile.set_value(format_score(summary.best_score))
        self.time_tile.set_value(format_duration(summary.time_spent_seconds))

        self.weakest = [s.claim_id for s in summary.weakest]
        self.not_tried = [s.claim_id for s in summary.not_tried]
        self._fill_list(self.weakest_rows, self.weakest_card, pack, summary.weakest, chip=True)
        self._fill_list(self.not_tried_rows, self.not_tried_card, pack, summary.not_tried, chip=False)
        n = len(self.weakest)
        if n:
            note = f"The {'claim' if n == 1 else f'{n} claims'} you tried with the lowest best score, weakest first."
        elif len(self.not_tried) < summary.claims_total:
            note = f"None: every claim you tried has a best score of {format_score(WEAK_BELOW)} or more."
        else:
            note = "Nothing to practise again yet: answer a claim first."
        self.weakest_note.setText(note)
        m = len(self.not_tried)
        self.not_tried_note.setText(
            f"{'One claim' if m == 1 else f'{m} claims'} you skipped, never answered." if m else "None: you have tried every claim."
        )
        for button, ids in ((self.weakest_button, self.weakest), (self.not_tried_button, self.not_tried)):
            button.setEnabled(bool(ids))
            button.setVisible(bool(ids))
        self.weakest_button.setText("Practise &weakest claim again" if n == 1 else "Practise &weakest claims again")
        self.not_tried_button.setText("&Try the claim you skipped" if m == 1 else "&Try the claims you skipped")
        for button in (self.weakest_button, self.not_tried_button):
            button.setAccessibleName(button.text().replace("&", ""))

        self._clear(self.missed_rows)
        for i, m_point in enumerate(summary.most_missed, start=1):
            claim_no = pack.claim_index(m_point.claim_id) + 1 if m_point.claim_id in {c.id for c in pack.claims} else "?"
            times = "once" if m_point.times_missed == 1 else f"{m_point.times_missed} times"
            row = QWidget(self.missed_card)
            line = QVBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(0)
            line.addWidget(design.label(f"{i}. {m_point.statement}", "body", row, wrap=True))
            line.addWidget(design.label(f"Claim {claim_no} · missed {times}", "caption", row, muted=True))
            self.missed_rows.addWidget(row)
        self.missed_card.setVisible(bool(summary.most_missed))
        self.scroll.verticalScrollBar().setValue(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: icons and chips in its colours
            self.icons.refresh()
            for chip in self.findChildren(design.StatusChip):
                chip.set_status(chip.status, text=chip.text())
        super().changeEvent(event)

    def focus_first_action(self) -> None:
        """The keyboard focus on what to do next: the weakest claims, the skipped ones, or the whole pack."""
        for button in (self.weakest_button, self.not_tried_button, self.restart_button):
            if button.isEnabled() and not button.isHidden():
                button.setFocus()
                return

    def plain_text(self) -> str:
        """Everything the summary shows, as text (for tests and the hostile-pack audit)."""
        from PySide6.QtWidgets import QLabel

        parts = [self.kicker.text(), self.heading.text()]
        for tile in (self.average_tile, self.claims_tile, self.best_tile, self.time_tile):
            parts.append(f"{tile.value()} {tile.caption_label.text()}")
        for card in (self.weakest_card, self.not_tried_card, self.missed_card):
            if card.isHidden():
                continue
            parts += [label.text() for label in card.findChildren(QLabel) if label.text()]
        return "\n".join(parts)
