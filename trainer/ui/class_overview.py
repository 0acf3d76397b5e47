"""Coach ▸ Class Overview: how the whole club is doing, from ``service.club.overview``.

Three tabs over one ``ClassOverview`` (every figure comes from
``trainer/core/overview.py``; this window only lays it out):

* **Best scores**: the student × claim grid, colour-coded, a tooltip per cell;
* **Students**: attempts, average, the weekly average over time (and a chart
  of the chosen student's weeks), the change, time spent, last active;
* **Most missed**: the key points the club has not made yet, with counts and
  an example response, so the coach knows what to teach next.

Filters: the pack and a date range. The figures are read on the window's
worker, never on the GUI thread, and again every 30 seconds while the window
is open: on a club server the overview follows what every laptop saves.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.overview import SOME_FROM, STRONG_FROM, ClassOverview, StudentFigures, score_band
from ..core.progress import ChartPoint, format_duration, format_score
from ..core.service import Service
from .chart import ScoreChartWidget
from .formatting import display_quote, due_text, short
from .plain import plain_label, plain_tooltip
from .tasks import TaskManager

REFRESH_MS = 30_000


BAND_COLOURS = {"little": (220, 53, 69, 110), "some": (240, 173, 78, 120), "strong": (40, 167, 69, 115)}


def score_colour(score: float | None) -> QColor | None:
    """The cell colour of a best score (bands from ``core/overview.py``). Semi-
    transparent, so the text stays readable on light and dark themes."""
    band = score_band(score)
    return QColor(*BAND_COLOURS[band]) if band is not None else None


def weeks_text(figures: StudentFigures) -> str:
    """"24% → 31% (5 weeks)": the first and the last week's average."""
    weeks = figures.weeks
    if not weeks:
        return "—"
    if len(weeks) == 1:
        return f"{format_score(weeks[0].average)} (1 week)"
    return f"{format_score(weeks[0].average)} → {format_score(weeks[-1].average)} ({len(weeks)} weeks)"


def week_points(figures: StudentFigures) -> tuple[ChartPoint, ...]:
    """The chosen student's weekly averages, as points of the scores chart."""
    points, total, best = [], 0.0, 0.0
    for i, week in enumerate(figures.weeks, start=1):
        total += week.average
        best = max(best, week.average)
        when = datetime.combine(week.week, time(12), tzinfo=UTC)
        points.append(ChartPoint(when, week.average, total / i, best))
    return tuple(points)


def _item(text: str, *, tooltip: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(plain_tooltip(tooltip))
    return item


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    return table


class ClassOverviewWindow(QDialog):
    """Non-modal: the coach can keep it open beside the dispute queue."""

    loaded = Signal()  # after a (re)load has filled the tabs, or failed

    def __init__(self, service: Service, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.overview: ClassOverview | None = None
        self.loading = False
        self._again = False
        self.setObjectName("classOverview")
        self.setWindowTitle("Class Overview")
        self.resize(1180, 760)
        self.setSizeGripEnabled(True)

        self.pack_combo = QComboBox(self)
        self.pack_combo.setObjectName("overviewPack")
        self.pack_combo.setAccessibleName("Pack")
        self.pack_combo.addItem("All packs", None)
        for pack in service.packs.all():
            self.pack_combo.addItem(pack.title, pack.id)
        if self.pack_combo.count() == 2:
            self.pack_combo.setCurrentIndex(1)
        pack_label = plain_label("&Pack:", self)
        pack_label.setBuddy(self.pack_combo)
        today = QDate(service.clock().astimezone().date())  # the service's clock: tests set it
        self.from_check = QCheckBox("&From", self)
        self.from_check.setObjectName("overviewFromCheck")
        self.from_date = QDateEdit(today.addDays(-28), self)
        self.to_check = QCheckBox("&to", self)
        self.to_check.setObjectName("overviewToCheck")
        self.to_date = QDateEdit(today, self)
        for check, edit, name in ((self.from_check, self.from_date, "overviewFrom"), (self.to_check, self.to_date, "overviewTo")):
            edit.setObjectName(name)
            edit.setAccessibleName(f"{check.text().replace('&', '')} date")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.reload())
            edit.dateChanged.connect(lambda _d: self.reload())
        self.pack_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setObjectName("overviewRefresh")
        self.refresh_button.setToolTip("Read the figures again (F5); they also refresh every 30 seconds")
        self.refresh_button.clicked.connect(self.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, activated=self.reload)
        self.status = plain_label("Loading…", self)
        self.status.setObjectName("overviewStatus")

        filters = QHBoxLayout()
        filters.addWidget(pack_label)
        filters.addWidget(self.pack_combo, 1)
        filters.addSpacing(16)
        for w in (self.from_check, self.from_date, self.to_check, self.to_date):
            filters.addWidget(w)
        filters.addSpacing(16)
        filters.addWidget(self.refresh_button)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("overviewTabs")
        self.grid = _table(self, "overviewGrid", [])
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setAccessibleName("Best score per student and claim")
        self.grid.horizontalHeader().setMinimumSectionSize(34)
        self.grid.setAlternatingRowColors(False)
        self.students = _table(self, "overviewStudents", ["Student", "Attempts", "Claims tried", "Average", "Weekly average: first → last", "Change", "Time spent", "Last active"])
        self.students.setAccessibleName("Students: progress and time spent")
        self.students.currentCellChanged.connect(lambda row, *_: self._show_weeks(row))
        self.week_chart = ScoreChartWidget(self)
        self.week_chart.setObjectName("overviewWeekChart")
        self.week_chart.set_labels(("each week's average", "average of the weeks", "best week so far"), empty="Choose a student to see their weekly average.",
                                   title="Weekly average over time", x_axis="Week (oldest first)")
        students_tab = QSplitter(Qt.Orientation.Vertical, self)
        students_tab.setChildrenCollapsible(False)
        students_tab.addWidget(self.students)
        students_tab.addWidget(self.week_chart)
        students_tab.setSizes([420, 220])
        self.missed = _table(self, "overviewMissed", ["Claim", "Key point", "Not yet made by", "Missed in", "A response that missed it"])
        self.missed.setAccessibleName("Key points most often missed")
        self.missed.setWordWrap(False)  # one line per key point; the tooltips hold the whole text
        self.missed.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.addTab(self.grid, "&Best scores")
        self.tabs.addTab(students_tab, "&Students")
        self.tabs.addTab(self.missed, "&Most missed")
        self.assignment_table = _table(self, "overviewAssignments", [])
        self.assignment_table.setAccessibleName("Assignments: claims done per student")
        self.assignment_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tabs.addTab(self.assignment_table, "&Assignments")
        self.assignments: list = []
        self.legend = plain_label(
            f"Best score per claim: red under {format_score(SOME_FROM)} (little made), amber under {format_score(STRONG_FROM)}, "
            f"green from {format_score(STRONG_FROM)} (a strong rebuttal: the score counts every key point of the claim). "
            "· not tried. Hover over a cell for attempts, the last date and the perspective.",
            self,
        )
        self.legend.setObjectName("overviewLegend")
        self.legend.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.legend)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self.timer.start()
        self.reload()

    # -- filters -------------------------------------------------------------
    def filters(self) -> dict[str, object]:
        """The service's arguments: ``until`` is the midnight after the "to" day (local time)."""
        def midnight(day: QDate) -> datetime:
            return datetime.combine(day.toPython(), time()).astimezone(UTC)

        return {
            "pack_id": self.pack_combo.currentData(),
            "since": midnight(self.from_date.date()) if self.from_check.isChecked() else None,
            "until": midnight(self.to_date.date().addDays(1)) if self.to_check.isChecked() else None,
        }

    def reload(self) -> None:
        """Read the figures again on the worker (one load at a time; a change meanwhile loads once more)."""
        if self.loading:
            self._again = True
            return
        self.loading = True
        self.status.setText("Loading…" if self.overview is None else "Refreshing…")
        args = self.filters()
        service = self.service

        def job() -> tuple[ClassOverview, list, dict]:
            overview = service.club.overview(**args)  # type: ignore[arg-type]
            return overview, service.assignments.all(), service.assignments.club_progress()

        self.tasks.run(job, self._on_loaded, self._on_failed)

    def _finish(self) -> None:
        self.loading = False
        if self._again:
            self._again = False
            self.reload()
        else:
            self.loaded.emit()

    def _on_loaded(self, loaded: tuple[ClassOverview, list, dict]) -> None:
        overview, self.assignments, progress = loaded
        self.overview = overview
        self._fill(overview)
        self._fill_assignments(overview, self.assignments, progress)
        students = sum(1 for s in overview.students if s.attempts)
        self.status.setText(
            f"{overview.attempts:,} attempt{'s' if overview.attempts != 1 else ''} from {students} of "
            f"{len(overview.students)} student{'s' if len(overview.students) != 1 else ''} · "
            f"updated {datetime.now().strftime('%H:%M:%S')}"
        )
        self._finish()

    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText(f"The figures cannot be read: {describe(exc)}")
        self._finish()

    # -- filling -------------------------------------------------------------
    def _fill(self, overview: ClassOverview) -> None:
        self._fill_grid(overview)
        self._fill_students(overview)
        self._fill_missed(overview)

    def _fill_grid(self, overview: ClassOverview) -> None:
        grid = self.grid
        grid.clear()
        grid.setRowCount(len(overview.students))
        grid.setColumnCount(len(overview.columns))
        several = len({c.pack_id for c in overview.columns}) > 1
        for j, column in enumerate(overview.columns):
            title = overview.pack_titles.get(column.pack_id, column.pack_id)
            label = f"{column.number}"
            header = _item(f"{title[:1]}{label}" if several else label, align=Qt.AlignmentFlag.AlignCenter)
            quote = display_quote(column.quote) if column.quote else f"{column.claim_id} (not in the installed pack)"
            header.setToolTip(plain_tooltip(f"{title}, claim {column.number}:\n{short(quote, 300)}"))
            grid.setHorizontalHeaderItem(j, header)
        for i, student in enumerate(overview.students):
            grid.setVerticalHeaderItem(i, _item(student.name))
            for j, column in enumerate(overview.columns):
                cell = overview.cell(student.profile_id, column)
                quote = short(display_quote(column.quote), 90) if column.quote else column.claim_id
                if cell is None:
                    item = _item("·", tooltip=f"{student.name} has not tried claim {column.number}:\n{quote}", align=Qt.AlignmentFlag.AlignCenter)
                else:
                    perspective = self._perspective(column.pack_id, cell.perspective_id)
                    item = _item(
                        format_score(cell.best),
                        align=Qt.AlignmentFlag.AlignCenter,
                        tooltip=(
                            f"{student.name}, claim {column.number}: {quote}\n"
                            f"Best {format_score(cell.best)}, argued as {perspective}\n"
                            f"{cell.attempts} attempt{'s' if cell.attempts != 1 else ''}; last on {cell.last.astimezone().strftime('%d %b %Y %H:%M')}"
                        ),
                    )
                    colour = score_colour(cell.best)
                    if colour is not None:
                        item.setBackground(colour)
                grid.setItem(i, j, item)
        grid.verticalHeader().setVisible(True)
        grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # fit the window; scroll below 34 px
        if not overview.students:
            grid.setRowCount(0)

    def _perspective(self, pack_id: str, perspective_id: str | None) -> str:
        if perspective_id is None:
            return "their own view"
        try:
            pack = self.service.packs.get(pack_id)
        except Exception:  # noqa: BLE001 - a pack no longer installed: show the id
            return perspective_id
        return next((p.name for p in pack.perspectives if p.id == perspective_id), perspective_id)

    def _fill_students(self, overview: ClassOverview) -> None:
        table = self.students
        current = table.currentRow()
        table.setRowCount(len(overview.students))
        right = Qt.AlignmentFlag.AlignRight
        for i, s in enumerate(overview.students):
            points = None if s.change is None else round(100 * s.change)
            change = "—" if points is None else "no change" if points == 0 else f"{points:+d} points"
            weeks = ", ".join(f"{w.week.strftime('%d %b')}: {format_score(w.average)} ({w.attempts})" for w in s.weeks)
            values = [
                _item(s.name),
                _item(str(s.attempts), align=right),
                _item(str(s.claims_tried), align=right),
                _item(format_score(s.average), align=right),
                _item(weeks_text(s), tooltip=f"Average score per week (attempts):\n{weeks}" if weeks else ""),
                _item(change, align=right),
                _item(format_duration(s.time_seconds), align=right),
                _item(s.last_active.astimezone().strftime("%d %b %Y") if s.last_active else "never", align=right),
            ]
            for j, item in enumerate(values):
                table.setItem(i, j, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for j in range(1, table.columnCount()):
            header.setSectionResizeMode(j, QHeaderView.ResizeMode.ResizeToContents)
        if overview.students:
            table.setCurrentCell(min(max(current, 0), len(overview.students) - 1), 0)
            self._show_weeks(table.currentRow())
        else:
            self.week_chart.set_points(())

    def _show_weeks(self, row: int) -> None:
        if self.overview is None or not 0 <= row < len(self.overview.students):
            self.week_chart.set_points(())
            return
        self.week_chart.set_points(week_points(self.overview.students[row]))

    def _fill_missed(self, overview: ClassOverview) -> None:
        table = self.missed
        table.setRowCount(len(overview.most_missed))
        right = Qt.AlignmentFlag.AlignRight
        for i, m in enumerate(overview.most_missed):
            example = f"{m.example_student}: “{m.example}”" if m.example else m.example_student
            values = [
                _item(f"{m.claim_number}" if m.claim_number else m.claim_id, align=right, tooltip=f"{m.pack_id}: {m.claim_id}"),
                _item(m.statement, tooltip=m.statement),
                _item(f"{m.students_never_made} of {m.students_tried} students", align=right),
                _item(f"{m.attempts_missed} of {m.attempts} attempts", align=right),
                _item(example, tooltip=example),
            ]
            for j, item in enumerate(values):
                table.setItem(i, j, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        if not overview.most_missed:
            table.setRowCount(1)
            table.setItem(0, 1, _item("No key point missed in this range."))

    def _fill_assignments(self, overview: ClassOverview, assignments: list, progress: dict) -> None:
        """Students × assignments: "3 of 5" claims done since it was set, green when all are."""
        table = self.assignment_table
        table.clear()
        table.setRowCount(len(overview.students))
        table.setColumnCount(len(assignments))
        for j, a in enumerate(assignments):
            header = _item(f"{a.title}\ndue {due_text(a.due_on)}", align=Qt.AlignmentFlag.AlignCenter)
            who = "the whole club" if a.students is None else ", ".join(n for _, n in a.students)
            header.setToolTip(plain_tooltip(f"{a.title}: {len(a.claim_ids)} claims, due {due_text(a.due_on)}\nFor {who}; set by {a.created_by}"))
            table.setHorizontalHeaderItem(j, header)
        total = {a.id: len(a.claim_ids) for a in assignments}
        for i, student in enumerate(overview.students):
            table.setVerticalHeaderItem(i, _item(student.name))
            for j, a in enumerate(assignments):
                done = progress.get(a.id, {}).get(student.profile_id)
                if done is None:
                    table.setItem(i, j, _item("—", tooltip=f"Not assigned to {student.name}", align=Qt.AlignmentFlag.AlignCenter))
                    continue
                item = _item(f"{done} of {total[a.id]}", align=Qt.AlignmentFlag.AlignCenter,
                             tooltip=f"{student.name} has done {done} of the {total[a.id]} claims since it was set")
                band = "strong" if done >= total[a.id] else "some" if done else "little"
                item.setBackground(QColor(*BAND_COLOURS[band]))
                table.setItem(i, j, item)
        table.verticalHeader().setVisible(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if not assignments:
            table.setColumnCount(1)
            table.setHorizontalHeaderItem(0, _item("No assignment yet: Coach ▸ New Assignment… sets one."))

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        """Opened again after a close: read the figures afresh and resume the refresh."""
        super().showEvent(event)
        if not self.timer.isActive():
            self.timer.start()
            self.reload()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.timer.stop()
        super().closeEvent(event)
