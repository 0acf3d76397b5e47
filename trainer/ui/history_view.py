"""History: every earlier attempt per claim, an attempt's feedback (read-only), and the profile overview."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.packs import Pack
from ..core.progress import claim_statuses, format_duration, format_score, profile_overview
from ..core.records import AttemptInfo
from ..core.service import Service, UnknownPackError
from .chart import ScoreChartWidget
from .formatting import display_quote
from .feedback_view import FeedbackView, _perspective_name
from .plain import plain_label, plain_tooltip, rich_label

ATTEMPT_ROLE = Qt.ItemDataRole.UserRole
PLACEHOLDER = "Choose an attempt on the left to see its feedback."


class HistoryView(QWidget):
    back_requested = Signal()
    attempt_opened = Signal(int)

    def __init__(self, service: Service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("historyView")
        self.profile_id: int | None = None
        self._packs: dict[str, Pack] = {}

        self.heading = plain_label("", self)
        self.heading.setObjectName("historyHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.stats = rich_label("", self)  # app-built HTML: numbers only
        self.stats.setObjectName("overviewStats")
        self.stats.setWordWrap(True)
        self.chart = ScoreChartWidget(self)
        self.back_button = QPushButton("◀ &Back", self)
        self.back_button.setObjectName("historyBackButton")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.back_requested.emit)

        list_label = plain_label("&Attempts by claim", self)
        self.history_list = QTreeWidget(self)
        self.history_list.setObjectName("historyList")
        self.history_list.setAccessibleName("Attempts by claim")
        self.history_list.setHeaderLabels(["Claim / attempt", "Perspective", "Score"])
        header = self.history_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.history_list.setColumnWidth(1, 150)
        self.history_list.setAlternatingRowColors(True)
        self.history_list.setWordWrap(True)
        list_label.setBuddy(self.history_list)
        self.history_list.itemActivated.connect(self.on_history_list_item_activated)
        self.history_list.currentItemChanged.connect(lambda cur, _prev: self.on_history_list_item_activated(cur))

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("historyTabs")
        self.feedback_view = FeedbackView(service, self, read_only=True)
        self.feedback_view.setObjectName("historyFeedbackView")
        self.response_text = QPlainTextEdit(self)
        self.response_text.setObjectName("historyResponse")
        self.response_text.setAccessibleName("Your response (read-only)")
        self.response_text.setReadOnly(True)
        self.tabs.addTab(self.feedback_view, "&Feedback")
        self.tabs.addTab(self.response_text, "Response &text")
        self.placeholder = plain_label(PLACEHOLDER, self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.stats)
        left_layout.addWidget(self.chart, 2)
        left_layout.addWidget(list_label)
        left_layout.addWidget(self.history_list, 3)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.placeholder)
        right_layout.addWidget(self.tabs)
        self.tabs.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("historySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([480, 720])

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # -- rendering ---------------------------------------------------------
    def show_profile(self, profile_id: int, *, pack_id: str | None = None) -> None:
        self.profile_id = profile_id
        profile = self.service.profiles.find(profile_id)
        attempts = self.service.results.list_attempts(profile_id=profile_id)
        overview = profile_overview(attempts)
        self.heading.setText(f"History and progress: {profile.name if profile else ''}")
        time_spent = format_duration(sum(a.duration_seconds for a in attempts))
        self.stats.setText(
            f"<b>{overview.claims_tried}</b> claims tried · <b>{overview.attempts}</b> attempts · "
            f"average <b>{format_score(overview.average_score)}</b> · best <b>{format_score(overview.best_score)}</b> · "
            f"time spent {time_spent}"
        )
        self.chart.set_points(overview.points)
        self._fill_tree(attempts, pack_id)
        self.tabs.hide()
        self.placeholder.setText(PLACEHOLDER)
        self.placeholder.show()

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
            self.history_list.addTopLevelItem(pack_item)
            statuses = claim_statuses(pack, pack_attempts) if pack else {}
            claim_order = [c.id for c in pack.claims] if pack else sorted({a.claim_id for a in pack_attempts})
            for n, claim_id in enumerate(claim_order, start=1):
                these = [a for a in pack_attempts if a.claim_id == claim_id]
                if not these:
                    continue
                quote = display_quote(pack.claim(claim_id).quote) if pack and claim_id in statuses else claim_id
                best = statuses[claim_id].best_score if claim_id in statuses else None
                claim_item = QTreeWidgetItem([f"{n}. {quote}", f"{len(these)} attempt(s)", f"best {format_score(best)}"])
                claim_item.setToolTip(0, plain_tooltip(quote))
                pack_item.addChild(claim_item)
                for a in reversed(these):  # newest first
                    perspective = "My own view" if a.perspective_id is None else (_perspective_name(pack, a.perspective_id) if pack else a.perspective_id)
                    when = a.submitted_at.astimezone().strftime("%d %b %Y %H:%M")
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
            self.tabs.hide()
            self.placeholder.setText(f"This attempt cannot be shown: {describe(exc)}")
            self.placeholder.show()
            return
        if attempt is None:
            return
        pack = self._pack(attempt.pack_id)
        self.response_text.setPlainText(attempt.text)
        self.tabs.show()
        self.placeholder.hide()
        if pack is None or not attempt.breakdown:
            self.tabs.setCurrentWidget(self.response_text)
            self.tabs.setTabEnabled(0, False)
        else:
            from ..core.matching.types import MatchResult

            try:
                result = MatchResult.from_dict(attempt.breakdown)
                try:
                    disputes = self.service.results.list_disputes(attempt_id=attempt.id)
                except Exception:  # noqa: BLE001 - earlier disputes are a detail; the feedback still shows
                    disputes = []
                self.feedback_view.show_attempt(pack=pack, attempt=attempt, result=result, disputes=disputes)
                self.tabs.setTabEnabled(0, True)
                self.tabs.setCurrentWidget(self.feedback_view)
            except (KeyError, ValueError, TypeError) as exc:
                self.tabs.setTabEnabled(0, False)
                self.tabs.setCurrentWidget(self.response_text)
                self.response_text.appendPlainText(f"\n\n(The feedback cannot be shown: {describe(exc)})")
        self.attempt_opened.emit(attempt_id)
