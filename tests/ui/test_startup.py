"""The window shows before the database opens ("Opening your data…"), and the
database is opened, checked and backed up on the worker behind it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from trainer.core import recovery
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.ui.main_window import MainWindow

from .helpers import HANG_MS, show_window


@pytest.fixture
def locations(tmp_path: Path):  # noqa: ANN201
    return resolve_locations(data_dir=tmp_path / "data")


def seed(locations) -> None:  # noqa: ANN001
    svc = Service.open(locations)
    svc.store.add_profile(name="Ada")
    svc.store.add_profile(name="Bea")
    svc.close()


def profile_rows(win: MainWindow) -> list[str]:
    lst = win.start_page.profile_list
    return [lst.item(i).text() for i in range(lst.count())]


def test_the_window_is_usable_only_after_the_data_opens_on_the_worker(
    qtbot, locations, monkeypatch: pytest.MonkeyPatch, dialog_log: dict[str, list]  # noqa: ANN001
) -> None:
    seed(locations)
    release = threading.Event()
    opened_on: list[bool] = []
    real_open = recovery.open_database

    def slow_open(url: str):  # noqa: ANN202
        opened_on.append(QThread.currentThread() is QApplication.instance().thread())
        assert release.wait(HANG_MS / 1000)
        return real_open(url)

    monkeypatch.setattr(recovery, "open_database", slow_open)
    service = Service.unopened(locations)
    try:
        win = show_window(qtbot, MainWindow(service))
        win.open_data(backup=True)
        qtbot.waitUntil(lambda: opened_on != [], timeout=HANG_MS)
        # Shown, saying why nothing can be chosen yet; the data actions wait.
        assert win.isVisible()
        assert profile_rows(win) == ["Opening your data…"]
        assert win.start_page.hint.text() == "Opening your data…"
        assert not win.start_page.add_profile_button.isEnabled()
        assert not win.start_page.start_button.isEnabled()
        for action in (win.new_profile_action, win.history_action, win.export_action, win.restore_action, win.set_pin_action):
            assert not action.isEnabled(), action.objectName()
        with qtbot.waitSignal(win.data_opened, timeout=HANG_MS):
            release.set()
        assert opened_on == [False]  # on the worker, never the GUI thread
        assert profile_rows(win) == ["Ada", "Bea"]
        assert win.start_page.add_profile_button.isEnabled()
        assert win.new_profile_action.isEnabled()
        assert dialog_log["errors"] == []
        # The daily backup was made on the worker, behind the window.
        assert list(locations.backups_dir.glob("*.sqlite3"))
    finally:
        release.set()
        service.close()


def test_closing_while_the_data_opens_waits_for_it_then_closes(
    qtbot, locations, monkeypatch: pytest.MonkeyPatch, dialog_log: dict[str, list]  # noqa: ANN001
) -> None:
    release = threading.Event()
    real_open = recovery.open_database
    monkeypatch.setattr(recovery, "open_database", lambda url: (release.wait(HANG_MS / 1000), real_open(url))[1])
    service = Service.unopened(locations)
    try:
        win = show_window(qtbot, MainWindow(service))
        win.open_data()
        win.close()
        assert win.isVisible()  # not while the worker holds the database half-open
        release.set()
        qtbot.waitUntil(lambda: not win.isVisible(), timeout=HANG_MS)
    finally:
        release.set()
        service.close()


def test_a_moved_aside_database_is_still_told_after_the_window_shows(qtbot, locations, dialog_log: dict[str, list]) -> None:  # noqa: ANN001
    locations.data_dir.mkdir(parents=True)
    (locations.data_dir / "steelman.sqlite3").write_bytes(b"this is not a database" * 100)
    service = Service.unopened(locations)
    try:
        win = show_window(qtbot, MainWindow(service))
        with qtbot.waitSignal(win.data_opened, timeout=HANG_MS):
            win.open_data()
        ((title, message),) = dialog_log["infos"]
        assert "could not read its database" in message and "unreadable-" in message
        assert profile_rows(win) == []
        assert win.start_page.add_profile_button.isEnabled()
    finally:
        service.close()


def test_a_database_from_a_newer_steelman_is_refused_and_the_window_says_so(qtbot, locations, dialog_log: dict[str, list]) -> None:  # noqa: ANN001
    import sqlite3

    seed(locations)
    db = sqlite3.connect(locations.data_dir / "steelman.sqlite3")
    db.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    db.commit()
    db.close()
    service = Service.unopened(locations)
    try:
        win = show_window(qtbot, MainWindow(service))
        with qtbot.waitSignal(win.data_failed, timeout=HANG_MS) as failed:
            win.open_data()
        assert "newer" in failed.args[0].lower()
        assert profile_rows(win)[0].startswith("⚠ Your data cannot be opened:")
        assert not win.start_page.add_profile_button.isEnabled()
        assert not win.new_profile_action.isEnabled()
        assert not service.data.is_open
        win.close()  # nothing to wait for: the window closes at once
        assert not win.isVisible()
    finally:
        service.close()


def test_showing_the_window_imports_no_database_library(tmp_path: Path) -> None:
    """SQLAlchemy (and Alembic) load on the worker after the window is drawn, never before it."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from trainer.ui.app import make_application\n"
        "app = make_application()\n"
        "from trainer.core.paths import resolve_locations\n"
        "from trainer.core.service import Service\n"
        "from trainer.ui.main_window import MainWindow\n"
        f"service = Service.unopened(resolve_locations(data_dir={str(tmp_path / 'data')!r}))\n"
        "window = MainWindow(service)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'numpy', 'onnxruntime') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=HANG_MS / 1000)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
