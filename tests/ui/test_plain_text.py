"""Pack text (and what the user types) is shown as plain text, never as markup (issue 13, class 8).

Packs are shared between clubs, so every field of one is untrusted. Qt guesses
"rich text" from the text itself (``Qt::mightBeRichText``) in a QLabel left
at ``Qt.AutoText``, in every tooltip and in a QMessageBox: a perspective name
holding ``<img src="file:///…">`` would load a file from disk there.

``test_hostile_pack_is_shown_as_plain_text`` drives the whole app with a pack
whose fields all hold such markup. The other tests guard the rule in the source.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QListWidget, QTextEdit, QTreeWidget, QTreeWidgetItemIterator, QWidget

from trainer.core.packs import build_archive
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.ui import dialogs

from .conftest import TINY_PACK, StandInMatcher
from .helpers import HANG_MS, click, click_item_with_id, show_window

UI = Path(__file__).resolve().parents[2] / "trainer" / "ui"
MARK = "<b>bold</b>"  # shown literally wherever a field is shown
PACK_ID = "hostile-pack"


# -- the rule in the source ----------------------------------------------------

TOOLTIP_SETTERS = {"setToolTip", "setWhatsThis"}
STATIC_DIALOGS = {"information", "question", "warning", "critical", "about", "aboutQt", "getText", "getInt", "getDouble", "getItem", "getMultiLineText"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _safe_tooltip(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return isinstance(node, ast.Call) and _name(node.func) == "plain_tooltip"


def plain_text_offences(source: str, filename: str) -> list[str]:
    """Every place in ``source`` (the module ``filename`` of trainer/ui) that breaks the plain-text rule.

    1. No module but ``plain.py`` calls ``QLabel(...)``: labels are made with
       ``plain_label`` (Qt.PlainText) or ``rich_label`` (Qt.RichText, for HTML
       the app builds, every value escaped). So no label is ever left at
       Qt.AutoText, and a new label is plain unless someone asks for rich text.
    2. A tooltip (the last argument of ``setToolTip(...)``, so also
       ``item.setToolTip(column, text)``; the value given to ``setItemData`` /
       ``setData`` with ``ToolTipRole``) is a string literal or a call to
       ``plain_tooltip(...)``: anything computed goes through the helper, which
       escapes it. The same for ``setWhatsThis``.
    3. QMessageBox and QInputDialog are used only in ``dialogs.py``, never
       through their static helpers (``QMessageBox.information``,
       ``QInputDialog.getText``…), which leave the text at Qt.AutoText; each
       function that makes a QMessageBox also calls ``setTextFormat``.

    What a scan cannot see (the ``setText`` argument of a rich label, HTML
    given to ``setHtml``) is escaped by hand and checked by the GUI test below.
    """
    found = []
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{filename}:{node.lineno}"
        func = _name(node.func)
        if func == "QLabel" and filename != "plain.py":
            found.append(f"{where}: QLabel(...) made directly; use plain_label() or rich_label()")
        elif func in TOOLTIP_SETTERS and node.args and not _safe_tooltip(node.args[-1]):
            found.append(f"{where}: {func}() with computed text; wrap it in plain_tooltip()")
        elif func in ("setItemData", "setData") and any(_name(a) == "ToolTipRole" for a in node.args):
            values = [a for a in node.args if _name(a) != "ToolTipRole" and not (isinstance(a, ast.Constant) and isinstance(a.value, int))]
            if values and not _safe_tooltip(values[-1]):
                found.append(f"{where}: {func}(..., ToolTipRole) with computed text; wrap it in plain_tooltip()")
        elif func in ("QMessageBox", "QInputDialog") and filename != "dialogs.py":
            found.append(f"{where}: {func} outside dialogs.py")
        elif isinstance(node.func, ast.Attribute) and _name(node.func.value) in ("QMessageBox", "QInputDialog") and func in STATIC_DIALOGS:
            found.append(f"{where}: {_name(node.func.value)}.{func}() leaves the text at Qt.AutoText")
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            calls = [_name(n.func) for n in ast.walk(function) if isinstance(n, ast.Call)]
            if "QMessageBox" in calls and "setTextFormat" not in calls:
                found.append(f"{filename}:{function.lineno}: {function.name}() makes a QMessageBox without setTextFormat")
    return found


def test_the_ui_follows_the_plain_text_rule() -> None:
    """Labels via plain_label/rich_label, computed tooltips via plain_tooltip,
    message boxes and input dialogs only in dialogs.py with a text format:
    see :func:`plain_text_offences`."""
    found = []
    for path in sorted(UI.glob("*.py")):
        found += plain_text_offences(path.read_text(encoding="utf-8"), path.name)
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "label = QLabel(name, self)",
        "w.setToolTip(pack.title)",
        "w.setToolTip(f'{claim.quote}')",
        "item.setToolTip(0, quote)",
        "combo.setItemData(i, p.description, Qt.ItemDataRole.ToolTipRole)",
        "w.setWhatsThis(text)",
        "QMessageBox.information(parent, title, message)",
        "QInputDialog.getText(parent, title, label)",
        "def f():\n    box = QMessageBox()\n    box.exec()",
    ],
)
def test_the_rule_catches(source: str) -> None:
    assert plain_text_offences(source, "view.py") != []


@pytest.mark.parametrize(
    "source",
    [
        "label = plain_label(name, self)",
        "w.setToolTip('A fixed tip')",
        "w.setToolTip(plain_tooltip(pack.title))",
        "item.setToolTip(0, plain_tooltip(quote))",
        "combo.setItemData(i, plain_tooltip(p.description), Qt.ItemDataRole.ToolTipRole)",
        "combo.setItemData(0, 'Fixed.', Qt.ItemDataRole.ToolTipRole)",
    ],
)
def test_the_rule_allows(source: str) -> None:
    assert plain_text_offences(source, "view.py") == []


# -- the helpers, checked with Qt itself ---------------------------------------------


def test_plain_tooltip_is_shown_literally(qapp) -> None:  # noqa: ANN001 - fonts need the application
    from trainer.ui.plain import plain_tooltip

    text = '<img src="file:///etc/passwd"> <b>bold</b> & &lt; it\'s "quoted"\nsecond line'
    tip = plain_tooltip(text)
    assert QtGuiNamespace.mightBeRichText(tip)  # so Qt reads it as the HTML it is
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText() == text
    assert "<img" not in doc.toHtml()
    assert plain_tooltip("") == ""
    assert plain_tooltip("   ") == ""

    class Recording(QTextDocument):
        """Records every resource Qt asks for while laying the text out."""

        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def loadResource(self, kind: int, name) -> object:  # noqa: ANN001, N802 - Qt override
            self.asked.append(name.toString())
            return None

    def resources(rich: str) -> list[str]:
        recording = Recording()
        recording.setHtml(rich)
        recording.setTextWidth(300)
        recording.size()  # lays the text out, as a tooltip does before it is drawn
        image = QImage(320, 200, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        recording.drawContents(painter)
        painter.end()
        return recording.asked

    assert set(resources(text)) == {"file:///etc/passwd"}  # the raw text, read as HTML, would load the file
    assert resources(tip) == []


def test_labels_from_the_helpers_say_their_format(qtbot) -> None:  # noqa: ANN001
    from trainer.ui.plain import plain_label, rich_label

    parent = QWidget()
    qtbot.addWidget(parent)
    plain = plain_label("<b>x</b>", parent)
    assert plain.textFormat() == Qt.TextFormat.PlainText and plain.text() == "<b>x</b>" and plain.parent() is parent
    assert plain_label().textFormat() == Qt.TextFormat.PlainText
    assert rich_label("<b>x</b>", parent).textFormat() == Qt.TextFormat.RichText


def test_message_boxes_and_input_dialogs_show_plain_text(monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    shown: list[QWidget] = []

    def fake_exec(self) -> int:  # noqa: ANN001
        shown.append(self)
        return 0

    def close_a_real_modal() -> None:  # a dialog shown by a static helper (not the patched exec) is closed, unrecorded
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.reject()

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QInputDialog, "exec", fake_exec)
    hostile = f"{MARK} & Co"
    for ask in (
        lambda: dialogs.show_error(None, "t", hostile),
        lambda: dialogs.show_info(None, "t", hostile),
        lambda: dialogs.confirm(None, "t", hostile),
        lambda: dialogs.ask_text(None, "t", hostile),
        lambda: dialogs.ask_pin(None, "t", hostile),
        lambda: dialogs.ask_minutes(None, "t", hostile),
        lambda: dialogs.choose_item(None, "t", hostile, ["a", "b"]),
    ):
        QTimer.singleShot(0, close_a_real_modal)
        ask()
        QApplication.processEvents()
    assert len(shown) == 7
    for dialog in shown:
        qtbot.addWidget(dialog)
        if isinstance(dialog, QMessageBox):
            assert dialog.textFormat() == Qt.TextFormat.PlainText and dialog.text() == hostile
        else:
            (label,) = [w for w in dialog.findChildren(QLabel) if w.text()]
            assert label.textFormat() == Qt.TextFormat.PlainText
            assert label.text() == hostile.replace("&", "&&")  # no mnemonic taken from the text


# -- the app, driven with a hostile pack ------------------------------------------------


class PayloadMatcher(StandInMatcher):
    """The stand-in matcher, also naming the perspective's key points and the
    stance (so the feedback shows its perspective note and stance banner)."""

    def score(self, **kwargs):  # noqa: ANN003, ANN201
        result = super().score(**kwargs)
        perspective = kwargs.get("perspective")
        mine = tuple(k.id for k in kwargs["key_points"] if perspective and perspective in k.perspectives)
        return dataclasses.replace(result, perspective=perspective, perspective_key_points=mine, argued_for=True)


def hostile_pack(folder: Path, payload: str) -> Path:
    """The tiny test pack with ``payload`` in every plain field it has."""
    shutil.copytree(TINY_PACK, folder)
    p = payload
    (folder / "pack.toml").write_text(
        f"""schema_version = 1
id = "{PACK_ID}"
title = '{p} School uniforms'
language = "en"
version = "0.1.0"
licence = '{p} licence'
attribution = '{p} attribution'
description = '{p} Two claims about uniforms.'

[source]
author = '{p} A. Writer'
outlet = '{p} The Test Gazette'
date = "2024-05-01"
url = 'https://example.org/{MARK}'  # an address holds no spaces
reprint = '{p} reprint'

[[perspectives]]
id = "parent"
name = '{p} A parent'
description = '{p} Cares about what uniforms cost.'
tip = '{p} Talk about money.'

[[perspectives]]
id = "student"
name = '{p} A student'
description = '{p} Cares about self-expression.'
""",
        encoding="utf-8",
    )
    quote = "Uniforms stop children from expressing who they are."
    article = folder / "article.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(quote, f"{p} {quote}"), encoding="utf-8")
    claim = folder / "claims" / "01-expression.toml"
    text = claim.read_text(encoding="utf-8")
    for old, new in [
        (f'quote = "{quote}"', f"quote = '{p} {quote}'"),
        ('note = "The central claim of the piece."', f"note = '{p} note'"),
        ('statement = "Children can still', f"statement = '{p} Children can still"),
        ("themselves using other means\"", "themselves using other means'"),
        ('statement = "School uniform reduces bullying"', f"statement = '{p} School uniform reduces bullying'"),
        ('text = "Yes, uniforms', f"text = '{p} Yes, uniforms"),
        ('self-expression."', "self-expression.'"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    claim.write_text(text, encoding="utf-8")
    return folder


def shown(text: str, text_format: Qt.TextFormat) -> tuple[str, str]:
    """What Qt shows for ``text`` in a widget with ``text_format``, and the HTML of its document ("" if plain)."""
    rich = text_format == Qt.TextFormat.RichText or (text_format == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text))
    if not rich:
        return text, ""
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText(), doc.toHtml()


class Audit:
    """Every label, tooltip and text view under the window, checked after each step."""

    def __init__(self, win: QWidget) -> None:
        self.win = win
        self.problems: dict[str, str] = {}  # what -> why (the first step it was seen at)

    def check(self, what: str, text: str, html: str, step: str) -> None:
        if "<img" in html:
            self.problems.setdefault(what, f"renders markup as HTML, with an image (at {step}): {text[:90]!r}")
        elif "bold" in text and MARK not in text:
            self.problems.setdefault(what, f"does not show the field literally (at {step}): {text[:90]!r}")
        elif "&lt;" in text or "&amp;" in text:
            self.problems.setdefault(what, f"shows escaped text (at {step}): {text[:90]!r}")

    def expect(self, what: str, text: str, step: str) -> None:
        """``text`` (as shown) must hold the field literally."""
        if MARK not in text:
            self.problems.setdefault(what, f"should show the field literally (at {step}): {text[:90]!r}")

    @staticmethod
    def describe(widget: QWidget) -> str:
        names = []
        while widget is not None and len(names) < 3:
            names.append(widget.objectName() or type(widget).__name__)
            widget = widget.parentWidget()
        return "/".join(reversed(names))

    def tooltip(self, what: str, tip: str, step: str) -> None:
        if tip:
            text, html = shown(tip, Qt.TextFormat.AutoText)  # Qt's tooltips guess the format
            self.check(f"tooltip of {what}", text, html, step)

    def sweep(self, step: str) -> None:
        for label in self.win.findChildren(QLabel):
            text, html = shown(label.text(), label.textFormat())
            self.check(f"label {self.describe(label)}", text, html, step)
        for widget in [self.win, *self.win.findChildren(QWidget)]:
            self.tooltip(self.describe(widget), widget.toolTip(), step)
            self.tooltip(f"whatsThis of {self.describe(widget)}", widget.whatsThis(), step)
        for lst in self.win.findChildren(QListWidget):
            for i in range(lst.count()):
                self.tooltip(f"{self.describe(lst)} item", lst.item(i).toolTip(), step)
        for tree in self.win.findChildren(QTreeWidget):
            it = QTreeWidgetItemIterator(tree)
            while it.value() is not None:
                for column in range(tree.columnCount()):
                    self.tooltip(f"{self.describe(tree)} item column {column}", it.value().toolTip(column), step)
                it += 1
        for combo in self.win.findChildren(QComboBox):
            for i in range(combo.count()):
                self.tooltip(f"{self.describe(combo)} item", combo.itemData(i, Qt.ItemDataRole.ToolTipRole) or "", step)
        for view in self.win.findChildren(QTextEdit):
            self.check(f"text view {self.describe(view)}", view.toPlainText(), view.document().toHtml(), step)

    def label(self, label: QLabel, step: str) -> None:
        self.expect(f"label {self.describe(label)}", shown(label.text(), label.textFormat())[0], step)


@pytest.fixture
def hostile_service(tmp_path: Path, clock) -> Iterator[Service]:  # noqa: ANN001
    svc = Service.open(resolve_locations(data_dir=tmp_path / "appdata"), matcher_loader=PayloadMatcher, clock=clock.utc)
    yield svc
    svc.close()


def test_hostile_pack_is_shown_as_plain_text(
    qtbot, hostile_service: Service, clock, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    from trainer.ui.main_window import MainWindow

    probe = tmp_path_factory.mktemp("p") / "probe.png"
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(probe))
    payload = f'<img src="{probe.as_uri()}"> {MARK} <a href="x">link</a>'
    work = tmp_path_factory.mktemp("pack")
    archive = build_archive(hostile_pack(work / "hostile", payload), work / "hostile.steelpack")
    errors: list[tuple[str, str]] = []
    about: list[str] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: f'{MARK} <a href="x">Ada</a>')  # names: 60 characters at most
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: str(archive))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append((title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message: errors.append((title, message)))
    monkeypatch.setattr(dialogs, "show_about", lambda parent, title, text: about.append(text))

    win = show_window(qtbot, MainWindow(hostile_service, timer_clock=clock.monotonic))
    audit = Audit(win)
    start = win.start_page
    click(qtbot, start.add_profile_button)
    with qtbot.waitSignal(win.pack_imported, timeout=HANG_MS):
        win.import_pack_action.trigger()
    click_item_with_id(qtbot, win.pack_list, PACK_ID)
    audit.sweep("start page")
    audit.label(start.pack_details, "start page")

    click(qtbot, start.start_button)
    assert errors == []
    assert win.stack.currentWidget() is win.session_page
    practice = win.session_page.practice_view
    audit.sweep("practice page")
    audit.label(practice.claim_text, "practice page")
    audit.expect("article", practice.article_view.toPlainText(), "practice page")
    for index in range(practice.perspective_selector.count()):
        practice.perspective_selector.setCurrentIndex(index)
        step = f"practice page, perspective {index}"
        audit.sweep(step)
        if index:
            audit.label(practice.perspective_note, step)
            audit.tooltip("perspective selector", practice.perspective_selector.toolTip(), step)
    practice.perspective_selector.setCurrentIndex(1)  # the parent, whose key points include the payload

    qtbot.keyClicks(practice.response_editor, f"{MARK} Children express themselves through other means, because clubs and music exist.")
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, practice.submit_button)
    feedback = win.session_page.feedback_view
    audit.sweep("feedback")
    for label in (feedback.title, feedback.summary, feedback.perspective_note):
        audit.label(label, "feedback")
    audit.expect("response view", feedback.response_view.toPlainText(), "feedback")
    qtbot.waitUntil(lambda: not feedback.rebuttal_view.pending, timeout=HANG_MS)  # rendered off the GUI thread
    audit.sweep("feedback, rebuttals rendered")
    audit.expect("rebuttal view", feedback.rebuttal_view.toPlainText(), "feedback")

    click(qtbot, feedback.next_claim_button)  # claim 2
    audit.sweep("second claim")
    with qtbot.waitSignal(win.session_page.pack_finished, timeout=HANG_MS):
        click(qtbot, practice.next_button)  # Finish
    summary = win.summary_view
    assert win.stack.currentWidget() is summary
    audit.sweep("summary")
    audit.label(summary.heading, "summary")
    audit.expect("summary text", summary.plain_text(), "summary")

    click(qtbot, summary.history_button)
    history = win.history_view
    assert win.stack.currentWidget() is history
    (item,) = history.attempt_items()
    history.history_list.setCurrentItem(item)
    audit.sweep("history")
    audit.label(history.subheading, "history")  # the profile's name
    audit.label(history.feedback_view.perspective_note, "history")
    qtbot.waitUntil(lambda: not history.feedback_view.rebuttal_view.pending, timeout=HANG_MS)
    audit.sweep("history, rebuttals rendered")
    audit.expect("history response text", history.response_text.toPlainText(), "history")

    win.about_action.trigger()
    (text,) = about
    audit.check("about box", *shown(text, Qt.TextFormat.RichText), "about")

    assert errors == []
    assert audit.problems == {}, "\n".join(f"{what}: {why}" for what, why in sorted(audit.problems.items()))
