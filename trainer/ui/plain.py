"""Text from a pack (or typed by the user) is shown as plain text, never as markup.

Packs are shared between clubs, so every field of one is untrusted. Qt guesses
"rich text" from the text itself (``Qt::mightBeRichText``) in a QLabel left
at ``Qt.AutoText``, in every tooltip and in a QMessageBox: a perspective name
holding ``<img src="file:///…">`` would load a file from disk, ``<b>`` would
turn bold. So:

* every label is made here: :func:`plain_label` (``Qt.PlainText``, the
  default) or :func:`rich_label` (``Qt.RichText``, only for HTML the app
  builds itself, with every pack or user value passed through ``html.escape``);
* every computed tooltip goes through :func:`plain_tooltip`;
* message boxes and input dialogs set their text format in :mod:`.dialogs`.

``tests/ui/test_plain_text.py`` checks these rules in the source.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` (and whatever ``setText`` gives it later) literally."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def rich_label(html_text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for HTML the app builds: every pack or user value in it must be ``html.escape``d."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html_text)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip string that Qt shows as ``text``, literally (``""``: no tooltip).

    Qt reads a tooltip as HTML when it looks like HTML, so the text is always
    escaped inside a paragraph that keeps its line breaks (and still wraps).
    """
    if not text or not text.strip():
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
