"""The first window lists the installed packs and the profiles, and adds a profile."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from trainer.core.service import Service
from trainer.ui import dialogs
from trainer.ui.main_window import MainWindow

from .helpers import HANG_MS


@pytest.fixture
def window(qtbot, service: Service) -> MainWindow:  # noqa: ANN001
    win = MainWindow(service)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.start_page.packs_ready, timeout=HANG_MS)  # packs load on the worker
    return win


def item_texts(widget) -> list[str]:  # noqa: ANN001
    return [widget.item(i).text() for i in range(widget.count())]


def test_lists_the_builtin_pack(window: MainWindow) -> None:
    ids = [window.pack_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.pack_list.count())]
    assert "korea-summit-2019" in ids
    assert window.profile_list.count() == 0


def test_existing_profiles_are_listed(qtbot, service: Service) -> None:  # noqa: ANN001
    service.store.add_profile(name="Coach")
    win = MainWindow(service)
    qtbot.addWidget(win)
    assert item_texts(win.profile_list) == ["Coach"]


def test_new_profile_button(qtbot, window: MainWindow, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "  Ada  ")
    with qtbot.waitSignal(window.profile_added, timeout=HANG_MS) as signal:
        qtbot.mouseClick(window.add_profile_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Ada"]
    assert item_texts(window.profile_list) == ["Ada"]
    assert window.profile_list.currentItem().text() == "Ada"
    assert [p.name for p in service.store.list_profiles()] == ["Ada"]


def test_duplicate_profile_shows_an_error_not_a_traceback(qtbot, window: MainWindow, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    service.store.add_profile(name="Ada")
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append((title, message)))
    window.add_profile_button.click()
    assert len(errors) == 1 and "Ada" in errors[0][1]
    assert [p.name for p in service.store.list_profiles()] == ["Ada"]


def test_broken_pack_is_listed_with_its_problems(qtbot, service: Service) -> None:  # noqa: ANN001
    broken = service.locations.packs_dir / "broken"
    broken.mkdir(parents=True)
    (broken / "pack.toml").write_text("schema_version = 3\n", encoding="utf-8")
    service.packs.entries(reload=True)
    win = MainWindow(service)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.start_page.packs_ready, timeout=HANG_MS)
    texts = item_texts(win.pack_list)
    assert any("broken" in t and "cannot be loaded" in t for t in texts)
    assert any("Trump" in t or "summit" in t.lower() for t in texts)


def test_the_window_shows_before_the_packs_are_read(qtbot, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    release = threading.Event()
    threads: list[str] = []
    read = service.packs.entries

    def slow_read(**kwargs: bool) -> list:
        threads.append(threading.current_thread().name)
        if not release.wait(5):
            raise TimeoutError("the test never let the packs load")
        return read(**kwargs)

    monkeypatch.setattr(service.packs, "entries", slow_read)
    win = MainWindow(service)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert item_texts(win.pack_list) == ["Loading packs…"]
    assert not win.start_page.start_button.isEnabled()
    with qtbot.waitSignal(win.start_page.packs_loaded, timeout=HANG_MS):
        release.set()
    ids = [win.pack_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(win.pack_list.count())]
    assert "korea-summit-2019" in ids
    assert threads and all(name.startswith("steelman-worker") for name in threads)
