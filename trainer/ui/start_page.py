"""The start page: pick a profile and a pack, then start practising."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from . import design, dialogs
from .formatting import due_text
from .plain import plain_label, plain_tooltip, rich_label

if TYPE_CHECKING:
    from ..core.packs import PackEntry
    from ..core.records import ProfileInfo
    from ..core.service import Service
    from .tasks import TaskManager

ID_ROLE = Qt.ItemDataRole.UserRole
REVIEW_BASE_ROLE = Qt.ItemDataRole.UserRole + 1  # a pack item's text without its review line


class StartPage(QWidget):
    profile_added = Signal(str)
    practice_requested = Signal(int, str)  # profile id, pack id
    history_requested = Signal(int)  # profile id
    review_requested = Signal(int, str)  # profile id, pack id: a session over the claims due for review
    packs_loaded = Signal()

    def __init__(self, service: Service, parent: QWidget | None = None, *, tasks: TaskManager | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self._entries: list[PackEntry] | None = None  # None until the packs are read
        self._loading = False
        self._waiting: str | None = None  # why no profile can be chosen yet ("Opening your data…")
        self._wanted_pack: str | None = None
        self.setObjectName("startPage")

        title = plain_label("Steelman", self)
        title.setObjectName("startTitle")
        design.set_role(title, "display")
        intro = plain_label(
            "Read a claim, write the strongest counterargument you can, and compare it with "
            "the key points and model rebuttals. Choose who is practising and what to practise.",
            self,
        )
        design.set_role(intro, "body")
        intro.setProperty("muted", True)
        intro.setWordWrap(True)

        profiles_label = plain_label("&Who is practising?", self)
        design.set_role(profiles_label, "heading")
        self.profile_list = QListWidget(self)
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName("Profiles")
        profiles_label.setBuddy(self.profile_list)
        self.add_profile_button = QPushButton("&New profile…", self)
        self.add_profile_button.setObjectName("addProfileButton")
        self.add_profile_button.setAccessibleName("New profile")
        self.add_profile_button.setAutoDefault(False)
        self.add_profile_button.clicked.connect(self.on_add_profile_clicked)
        self.coach_notice = plain_label("", self)
        self.coach_notice.setObjectName("coachNotice")
        self.coach_notice.setWordWrap(True)
        self.coach_notice.hide()
        self.assignment_notice = plain_label("", self)
        self.assignment_notice.setObjectName("assignmentNotice")
        self.assignment_notice.setWordWrap(True)
        self.assignment_notice.hide()

        packs_label = plain_label("&Pack", self)
        design.set_role(packs_label, "heading")
        self.pack_list = QListWidget(self)
        self.pack_list.setObjectName("packList")
        self.pack_list.setAccessibleName("Installed packs")
        self.pack_list.setWordWrap(True)
        packs_label.setBuddy(self.pack_list)

        self.start_button = QPushButton("&Start practising", self)
        self.start_button.setObjectName("startButton")
        self.start_button.setAccessibleName("Start practising")
        self.start_button.setDefault(True)
        self.start_button.setAutoDefault(True)
        self.start_button.clicked.connect(self.on_start_button_clicked)
        self.history_button = QPushButton("&History and progress", self)
        self.history_button.setObjectName("startHistoryButton")
        self.history_button.setAccessibleName("History and progress")
        self.history_button.setAutoDefault(True)
        self.history_button.clicked.connect(self.on_history_button_clicked)
        self.start_button.setProperty("primary", True)
        design.set_icon(self.start_button, "play", "on_accent")
        design.set_icon(self.history_button, "history")
        design.set_icon(self.add_profile_button, "edit")
        self.hint = plain_label("", self)
        self.hint.setObjectName("startHint")
        self.hint.setProperty("muted", True)
        self.hint.setWordWrap(True)

        self.pack_details = rich_label("", self)  # app-built HTML: every pack value escaped
        self.pack_details.setObjectName("packDetails")
        self.pack_details.setWordWrap(True)
        self.pack_details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pack_details.setAccessibleName("About the selected pack")

        body = QWidget(self)
        body.setMaximumWidth(1180)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(body, 20)
        outer.addStretch(1)
        column = QVBoxLayout(body)
        column.setContentsMargins(design.XL, design.XL, design.XL, design.L)
        column.setSpacing(design.S)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(design.M)

        people = design.Card(body)
        people.setObjectName("profilesCard")
        people_box = QVBoxLayout(people)
        people_box.setContentsMargins(design.L, design.L, design.L, design.L)
        people_box.setSpacing(design.S)
        people_box.addWidget(profiles_label)
        people_box.addWidget(self.profile_list, 1)
        people_box.addWidget(self.add_profile_button, 0, Qt.AlignmentFlag.AlignLeft)
        people_box.addWidget(self.assignment_notice)
        people_box.addWidget(self.coach_notice)

        packs = design.Card(body)
        packs.setObjectName("packsCard")
        packs_box = QVBoxLayout(packs)
        packs_box.setContentsMargins(design.L, design.L, design.L, design.L)
        packs_box.setSpacing(design.S)
        packs_box.addWidget(packs_label)
        packs_box.addWidget(self.pack_list, 3)
        packs_box.addWidget(self.pack_details, 2)

        cards = QHBoxLayout()
        cards.setSpacing(design.L)
        cards.addWidget(people, 2)
        cards.addWidget(packs, 3)
        column.addLayout(cards, 1)
        column.addSpacing(design.S)
        buttons = QHBoxLayout()
        buttons.setSpacing(design.S)
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.start_button)
        column.addLayout(buttons)
        self.pack_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.setTabOrder(self.profile_list, self.add_profile_button)
        self.setTabOrder(self.add_profile_button, self.pack_list)
        self.setTabOrder(self.pack_list, self.history_button)
        self.setTabOrder(self.history_button, self.start_button)
        self.profile_list.itemActivated.connect(lambda _item: self.pack_list.setFocus())
        self.pack_list.itemActivated.connect(lambda _item: self.on_start_button_clicked())
        self.profile_list.currentRowChanged.connect(self._update_buttons)
        self.profile_list.currentRowChanged.connect(lambda _row: self.show_assignments())
        self.pack_list.currentRowChanged.connect(self._update_buttons)
        self.pack_list.currentRowChanged.connect(self._show_pack_details)
        self._build_review(buttons)

    # -- rendering ---------------------------------------------------------
    @property
    def packs_ready(self) -> bool:
        return self._entries is not None

    def refresh(self, *, profile_id: int | None = None, pack_id: str | None = None) -> None:
        """Show the profiles now; the packs as soon as they are read.

        Reading the pack files takes a moment, so the first time it runs on
        the worker (with "Loading packs…" shown) and the window opens at once."""
        if self._entries is None and self.tasks is not None:
            self._wanted_pack = pack_id if pack_id is not None else self._wanted_pack
            if not self._loading:
                self.refresh_packs()
        else:
            if self._entries is None:
                self._entries = self.service.packs.entries()
            self._fill_packs(pack_id)
        self._waiting = None
        self.add_profile_button.setEnabled(True)
        self.profile_list.clear()
        profiles = self.service.profiles.list()
        for profile in profiles:
            item = QListWidgetItem(f"{profile.name} (coach)" if profile.is_coach else profile.name)
            item.setData(ID_ROLE, profile.id)
            self.profile_list.addItem(item)
        coaches = [p.name for p in profiles if p.is_coach]
        if coaches:  # students are told who can read their work
            who = coaches[0] if len(coaches) == 1 else ", ".join(coaches[:-1]) + " and " + coaches[-1]
            self.coach_notice.setText(f"Your coach{'es' if len(coaches) > 1 else ''} ({who}) can read the results of every profile on this computer, PIN or not.")
        self.coach_notice.setVisible(bool(coaches))
        self._select(self.profile_list, profile_id)
        self._update_buttons()

    def show_opening(self, *, failed: str | None = None) -> None:
        """The profiles' place while the database opens (or why it cannot)."""
        self.profile_list.clear()
        text = f"⚠ Your data cannot be opened: {failed}" if failed else "Opening your data…"
        item = QListWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self.profile_list.addItem(item)
        self.add_profile_button.setEnabled(False)
        self._waiting = text
        if self._entries is None and self.tasks is not None and not self._loading:
            self.refresh_packs()
        self._update_buttons()

    def refresh_packs(self) -> None:
        self._loading = True
        self.pack_list.clear()
        loading = QListWidgetItem("Loading packs…")
        loading.setFlags(loading.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self.pack_list.addItem(loading)
        assert self.tasks is not None
        self.tasks.run(lambda: self.service.packs.entries(), self.on_packs_read, self.on_packs_read_failed)

    def reload_packs(self, *, pack_id: str | None = None) -> None:
        """Read the packs again (after an import) and select ``pack_id``."""
        self._entries = None
        self.refresh(profile_id=self.selected_profile_id(), pack_id=pack_id)

    def on_packs_read(self, entries: list[PackEntry]) -> None:
        self._entries = entries
        self._loading = False
        self._fill_packs(self._wanted_pack)
        self._update_buttons()
        self.packs_loaded.emit()

    def on_packs_read_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.pack_list.clear()
        item = QListWidgetItem(f"⚠ The packs cannot be read: {describe(exc)}")
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self.pack_list.addItem(item)
        self._update_buttons()

    def _fill_packs(self, pack_id: str | None) -> None:
        self.pack_list.clear()
        for entry in self._entries or []:
            if entry.pack is not None:
                pack = entry.pack
                item = QListWidgetItem(f"{pack.title}\n{pack.source.author}, {pack.source.outlet} · {len(pack.claims)} claims")
                item.setData(ID_ROLE, pack.id)
                item.setToolTip(plain_tooltip(pack.description or pack.title))
            else:
                item = QListWidgetItem(f"⚠ {entry.path.name}: cannot be loaded ({len(entry.problems)} problem(s))")
                item.setToolTip(plain_tooltip("\n".join(str(p) for p in entry.problems[:20])))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.pack_list.addItem(item)
        self._select(self.pack_list, pack_id)
        self._show_pack_details()
        self.show_review_counts()

    @staticmethod
    def _select(widget: QListWidget, wanted: object) -> None:
        first = None
        for row in range(widget.count()):
            item = widget.item(row)
            if item.data(ID_ROLE) is None:
                continue
            if first is None:
                first = row
            if wanted is not None and item.data(ID_ROLE) == wanted:
                widget.setCurrentRow(row)
                return
        if first is not None:
            widget.setCurrentRow(first)

    def _show_pack_details(self) -> None:
        pack_id = self.selected_pack_id()
        pack = next((e.pack for e in self._entries or [] if e.pack is not None and e.pack.id == pack_id), None)
        if pack is None:
            self.pack_details.setText("")
            return
        description = html.escape(" ".join((pack.description or "").split()))
        self.pack_details.setText(
            f"<p>{description}</p><p><small>{len(pack.claims)} claims · {len(pack.perspectives)} perspectives · "
            f"version {html.escape(pack.version)}<br>{html.escape(pack.attribution)}</small></p>"
        )

    def _update_buttons(self) -> None:
        profile, pack = self.selected_profile_id(), self.selected_pack_id()
        self.start_button.setEnabled(profile is not None and pack is not None)
        self.history_button.setEnabled(profile is not None)
        if self._waiting is not None:
            self.hint.setText(self._waiting)
        elif profile is None:
            self.hint.setText("Create a profile first: click “New profile…” and type a name.")
        elif pack is None:
            self.hint.setText("Loading packs…" if self._loading else "No pack can be loaded.")
        else:
            self.hint.setText("")

    def show_assignments(self) -> None:
        """"Assigned by your coach: 5 claims, due Fri 4 Dec" for the chosen student."""
        profile_id = self.selected_profile_id()
        assigned = []
        if profile_id is not None and self.service.ready:
            try:
                assigned = self.service.assignments.for_profile(profile_id)
            except Exception:  # noqa: BLE001 - a notice, never in the way of choosing a profile
                assigned = []
        self.assignment_notice.setText(assignment_notice(assigned))
        self.assignment_notice.setVisible(bool(assigned))

    # -- spaced review (issue 17): a line on each pack, and a button -------------
    def _build_review(self, buttons: QHBoxLayout) -> None:
        self._review_counts: dict[str, int] = {}
        self.review_button = QPushButton("Review &due claims", self)
        self.review_button.setObjectName("reviewButton")
        self.review_button.setAccessibleName("Review due claims")
        self.review_button.setAutoDefault(True)
        design.set_icon(self.review_button, "review")
        self.review_button.hide()
        self.review_button.clicked.connect(self.on_review_button_clicked)
        buttons.insertWidget(buttons.indexOf(self.history_button), self.review_button)
        self.setTabOrder(self.pack_list, self.review_button)
        self.setTabOrder(self.review_button, self.history_button)
        self.profile_list.currentRowChanged.connect(lambda _row: self.show_review_counts())
        self.pack_list.currentRowChanged.connect(lambda _row: self._update_review_button())

    def show_review_counts(self) -> None:
        """"↻ Review: 6 claims due today" under each pack with claims due for the chosen student."""
        profile_id = self.selected_profile_id()
        counts: dict[str, int] = {}
        if profile_id is not None and self.service.ready and self._entries is not None:
            try:
                counts = self.service.review.due_counts(profile_id)
            except Exception:  # noqa: BLE001 - a notice, never in the way of choosing a profile
                counts = {}
        self._review_counts = counts
        for row in range(self.pack_list.count()):
            item = self.pack_list.item(row)
            pack_id = item.data(ID_ROLE)
            if pack_id is None:
                continue
            base = item.data(REVIEW_BASE_ROLE)
            if base is None:
                base = item.text()
                item.setData(REVIEW_BASE_ROLE, base)
            line = review_line(counts.get(pack_id, 0))
            item.setText(f"{base}\n{line}" if line else base)
        self._update_review_button()

    def _update_review_button(self) -> None:
        n = self._review_counts.get(self.selected_pack_id() or "", 0)
        self.review_button.setText(f"Review &due claims ({n})" if n else "Review &due claims")
        self.review_button.setAccessibleName(f"Review {n} due claim{'s' if n != 1 else ''}" if n else "Review due claims")
        self.review_button.setVisible(n > 0)
        self.review_button.setEnabled(n > 0 and self.selected_profile_id() is not None)

    def on_review_button_clicked(self) -> None:
        profile, pack = self.selected_profile_id(), self.selected_pack_id()
        if profile is not None and pack is not None and self._review_counts.get(pack):
            self.review_requested.emit(profile, pack)

    # -- questions -----------------------------------------------------------
    def selected_profile_id(self) -> int | None:
        item = self.profile_list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    def selected_pack_id(self) -> str | None:
        item = self.pack_list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    # -- slots -------------------------------------------------------------
    def on_add_profile_clicked(self) -> None:
        name = dialogs.ask_text(self, "New profile", "Name:")
        if name is None:
            return
        try:
            profile: ProfileInfo = self.service.profiles.add(name)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Cannot add the profile", describe(exc))
            return
        self.refresh(profile_id=profile.id, pack_id=self.selected_pack_id())
        self.profile_list.setFocus()
        self.profile_added.emit(profile.name)

    def on_start_button_clicked(self) -> None:
        profile, pack = self.selected_profile_id(), self.selected_pack_id()
        if profile is None:
            self.on_add_profile_clicked()
            profile = self.selected_profile_id()
        if profile is not None and pack is not None:
            self.practice_requested.emit(profile, pack)

    def on_history_button_clicked(self) -> None:
        profile = self.selected_profile_id()
        if profile is not None:
            self.history_requested.emit(profile)


def assignment_notice(assigned: list) -> str:  # list[AssignmentInfo], the soonest due first
    """The start page's line about a student's assignments ("" for none)."""
    if not assigned:
        return ""
    first = assigned[0]
    n = len(first.claim_ids)
    text = f"📌 Assigned by your coach: {n} claim{'s' if n != 1 else ''}, due {due_text(first.due_on)}"
    if first.title and not first.title.startswith(f"{n} claim"):
        text += f" ({first.title})"
    if len(assigned) > 1:
        text += f"; {len(assigned) - 1} more assignment{'s' if len(assigned) > 2 else ''}"
    return text + "."


def review_line(due: int) -> str:
    """A pack's line about spaced review ("" when nothing is due)."""
    if not due:
        return ""
    return f"↻ Review: {due} claim{'s' if due != 1 else ''} due today"
