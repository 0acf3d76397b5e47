"""File ▸ Import Pack and File ▸ Export Results, driven through the menu actions,
and the folder their file dialogs open in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from trainer.core.packs import build_archive
from trainer.core.service import Service
from trainer.ui import dialogs

from .helpers import HANG_MS, TINY_PACK_ID, click, click_item_with_id


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    record: dict[str, list] = {"errors": [], "infos": []}
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: record["errors"].append((title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message: record["infos"].append((title, message)))
    return record


def test_import_a_pack_from_the_file_menu(qtbot, make_window, app_service: Service, tiny_pack_dir: Path, tmp_path: Path, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    pack_toml = tiny_pack_dir / "pack.toml"
    pack_toml.write_text(pack_toml.read_text(encoding="utf-8").replace('id = "tiny-uniforms"', 'id = "club-pack"'), encoding="utf-8")
    archive = build_archive(tiny_pack_dir, tmp_path / "club.steelpack")
    win = make_window()
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: str(archive))
    with qtbot.waitSignal(win.pack_imported, timeout=HANG_MS) as imported:
        win.import_pack_action.trigger()
    assert imported.args == ["club-pack"]
    assert "club-pack" in [p.id for p in app_service.packs.all()]
    qtbot.waitUntil(lambda: any(win.pack_list.item(i).data(Qt.ItemDataRole.UserRole) == "club-pack" for i in range(win.pack_list.count())), timeout=HANG_MS)
    assert seen["errors"] == []


def test_an_invalid_pack_shows_every_problem_and_installs_nothing(qtbot, make_window, app_service: Service, tiny_pack_dir: Path, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("difficulty = 2", "difficulty = 9").replace('kind = "factual"', 'kind = "gossip"'), encoding="utf-8")
    pack_toml = tiny_pack_dir / "pack.toml"
    pack_toml.write_text(pack_toml.read_text(encoding="utf-8").replace('id = "tiny-uniforms"', 'id = "broken-pack"'), encoding="utf-8")
    win = make_window()
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: str(tiny_pack_dir))
    win.import_pack_action.trigger()
    qtbot.waitUntil(lambda: bool(seen["errors"]), timeout=HANG_MS)
    ((title, message),) = seen["errors"]
    assert title == "The pack was not imported"
    assert "claims/02-cost.toml:3: kind:" in message and "claims/02-cost.toml:4: difficulty:" in message
    assert "broken-pack" not in [p.id for p in app_service.packs.all()]


def test_export_one_profiles_results_as_csv_and_json(qtbot, make_window, app_service: Service, tmp_path: Path, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    win = make_window()
    click(qtbot, win.start_page.add_profile_button)
    click_item_with_id(qtbot, win.pack_list, TINY_PACK_ID)
    click(qtbot, win.start_page.start_button)
    qtbot.keyClicks(win.session_page.practice_view.response_editor, "Uniforms are cheaper than fashion clothes, because brands cost more.")
    with qtbot.waitSignal(win.session_page.feedback_shown, timeout=HANG_MS):
        click(qtbot, win.session_page.practice_view.submit_button)
    app_service.store.add_profile(name="Bo")
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[0])  # only Ada
    for name in ("results.csv", "results.json"):
        out = tmp_path / name
        monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, out=out, **k: str(out))
        with qtbot.waitSignal(win.results_exported, timeout=HANG_MS):
            win.export_action.trigger()
        assert out.is_file()
    with (tmp_path / "results.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["profile"] for r in rows] == ["Ada"]
    (attempt,) = app_service.results.list_attempts(profile_id=win.current_session.profile_id)
    assert rows[0]["score"] == f"{round(100 * attempt.score)}%"
    with (tmp_path / "results-key-points.csv").open(encoding="utf-8", newline="") as handle:
        key_points = list(csv.DictReader(handle))
    assert [(r["attempt_id"], r["key_point_id"], r["verdict"]) for r in key_points] == [
        (str(attempt.id), e["key_point_id"], e["verdict"]) for e in attempt.breakdown["key_points"]]
    assert (tmp_path / "results-disputes.csv").is_file()
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["attempts"][0]["profile"] == "Ada"
    assert [t for t, _ in seen["infos"]] == ["Export finished", "Export finished"]
    csv_message, json_message = (m for _, m in seen["infos"])
    assert csv_message == (
        f"Exported 1 attempt(s) to three files in {tmp_path}:\nresults.csv: one row per attempt\n"
        "results-key-points.csv: one row per attempt and key point\nresults-disputes.csv: the disputes"
    )
    assert json_message == f"Exported 1 attempt(s) to {tmp_path / 'results.json'}."
    assert not (tmp_path / "results-key-points.json").exists()


def test_file_dialogs_open_in_documents_then_in_the_last_folder_used(qtbot, make_window, tmp_path: Path, seen, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    home = tmp_path / "home"
    documents = home / "Documents"
    documents.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # started from the source folder
    asked: list[tuple[str, str]] = []
    answer = {"save": str(tmp_path / "exports" / "club.csv"), "open": ""}

    def fake_save(parent, title, folder, filters):  # noqa: ANN001, ANN202
        asked.append(("save", folder))
        return answer["save"], filters.split(";;")[0]

    def fake_open(parent, title, folder, filters):  # noqa: ANN001, ANN202
        asked.append(("open", folder))
        return answer["open"], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    win = make_window()
    suggested = f"steelman-results-{win.service.clock():%Y-%m-%d}.csv"

    (tmp_path / "exports").mkdir()
    with qtbot.waitSignal(win.results_exported, timeout=HANG_MS) as exported:
        win.export_action.trigger()
    assert exported.args == [answer["save"]]
    assert asked == [("save", str(documents / suggested))]
    assert QSettings().value(dialogs.LAST_FOLDER_KEY) == str(tmp_path / "exports")
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["club-disputes.csv", "club-key-points.csv", "club.csv"]

    win.import_pack_action.trigger()  # the import dialog opens where the export went; cancelled
    assert asked[-1] == ("open", str(tmp_path / "exports"))
    assert QSettings().value(dialogs.LAST_FOLDER_KEY) == str(tmp_path / "exports")  # a cancel changes nothing

    answer["save"] = str(documents / "again.csv")
    with qtbot.waitSignal(win.results_exported, timeout=HANG_MS):
        win.export_action.trigger()
    assert asked[-1] == ("save", str(tmp_path / "exports" / suggested))
    assert QSettings().value(dialogs.LAST_FOLDER_KEY) == str(documents)

    documents.joinpath("again.csv").unlink()
    for companion in documents.glob("again-*.csv"):
        companion.unlink()
    documents.rmdir()  # the last folder and the documents folder are gone: the home folder
    assert dialogs.choose_open_file(None, "Import a pack", "*") is None
    assert asked[-1] == ("open", str(home))
    assert seen["errors"] == []


def test_cancelling_an_export_writes_nothing_and_closes_the_progress(
    qtbot, make_window, app_service: Service, tmp_path: Path, seen, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    import threading

    from PySide6.QtWidgets import QPushButton

    from trainer.core import export

    ada = app_service.store.add_profile(name="Ada")
    for n in range(3):
        app_service.practice.submit_attempt(profile_id=ada.id, pack_id=TINY_PACK_ID, claim_id=app_service.packs.get(TINY_PACK_ID).claims[0].id,
                                            text=f"Uniforms cost less than brands, reason {n}.", perspective_id=None)
    win = make_window()
    monkeypatch.setattr(dialogs, "choose_item", lambda parent, title, label, items: items[-1])  # every profile
    out = tmp_path / "results.csv"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: str(out))
    monkeypatch.setattr(export, "PROGRESS_EVERY", 1)
    started, go_on = threading.Event(), threading.Event()
    real = export._attempt_row

    def slow_row(a):  # noqa: ANN001, ANN202 - the first row waits for the Cancel click
        started.set()
        go_on.wait(HANG_MS / 1000)
        return real(a)

    monkeypatch.setattr(export, "_attempt_row", slow_row)
    win.export_action.trigger()
    qtbot.waitUntil(started.is_set, timeout=HANG_MS)
    dialog = win.export_progress.dialog
    assert dialog is not None and dialog.isVisible() and dialog.objectName() == "exportProgress"
    click(qtbot, dialog.findChild(QPushButton))  # Cancel
    qtbot.waitUntil(lambda: dialog.labelText() == "Cancelling…", timeout=HANG_MS)
    go_on.set()
    qtbot.waitUntil(lambda: win.export_progress.dialog is None, timeout=HANG_MS)
    qtbot.waitUntil(lambda: not win.busy, timeout=HANG_MS)
    assert "cancelled" in win.statusBar().currentMessage()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".tmp")) == []  # nothing written, no temporary file
    assert seen["errors"] == [] and seen["infos"] == []
