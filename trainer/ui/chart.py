"""A small "scores over time" chart drawn with QPainter (QtCharts is not in PySide6-Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.progress import ChartPoint


class ScoreChartWidget(QWidget):
    """Each attempt's score (dots), the running average and the best so far (lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setAccessibleName("Scores over time")
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._points: tuple[ChartPoint, ...] = ()
        self._labels = ("each attempt", "average", "best so far")
        self._empty = "No attempts yet: your scores will appear here."

    def set_labels(self, labels: tuple[str, str, str], *, empty: str) -> None:
        """The legend (dots, average line, best line) and the text of an empty chart."""
        self._labels = labels
        self._empty = empty
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 220)

    def set_points(self, points: tuple[ChartPoint, ...]) -> None:
        self._points = points
        if points:
            last = points[-1]
            self.setAccessibleDescription(
                f"{len(points)} attempts; latest {round(100 * last.score)}%, average {round(100 * last.running_average)}%, best {round(100 * last.best_so_far)}%"
            )
        else:
            self.setAccessibleDescription("No attempts yet")
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        fm = painter.fontMetrics()
        left = fm.horizontalAdvance("100%") + 12
        legend_h = fm.height() + 8
        plot = QRectF(left, 10, max(10, self.width() - left - 14), max(10, self.height() - 20 - legend_h))
        grid = QColor(text)
        grid.setAlpha(50)
        painter.setPen(QPen(grid, 1))
        for pct in (0, 25, 50, 75, 100):
            y = plot.bottom() - plot.height() * pct / 100
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{pct}%")
            painter.setPen(QPen(grid, 1))
        if not self._points:
            painter.setPen(text)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self._empty)
            return
        n = len(self._points)

        def at(i: int, value: float) -> QPointF:
            x = plot.left() + (plot.width() * (i / (n - 1)) if n > 1 else plot.width() / 2)
            return QPointF(x, plot.bottom() - plot.height() * max(0.0, min(1.0, value)))

        average_colour = QColor(52, 132, 228)
        best_colour = QColor(46, 160, 67)
        for colour, values in ((best_colour, [p.best_so_far for p in self._points]), (average_colour, [p.running_average for p in self._points])):
            path = QPainterPath(at(0, values[0]))
            for i, v in enumerate(values[1:], start=1):
                path.lineTo(at(i, v))
            painter.setPen(QPen(colour, 2.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        dot = QColor(text)
        dot.setAlpha(170)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(dot)
        for i, p in enumerate(self._points):
            painter.drawEllipse(at(i, p.score), 3.2, 3.2)
        # legend
        y = self.height() - legend_h + 4
        x = plot.left()
        for colour, label in zip((dot, average_colour, best_colour), self._labels, strict=True):
            painter.setPen(QPen(colour, 3))
            painter.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 18, y + fm.height() / 2))
            painter.setPen(text)
            painter.drawText(QPointF(x + 24, y + fm.ascent()), label)
            x += 24 + fm.horizontalAdvance(label) + 22
