"""The club server goes down mid-session: the window keeps the work and stores it when the server is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QWidget

from pgserver import PgServer
from trainer.core.paths import Locations
from trainer.core.service import Service, builtin_packs_dir
from trainer.ui import dialogs

from .conftest import TINY_PACK
from .helpers import TINY_PACK_ID, click, click_item_with_id

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
        with qtbot.waitSignal(win.session_page.status_message, timeout=20000, check_params_cb=lambda m: "computer" in m) as message:
            click(qtbot, win.findChild(QWidget, "submitButton"))
        assert pg_service.offline
        assert win.session_page.in_feedback, "the feedback is shown even while the server is down"
        assert errors == []
    finally:
        pg_server.start()
    win.on_outbox_timer_timeout()  # the window also does this every few seconds by itself
    qtbot.waitUntil(lambda: not pg_service.offline, timeout=30000)
    assert attempts_in_server(pg_service.locations.database_url) == [(TEXT,)]
    assert "computer" in message.args[0]
