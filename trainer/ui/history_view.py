"""History and progress: every earlier attempt per claim, an attempt's feedback
(read-only), and the profile's progress.

Left, the attempts by claim. Right, three tabs: **Progress** (headline figures,
the scores-over-time chart, the calendar of practice days, and the average and
best score per perspective and per kind of claim), then the chosen attempt's
**Feedback** and **Response text**. Choosing an attempt opens its feedback;
the Progress tab is one click (or Alt+O) away. A profile with no attempts sees
one card saying what to do instead.

Dates are the user's local time (``astimezone()``), like everywhere in the app;
"today" for the calendar comes from the service's clock (tests set it).
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.packs import Pack
from ..core.progress import (
    claim_statuses,
    format_duration,
    format_score,
    local_day,
    practice_calendar,
    profile_overview,
    progress_by_kind,
    progress_by_perspective,
)
from ..core.records import AttemptInfo
from ..core.service import Service, UnknownPackError
from . import design
from .chart import ScoreBarsWidget, ScoreChartWidget, StatTile, ThemedIcons
from .feedback_view import FeedbackView
from .formatting import display_quote
from .plain import plain_label, plain_tooltip
from .practice_calendar import PracticeCalendarWidget

ATTEMPT_ROLE = Qt.ItemDataRole.UserRole
EMPTY_TITLE = "No attempts yet"
EMPTY_TEXT = (
    "Start practising a pack from the start page. Your scores over time, the days you practised "
    "and how you do per perspective and per kind of claim will appear here."
)
CALENDAR_WEEKS = 16



def _card(parent: QWidget, title: str | None = None, *, icon: str | None = None, name: str | None = None,
          icons: ThemedIcons | None = None) -> tuple[design.Card, QVBoxLayout]:
    """A card with an optional heading (and icon); returns the card and its layout."""
    card = design.Card(parent)
    if name:
        card.setObjectName(name)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(design.L, design.M, design.L, design.L)
    layout.setSpacing(design.S)
    if title:
        row = QHBoxLayout()
        row.setSpacing(design.S)
        if icon and icons is not None:
            mark = plain_label("", card)
            icons.set(mark, icon)
            row.addWidget(mark)
        heading = design.label(title, "heading", card)
        heading.setAccessibleName(title)
        row.addWidget(heading, 1)
        layout.addLayout(row)
        card.setAccessibleName(title)
    return card, layout


def _perspective_name(pack: Pack | None, perspective_id: str | None) -> str:
    if perspective_id is None:
        return "My own view"
    if pack is not None:
        for p in pack.perspectives:
            if p.id == perspective_id:
                return p.name
    return perspective_id


class HistoryView(QWidget):
    back_requested = Signal()
    attempt_opened = Signal(int)

    def __init__(self, service: Service, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.tz = tz  # None: the system's time zone
        self.setObjectName("historyView")
        self.profile_id: int | None = None
        self._packs: dict[str, Pack] = {}
        self.attempt_count = 0
        self.icons = ThemedIcons()  # drawn again when the theme changes

        # -- the top bar ---------------------------------------------------------
        self.back_button = QPushButton("&Back", self)
        self.back_button.setObjectName("historyBackButton")
        self.back_button.setAccessibleName("Back")
        self.icons.set(self.back_button, "previous", size=20, token="text")
        self.back_button.clicked.connect(self.back_requested.emit)
        self.heading = design.label("History and progress", "title", self, name="historyHeading")
        self.heading.setWordWrap(True)
        self.subheading = design.label("", "small", self, muted=True, name="historySubheading")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top = QHBoxLayout()
        top.setSpacing(design.L)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(titles, 1)

        # -- left: the attempts by claim -----------------------------------------------
        list_label = design.label("Attempts by c&laim", "heading", self)
        self.history_list = QTreeWidget(self)
        self.history_list.setObjectName("historyList")
        self.history_list.setAccessibleName("Attempts by claim")
        self.history_list.setHeaderLabels(["Claim / attempt", "Perspective", "Score"])
        header = self.history_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        fm = self.history_list.fontMetrics()
        self.history_list.setColumnWidth(1, fm.horizontalAdvance("A non-proliferation an"))  # grows with the font
        self.history_list.setAlternatingRowColors(True)
        self.history_list.setWordWrap(True)
        list_label.setBuddy(self.history_list)
        self.history_list.itemActivated.connect(self.on_history_list_item_activated)
        self.history_list.currentItemChanged.connect(lambda cur, _prev: self.on_history_list_item_activated(cur))
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(design.S)
        left_layout.addWidget(list_label)
        left_layout.addWidget(self.history_list, 1)

        # -- right: progress, then the chosen attempt ----------------------------------
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("historyTabs")
        self.progress_page = self._build_progress()
        self.feedback_view = FeedbackView(service, self, read_only=True)
        self.feedback_view.setObjectName("historyFeedbackView")
        self.response_text = QPlainTextEdit(self)
        self.response_text.setObjectName("historyResponse")
        self.response_text.setAccessibleName("Your response (read-only)")
        self.response_text.setReadOnly(True)
        self.tabs.addTab(self.progress_page, "Pr&ogress")
        self.tabs.addTab(self.feedback_view, "&Feedback")
        self.tabs.addTab(self.response_text, "Response &text")
        self.tabs.setTabToolTip(1, "Choose an attempt on the left to see its feedback.")
        self.tabs.setTabToolTip(2, "Choose an attempt on the left to read what you wrote.")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("historySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)  # a wide window widens the list a little, the progress more
        self.splitter.setStretchFactor(1, 3)
        left_width = max(400, fm.horizontalAdvance("30 Nov 2026 18:58 A non-proliferation best 100%") + 80)
        self.splitter.setSizes([left_width, max(600, 1280 - left_width)])

        # -- a profile with no attempts ---------------------------------------------------
        self.empty_state = self._build_empty_state()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.empty_state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.XL, design.L, design.XL, design.L)
        layout.setSpacing(design.L)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self._set_attempt_tabs(False)

    # -- building ----------------------------------------------------------
    def _build_progress(self) -> QScrollArea:
        content = QWidget()
        content.setObjectName("historyProgress")
        grid = QVBoxLayout(content)
        grid.setContentsMargins(design.L, design.L, design.L, design.L)
        grid.setSpacing(design.L)

        figures, figures_layout = _card(content, name="historyFigures")
        row = QHBoxLayout()
        row.setSpacing(design.XL)
        self.attempts_tile = StatTile("attempts", content, name="attemptsTile")
        self.claims_tile = StatTile("claims tried", content, name="claimsTile")
        self.average_tile = StatTile("average score", content, name="averageTile")
        self.best_tile = StatTile("best score", content, name="bestTile")
        self.time_tile = StatTile("time spent writing", content, name="timeTile")
        self.tiles = (self.attempts_tile, self.claims_tile, self.average_tile, self.best_tile, self.time_tile)
        for tile in self.tiles:
            row.addWidget(tile, 1)
        figures_layout.addLayout(row)
        grid.addWidget(figures)

        self.charts_row = charts = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        charts.setSpacing(design.L)
        chart_card, chart_layout = _card(content, name="historyChartCard")
        self.chart = ScoreChartWidget(chart_card, tz=self.tz)
        chart_layout.addWidget(self.chart, 1)
        charts.addWidget(chart_card, 3)

        calendar_card, calendar_layout = _card(content, "Practice days", icon="calendar", name="historyCalendarCard", icons=self.icons)
        self.calendar = PracticeCalendarWidget(calendar_card)
        self.calendar_day = design.label("", "small", calendar_card, name="calendarDay")
        self.calendar_summary = design.label("", "small", calendar_card, muted=True, wrap=True, name="calendarSummary")
        self.calendar.day_changed.connect(lambda day: self.calendar_day.setText(self.calendar.day_text(day)))
        calendar_layout.addWidget(self.calendar, 0, Qt.AlignmentFlag.AlignLeft)
        calendar_layout.addWidget(self.calendar_day)
        calendar_layout.addWidget(self.calendar_summary)
        calendar_layout.addStretch(1)
        calendar_card.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        charts.addWidget(calendar_card, 0)
        self.chart_card, self.calendar_card = chart_card, calendar_card
        grid.addLayout(charts, 1)

        self.groups_row = groups = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        groups.setSpacing(design.L)
        perspective_card, perspective_layout = _card(content, "By perspective", icon="target", name="perspectiveCard", icons=self.icons)
        perspective_layout.addWidget(design.label("The side you argued as: average and best score.", "small", perspective_card, muted=True, wrap=True))
        self.perspective_bars = ScoreBarsWidget(perspective_card)
        self.perspective_bars.setObjectName("perspectiveBars")
        perspective_layout.addWidget(self.perspective_bars)
        perspective_layout.addStretch(1)
        kind_card, kind_layout = _card(content, "By kind of claim", icon="review", name="kindCard", icons=self.icons)
        kind_layout.addWidget(design.label("Factual, causal, a prediction…: where you are strongest.", "small", kind_card, muted=True, wrap=True))
        self.kind_bars = ScoreBarsWidget(kind_card)
        self.kind_bars.setObjectName("kindBars")
        kind_layout.addWidget(self.kind_bars)
        kind_layout.addStretch(1)
        groups.addWidget(perspective_card, 1)
        groups.addWidget(kind_card, 1)
        self.perspective_card, self.kind_card = perspective_card, kind_card
        grid.addLayout(groups)

        scroll = QScrollArea(self)
        scroll.setObjectName("historyProgressScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(content)
        scroll.viewport().installEventFilter(self)
        self._progress_content = content
        return scroll

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: the icons in its colours
            self.icons.refresh()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        page = getattr(self, "progress_page", None)
        if event.type() == QEvent.Type.Resize and page is not None and watched is page.viewport():
            self.reflow(page.viewport().width())
        return super().eventFilter(watched, event)

    def reflow(self, width: int) -> None:
        """Side by side when there is room, one above the other when not (a narrow window, large text)."""
        margins = 2 * design.L + design.L
        side_by_side = self.chart.minimumSizeHint().width() + self.calendar_card.minimumSizeHint().width() + margins
        for row, room in ((self.charts_row, side_by_side),
                          (self.groups_row, self.perspective_card.minimumSizeHint().width() + self.kind_card.minimumSizeHint().width() + margins)):
            wanted = QBoxLayout.Direction.LeftToRight if width >= room else QBoxLayout.Direction.TopToBottom
            if row.direction() != wanted:
                row.setDirection(wanted)

    def _build_empty_state(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("historyEmptyState")
        outer = QVBoxLayout(page)
        outer.addStretch(1)
        card, layout = _card(page, name="historyEmptyCard")
        layout.setContentsMargins(design.XXL, design.XL, design.XXL, design.XL)
        layout.setSpacing(design.M)
        mark = plain_label("", card)
        self.icons.set(mark, "empty", size=48)
        mark.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_title = design.label(EMPTY_TITLE, "title", card, name="historyEmptyTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_text = design.label(EMPTY_TEXT, "body", card, muted=True, wrap=True, name="historyEmptyText")
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_button = QPushButton("&Start practising", card)
        self.empty_button.setObjectName("historyEmptyButton")
        self.empty_button.setAccessibleName("Start practising: back to choose a pack")
        self.empty_button.setProperty("primary", True)
        self.icons.set(self.empty_button, "play", size=20, token="on_accent")
        self.empty_button.clicked.connect(self.back_requested.emit)
        card.setAccessibleName(EMPTY_TITLE)
        card.setAccessibleDescription(EMPTY_TEXT)
        layout.addWidget(mark)
        layout.addWidget(self.empty_title)
        layout.addWidget(self.empty_text)
        layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        card.setMaximumWidth(560)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        return page

    # -- rendering ---------------------------------------------------------
    def show_profile(self, profile_id: int, *, pack_id: str | None = None) -> None:
        self.profile_id = profile_id
        profile = self.service.profiles.find(profile_id)
        attempts = self.service.results.list_attempts(profile_id=profile_id)
        self.attempt_count = len(attempts)
        name = profile.name if profile else ""
        self.heading.setText("History and progress")
        self.subheading.setText(name)
        self.setAccessibleName(f"History and progress: {name}")
        self._fill_tree(attempts, pack_id)
        self._fill_progress(attempts)
        self._set_attempt_tabs(False)
        self.tabs.setCurrentWidget(self.progress_page)
        self.pages.setCurrentWidget(self.empty_state if not attempts else self.splitter)

    def _fill_progress(self, attempts: list[AttemptInfo]) -> None:
        overview = profile_overview(attempts)
        self.attempts_tile.set_value(str(overview.attempts))
        self.claims_tile.set_value(str(overview.claims_tried))
        self.average_tile.set_value(format_score(overview.average_score))
        self.best_tile.set_value(format_score(overview.best_score))
        self.time_tile.set_value(format_duration(sum(a.duration_seconds for a in attempts)))
        self.chart.set_points(overview.points)
        packs = {pid: pack for pid in {a.pack_id for a in attempts} if (pack := self._pack(pid)) is not None}
        self.perspective_bars.set_groups(progress_by_perspective(attempts, packs))
        self.kind_bars.set_groups(progress_by_kind(attempts, packs))
        today = local_day(self.service.clock(), self.tz)
        self.calendar.set_calendar(practice_calendar(attempts, today=today, weeks=CALENDAR_WEEKS, tz=self.tz))
        self.calendar_day.setText(self.calendar.day_text(today))
        self.calendar_summary.setText(self.calendar.summary_text())

    def stats_text(self) -> str:
        """The headline figures in words: ``"3 attempts · 2 claims tried · …"``."""
        return " · ".join(f"{t.value()} {t.caption}" for t in self.tiles)

    def _set_attempt_tabs(self, enabled: bool) -> None:
        self.tabs.setTabEnabled(1, enabled)
        self.tabs.setTabEnabled(2, enabled)

    def _pack(self, pack_id: str) -> Pack | None:
        if pack_id not in self._packs:
            try:
                self._packs[pack_id] = self.service.packs.get(pack_id)
            except (UnknownPackError, OSError, ValueError):
                return None
        return self._packs[pack_id]

    def _fill_tree(self, attempts: list[AttemptInfo], pack_id: str | None) -> None:
        self.history_list.blockSignals(True)
        self.history_list.clear()
        by_pack: dict[str, list[AttemptInfo]] = {}
        for a in attempts:
            by_pack.setdefault(a.pack_id, []).append(a)
        order = sorted(by_pack, key=lambda pid: (pid != pack_id, pid))
        for pid in order:
            pack = self._pack(pid)
            pack_attempts = by_pack[pid]
            pack_item = QTreeWidgetItem([pack.title if pack else f"{pid} (not installed)", "", ""])
            pack_item.setToolTip(0, plain_tooltip(pack_item.text(0)))
            pack_item.setFont(0, design.font("strong", self.history_list.font()))
            self.history_list.addTopLevelItem(pack_item)
            pack_item.setFirstColumnSpanned(True)  # the pack's title across the columns
            statuses = claim_statuses(pack, pack_attempts) if pack else {}
            claim_order = [c.id for c in pack.claims] if pack else sorted({a.claim_id for a in pack_attempts})
            for n, claim_id in enumerate(claim_order, start=1):
                these = [a for a in pack_attempts if a.claim_id == claim_id]
                if not these:
                    continue
                quote = display_quote(pack.claim(claim_id).quote) if pack and claim_id in statuses else claim_id
                best = statuses[claim_id].best_score if claim_id in statuses else None
                count = f"{len(these)} attempt{'s' if len(these) != 1 else ''}"
                claim_item = QTreeWidgetItem([f"{n}. {quote}", count, f"best {format_score(best)}"])
                claim_item.setToolTip(0, plain_tooltip(quote))
                pack_item.addChild(claim_item)
                for a in reversed(these):  # newest first
                    perspective = _perspective_name(pack, a.perspective_id) if pack or a.perspective_id is None else a.perspective_id
                    when = a.submitted_at.astimezone(self.tz).strftime("%d %b %Y %H:%M")
                    overrides = a.breakdown.get("overrides") if isinstance(a.breakdown, dict) else None
                    coached = bool(overrides) and isinstance(overrides, list) and isinstance(overrides[0], dict)
                    item = QTreeWidgetItem([when, perspective, format_score(a.score) + (" ✎" if coached else "")])
                    item.setData(0, ATTEMPT_ROLE, a.id)
                    item.setToolTip(0, plain_tooltip(a.text[:400]))
                    item.setToolTip(1, plain_tooltip(perspective))
                    if coached:
                        before = overrides[0].get("score_before")
                        was = f" (the matcher gave {format_score(float(before))})" if isinstance(before, int | float) else ""
                        item.setToolTip(2, plain_tooltip(f"Your coach answered a dispute and changed this score{was}."))
                    claim_item.addChild(item)
                claim_item.setExpanded(True)
            pack_item.setExpanded(True)
        if self.history_list.topLevelItemCount() == 0:
            self.history_list.addTopLevelItem(QTreeWidgetItem(["No attempts yet.", "", ""]))
        self.history_list.blockSignals(False)

    # -- questions -----------------------------------------------------------
    def attempt_items(self) -> list[QTreeWidgetItem]:
        found = []
        stack = [self.history_list.topLevelItem(i) for i in range(self.history_list.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, ATTEMPT_ROLE) is not None:
                found.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return found

    @property
    def is_empty(self) -> bool:
        """True when the profile has no attempts (the empty-state card is shown)."""
        return self.pages.currentWidget() is self.empty_state

    def focus_default(self) -> None:
        """The keyboard focus where a user starts: the attempts, or the empty state's button."""
        (self.empty_button if self.is_empty else self.history_list).setFocus()

    # -- slots -------------------------------------------------------------
    def on_history_list_item_activated(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        attempt_id = item.data(0, ATTEMPT_ROLE)
        if attempt_id is not None:
            self.open_attempt(attempt_id)

    def open_attempt(self, attempt_id: int) -> None:
        try:
            attempt = self.service.results.get_attempt(attempt_id=attempt_id)
        except Exception as exc:  # noqa: BLE001 - shown in place of the attempt
            self._set_attempt_tabs(True)
            self.tabs.setTabEnabled(1, False)
            self.response_text.setPlainText(f"This attempt cannot be shown: {describe(exc)}")
            self.tabs.setCurrentWidget(self.response_text)
            return
        if attempt is None:
            return
        pack = self._pack(attempt.pack_id)
        self.response_text.setPlainText(attempt.text)
        self._set_attempt_tabs(True)
        if pack is None or not attempt.breakdown:
            self.tabs.setTabEnabled(1, False)
            self.tabs.setCurrentWidget(self.response_text)
        else:
            from ..core.matching.types import MatchResult

            try:
                result = MatchResult.from_dict(attempt.breakdown)
                try:
                    disputes = self.service.results.list_disputes(attempt_id=attempt.id)
                except Exception:  # noqa: BLE001 - earlier disputes are a detail; the feedback still shows
                    disputes = []
                self.feedback_view.show_attempt(pack=pack, attempt=attempt, result=result, disputes=disputes)
                self.tabs.setCurrentWidget(self.feedback_view)
            except (KeyError, ValueError, TypeError) as exc:
                self.tabs.setTabEnabled(1, False)
                self.tabs.setCurrentWidget(self.response_text)
                self.response_text.appendPlainText(f"\n\n(The feedback cannot be shown: {describe(exc)})")
        self.attempt_opened.emit(attempt_id)
