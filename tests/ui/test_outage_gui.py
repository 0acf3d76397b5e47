"""The club server goes down mid-session: the window keeps the work and stores it when the server is back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from pgserver import PgServer
from trainer.core.paths import Locations
from trainer.core.service import Service, builtin_packs_dir
from trainer.ui import dialogs

from .conftest import TINY_PACK
from .helpers import HANG_MS, TINY_PACK_ID, click, click_item_with_id

TEXT = "Uniforms are cheaper than fashion clothes, because brands cost families far more."


@pytest.fixture
def pg_service(pg_server: PgServer, tmp_path: Path, shared_matcher) -> Iterator[Service]:  # noqa: ANN001
    svc = Service.open(
        Locations(data_dir=tmp_path / "data", database_url=pg_server.create_database()),
        matcher_loader=lambda: shared_matcher,
        pack_folders=[(builtin_packs_dir(), True), (TINY_PACK.parent, True)],
    )
    yield svc
    svc.close()


def attempts_in_server(url: str) -> list[tuple[str]]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute("SELECT text FROM attempts").fetchall()


def test_submit_during_an_outage_is_kept_and_stored_once_the_server_is_back(
    qtbot, pg_server: PgServer, pg_service: Service, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    from trainer.ui.main_window import MainWindow

    errors: list[str] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(message))
    win = MainWindow(pg_service)
    qtbot.addWidget(win)
    win.show()
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    editor = win.findChild(QWidget, "responseEditor")

    pg_server.stop()
    try:
        qtbot.keyClicks(editor, TEXT)
        with qtbot.waitSignal(win.session_page.status_message, timeout=HANG_MS, check_params_cb=lambda m: "computer" in m) as message:
            click(qtbot, win.findChild(QWidget, "submitButton"))
        assert pg_service.writes.offline
        assert win.session_page.in_feedback, "the feedback is shown even while the server is down"
        assert errors == []
    finally:
        pg_server.start()
    win.on_outbox_timer_timeout()  # the window also does this every few seconds by itself
    qtbot.waitUntil(lambda: not pg_service.writes.offline, timeout=HANG_MS)
    assert attempts_in_server(pg_service.locations.database_url) == [(TEXT,)]
    assert "computer" in message.args[0]


# -- moving between claims, saving and clearing drafts while the server is down --------------

OTHER = "Families already spend on school clothes, because children outgrow whatever they wear."


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def outage_window(qtbot, pg_service: Service, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A window on the tiny pack (claim 1 of 2) with dialogs patched; ``errors`` collects error dialogs."""
    from trainer.ui.main_window import MainWindow

    errors: list[str] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: errors.append(message))
    win = MainWindow(pg_service)
    qtbot.addWidget(win)
    win.outbox_timer.stop()  # the test decides when the periodic flush runs
    win.show()
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    win.errors = errors
    return win


def flush_when_back(qtbot, win, service: Service) -> None:  # noqa: ANN001
    win.on_outbox_timer_timeout()  # what the window's timer does every few seconds
    qtbot.waitUntil(lambda: not service.writes.offline and service.writes.pending_count() == 0, timeout=HANG_MS)


def test_next_claim_during_an_outage_keeps_each_text_with_its_own_claim(
    qtbot, pg_server: PgServer, pg_service: Service, outage_window  # noqa: ANN001
) -> None:
    win = outage_window
    page = win.session_page
    editor = win.findChild(QWidget, "responseEditor")
    profile_id = page.session.profile_id
    pg_server.stop()
    try:
        qtbot.keyClicks(editor, TEXT)
        with qtbot.waitSignal(page.feedback_shown, timeout=HANG_MS):
            click(qtbot, win.findChild(QWidget, "submitButton"))
        assert pg_service.writes.offline
        with qtbot.waitSignal(page.claim_shown, timeout=HANG_MS) as shown:
            click(qtbot, page.feedback_view.next_claim_button)
        assert shown.args == ["cost"]
        assert "Claim 2 of 2" in win.findChild(QWidget, "claimPosition").text()
        assert editor.toPlainText() == ""
        with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
            qtbot.keyClicks(editor, OTHER)
        cost = pg_service.practice.get_draft(profile_id=profile_id, pack_id=TINY_PACK_ID, claim_id="cost")
        assert cost is not None and cost.text == OTHER and cost.pending
        assert pg_service.practice.get_draft(profile_id=profile_id, pack_id=TINY_PACK_ID, claim_id="expression") is None
        assert win.errors == []
    finally:
        pg_server.start()
    flush_when_back(qtbot, win, pg_service)
    url = pg_service.locations.database_url
    assert rows(url, "SELECT claim_id, text FROM attempts") == [("expression", TEXT)]
    assert rows(url, "SELECT claim_id, text FROM drafts") == [("cost", OTHER)]


def test_offline_draft_saves_do_not_try_the_server_only_the_periodic_flush_does(
    qtbot, pg_server: PgServer, pg_service: Service, outage_window  # noqa: ANN001
) -> None:
    from sqlalchemy import event

    win = outage_window
    page = win.session_page
    editor = win.findChild(QWidget, "responseEditor")
    connects: list[str] = []

    def on_connect(*_args: object) -> None:
        connects.append(threading.current_thread().name)

    pg_server.stop()
    try:
        with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
            qtbot.keyClicks(editor, "Uniforms")
        assert pg_service.writes.offline  # the first save found the server gone
        event.listen(pg_service.database.engine, "do_connect", on_connect)
        try:
            for words in (" are cheaper", " than fashion clothes."):
                with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
                    qtbot.keyClicks(editor, words)
            assert connects == [], "an offline draft save tried to reach the server"
            draft = pg_service.practice.get_draft(profile_id=page.session.profile_id, pack_id=TINY_PACK_ID, claim_id="expression")
            assert draft is not None and draft.text == "Uniforms are cheaper than fashion clothes." and draft.pending
            win.on_outbox_timer_timeout()  # the periodic retry does try, on the worker
            qtbot.waitUntil(lambda: connects != [] and not win.tasks.busy, timeout=HANG_MS)
            assert all(name.startswith("steelman-worker") for name in connects)
            assert pg_service.writes.offline
        finally:
            event.remove(pg_service.database.engine, "do_connect", on_connect)
    finally:
        pg_server.start()
    flush_when_back(qtbot, win, pg_service)
    assert rows(pg_service.locations.database_url, "SELECT text FROM drafts") == [("Uniforms are cheaper than fashion clothes.",)]


def clear_editor(qtbot, editor) -> None:  # noqa: ANN001
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)


def test_clearing_the_editor_offline_deletes_the_draft_once_the_server_is_back(
    qtbot, pg_server: PgServer, pg_service: Service, outage_window  # noqa: ANN001
) -> None:
    win = outage_window
    page = win.session_page
    editor = win.findChild(QWidget, "responseEditor")
    with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
        qtbot.keyClicks(editor, "stored while online")
    url = pg_service.locations.database_url
    assert rows(url, "SELECT text FROM drafts") == [("stored while online",)]
    pg_server.stop()
    try:
        with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
            clear_editor(qtbot, editor)
        assert win.errors == []
        assert pg_service.writes.offline
        assert pg_service.practice.get_draft(profile_id=page.session.profile_id, pack_id=TINY_PACK_ID, claim_id="expression") is None
        assert win.close(), "the window refused to close while offline"
    finally:
        pg_server.start()
    pg_service.writes.flush()
    assert not pg_service.writes.offline
    assert rows(url, "SELECT text FROM drafts") == []


def test_clearing_the_editor_drops_a_draft_still_waiting_in_the_outbox(
    qtbot, pg_server: PgServer, pg_service: Service, outage_window  # noqa: ANN001
) -> None:
    win = outage_window
    page = win.session_page
    editor = win.findChild(QWidget, "responseEditor")
    pg_server.stop()
    try:
        with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
            qtbot.keyClicks(editor, "typed during the outage")
        assert pg_service.writes.pending_count() == 1
    finally:
        pg_server.start()
    # The server is back but nothing has been flushed yet: the user clears the text.
    with qtbot.waitSignal(page.draft_saved, timeout=HANG_MS):
        clear_editor(qtbot, editor)
    assert win.errors == []
    flush_when_back(qtbot, win, pg_service)
    assert rows(pg_service.locations.database_url, "SELECT text FROM drafts") == []
