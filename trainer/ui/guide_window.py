"""The built-in guide (Help ▸ Steelman Guide), a non-modal window."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.rendering import markdown_sections
from ..resources import ResourceError, resource_path
from .markdown_view import MarkdownBrowser

GUIDE_FALLBACK = "# Steelman\n\nThe guide could not be found in this installation."


def guide_markdown() -> str:
    try:
        return resource_path("help/guide.md").read_text(encoding="utf-8")
    except (OSError, ResourceError):
        return GUIDE_FALLBACK


class GuideWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("guideWindow")
        self.setWindowTitle("Steelman Guide")
        self.browser = MarkdownBrowser(self)
        self.browser.setObjectName("guideView")
        self.browser.setAccessibleName("Steelman guide")
        self.browser.show_parts([("markdown", section) for section in markdown_sections(guide_markdown())])
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        self.resize(640, 680)
        geometry = QSettings().value("guideWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Escape"), self, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        QSettings().setValue("guideWindow/geometry", self.saveGeometry())
        super().closeEvent(event)
