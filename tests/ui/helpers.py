"""Small helpers for driving the main window like a user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

TINY_PACK_ID = "tiny-uniforms"
KOREA_PACK_ID = "korea-summit-2019"
# Every wait in the GUI tests uses this: it only turns a hang into a failure.
# It is never a performance limit (a busy machine may be slow, not wrong).
HANG_MS = 60_000

GOOD_TINY_RESPONSE = (
    "Children can still express themselves through other means: their hair, music, clubs "
    "and what they say in class, because identity is not a shirt."
)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """Press a key on whatever has the focus, as a user would."""
    qtbot.keyClick(focused(), key, modifier)


def click(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def has_item_with_id(list_widget: QListWidget, wanted: object) -> bool:
    return any(list_widget.item(i).data(Qt.ItemDataRole.UserRole) == wanted for i in range(list_widget.count()))


def click_item_with_id(qtbot, list_widget: QListWidget, wanted: object) -> None:  # noqa: ANN001
    """Click the item, waiting first for the list to fill (packs load on the worker)."""
    qtbot.waitUntil(lambda: has_item_with_id(list_widget, wanted), timeout=HANG_MS)
    for row in range(list_widget.count()):
        item = list_widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == wanted:
            list_widget.scrollToItem(item)
            rect = list_widget.visualItemRect(item)
            qtbot.mouseClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert list_widget.currentItem() is item
            return
    raise AssertionError(f"no item with id {wanted!r}")


def list_texts(list_widget: QListWidget) -> list[str]:
    return [list_widget.item(i).text() for i in range(list_widget.count())]


def open_tiny(qtbot, win) -> None:  # noqa: ANN001
    """New profile (the patched name dialog answers), the tiny pack, Start practising."""
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)


def show_window(qtbot, win):  # noqa: ANN001, ANN201
    """Show ``win``, make it active and wait until its packs are read (they load on the worker)."""
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=HANG_MS)
    qtbot.waitUntil(lambda: win.start_page.packs_ready, timeout=HANG_MS)
    return win


def answer_pin_dialogs(qtbot, monkeypatch, answers, messages: list[str] | None = None) -> list[str]:  # noqa: ANN001
    """Answer every PIN dialog the app opens, in the real dialog: type each
    answer and press OK until the dialog accepts; ``None`` (or running out)
    cancels. The dialog's inline messages are collected in ``messages``."""
    from PySide6.QtWidgets import QDialog

    from trainer.ui import dialogs

    queue = list(answers)
    seen = messages if messages is not None else []

    def run(dialog) -> int:  # noqa: ANN001 - replaces the modal exec()
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            while queue:
                pin = queue.pop(0)
                if pin is None:
                    return 0
                if not dialog.ok_button.isEnabled():
                    seen.append(dialog.message.text())
                    return 0
                dialog.pin_edit.clear()
                qtbot.keyClicks(dialog.pin_edit, pin)
                qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
                if dialog.result() == QDialog.DialogCode.Accepted:
                    return 1
                seen.append(dialog.message.text())
            return 0
        finally:
            dialog.close()

    monkeypatch.setattr(dialogs.PinDialog, "exec", run)
    return seen
