"""Every modal the app shows goes through this module.

Tests patch these functions (one seam the app owns) instead of clicking
through real modal dialogs.

Messages often hold pack text or what the user typed (a profile name, a
pack's problems), so every box and input dialog shows its text as plain text
(Qt would otherwise guess "rich text" from the message itself, see
:mod:`.plain`); only :func:`show_about` shows HTML, which the app builds with
every value escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget


def _message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    message: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    _message_box(parent, QMessageBox.Icon.Warning, title, message).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    _message_box(parent, QMessageBox.Icon.Information, title, message).exec()


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    box = _message_box(parent, QMessageBox.Icon.Question, title, message, buttons)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)  # as QMessageBox.question did
    return box.exec() == QMessageBox.StandardButton.Yes


def _input_dialog(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    """An input dialog whose label shows ``label`` literally (no markup, no ``&`` mnemonic)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label.replace("&", "&&"))
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = _input_dialog(parent, title, label)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() else None


def ask_pin(parent: QWidget | None, title: str, label: str) -> str | None:
    dialog = _input_dialog(parent, title, label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    return dialog.textValue() if dialog.exec() else None


def ask_new_pin(parent: QWidget | None, title: str, label: str, *, refused: str) -> str | None:
    """A new PIN, typed twice; ``None`` if cancelled or if the two differ
    (then an error titled ``refused`` says so)."""
    pin = ask_pin(parent, title, label)
    if pin is None:
        return None
    if ask_pin(parent, title, "Type the new PIN again:") != pin:
        show_error(parent, refused, "The two PINs were not the same. Nothing was changed.")
        return None
    return pin


def ask_minutes(parent: QWidget | None, title: str, label: str, value: int = 15) -> int | None:
    dialog = _input_dialog(parent, title, label)
    dialog.setInputMode(QInputDialog.InputMode.IntInput)
    dialog.setIntRange(1, 180)
    dialog.setIntValue(value)
    return dialog.intValue() if dialog.exec() else None


def show_about(parent: QWidget | None, title: str, html: str) -> None:
    """``html`` is built by the app, every pack value in it escaped."""
    box = QMessageBox(QMessageBox.Icon.Information, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(html)
    box.exec()


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """Let the user pick one of ``items``; ``None`` if cancelled."""
    dialog = _input_dialog(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    if items:
        dialog.setTextValue(items[0])
    return dialog.textValue() if dialog.exec() else None


LAST_FOLDER_KEY = "dialogs/lastFolder"
"""QSettings key: the folder a file was last opened from or saved to."""


def _start_folder() -> str:
    """Where a file dialog opens: the folder used last, if it is still there;
    else the user's documents folder (``QStandardPaths.DocumentsLocation``);
    else the home folder. Never the current directory, which may be the
    folder Steelman was started from."""
    import os

    from PySide6.QtCore import QDir, QSettings, QStandardPaths

    last = QSettings().value(LAST_FOLDER_KEY, "", type=str)
    if last and os.path.isdir(last):
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and os.path.isdir(documents):
        return documents
    return QDir.homePath()


def _remember_folder(path: str) -> None:
    """Keep the folder of ``path`` (a file chosen in a dialog) for the next dialog."""
    import os

    from PySide6.QtCore import QSettings

    QSettings().setValue(LAST_FOLDER_KEY, os.path.dirname(os.path.abspath(path)))


def choose_open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    """A file to open; ``None`` if cancelled. Opens in :func:`_start_folder`."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, _start_folder(), filters)
    if not path:
        return None
    _remember_folder(path)
    return path


def choose_open_files(parent: QWidget | None, title: str, filters: str) -> list[str]:
    """Files to open (empty if cancelled). Opens in :func:`_start_folder`."""
    from PySide6.QtWidgets import QFileDialog

    paths, _ = QFileDialog.getOpenFileNames(parent, title, _start_folder(), filters)
    if paths:
        _remember_folder(paths[0])
    return paths


def choose_save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Where to save; ``None`` if cancelled. A bare ``suggested`` name is put
    in :func:`_start_folder`."""
    import os

    from PySide6.QtWidgets import QFileDialog

    initial = suggested if os.path.isabs(suggested) else os.path.join(_start_folder(), suggested)
    path, _ = QFileDialog.getSaveFileName(parent, title, initial, filters)
    if not path:
        return None
    _remember_folder(path)
    return path


def open_in_browser(parent: QWidget | None, url: str) -> bool:
    """Ask, then hand ``url`` to the system browser (Steelman itself never goes
    online). ``False`` if the user said no or nothing could open it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    if not confirm(
        parent,
        "Open in your web browser?",
        f"Steelman works offline; this address opens in your web browser and needs a network connection:\n\n{url}\n\nOpen it?",
    ):
        return False
    return QDesktopServices.openUrl(QUrl(url))


class PinDialog(QDialog):
    """Asks for a profile's PIN until it is right or the user cancels.

    ``attempt(pin)`` raises ``ProfileLockedError`` for a wrong PIN (shown
    inline; the dialog stays open) or ``PinBackoffError`` after too many (OK
    waits, with a countdown from ``wait()``, the seconds still to wait)."""

    def __init__(self, parent: QWidget | None, name: str, attempt: Callable[[str], None], wait: Callable[[], float]) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout

        from .plain import plain_label

        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle("Profile PIN")
        self._attempt, self._wait = attempt, wait
        self.prompt = plain_label(f"PIN for {name}:", self)
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setAccessibleName(f"PIN for {name}")
        self.prompt.setBuddy(self.pin_edit)
        self.message = plain_label("", self)
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.pin_edit, self.message, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(340)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.refresh_wait)
        self.refresh_wait()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(self.buttons.StandardButton.Ok)

    def refresh_wait(self) -> None:
        """Enable OK once the back-off is over; meanwhile say how long is left."""
        from ..core.services.data import DataNotReadyError
        from ..core.storage import StorageError

        try:
            left = self._wait()
        except (StorageError, DataNotReadyError):  # unreachable or closed: nothing to count down
            left = 0.0
        waiting = left > 0
        self.ok_button.setEnabled(not waiting)
        self.pin_edit.setEnabled(not waiting)
        if waiting:
            seconds = max(1, round(left))
            self.message.setText(f"Too many wrong PINs. You can try again in {seconds} second{'s' if seconds != 1 else ''}.")
            if not self.countdown.isActive():
                self.countdown.start()
        elif self.countdown.isActive():
            self.countdown.stop()
            self.message.setText("You can try again now.")
            self.pin_edit.setFocus()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        """Closed (OK, Cancel, Escape): the countdown stops with it, never ticking on a closed app."""
        self.countdown.stop()
        super().done(result)

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.countdown.stop()
        super().hideEvent(event)

    def accept(self) -> None:
        from ..core.errors import describe
        from ..core.storage import PinBackoffError, ProfileLockedError

        pin = self.pin_edit.text()
        if not pin:
            self.message.setText("Type the PIN first.")
            return
        try:
            self._attempt(pin)
        except PinBackoffError:
            self.pin_edit.clear()
            self.refresh_wait()
            return
        except ProfileLockedError:
            self.pin_edit.clear()
            self.message.setText("Wrong PIN. Try again.")
            self.pin_edit.setFocus()
            return
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.message.setText(describe(exc))
            return
        super().accept()


def unlock_profile(parent: QWidget | None, name: str, attempt: Callable[[str], None], wait: Callable[[], float]) -> bool:
    """Ask for ``name``'s PIN (see :class:`PinDialog`); ``True`` once unlocked."""
    return bool(PinDialog(parent, name, attempt, wait).exec())


def bring_to_front(window: QWidget) -> None:
    """Show a tool window (the guide, the coach's windows) and raise it."""
    from PySide6.QtGui import QGuiApplication

    window.show()
    if QGuiApplication.platformName() != "offscreen":  # offscreen warns that it cannot raise
        window.raise_()
    window.activateWindow()


def ask_choice(parent: QWidget | None, title: str, text: str, choices: list[str], *, cancel: str) -> int | None:
    """A question with one button per choice (plain text); the index chosen, or None for ``cancel``."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = [box.addButton(label, QMessageBox.ButtonRole.AcceptRole if i == 0 else QMessageBox.ButtonRole.ActionRole)
               for i, label in enumerate(choices)]
    box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(buttons) if b is clicked), None)
