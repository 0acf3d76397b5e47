"""The claim list beside the practice view: each claim's status and the session's progress.

Claims due for spaced review today are marked "↻ due for review" (the window
tells the sidebar which, with ``show_review_due``; the marks stay until it
tells it again).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QProgressBar, QVBoxLayout, QWidget

from ..core.packs import Pack
from ..core.progress import ClaimStatus, format_score
from .formatting import display_quote, short
from .plain import plain_label, plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
REVIEW_MARK = "↻ due for review"


class ClaimSidebar(QWidget):
    claim_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimSidebar")
        label = plain_label("C&laims", self)
        self.claim_list = QListWidget(self)
        self.claim_list.setObjectName("claimList")
        self.claim_list.setAccessibleName("Claims and their status")
        self.claim_list.setWordWrap(True)
        self.claim_list.setTextElideMode(Qt.TextElideMode.ElideNone)  # the text is shortened already; it wraps
        self.claim_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # items wrap
        self.claim_list.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap (and re-measure) when the width changes
        # Qt measures a wrapped item without the style sheet's side padding: none here, or its last line is cut
        self.claim_list.setProperty("wrapping", True)
        label.setBuddy(self.claim_list)
        self.claim_list.itemActivated.connect(self.on_claim_list_item_activated)
        self.claim_list.itemClicked.connect(self.on_claim_list_item_activated)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sessionProgress")
        self.progress.setAccessibleName("Claims tried in this session")
        self.progress.setFormat("%v of %m tried")
        self.assignment = plain_label("", self)
        self.assignment.setObjectName("assignmentProgress")
        self.assignment.setWordWrap(True)
        self.assignment.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.claim_list, 1)
        layout.addWidget(self.assignment)
        layout.addWidget(self.progress)
        self.review_due: frozenset[str] = frozenset()
        self._shown: tuple[tuple[Any, ...], dict[str, Any]] | None = None  # the last show_claims call, to mark again

    def show_claims(
        self, pack: Pack, claim_ids: list[str], statuses: dict[str, ClaimStatus], current: str,
        *, assigned: Mapping[str, bool] | None = None, assignment_text: str = "",
    ) -> None:
        """``assigned``: the claims a coach assigned, each with whether it is done."""
        self._shown = ((pack, claim_ids, statuses, current), {"assigned": assigned, "assignment_text": assignment_text})
        assigned = assigned or {}
        self.claim_list.blockSignals(True)
        self.claim_list.clear()
        tried = 0
        for n, claim_id in enumerate(claim_ids, start=1):
            claim = pack.claim(claim_id)
            status = statuses.get(claim_id)
            if status is not None and status.tried:
                tried += 1
                state = f"best {format_score(status.best_score)}" if status.best_score is not None else "tried"
                mark = "✓"
            else:
                state, mark = "not tried", "○"
            if claim_id in assigned:
                state += " · 📌 assigned" + (", done" if assigned[claim_id] else "")
            if claim_id in self.review_due:
                state += f" · {REVIEW_MARK}"
            item = QListWidgetItem(f"{mark} {n}. {short(display_quote(claim.quote))}\n     {state}")
            item.setData(ID_ROLE, claim_id)
            item.setToolTip(plain_tooltip(f"{claim.quote}\n\n{state}"))
            self.claim_list.addItem(item)
            if claim_id == current:
                self.claim_list.setCurrentItem(item)
        self.claim_list.blockSignals(False)
        self.progress.setRange(0, max(1, len(claim_ids)))
        self.progress.setValue(tried)
        self.assignment.setText(assignment_text)
        self.assignment.setVisible(bool(assignment_text))

    def show_review_due(self, claim_ids: Collection[str]) -> None:
        """Mark these claims as due for review today (and no others), in the list shown and the next ones."""
        self.review_due = frozenset(claim_ids)
        if self._shown is not None:
            args, kwargs = self._shown
            current = self.claim_list.currentItem()
            self.show_claims(*args[:3], current.data(ID_ROLE) if current is not None else args[3], **kwargs)

    def on_claim_list_item_activated(self, item: QListWidgetItem) -> None:
        self.claim_chosen.emit(item.data(ID_ROLE))
