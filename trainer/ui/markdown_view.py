"""Pack Markdown rendered safely in a ``QTextBrowser``, never on the GUI thread.

Pack authors write Markdown, not HTML: raw HTML in a pack is escaped before
conversion, links are never opened by the browser widget, and nothing is
loaded from outside (no remote or local images). ``markdown`` is imported on
first use, which keeps it off the startup path.

Rendering happens on a render thread of its own (never the worker that stores
attempts): a view shows its text at once when every piece is already in the
core's cache (:func:`trainer.core.rendering.cached_markdown`) and otherwise a
"Preparing…" line until the thread is done. :func:`warm` fills the cache ahead,
while the user is still writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

PREPARING_HTML = "<p><i>Preparing the text…</i></p>"

_pool: ThreadPoolExecutor | None = None


def _render_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steelman-render")
    return _pool


def markdown_to_html(text: str) -> str:
    """Escaped, converted and sanitised: see :mod:`trainer.core.rendering`."""
    from ..core.rendering import render_markdown

    return render_markdown(text)


def warm(texts: Iterable[str]) -> None:
    """Render ``texts`` into the cache on the render thread (fire and forget)."""
    pending = [t for t in texts if t.strip()]
    if pending:
        _render_pool().submit(lambda: [markdown_to_html(t) for t in pending])


def _assemble(parts: Sequence[tuple[str, str]]) -> str:
    return "".join(markdown_to_html(text) if kind == "markdown" else text for kind, text in parts)


class MarkdownBrowser(QTextBrowser):
    """A read-only browser that never follows links or loads resources."""

    #: The document now holds what the last ``show_parts``/``set_markdown`` asked for.
    rendered = Signal()
    _html_ready = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self._generation = 0
        self.pending = False
        self._html_ready.connect(self._apply)

    def loadResource(self, type_: int, name: QUrl) -> object:  # noqa: N802 - Qt override
        return None

    def set_markdown(self, text: str) -> None:
        self.show_parts([("markdown", text)])

    def show_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Show ``parts`` in order: ``("html", app-built HTML with every value
        escaped)`` or ``("markdown", pack Markdown)``. At once if every Markdown
        piece is cached; otherwise rendered on the render thread."""
        from ..core.rendering import cached_markdown

        self._generation += 1
        generation = self._generation
        parts = list(parts)
        if all(cached_markdown(text) is not None for kind, text in parts if kind == "markdown"):
            self._apply(generation, _assemble(parts))
            return
        self.pending = True
        self.setHtml(PREPARING_HTML)

        def job() -> None:
            html = _assemble(parts)
            try:
                self._html_ready.emit(generation, html)
            except RuntimeError:  # the view was closed meanwhile
                pass

        _render_pool().submit(job)

    def _apply(self, generation: int, html: str) -> None:
        if generation != self._generation:
            return  # an older request finished after a newer one
        self.pending = False
        self.setHtml(html)
        self.rendered.emit()
