""""How is this scored?": the formula with the student's own numbers.

Shows a :class:`trainer.core.explain.ScoreExplanation` (built from the stored
breakdown, so the lines add up to the stored score): a table of the key points
with their weight, share, match and what each added; the total; the rubric
(advice, not part of the score); and the scale. Esc closes; "Copy as text"
puts the whole explanation on the clipboard.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.explain import COVERED_AT, PARTLY_AT, VERDICT_WORDS, ScoreExplanation, band_advice, scale_lines
from ..core.overview import score_band
from ..core.progress import format_score
from . import design
from .key_point_card import text_label
from .plain import plain_label, plain_tooltip
from .score_dial import BAND_TOKENS

COLUMNS = ("Key point", "Verdict", "Weight", "Share", "Match", "Adds")


def points(value: float) -> str:
    """A part of the score in percentage points, one decimal ("12.3")."""
    return f"{100 * value:.1f}"


def percent(value: float) -> str:
    return f"{round(100 * value)}%"


def match(value: float) -> str:
    """A match to one decimal, rounded down, so 0.4999 (partly made) never reads as the 50% of "covered"."""
    return f"{math.floor(1000 * value + 1e-9) / 10:.1f}%"


class ScoreExplanationDialog(QDialog):
    def __init__(self, explanation: ScoreExplanation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = e = explanation
        self.setObjectName("scoreExplanationDialog")
        self.setWindowTitle("How is this scored?")
        self.setAccessibleName("How is this scored?")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(design.XL, design.XL, design.XL, design.L)
        layout.setSpacing(design.M)

        band = score_band(e.score)
        self.headline = text_label(f"Your score: {format_score(e.score)} · {e.words}", "title", name="scoreHeadline", wrap=True)
        self.headline.setAccessibleName(self.headline.text())
        layout.addWidget(self.headline)
        advice = band_advice(e.score)
        if advice:
            layout.addWidget(text_label(advice, "body", muted=True, wrap=True))

        layout.addWidget(text_label("Your key points", "heading"))
        layout.addWidget(text_label(
            "Each key point can add up to its share of the score: its weight over the total weight of the claim's key points"
            f" ({e.total_weight:g}). It adds that share times how strongly your answer makes it (the match). A key point "
            f"counts as covered from a {percent(COVERED_AT)} match and as partly made from {percent(PARTLY_AT)}; below that "
            "it is missed, and adds only what little it matched.",
            "body", wrap=True))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("scoreTable")
        self.table.setAccessibleName("Each key point's part of the score")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, tip in enumerate((
            "", "", "The key point's weight in the pack (doubled for your side's points)",
            "Its weight over the total weight: the most it can add", "How strongly your answer makes it",
            "Share × match" + (" × (1 − the share that argues for the claim)" if e.for_share else "") + ", in points of the score",
        )):
            if tip:
                self.table.horizontalHeaderItem(column).setToolTip(plain_tooltip(tip))
        for term in e.terms:
            verdict = VERDICT_WORDS.get(term.verdict, term.verdict)
            if term.coach:
                verdict += f" (set by {term.coach})"
            weight = f"{term.pack_weight:g} × 2 (your side)" if term.own_side else f"{term.weight:g}"
            self._row(term.statement, verdict, weight, percent(term.share), match(term.probability), points(term.credit),
                      status=term.verdict)
        if e.off_list_credit:
            self._row(f"Your own points not in the key points ({e.off_list})", "", "", "", "", points(e.off_list_credit))
        if not e.exact:
            self._row("Rounding, or a pack changed since it was scored", "", "", "", "", f"{100 * e.difference:+.2f}")
        self._row("Total", "", f"{e.total_weight:g}", "100%", "", f"{points(e.total)} = {format_score(e.score)}", bold=True)
        self._fit_table()
        header.sectionResized.connect(self._fit_table)  # the statements wrap at the column's width
        layout.addWidget(self.table)

        if e.for_share > 0:
            layout.addWidget(text_label(
                f"{percent(e.for_share)} of your words argue for the claim. Those earn nothing, and every key point's "
                "credit is reduced by that share.", "body", name="forShareNote", wrap=True))

        layout.addWidget(text_label("The rubric: advice, not part of the score", "heading"))
        layout.addWidget(text_label(
            "These checks say how a judge hears your rebuttal (they say … but … because … therefore …). "
            "They do not add to or take from the score.", "body", muted=True, wrap=True))
        self.rubric_grid = QGridLayout()
        self.rubric_grid.setHorizontalSpacing(design.S)
        self.rubric_grid.setVerticalSpacing(design.XS)
        for row, line in enumerate(e.rubric):
            icon = plain_label()
            icon.setPixmap(design.pixmap("covered" if line.passed else "missed", 16,
                                         design.color("covered" if line.passed else "missed")))
            icon.setAccessibleName("passed" if line.passed else "not yet")
            text = text_label(f"{line.label}: {line.explanation}", "body", wrap=True)
            text.setObjectName(f"rubric-{line.name}")
            self.rubric_grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self.rubric_grid.addWidget(text, row, 1)
        self.rubric_grid.setColumnStretch(1, 1)
        layout.addLayout(self.rubric_grid)

        layout.addWidget(text_label("The scale", "heading"))
        for name, line in zip(("strong", "some", "little"), scale_lines()):
            label = text_label(line, "body", wrap=True)
            label.setObjectName(f"scale-{name}")
            if name == band:
                label.setText(f"{line} ← you are here")
                design.set_role(label, "strong")
            layout.addWidget(label)
        layout.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy as text", self)
        self.copy_button.setObjectName("copyExplanationButton")
        self.copy_button.setAccessibleName("Copy the explanation as text")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_text)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, design.L)
        outer.addWidget(scroll, 1)
        row = QVBoxLayout()
        row.setContentsMargins(design.XL, 0, design.XL, 0)
        row.addWidget(buttons)
        outer.addLayout(row)
        em = self.fontMetrics().horizontalAdvance("M")
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 78 * em, 48 * self.fontMetrics().height()
        if screen is not None:
            width, height = min(width, screen.width() - 2 * design.XXL), min(height, screen.height() - 2 * design.XXL)
        self.resize(width, height)
        self.table.setFixedHeight(self._table_height())

    def _row(self, *cells: str, status: str | None = None, bold: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setToolTip(plain_tooltip(text))
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 1 and status in BAND_TOKENS.values():
                item.setIcon(design.icon(status, status, 16))
                item.setForeground(design.color(status))
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    def _table_height(self) -> int:
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        return rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 2

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_table)  # once the stretched column has its width

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_table)

    def _fit_table(self, *_args: object) -> None:
        self.table.resizeRowsToContents()
        for row in range(self.table.rowCount()):  # room to breathe around each line
            self.table.setRowHeight(row, self.table.rowHeight(row) + design.S)
        self.table.setFixedHeight(self._table_height())

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()

    def text(self) -> str:
        return "\n".join(self.explanation.lines())

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
