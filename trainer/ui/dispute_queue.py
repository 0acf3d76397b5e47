"""Coach ▸ Disputes: the students' "I did make this point" and "this is wrong", answered.

A list of disputes (open ones first; resolved ones on request) and, for the
one chosen: the student, the claim, the key point, what the matcher said, the
student's comment and the response, with the sentences the matcher credited
to the key point highlighted. The coach accepts (the key point gets the
verdict chosen, and the attempt's score follows: ``core/overrides.py``) or
rejects, with an optional note the student reads in their history.

The rules live in ``core/services/club.py``; reads and writes run on the
window's worker.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.progress import format_score
from ..core.records import DisputeCase
from ..core.service import Service
from .formatting import COACH_VERDICTS, display_quote, dispute_outcome, short
from .plain import plain_label, plain_tooltip
from .tasks import TaskManager

KIND_LABELS = {"did-make-point": "“I did make this point”", "verdict-wrong": "“This verdict is wrong”"}
SHOW = (("Open", "open"), ("Accepted", "accepted"), ("Rejected", "rejected"), ("All", None))
CASE_ROLE = Qt.ItemDataRole.UserRole


class DisputeQueueWindow(QDialog):
    loaded = Signal()  # the list was (re)read, or the read failed
    resolved = Signal(object)  # DisputeCase, after an accept or a reject was saved

    def __init__(self, service: Service, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.cases: list[DisputeCase] = []
        self.busy = False
        self._saved = ""  # what the last accept or reject did, shown above the count
        self.setObjectName("disputeQueue")
        self.setWindowTitle("Disputes")
        self.resize(1080, 700)
        self.setSizeGripEnabled(True)

        self.show_combo = QComboBox(self)
        self.show_combo.setObjectName("disputeShow")
        self.show_combo.setAccessibleName("Show disputes")
        for label, status in SHOW:
            self.show_combo.addItem(label, status)
        self.show_combo.currentIndexChanged.connect(lambda _i: self.reload())
        show_label = plain_label("&Show:", self)
        show_label.setBuddy(self.show_combo)
        self.status = plain_label("Loading…", self)
        self.status.setObjectName("disputeQueueStatus")
        self.list = QListWidget(self)
        self.list.setObjectName("disputeList")
        self.list.setAccessibleName("Disputes")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show_case(cur))

        self.heading = plain_label("", self)
        self.heading.setObjectName("disputeHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.claim = plain_label("", self)
        self.claim.setWordWrap(True)
        self.key_point = plain_label("", self)
        self.key_point.setObjectName("disputeKeyPoint")
        self.key_point.setWordWrap(True)
        self.matcher_said = plain_label("", self)
        self.matcher_said.setObjectName("disputeMatcherSaid")
        self.comment = plain_label("", self)
        self.comment.setObjectName("disputeStudentComment")
        self.comment.setWordWrap(True)
        self.response = QTextBrowser(self)
        self.response.setObjectName("disputeResponse")
        self.response.setAccessibleName("The student's response")
        self.response.setOpenLinks(False)
        self.outcome = plain_label("", self)
        self.outcome.setObjectName("disputeOutcome")
        self.outcome.setWordWrap(True)
        self.verdict_combo = QComboBox(self)
        self.verdict_combo.setObjectName("disputeVerdict")
        self.verdict_combo.setAccessibleName("Count the point as")
        for verdict, label in COACH_VERDICTS.items():
            self.verdict_combo.addItem(label, verdict)
        self.note = QLineEdit(self)
        self.note.setObjectName("disputeNote")
        self.note.setAccessibleName("Note to the student (optional)")
        self.note.setPlaceholderText("Optional: why, in a sentence the student will read")
        self.accept_button = QPushButton("&Accept", self)
        self.accept_button.setObjectName("disputeAcceptButton")
        self.accept_button.setToolTip("Give the key point the verdict chosen; the attempt's score follows")
        self.accept_button.clicked.connect(lambda: self.resolve(accept=True))
        self.reject_button = QPushButton("Re&ject", self)
        self.reject_button.setObjectName("disputeRejectButton")
        self.reject_button.setToolTip("Keep the matcher's verdict; the note tells the student why")
        self.reject_button.clicked.connect(lambda: self.resolve(accept=False))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Claim:", self.claim)
        form.addRow("Key point:", self.key_point)
        form.addRow("The matcher said:", self.matcher_said)
        form.addRow("Student's comment:", self.comment)
        verdict_label = plain_label("&Count the point as:", self)
        verdict_label.setBuddy(self.verdict_combo)
        note_label = plain_label("&Note:", self)
        note_label.setBuddy(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(verdict_label)
        buttons.addWidget(self.verdict_combo)
        buttons.addWidget(self.accept_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)

        self.detail = QWidget(self)
        detail = QVBoxLayout(self.detail)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.heading)
        detail.addLayout(form)
        self.response_label = plain_label("", self)
        self.response_label.setObjectName("disputeResponseLabel")
        detail.addWidget(self.response_label)
        detail.addWidget(self.response, 1)
        detail.addWidget(self.outcome)
        note_row = QHBoxLayout()
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        detail.addLayout(note_row)
        detail.addLayout(buttons)
        self.empty = plain_label("No dispute here.", self)
        self.empty.setObjectName("disputeEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.detail)
        self.detail.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(show_label)
        top.addWidget(self.show_combo, 1)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([340, 740])
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.reload()

    # -- reading ---------------------------------------------------------------
    def reload(self, *, select: int | None = None) -> None:
        status = self.show_combo.currentData()
        self.busy = True
        self._set_buttons()
        self.tasks.run(
            lambda: (self.service.club.disputes(status=status), self.service.club.open_disputes()),
            lambda result: self._on_loaded(*result, select=select),
            self._on_failed,
        )

    def _on_loaded(self, cases: list[DisputeCase], open_count: int, *, select: int | None) -> None:
        self.busy = False
        self.cases = cases
        self.list.blockSignals(True)
        self.list.clear()
        for case in cases:
            a, d = case.attempt, case.dispute
            when = d.created_at.astimezone().strftime("%d %b %H:%M")
            mark = {"open": "●", "accepted": "✓", "rejected": "✗"}.get(d.status, "")
            item = QListWidgetItem(f"{mark} {a.profile_name} · {self._claim_label(case)} · {when}\n{KIND_LABELS.get(d.kind, d.kind)}")
            item.setData(CASE_ROLE, d.id)
            item.setToolTip(plain_tooltip(f"{a.profile_name}: {d.comment or '(no comment)'}"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        count = (
            f"{open_count} open dispute{'s' if open_count != 1 else ''}." if open_count
            else "No open dispute: every one has been answered."
        )
        self.status.setText(f"{self._saved} {count}" if self._saved else count)
        self._saved = ""
        ids = [c.dispute.id for c in cases]
        row = ids.index(select) if select in ids else 0
        if cases:
            self.list.setCurrentRow(row)
            self._show_case(self.list.currentItem())
        else:
            self._show_case(None)
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.status.setText(f"The disputes cannot be read: {describe(exc)}")
        self._set_buttons()
        self.loaded.emit()

    def current_case(self) -> DisputeCase | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return next((c for c in self.cases if c.dispute.id == item.data(CASE_ROLE)), None)

    def _pack(self, pack_id: str):  # noqa: ANN202 - Pack | None
        try:
            return self.service.packs.get(pack_id)
        except Exception:  # noqa: BLE001 - a pack no longer installed
            return None

    def _claim_label(self, case: DisputeCase) -> str:
        pack = self._pack(case.attempt.pack_id)
        if pack is not None and case.attempt.claim_id in {c.id for c in pack.claims}:
            return f"claim {pack.claim_index(case.attempt.claim_id) + 1}"
        return case.attempt.claim_id

    # -- showing -----------------------------------------------------------------
    def _show_case(self, item: QListWidgetItem | None) -> None:
        case = self.current_case() if item is not None else None
        self.detail.setVisible(case is not None)
        self.empty.setVisible(case is None)
        if case is None:
            self._set_buttons()
            return
        from ..core.services.club import default_verdict, matcher_verdict

        a, d = case.attempt, case.dispute
        pack = self._pack(a.pack_id)
        claim = None
        if pack is not None and a.claim_id in {c.id for c in pack.claims}:
            claim = pack.claim(a.claim_id)
        statement = next((k.statement for k in claim.key_points if k.id == d.key_point_id), d.key_point_id) if claim else d.key_point_id
        self.heading.setText(f"{a.profile_name}, {a.submitted_at.astimezone().strftime('%d %b %Y %H:%M')}: {KIND_LABELS.get(d.kind, d.kind)}")
        self.claim.setText(f"{self._claim_label(case)}: {short(display_quote(claim.quote), 220)}" if claim else a.claim_id)
        self.key_point.setText(statement)
        entry = self._entry(case)
        original = (entry or {}).get("override") or entry or {}
        verdict = matcher_verdict(case)
        probability = original.get("probability")
        chance = f" (match {round(100 * float(probability))}%)" if isinstance(probability, int | float) else ""
        self.matcher_said.setText(
            f"{COACH_VERDICTS.get(verdict or '', verdict or 'no verdict')}{chance}; the attempt scored {format_score(a.score)}"
        )
        self.comment.setText(d.comment or "(no comment)")
        self.response.setHtml(self._response_html(a.text, entry))
        credited = bool((entry or {}).get("spans"))
        self.response_label.setText(
            "The response (the sentences the matcher credited to this key point are highlighted):" if credited
            else "The response (the matcher credited no sentence to this key point):"
        )
        if d.is_open:
            self.outcome.setText("")
            self.verdict_combo.setCurrentIndex(max(0, self.verdict_combo.findData(default_verdict(case))))
            self.note.clear()
        else:
            self.outcome.setText("This dispute was " + dispute_outcome(d.status, d.resolved_by, d.override_verdict, d.resolution_note))
        self._set_buttons()

    def _entry(self, case: DisputeCase) -> dict | None:
        for kp in case.attempt.breakdown.get("key_points", ()) or ():
            if isinstance(kp, dict) and kp.get("key_point_id") == case.dispute.key_point_id:
                return kp
        return None

    @staticmethod
    def _response_html(text: str, entry: dict | None) -> str:
        spans = []
        for span in (entry or {}).get("spans", ()) or ():
            try:
                spans.append((int(span["start"]), int(span["end"])))
            except (KeyError, TypeError, ValueError):
                continue
        out, at = [], 0
        for start, end in sorted(spans):
            if start < at or end > len(text):
                continue
            out.append(html.escape(text[at:start]))
            out.append(f"<span style='background-color: rgba(255, 214, 10, 0.45);'>{html.escape(text[start:end])}</span>")
            at = end
        out.append(html.escape(text[at:]))
        return "<div style='white-space: pre-wrap;'>" + "".join(out) + "</div>"

    def _set_buttons(self) -> None:
        case = self.current_case()
        can = case is not None and case.dispute.is_open and not self.busy
        for w in (self.accept_button, self.reject_button, self.verdict_combo, self.note):
            w.setEnabled(can)

    # -- answering ----------------------------------------------------------------
    def resolve(self, *, accept: bool) -> None:
        case = self.current_case()
        if case is None or not case.dispute.is_open or self.busy:
            return
        note = self.note.text().strip()
        verdict = self.verdict_combo.currentData()
        dispute_id = case.dispute.id
        club = self.service.club
        self.busy = True
        self._set_buttons()
        job = (lambda: club.accept(dispute_id, verdict=verdict, note=note)) if accept else (lambda: club.reject(dispute_id, note=note))
        self.tasks.run(job, self._on_resolved, self._on_resolve_failed)

    def _on_resolved(self, case: DisputeCase) -> None:
        self.busy = False
        a, d = case.attempt, case.dispute
        before = a.superseded_scores[-1].score if d.status == "accepted" and a.superseded_scores else a.score
        change = f" {a.profile_name}'s score: {format_score(before)} → {format_score(a.score)}." if d.status == "accepted" else ""
        self._saved = f"Saved: {dispute_outcome(d.status, d.resolved_by, d.override_verdict, d.resolution_note)}{change}"
        self.status.setText(self._saved)
        self.resolved.emit(case)
        following = self._next_open_after(d.id)
        self.reload(select=following)

    def _next_open_after(self, dispute_id: int) -> int | None:
        ids = [c.dispute.id for c in self.cases if c.dispute.is_open and c.dispute.id != dispute_id]
        later = [i for i in ids if i > dispute_id]
        return (later or ids or [None])[0]

    def _on_resolve_failed(self, exc: BaseException) -> None:
        self.busy = False
        self._saved = f"Not saved: {describe(exc)}"
        self.status.setText(self._saved)
        self.reload()

