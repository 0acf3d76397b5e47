"""The calendar of practice days: one square per day, a column per week (Monday on top),
tinted by how many attempts were submitted that day.

The figures come from :func:`trainer.core.progress.practice_calendar` (local
days). The widget paints with the current theme's tokens, follows the type
scale (its squares grow with the font), and can be read without a mouse: it
takes the keyboard focus, the arrow keys move from day to day (left and right
by a week), and each day's words ("3 attempts on Tue 1 Dec") go to the
tooltip, to :attr:`PracticeCalendarWidget.day_changed` and to the accessible
description, after a summary of the whole calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..core.progress import PracticeCalendar
from . import design
from .plain import plain_tooltip

WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}
#: The lowest count of each tint level (level 0: no attempts).
LEVELS = (1, 2, 3, 5)


def day_words(day: date) -> str:
    """``"Tue 1 Dec"``."""
    return f"{day:%a} {day.day} {day:%b}"


def count_words(count: int, day: date, *, today: date | None = None) -> str:
    """``"3 attempts on Tue 1 Dec"``, ``"1 attempt on …"``, ``"No attempts on …"`` (``today`` marks today)."""
    what = "No attempts" if count == 0 else "1 attempt" if count == 1 else f"{count} attempts"
    return f"{what} on {day_words(day)}" + (" (today)" if today is not None and day == today else "")


def level(count: int) -> int:
    """The tint level of a day with ``count`` attempts: 0 (none) to 4."""
    return sum(1 for lowest in LEVELS if count >= lowest)


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """``share`` of ``b`` over ``a``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * share),
        round(a.green() + (b.green() - a.green()) * share),
        round(a.blue() + (b.blue() - a.blue()) * share),
    )


class PracticeCalendarWidget(QWidget):
    """A heat map of practice days: the last weeks, a column per week, a row per weekday."""

    day_changed = Signal(object)  # the date the keyboard (or a click) moved to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceCalendar")
        self.setAccessibleName("Calendar of practice days")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        today = date.today()
        self.calendar = PracticeCalendar(first=today - timedelta(days=today.weekday()), today=today)
        self.current: date = today
        self._refresh_description()

    # -- data ----------------------------------------------------------------
    def set_calendar(self, calendar: PracticeCalendar) -> None:
        self.calendar = calendar
        self.current = calendar.today
        self._refresh_description()
        self.updateGeometry()
        self.update()

    def day_text(self, day: date) -> str:
        return count_words(self.calendar.count(day), day, today=self.calendar.today)

    def summary_text(self) -> str:
        """The calendar in words: days practised, attempts, the streak and the busiest day."""
        cal = self.calendar
        span = f"the last {cal.weeks} weeks"
        if not cal.counts:
            return f"No practice in {span}."
        days = "1 day" if cal.days_practised == 1 else f"{cal.days_practised} days"
        attempts = "1 attempt" if cal.attempts == 1 else f"{cal.attempts} attempts"
        parts = [f"Practised on {days} in {span} ({attempts})."]
        if cal.streak > 1:
            parts.append(f"{cal.streak} days in a row up to {'today' if cal.count(cal.today) else 'yesterday'}.")
        busiest = cal.busiest
        if busiest is not None and busiest[1] > 1:
            parts.append(f"Busiest day: {day_words(busiest[0])} ({busiest[1]} attempts).")
        return " ".join(parts)

    def _refresh_description(self) -> None:
        self.setAccessibleDescription(f"{self.summary_text()} Selected: {self.day_text(self.current)}.")

    # -- geometry --------------------------------------------------------------
    def _metrics(self) -> tuple[QFontMetricsF, float, float]:
        """The caption font's metrics, the square's side and the gap."""
        fm = QFontMetricsF(design.font("caption", self.font()))
        cell = max(10.0, round(fm.height() * 1.15))
        return fm, cell, max(2.0, round(cell / 5))

    def _origin(self) -> QPointF:
        fm, _cell, _gap = self._metrics()
        left = max(fm.horizontalAdvance(label) for label in WEEKDAY_LABELS.values()) + design.S
        return QPointF(left + 1, fm.height() + design.XS + 1)

    def cell_rect(self, day: date) -> QRectF:
        _fm, cell, gap = self._metrics()
        origin = self._origin()
        offset = (day - self.calendar.first).days
        week, weekday = divmod(offset, 7)
        return QRectF(origin.x() + week * (cell + gap), origin.y() + weekday * (cell + gap), cell, cell)

    def day_at(self, pos: QPointF) -> date | None:
        for day in self.calendar.days:
            if self.cell_rect(day).adjusted(-1, -1, 1, 1).contains(pos):
                return day
        return None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm, cell, gap = self._metrics()
        origin = self._origin()
        width = origin.x() + self.calendar.weeks * (cell + gap) + max(design.XS, fm.horizontalAdvance("May") - cell)  # a month's name over the last week
        legend = fm.height() + design.S
        height = origin.y() + 7 * (cell + gap) + legend + design.XS
        legend_width = fm.horizontalAdvance("Less") + fm.horizontalAdvance("More") + 5 * (cell + gap) + design.L
        return QSize(round(max(width, origin.x() + legend_width)), round(height))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    # -- painting ----------------------------------------------------------------
    def colours(self) -> list[QColor]:
        """The five tints, from "no attempts" to "5 or more", in the current theme."""
        t = design.tokens()
        surface, accent = QColor(t["surface"]), QColor(t["accent"])
        return [QColor(t["surface_alt"]), *(_mix(surface, accent, share) for share in (0.3, 0.5, 0.75, 1.0))]

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = design.tokens()
        fm, cell, gap = self._metrics()
        painter.setFont(design.font("caption", self.font()))
        muted, border = QColor(t["muted"]), QColor(t["border"])
        tints = self.colours()
        origin = self._origin()
        cal = self.calendar
        # weekday names
        painter.setPen(muted)
        for weekday, name in WEEKDAY_LABELS.items():
            y = origin.y() + weekday * (cell + gap)
            painter.drawText(QRectF(0, y, origin.x() - design.S, cell), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        # month names over the week where a month starts
        last_right = -1.0
        for week in range(cal.weeks):
            monday = cal.first + timedelta(weeks=week)
            starts = [monday + timedelta(days=d) for d in range(7) if (monday + timedelta(days=d)).day == 1]
            if week == 0 or starts:
                x = origin.x() + week * (cell + gap)
                name = f"{(starts[0] if starts else monday):%b}"
                if x > last_right:
                    painter.drawText(QPointF(x, fm.ascent()), name)
                    last_right = x + fm.horizontalAdvance(name) + design.XS
        # the days
        for day in cal.days:
            rect = self.cell_rect(day)
            painter.setPen(QPen(border, 1) if not cal.count(day) else Qt.PenStyle.NoPen)
            painter.setBrush(tints[level(cal.count(day))])
            painter.drawRoundedRect(rect, 2.5, 2.5)
        today_rect = self.cell_rect(cal.today).adjusted(-1.5, -1.5, 1.5, 1.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(t["text"]), 1.2))
        painter.drawRoundedRect(today_rect, 3, 3)
        if self.hasFocus():
            painter.setPen(QPen(QColor(t["focus"]), 2))
            painter.drawRoundedRect(self.cell_rect(self.current).adjusted(-2.5, -2.5, 2.5, 2.5), 3.5, 3.5)
        # legend: Less ■■■■■ More
        y = origin.y() + 7 * (cell + gap) + design.XS
        x = origin.x()
        painter.setPen(muted)
        painter.drawText(QPointF(x, y + fm.ascent()), "Less")
        x += fm.horizontalAdvance("Less") + design.XS
        square = min(cell, fm.height())
        for i, tint in enumerate(tints):
            painter.setPen(QPen(border, 1) if i == 0 else Qt.PenStyle.NoPen)
            painter.setBrush(tint)
            painter.drawRoundedRect(QRectF(x, y + (fm.height() - square) / 2, square, square), 2.5, 2.5)
            x += square + gap
        painter.setPen(muted)
        painter.drawText(QPointF(x + design.XS - gap, y + fm.ascent()), "More")

    # -- reading it: keyboard, mouse, tooltips -------------------------------------
    def move_to(self, day: date) -> None:
        day = min(max(day, self.calendar.first), self.calendar.today)
        if day != self.current:
            self.current = day
            self._refresh_description()
            self.update()
        self.day_changed.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        steps = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -7, Qt.Key.Key_Right: 7}
        key = Qt.Key(event.key())
        if key in steps:
            self.move_to(self.current + timedelta(days=steps[key]))
        elif key == Qt.Key.Key_Home:
            self.move_to(self.calendar.first)
        elif key == Qt.Key.Key_End:
            self.move_to(self.calendar.today)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        day = self.day_at(event.position())
        if day is not None:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.move_to(day)
        super().mousePressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.update()
        self.day_changed.emit(self.current)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(QPointF(event.pos()))
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), plain_tooltip(self.day_text(day)), self, self.cell_rect(day).toRect())
            return True
        return super().event(event)
