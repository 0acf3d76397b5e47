"""Pack Markdown rendered safely in a ``QTextBrowser``.

Pack authors write Markdown, not HTML: raw HTML in a pack is escaped before
conversion, links are never opened by the browser widget, and nothing is
loaded from outside (no remote or local images). ``markdown`` is imported on
first use, which keeps it off the startup path.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget


def markdown_to_html(text: str) -> str:
    """Escaped, converted and sanitised: see :mod:`trainer.core.rendering`."""
    from ..core.rendering import render_markdown

    return render_markdown(text)


class MarkdownBrowser(QTextBrowser):
    """A read-only browser that never follows links or loads resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setReadOnly(True)

    def loadResource(self, type_: int, name: QUrl) -> object:  # noqa: N802 - Qt override
        return None

    def set_markdown(self, text: str) -> None:
        self.setHtml(markdown_to_html(text))
