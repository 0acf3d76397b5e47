"""GUI-level hardening: huge pastes, a second instance, restoring a backup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QWidget

from trainer.core.backups import list_backups, make_daily_backup
from trainer.core.instance import InstanceLock
from trainer.core.service import Service
from trainer.ui import dialogs

from .helpers import HANG_MS, TINY_PACK_ID, click, open_tiny


@pytest.fixture(autouse=True)
def _patched(dialog_log: dict[str, list]) -> dict[str, list]:
    return dialog_log



def test_a_pasted_megabyte_is_kept_saved_and_scored_with_a_notice(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QPlainTextEdit, "responseEditor")
    notice = win.findChild(QLabel, "lengthNotice")
    assert notice.isHidden()
    huge = ("Uniforms are cheaper than fashion clothes, because brands cost more. \u05e9\u05dc\u05d5\u05dd \U0001f600\n" * 14_000)[: 1_000_000]
    QApplication.clipboard().setText(huge)
    editor.setFocus()
    with qtbot.waitSignal(win.session_page.draft_saved, timeout=HANG_MS):
        editor.paste()
    assert editor.toPlainText() == huge
    assert notice.isVisible()
    profile = app_service.store.get_profile(name="Ada")
    draft = app_service.store.get_draft(profile_id=profile.id, pack_id=TINY_PACK_ID, claim_id="expression")
    assert draft.text == huge
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    (attempt,) = app_service.store.list_attempts(profile_id=profile.id)
    assert attempt.text == huge
    assert any("trimmed" in n for n in attempt.breakdown.get("notices", []))


def test_a_second_instance_says_the_app_is_already_running(tmp_path: Path, _patched: dict[str, list]) -> None:
    from trainer.ui.app import run_app

    data = tmp_path / "shared-data"
    data.mkdir()
    first = InstanceLock(data)
    assert first.acquire()
    try:
        assert run_app(data_dir=str(data)) == 1
    finally:
        first.release()
    ((title, message),) = _patched["errors"]
    assert title == "Steelman is already running"
    assert "already" in message.lower()


def test_restore_backup_from_the_file_menu(qtbot, make_window, app_service: Service, monkeypatch: pytest.MonkeyPatch, _patched: dict[str, list]) -> None:  # noqa: ANN001
    app_service.store.add_profile(name="Before")
    make_daily_backup(app_service.locations, now=app_service.clock())
    app_service.store.add_profile(name="After")
    win = make_window()
    (backup,) = list_backups(app_service.locations)
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[0])
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(win.backup_restored, timeout=HANG_MS):  # the restore runs on the worker
        win.restore_action.trigger()
    assert [p.name for p in app_service.store.list_profiles()] == ["Before"]
    assert [t for t, _ in _patched["infos"]] == ["Backup restored"]
    assert _patched["errors"] == []
    assert backup.day.isoformat() in backup.name


def test_hostile_markdown_in_a_pack_is_shown_harmless(qtbot, tmp_path: Path, shared_matcher, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import shutil


    from trainer.core.paths import resolve_locations
    from trainer.ui.main_window import MainWindow

    from .conftest import TINY_PACK

    packs = tmp_path / "packs"
    shutil.copytree(TINY_PACK, packs / "tiny")
    claim = packs / "tiny" / "claims" / "01-expression.toml"
    hostile = (
        'rebuttal = """\\nSafe **text**.\\n\\n<script>alert(1)</script>\\n\\n![pixel](http://evil.example/p.gif)\\n\\n'
        '[click](javascript:alert(2)) <iframe src=http://evil.example></iframe> <b onclick=x()>b</b>\\n"""'
    )
    text = claim.read_text(encoding="utf-8")
    start = text.index('rebuttal = """')
    end = text.index('"""', start + len('rebuttal = """')) + 3
    claim.write_text(text[:start] + hostile + text[end:], encoding="utf-8")
    service = Service.open(resolve_locations(data_dir=tmp_path / "data"), matcher_loader=lambda: shared_matcher, pack_folders=[(packs, False)])
    try:
        win = MainWindow(service)
        qtbot.addWidget(win)
        win.show()
        open_tiny(qtbot, win)
        qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), "Children express themselves through music and clubs, because identity is not a shirt.")
        with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
            click(qtbot, win.findChild(QWidget, "submitButton"))
        view = win.session_page.feedback_view.rebuttal_view
        qtbot.waitUntil(lambda: not view.pending, timeout=HANG_MS)  # rendered off the GUI thread
        shown = view.toHtml()
        assert "Safe" in view.toPlainText()
        # Raw HTML may show as visible, escaped text; it must never become markup.
        assert re.search(r"<(img|iframe|script|object|embed)\b", shown, re.I) is None
        assert re.search(r"<[^>]*\son\w+\s*=", shown, re.I) is None
        assert re.search(r"href=\"(?!https?:|mailto:)", shown) is None
        assert "&lt;script&gt;" in shown
    finally:
        service.close()


MIXED_TEXT = (
    "Uniforms are cheaper, because brands cost more \U0001f600\U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f1f0\U0001f1f7. "
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd; e\u0301 a\u0308\u0323; \u6f22\u5b57."
)


def test_emoji_rtl_and_combining_text_survive_the_feedback_view_and_history(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    editor = win.findChild(QPlainTextEdit, "responseEditor")
    editor.setFocus()
    editor.insertPlainText(MIXED_TEXT)  # pasted: keyClicks cannot type characters outside the keyboard
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, win.findChild(QWidget, "submitButton"))
    shown = win.session_page.feedback_view.response_view.toPlainText()
    assert shown.replace("\u2029", "\n") == MIXED_TEXT
    profile = app_service.store.get_profile(name="Ada")
    (attempt,) = app_service.results.list_attempts(profile_id=profile.id)
    assert attempt.text == MIXED_TEXT
