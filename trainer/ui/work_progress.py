"""A progress dialog for long work on the worker thread, which the user can cancel.

The worker calls :meth:`WorkProgress.step` (any thread): it posts the figures to
the GUI thread and returns False once the user pressed Cancel, which the core
turns into :class:`~trainer.core.errors.Cancelled` at a point where nothing is
half-done. The dialog is window-modal, shows at once, and stays until
:meth:`close`; after a Cancel it says "Cancelling…" until the work has stopped.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget


class WorkProgress(QObject):
    stepped = Signal(int, int)

    def __init__(self, parent: QWidget, *, title: str, label: str, object_name: str, cancellable: bool = True) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._label = label
        dialog = self.dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setObjectName(object_name)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 48)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._on_cancel)
        self.stepped.connect(self._on_step, Qt.ConnectionType.QueuedConnection)
        dialog.show()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int) -> bool:
        """From the worker: ``done`` of ``total``; False once the user cancelled."""
        self.stepped.emit(done, total)
        return not self._cancel.is_set()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._on_cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None  # type: ignore[assignment]

    def _on_cancel(self) -> None:
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.show()  # QProgressDialog hides itself on Cancel: stay until the work has stopped
            self.dialog.setLabelText("Cancelling…")
            button = self.dialog.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    def _on_step(self, done: int, total: int) -> None:
        dialog = self.dialog
        if dialog is None or self._cancel.is_set():
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
