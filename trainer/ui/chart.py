"""Progress figures: the "scores over time" chart (QPainter; QtCharts is not in
PySide6-Essentials), rows of score bars, and headline figure tiles.

The chart reads the colour tokens and the type roles when it paints, so a
theme switch or a larger system font is followed without rebuilding it.
:meth:`ScoreChartWidget.axis_labels` returns every text it paints, for tests
and for its accessible description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QLabel, QProgressBar, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ..core.progress import ChartPoint, GroupProgress, format_score
from . import design
from .plain import plain_label, plain_tooltip

Y_TICKS = (0, 25, 50, 75, 100)


def short_date(when, *, year: bool = False) -> str:  # noqa: ANN001 - a date or datetime
    """``"2 Dec"`` (``"2 Dec 2025"`` with ``year``), without platform-specific strftime flags."""
    return f"{when.day} {when:%b}" + (f" {when:%Y}" if year else "")


@dataclass(frozen=True)
class AxisLabels:
    """Every text the chart paints (besides the empty message)."""

    title: str
    y_axis: str
    x_axis: str
    y_ticks: tuple[str, ...]
    x_ticks: tuple[str, ...]
    legend: tuple[str, str, str]


class ScoreChartWidget(QWidget):
    """Each attempt's score (dots), the running average and the best so far (lines),
    with a title, a "Score" axis in per cent and the attempts' dates along the bottom.

    Attempts are spaced evenly, oldest on the left; the date labels name the
    day of the attempt they stand under (local time, like the rest of the app).
    """

    Y_AXIS = "Score"

    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setAccessibleName("Scores over time")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.tz = tz
        self.title = "Scores over time"
        self.x_axis = "Date of attempt (oldest first)"
        self._points: tuple[ChartPoint, ...] = ()
        self._labels: tuple[str, str, str] = ("each attempt", "average", "best so far")
        self._empty = "No attempts yet: your scores will appear here."

    # -- data --------------------------------------------------------------
    def set_labels(self, labels: tuple[str, str, str], *, empty: str, title: str | None = None, x_axis: str | None = None) -> None:
        """The legend (dots, average line, best line), the text of an empty chart and, optionally, the titles."""
        self._labels = labels
        self._empty = empty
        self.title = title or self.title
        self.x_axis = x_axis or self.x_axis
        self.updateGeometry()
        self.update()

    def set_points(self, points: tuple[ChartPoint, ...]) -> None:
        self._points = points
        if points:
            last = points[-1]
            first_day = short_date(points[0].when.astimezone(self.tz), year=True)
            last_day = short_date(last.when.astimezone(self.tz), year=True)
            self.setAccessibleDescription(
                f"{len(points)} attempts from {first_day} to {last_day}; latest {format_score(last.score)}, "
                f"average {format_score(last.running_average)}, best {format_score(last.best_so_far)}"
            )
        else:
            self.setAccessibleDescription("No attempts yet")
        self.updateGeometry()
        self.update()

    # -- geometry ----------------------------------------------------------
    def _fonts(self):  # noqa: ANN202 - (title, tick) fonts
        return design.font("heading", self.font()), design.font("caption", self.font())

    def _date_label(self, point: ChartPoint) -> str:
        years = {p.when.astimezone(self.tz).year for p in self._points}
        return short_date(point.when.astimezone(self.tz), year=len(years) > 1)

    def _layout(self) -> tuple[QRectF, float, float, float]:
        """The plot rectangle, the title's height, the legend's top and the x-axis title's top."""
        title_font, tick_font = self._fonts()
        tf, cf = QFontMetricsF(title_font), QFontMetricsF(tick_font)
        title_h = tf.height()
        legend_top = title_h + design.XS
        top = legend_top + cf.height() + design.M
        left = cf.height() + design.S + cf.horizontalAdvance("100%") + design.S
        bottom_space = cf.height() + design.XS + cf.height() + design.XS
        plot = QRectF(left, top, max(10.0, self.width() - left - design.L), max(10.0, self.height() - top - bottom_space))
        return plot, title_h, legend_top, plot.bottom() + cf.height() + design.XS

    def _x(self, plot: QRectF, i: int) -> float:
        n = len(self._points)
        return plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2)

    def _tick_indices(self, plot: QRectF) -> list[int]:
        """Which attempts get a date under them: as many as fit, evenly spread, no date twice in a row."""
        n = len(self._points)
        if not n:
            return []
        _title, tick_font = self._fonts()
        widest = max(QFontMetricsF(tick_font).horizontalAdvance(self._date_label(p)) for p in self._points)
        room = max(1, int(plot.width() // (widest + design.L)))
        count = max(1, min(n, room))
        candidates = sorted({round(i * (n - 1) / (count - 1)) for i in range(count)} if count > 1 else {n - 1})
        chosen: list[int] = []
        for i in candidates:
            if not chosen or self._date_label(self._points[i]) != self._date_label(self._points[chosen[-1]]):
                chosen.append(i)
        return chosen

    def axis_labels(self) -> AxisLabels:
        """The title, the axis titles, the tick labels (at the current width) and the legend."""
        plot = self._layout()[0]
        return AxisLabels(
            title=self.title,
            y_axis=self.Y_AXIS,
            x_axis=self.x_axis,
            y_ticks=tuple(f"{pct}%" for pct in Y_TICKS),
            x_ticks=tuple(self._date_label(self._points[i]) for i in self._tick_indices(plot)),
            legend=self._labels,
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 280).expandedTo(self.minimumSizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        title_font, tick_font = self._fonts()
        tf, cf = QFontMetricsF(title_font), QFontMetricsF(tick_font)
        legend_w = sum(cf.horizontalAdvance(t) + 46 for t in self._labels)
        height = tf.height() + cf.height() * 3 + design.XS * 3 + design.M + 110
        width = max(tf.horizontalAdvance(self.title), legend_w, cf.horizontalAdvance(self.x_axis)) + cf.horizontalAdvance("100%") + 60
        return QSize(round(width), round(height))

    # -- painting ----------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = design.tokens()
        text, muted = QColor(t["text"]), QColor(t["muted"])
        average_colour, best_colour = QColor(t["accent"]), QColor(t["covered"])
        dot = QColor(t["text"])
        dot.setAlpha(190)
        title_font, tick_font = self._fonts()
        cf = QFontMetricsF(tick_font)
        plot, title_h, legend_top, x_title_top = self._layout()

        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), title_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)

        painter.setFont(tick_font)
        # y axis: grid lines, per-cent ticks and the axis title, written upwards
        tick_right = plot.left() - design.S
        for pct in Y_TICKS:
            y = plot.bottom() - plot.height() * pct / 100
            painter.setPen(QPen(QColor(t["border"]), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            painter.drawText(QRectF(0, y - cf.height() / 2, tick_right, cf.height()), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{pct}%")
        painter.save()
        painter.translate(0, plot.center().y())
        painter.rotate(-90)
        painter.setPen(muted)
        painter.drawText(QRectF(-plot.height() / 2, 0, plot.height(), cf.height()), Qt.AlignmentFlag.AlignCenter, self.Y_AXIS)
        painter.restore()
        painter.setPen(QPen(QColor(t["border_strong"]), 1))
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        # x axis title
        painter.setPen(muted)
        painter.drawText(QRectF(plot.left(), x_title_top, plot.width(), cf.height()), Qt.AlignmentFlag.AlignCenter, self.x_axis)

        if not self._points:
            painter.setFont(design.font("body", self.font()))
            painter.setPen(muted)
            painter.drawText(plot.adjusted(design.S, design.S, -design.S, -design.S), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty)
            return

        # x axis: the dates under their attempts
        for i in self._tick_indices(plot):
            x = self._x(plot, i)
            label = self._date_label(self._points[i])
            w = cf.horizontalAdvance(label)
            left = min(max(x - w / 2, plot.left() - design.S), self.width() - w - 1)
            painter.setPen(QPen(QColor(t["border_strong"]), 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + design.XS))
            painter.setPen(muted)
            painter.drawText(QPointF(left, plot.bottom() + design.XS + cf.ascent()), label)

        def at(i: int, value: float) -> QPointF:
            return QPointF(self._x(plot, i), plot.bottom() - plot.height() * max(0.0, min(1.0, value)))

        for colour, values in ((best_colour, [p.best_so_far for p in self._points]), (average_colour, [p.running_average for p in self._points])):
            path = QPainterPath(at(0, values[0]))
            for i, v in enumerate(values[1:], start=1):
                path.lineTo(at(i, v))
            painter.setPen(QPen(colour, 2.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(dot)
        for i, p in enumerate(self._points):
            painter.drawEllipse(at(i, p.score), 3.5, 3.5)

        # legend, under the title
        x = plot.left()
        mid = legend_top + cf.height() / 2
        for kind, colour, label in zip(("dot", "line", "line"), (dot, average_colour, best_colour), self._labels, strict=True):
            if kind == "dot":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(QPointF(x + 9, mid), 3.5, 3.5)
            else:
                painter.setPen(QPen(colour, 3))
                painter.drawLine(QPointF(x, mid), QPointF(x + 18, mid))
            painter.setPen(text)
            painter.drawText(QPointF(x + 24, legend_top + cf.ascent()), label)
            x += 24 + cf.horizontalAdvance(label) + design.L

    # -- tooltips ----------------------------------------------------------
    def point_text(self, i: int) -> str:
        p = self._points[i]
        when = p.when.astimezone(self.tz)
        return (f"{when:%a} {short_date(when, year=True)}, {when:%H:%M}: {format_score(p.score)} "
                f"(average {format_score(p.running_average)}, best so far {format_score(p.best_so_far)})")

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            plot = self._layout()[0]
            pos = QPointF(event.pos())
            best, where = None, 14.0
            for i, p in enumerate(self._points):
                y = plot.bottom() - plot.height() * max(0.0, min(1.0, p.score))
                d = ((self._x(plot, i) - pos.x()) ** 2 + (y - pos.y()) ** 2) ** 0.5
                if d < where:
                    best, where = i, d
            if best is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), plain_tooltip(self.point_text(best)), self)
            return True
        return super().event(event)


class ThemedIcons:
    """Icons drawn in a colour token, drawn again by :meth:`refresh` when the theme
    changes (a view calls it on ``QEvent.PaletteChange``)."""

    def __init__(self) -> None:
        self._items: list[tuple[QWidget, str, int, str]] = []

    def set(self, widget: QWidget, name: str, *, size: int = 18, token: str = "muted") -> None:
        """Give ``widget`` (a label: a pixmap; a button: an icon) icon ``name`` in ``token``'s colour."""
        self._items.append((widget, name, size, token))
        self._apply(widget, name, size, token)

    @staticmethod
    def _apply(widget: QWidget, name: str, size: int, token: str) -> None:
        if isinstance(widget, QAbstractButton):
            widget.setIcon(design.icon(name, token, size))
        elif isinstance(widget, QLabel):
            widget.setPixmap(design.pixmap(name, size, design.color(token)))

    def refresh(self) -> None:
        for item in self._items:
            self._apply(*item)


class StatTile(QWidget):
    """A headline figure: its value large, what it is small and muted underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None, *, role: str = "title", name: str | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.caption = caption
        self.value_label = plain_label("—", self)
        design.set_role(self.value_label, role)
        self.caption_label = plain_label(caption, self)
        design.set_role(self.caption_label, "caption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_value(self, value: str, *, detail: str | None = None) -> None:
        self.value_label.setText(value)
        if detail is not None:
            self.caption_label.setText(detail)
        self.setAccessibleName(f"{self.caption}: {value}")

    def value(self) -> str:
        return self.value_label.text()


class ScoreBarsWidget(QWidget):
    """One row per group (a perspective, a kind of claim): its name and its figures in
    words on one line, a bar for the average score under them (the bar's accessible
    name says the figures too). Narrow enough for half a page at 150 % text."""

    def __init__(self, parent: QWidget | None = None, *, empty: str = "No attempts yet.") -> None:
        super().__init__(parent)
        self._empty = empty
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(design.M)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self.rows: list[tuple[str, QProgressBar, str]] = []

    def set_groups(self, groups: list[GroupProgress]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if (widget := item.widget()) is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.rows = []
        for r in range(self._grid.rowCount()):
            self._grid.setRowMinimumHeight(r, 0)
        if not groups:
            note = plain_label(self._empty, self)
            design.set_role(note, "small")
            note.setProperty("muted", True)
            self._grid.addWidget(note, 0, 0, 1, 2)
            return
        for i, g in enumerate(groups):
            row = 3 * i
            name = plain_label(g.label, self)
            design.set_role(name, "body")
            name.setToolTip(plain_tooltip(g.label))
            name.setWordWrap(True)
            name.setMinimumWidth(60)
            bar = QProgressBar(self)
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setValue(round(100 * g.average_score) if g.average_score is not None else 0)
            bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # the style sheet sets its height
            bar.setMinimumWidth(60)
            if g.attempts:
                words = (f"average {format_score(g.average_score)} · best {format_score(g.best_score)} · "
                         f"{g.attempts} attempt{'s' if g.attempts != 1 else ''}")
                short_words = f"{format_score(g.average_score)} average · best {format_score(g.best_score)} · {g.attempts} attempt{'s' if g.attempts != 1 else ''}"
            else:
                words = short_words = "not tried yet"
            bar.setAccessibleName(f"{g.label}: {words}")
            figures = plain_label(short_words, self)
            figures.setToolTip(plain_tooltip(words))
            design.set_role(figures, "small")
            figures.setProperty("muted", True)
            figures.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            self._grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignBottom)
            self._grid.addWidget(figures, row, 1)
            self._grid.addWidget(bar, row + 1, 0, 1, 2)
            if i < len(groups) - 1:
                self._grid.setRowMinimumHeight(row + 2, design.S)
            self.rows.append((g.label, bar, words))

    def row_texts(self) -> list[str]:
        """``"Prediction: average 40% · best 60% · 2 attempts"`` per row."""
        return [f"{label}: {words}" for label, _bar, words in self.rows]
