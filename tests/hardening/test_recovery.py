"""Issue 7, item 1: a corrupt or foreign database is moved aside, never
deleted; a newer-version database is left untouched and explained."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.core.paths import Locations
from trainer.core.recovery import open_service_with_recovery
from trainer.core.storage import DatabaseTooNewError, DatabaseUnreadableError, head_revision, open_database

from .conftest import FakeClock, make_service, steelman

NOW = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)


def _db(locations: Locations) -> Path:
    return locations.data_dir / "steelman.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _populated(locations: Locations) -> Path:
    svc = make_service(locations)
    ann = svc.store.add_profile(name="Ann")
    for n in range(40):
        svc.practice.save_draft(profile_id=ann.id, pack_id="p", claim_id=f"c{n}", text=f"draft {n} " * 200)
    svc.close()
    path = _db(locations)
    assert not Path(str(path) + "-wal").exists()  # checkpointed on close
    return path


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this is a zip file, or a photo, or anything\n" * 50)


def _damage_pages(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:  # header and schema page stay, table pages are scribbled over
        fh.seek(2 * 4096)
        fh.write(b"\xab" * (size - 3 * 4096))


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "spoil", [_truncate, _not_sqlite, _damage_pages, _foreign], ids=["truncated", "not-sqlite", "fails-quick-check", "foreign"]
)
def test_unreadable_database_is_moved_aside_and_a_fresh_one_started(locations: Locations, spoil) -> None:  # noqa: ANN001
    path = _populated(locations)
    spoil(path)
    before = _digest(path)
    with pytest.raises(DatabaseUnreadableError):
        open_database(locations.database_url)  # the plain open refuses and changes nothing
    assert _digest(path) == before

    service, notices = open_service_with_recovery(locations, now=NOW, backup=False, matcher_loader=None)
    try:
        moved = path.with_name("steelman.sqlite3.unreadable-" + NOW.astimezone().strftime("%Y%m%d-%H%M%S"))
        assert moved.is_file() and _digest(moved) == before  # kept byte for byte
        [notice] = [n for n in notices if n.kind == "moved-aside"]
        assert notice.important and notice.path == str(moved)
        assert str(moved) in notice.message and "new empty database" in notice.message
        assert service.store.list_profiles() == []  # a fresh database
        assert service.database.current_revision() == head_revision()
    finally:
        service.close()


def test_wal_and_shm_move_with_the_file_and_nothing_is_overwritten(locations: Locations) -> None:
    path = _populated(locations)
    _not_sqlite(path)
    Path(str(path) + "-wal").write_bytes(b"wal bytes")
    Path(str(path) + "-shm").write_bytes(b"shm bytes")
    stamp = NOW.astimezone().strftime("%Y%m%d-%H%M%S")
    squatter = path.with_name(f"steelman.sqlite3.unreadable-{stamp}")
    squatter.write_bytes(b"an earlier casualty")  # same second: must not be overwritten

    service, notices = open_service_with_recovery(locations, now=NOW, backup=False)
    service.close()
    moved = Path(notices[0].path or "")
    assert moved != squatter and squatter.read_bytes() == b"an earlier casualty"
    assert Path(str(moved) + "-wal").read_bytes() == b"wal bytes"
    assert Path(str(moved) + "-shm").read_bytes() == b"shm bytes"


def test_newer_database_is_left_untouched_and_named_in_the_message(locations: Locations) -> None:
    path = _populated(locations)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseTooNewError) as err:
        open_service_with_recovery(locations, now=NOW)
    message = str(err.value)
    assert str(path) in message and "newer version of Steelman" in message
    assert "Update Steelman, or choose another data folder" in message
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith("steelman.sqlite3")) == ["steelman.sqlite3"]


def test_cli_prints_the_notice_on_stderr_and_carries_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "steelman.sqlite3").write_bytes(b"garbage, not a database" * 10)
    result = steelman("profiles", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "No profiles yet" in result.stdout
    assert "could not read its database" in result.stderr and "unreadable-" in result.stderr
    assert len(list(data.glob("steelman.sqlite3.unreadable-*"))) == 1


def test_cli_refuses_a_newer_database_with_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    svc = make_service(Locations(data_dir=data, database_url=f"sqlite:///{data / 'steelman.sqlite3'}"), FakeClock())
    svc.close()
    conn = sqlite3.connect(data / "steelman.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    result = steelman("profiles", data_dir=data)
    assert result.returncode == 1
    assert "newer version of Steelman" in result.stderr and str(data / "steelman.sqlite3") in result.stderr
    assert "Traceback" not in result.stderr


def test_no_move_while_another_instance_holds_the_folder(locations: Locations) -> None:
    from trainer.core.instance import InstanceLock

    path = _populated(locations)
    _not_sqlite(path)
    other = InstanceLock(locations.data_dir)
    assert other.acquire()
    try:
        with pytest.raises(DatabaseUnreadableError):
            open_service_with_recovery(locations, now=NOW, backup=False)
        assert path.exists() and not list(path.parent.glob("*.unreadable-*"))
    finally:
        other.release()
