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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget


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


def choose_open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    """A file to open; ``None`` if cancelled."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path or None


def choose_save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Where to save; ``None`` if cancelled."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


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
