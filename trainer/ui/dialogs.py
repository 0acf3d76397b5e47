"""Every modal the app shows goes through this module.

Tests patch these functions (one seam the app owns) instead of clicking
through real modal dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(box.textInteractionFlags())
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_pin(parent: QWidget | None, title: str, label: str) -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return value if ok else None


def ask_minutes(parent: QWidget | None, title: str, label: str, value: int = 15) -> int | None:
    minutes, ok = QInputDialog.getInt(parent, title, label, value, 1, 180)
    return minutes if ok else None


def show_about(parent: QWidget | None, title: str, html: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, html, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.exec()


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """Let the user pick one of ``items``; ``None`` if cancelled."""
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return value if ok else None


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
