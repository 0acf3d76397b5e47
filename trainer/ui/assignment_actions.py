"""Assignments in the window: Coach ▸ New Assignment… and File ▸ Open Assignment….

The coach picks a pack, its claims (all of them by default), a due date and
who it is for (the whole club or chosen students). On a shared database that
is all; for offline laptops the coach also saves a ``.steelassign`` file,
which a student opens with File ▸ Open Assignment…. The rules live in
``core/services/assignments.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from . import dialogs
from .formatting import display_quote, due_text, short
from .plain import plain_label, plain_tooltip

if TYPE_CHECKING:
    from ..core.service import Service

ID_ROLE = Qt.ItemDataRole.UserRole
FILTER = "Steelman assignment (*.steelassign)"


def _checkable(text: str, value: object, *, checked: bool, tooltip: str = "") -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(ID_ROLE, value)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    if tooltip:
        item.setToolTip(plain_tooltip(tooltip))
    return item


def _checked(widget: QListWidget) -> list:
    return [widget.item(i).data(ID_ROLE) for i in range(widget.count()) if widget.item(i).checkState() == Qt.CheckState.Checked]


class AssignmentDialog(QDialog):
    """Coach ▸ New Assignment…: what, by when, for whom."""

    def __init__(self, service: Service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.save_file = False
        self.setObjectName("assignmentDialog")
        self.setWindowTitle("New Assignment")
        self.resize(720, 620)
        self.pack_combo = QComboBox(self)
        self.pack_combo.setObjectName("assignmentPack")
        for pack in service.packs.all():
            self.pack_combo.addItem(pack.title, pack.id)
        self.pack_combo.currentIndexChanged.connect(lambda _i: self._fill_claims())
        self.claims = QListWidget(self)
        self.claims.setObjectName("assignmentClaims")
        self.claims.setAccessibleName("Claims to assign")
        self.claims.itemChanged.connect(lambda _item: self._update())
        all_button = QPushButton("&All claims", self)
        all_button.clicked.connect(lambda: self._check_all(self.claims, True))
        none_button = QPushButton("&No claims", self)
        none_button.clicked.connect(lambda: self._check_all(self.claims, False))
        self.due = QDateEdit(QDate(service.clock().astimezone().date()).addDays(7), self)
        self.due.setObjectName("assignmentDue")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("assignmentTitle")
        self.title_edit.setPlaceholderText("Optional, e.g. “Before the Regional: the arsenal claims”")
        self.whole_club = QRadioButton("The &whole club", self)
        self.whole_club.setChecked(True)
        self.chosen = QRadioButton("&Chosen students:", self)
        self.students = QListWidget(self)
        self.students.setObjectName("assignmentStudents")
        self.students.setAccessibleName("Students it is for")
        for p in service.profiles.list():
            if not p.is_coach:
                self.students.addItem(_checkable(p.name, p.id, checked=False))
        self.students.setEnabled(False)
        self.chosen.toggled.connect(self.students.setEnabled)
        self.chosen.toggled.connect(lambda _on: self._update())
        self.students.itemChanged.connect(lambda _item: self._update())
        self.problem = plain_label("", self)
        self.problem.setObjectName("assignmentProblem")

        self.buttons = QDialogButtonBox(self)
        self.set_button = self.buttons.addButton("&Set Assignment", QDialogButtonBox.ButtonRole.AcceptRole)
        self.set_button.setObjectName("assignmentSetButton")
        self.file_button = self.buttons.addButton("Set and Save a &File for Offline Laptops…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.file_button.setObjectName("assignmentFileButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.set_button.clicked.connect(lambda: self._finish(False))
        self.file_button.clicked.connect(lambda: self._finish(True))
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Pack:", self.pack_combo)
        claim_buttons = QHBoxLayout()
        claim_buttons.addWidget(all_button)
        claim_buttons.addWidget(none_button)
        claim_buttons.addStretch(1)
        form.addRow("&Due:", self.due)
        form.addRow("&Title:", self.title_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(plain_label("Claims:", self))
        layout.addWidget(self.claims, 3)
        layout.addLayout(claim_buttons)
        layout.addWidget(plain_label("For:", self))
        layout.addWidget(self.whole_club)
        layout.addWidget(self.chosen)
        layout.addWidget(self.students, 2)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._fill_claims()

    def _fill_claims(self) -> None:
        self.claims.blockSignals(True)
        self.claims.clear()
        pack_id = self.pack_combo.currentData()
        if pack_id is not None:
            pack = self.service.packs.get(pack_id)
            for n, claim in enumerate(pack.claims, start=1):
                self.claims.addItem(_checkable(f"{n}. {short(display_quote(claim.quote), 90)}", claim.id, checked=True, tooltip=claim.quote))
        self.claims.blockSignals(False)
        self._update()

    def _check_all(self, widget: QListWidget, on: bool) -> None:
        for i in range(widget.count()):
            widget.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update(self) -> None:
        problem = ""
        if self.pack_combo.currentData() is None:
            problem = "No pack is installed."
        elif not _checked(self.claims):
            problem = "Choose at least one claim."
        elif self.chosen.isChecked() and not _checked(self.students):
            problem = "Choose at least one student, or the whole club."
        self.problem.setText(problem)
        for button in (self.set_button, self.file_button):
            button.setEnabled(not problem)

    def choice(self) -> dict:
        claims = _checked(self.claims)
        return {
            "pack_id": self.pack_combo.currentData(),
            "claim_ids": None if len(claims) == self.claims.count() else claims,
            "due_on": self.due.date().toPython(),
            "student_ids": _checked(self.students) if self.chosen.isChecked() else None,
            "title": self.title_edit.text(),
        }

    def _finish(self, save_file: bool) -> None:
        self.save_file = save_file
        self.accept()


def run_dialog(dialog: AssignmentDialog) -> bool:
    """Show the dialog modally (tests replace this)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


class AssignmentActions(QObject):
    assignment_set = Signal(object)  # AssignmentInfo
    assignment_opened = Signal(object)  # AssignmentInfo

    def __init__(self, window: QWidget, service: Service) -> None:
        super().__init__(window)
        self.window = window
        self.service = service

    def new_assignment(self) -> None:
        dialog = AssignmentDialog(self.service, self.window)
        if not run_dialog(dialog):
            return
        try:
            assignment = self.service.assignments.create(**dialog.choice())
        except Exception as exc:  # noqa: BLE001 - shown to the coach
            dialogs.show_error(self.window, "The assignment was not set", describe(exc))
            return
        message = f"Set: {assignment.title}, due {due_text(assignment.due_on)}."
        if dialog.save_file:
            suggested = f"assignment-{assignment.due_on.isoformat()}.steelassign"
            target = dialogs.choose_save_file(self.window, "Save the Assignment for Offline Laptops", suggested, FILTER)
            if target:
                try:
                    self.service.assignments.export_file(assignment.id, Path(target))
                    message += f"\n\nSaved {Path(target).name}: on each offline laptop, a student opens it with File ▸ Open Assignment…."
                except OSError as exc:
                    dialogs.show_error(self.window, "The assignment file was not saved", describe(exc))
        dialogs.show_info(self.window, "Assignment set", message)
        self.assignment_set.emit(assignment)

    def open_assignment(self) -> None:
        path = dialogs.choose_open_file(self.window, "Open Assignment", f"{FILTER};;All files (*)")
        if not path:
            return
        try:
            assignment, new = self.service.assignments.open_file(Path(path))
        except Exception as exc:  # noqa: BLE001 - the reason, naming the file
            dialogs.show_error(self.window, "The assignment was not opened", describe(exc))
            return
        n = len(assignment.claim_ids)
        text = f"Assigned by your coach: {n} claim{'s' if n != 1 else ''}, due {due_text(assignment.due_on)}"
        text += f" ({assignment.title})." if assignment.title else "."
        if not new:
            text += "\n\nThis assignment was already here; nothing changed."
        dialogs.show_info(self.window, "Assignment opened", text)
        self.assignment_opened.emit(assignment)

