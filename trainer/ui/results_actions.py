"""Results files in the window: File ▸ Export Results for Coach… and Coach ▸ Import Results….

The rules (who may export whom, exactly-once merging, refusing bad files) live
in ``core/services/transfer.py``; this controller asks, runs the work on the
window's worker and shows progress. An import reads every file first (on the
worker), asks the coach about each student whose name is already taken (on
the GUI thread), then merges file by file with a progress dialog that can be
cancelled between files: each file is one transaction, so a cancel never
leaves half a file behind.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import Cancelled, describe
from ..core.results_file import SUFFIX
from . import dialogs

if TYPE_CHECKING:
    from ..core.service import Service
    from ..core.services.transfer import Conflict, ImportReport
    from ..core.storage.transfer import Decision
    from .tasks import TaskManager

FILTER = f"Steelman results (*{SUFFIX})"


def choose_results_files(parent: QWidget | None) -> list[str]:
    """The results files to import (tests replace this)."""
    return dialogs.choose_open_files(parent, "Import Results", f"{FILTER};;All files (*)")


def choose_results_target(parent: QWidget | None, suggested: str) -> str | None:
    """Where to save a results file (tests replace this); the suffix is added if missing."""
    path = dialogs.choose_save_file(parent, "Export Results for Coach", suggested, FILTER)
    if path and not path.endswith(SUFFIX):
        path += SUFFIX
    return path


def ask_conflict(parent: QWidget | None, conflict: Conflict, file_name: str) -> str | None:
    """``"merge"``, ``"separate"`` or ``None`` (skip the file) for a taken name (tests replace this)."""
    answer = dialogs.ask_choice(
        parent,
        "A student with this name is already here",
        f"{file_name} brings work by “{conflict.name}”, and “{conflict.existing_name}” is already a student here.\n\n"
        "Is it the same student?",
        [f"Same student: add to {conflict.existing_name}", "A different student: keep separate"],
        cancel="Skip this file",
    )
    return {0: "merge", 1: "separate"}.get(answer) if answer is not None else None


class ResultsActions(QObject):
    progress = Signal(int, int, str)  # emitted on the worker; shown on the GUI thread
    exported = Signal(object)  # ResultsExport
    imported = Signal(object)  # ImportReport

    def __init__(self, window: QWidget, service: Service, tasks: TaskManager) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.tasks = tasks
        self.dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    # -- export --------------------------------------------------------------------
    def export_for_coach(self, current_profile_id: int | None) -> None:
        """One student (the one chosen) or every student on this laptop."""
        current = self.service.profiles.find(current_profile_id) if current_profile_id is not None else None
        choices = ([f"Only {current.name}"] if current is not None and not current.is_coach else []) + ["Every student on this laptop"]
        choice = choices[0] if len(choices) == 1 else dialogs.choose_item(self.window, "Export Results for Coach", "Whose results?", choices)
        if choice is None:
            return
        one = current if choice.startswith("Only ") else None
        if one is not None and not self.window.unlock(one.id):  # type: ignore[attr-defined]
            return
        stamp = self.service.clock().astimezone().strftime("%Y-%m-%d")
        suggested = f"{one.name if one else 'all-students'}-{stamp}{SUFFIX}".replace("/", "-").replace("\\", "-")
        target = choose_results_target(self.window, suggested)
        if target is None:
            return
        self._cancel.clear()
        self._open_dialog("Exporting results…", cancellable=True)
        cancel = self._cancel

        def step(done: int, total: int) -> bool:  # on the worker
            self.progress.emit(done, total, "")
            return not cancel.is_set()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self._close_dialog()
                self.window.statusBar().showMessage("Export cancelled: no file was written or changed.", 8000)  # type: ignore[attr-defined]
                return
            self._failed("The results were not exported", exc)

        self.tasks.run(
            lambda: self.service.transfer.export_results(Path(target), profile_id=one.id if one else None, progress=step),
            lambda outcome: self._exported(outcome, target),
            failed,
        )

    def _exported(self, outcome, target: str) -> None:  # noqa: ANN001 - ResultsExport
        self._close_dialog()
        message = f"Saved {outcome.attempts} attempt{'s' if outcome.attempts != 1 else ''} of {outcome.students} student{'s' if outcome.students != 1 else ''} to {target}."
        if outcome.excluded:
            message += (f"\n\nLeft out (PIN-protected; a coach can export them): {', '.join(outcome.excluded)}.")
        message += "\n\nGive the file to your coach (USB stick or e-mail): Coach ▸ Import Results… reads it."
        dialogs.show_info(self.window, "Results exported", message)
        self.exported.emit(outcome)

    # -- import --------------------------------------------------------------------
    def import_results(self) -> None:
        paths = [Path(p) for p in choose_results_files(self.window)]
        if not paths:
            return
        self._open_dialog("Reading the results files…", cancellable=False)
        transfer = self.service.transfer

        def read_all() -> list[tuple[Path, list[Conflict]]]:
            found = []
            for path in paths:
                try:
                    found.append((path, transfer.conflicts(transfer.read(path))))
                except Exception:  # noqa: BLE001 - the import below refuses it, with its reason
                    found.append((path, []))
            return found

        self.tasks.run(read_all, lambda found: self._ask_then_import(paths, found), lambda exc: self._failed("The results were not imported", exc))

    def _ask_then_import(self, paths: list[Path], found: list[tuple[Path, list[Conflict]]]) -> None:
        from ..core.storage.transfer import Decision

        self._close_dialog()
        decisions: dict[str, Decision | None] = {}
        for path, conflicts in found:
            for conflict in conflicts:
                if conflict.uuid in decisions:
                    continue
                answer = ask_conflict(self.window, conflict, path.name)
                decisions[conflict.uuid] = (
                    Decision("merge", conflict.existing_id) if answer == "merge" else Decision("separate") if answer == "separate" else None
                )
        self._cancel.clear()
        self._open_dialog("Importing results…", cancellable=True, total=len(paths))
        transfer, cancel = self.service.transfer, self._cancel

        def step(done: int, total: int, name: str) -> bool:  # on the worker
            self.progress.emit(done, total, name)
            return not cancel.is_set()

        self.tasks.run(
            lambda: transfer.import_results(paths, decide=lambda c: decisions.get(c.uuid), progress=step),
            self._imported,
            lambda exc: self._failed("The results were not imported", exc),
        )

    def _imported(self, report: ImportReport) -> None:
        cancelled = self._cancel.is_set()
        self._close_dialog()
        text = report.summary() + "."
        if cancelled:
            text += "\n\nCancelled: the files not yet read were left alone; each file read was imported whole."
        for name, why in report.refused:
            text += f"\n\n{name}: {why}"
        (dialogs.show_error if report.refused and not report.imported_files else dialogs.show_info)(self.window, "Results imported", text)
        self.imported.emit(report)

    # -- progress ------------------------------------------------------------------
    def _open_dialog(self, label: str, *, cancellable: bool, total: int = 0) -> None:
        dialog = self.dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, total, self.window)
        dialog.setObjectName("resultsProgress")
        dialog.setWindowTitle("Results")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel.set)
        dialog.show()

    def _on_progress(self, done: int, total: int, name: str) -> None:
        dialog = self.dialog
        if dialog is not None:  # setValue runs the event loop of a modal dialog: set the label first
            if dialog.labelText().startswith("Exporting"):
                dialog.setLabelText(f"Exporting results… ({done:,} of {total:,} attempts)")
            else:
                dialog.setLabelText(f"Importing {name} ({done + 1} of {total})…" if name else "Finishing…")
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._cancel.set)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _failed(self, title: str, exc: BaseException) -> None:
        self._close_dialog()
        dialogs.show_error(self.window, title, describe(exc))

