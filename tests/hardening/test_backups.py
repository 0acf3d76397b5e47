"""Issue 7, item 2: daily backups kept N days; list and restore (never deleting
the current database; refused while the app runs)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.backups import BackupError, list_backups, make_daily_backup, restore_backup
from trainer.core.instance import AlreadyRunningError, InstanceLock
from trainer.core.paths import Locations
from trainer.core.recovery import open_service_with_recovery
from trainer.core.storage import check_sqlite_file

from .conftest import TINY_PACK, FakeMatcher, lock_held_elsewhere, make_service, steelman

DAY = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)


def _names(service) -> list[str]:  # noqa: ANN001
    return [p.name for p in service.store.list_profiles()]


def test_one_backup_a_day_at_start_and_old_ones_pruned(locations: Locations) -> None:
    for offset in range(20):  # twenty days of starting the app, twice a day
        for hour in (0, 9):
            now = DAY + timedelta(days=offset, hours=hour)
            service, notices = open_service_with_recovery(
                locations, now=now, keep_days=14, matcher_loader=FakeMatcher, pack_folders=[(TINY_PACK.parent, True)]
            )
            service.store.add_profile(name=f"P{offset}-{hour}")
            service.close()
    backups = list_backups(locations)
    assert len(backups) == 14
    assert backups[0].day == (DAY + timedelta(days=19)).date()  # newest first
    assert backups[-1].day == (DAY + timedelta(days=6)).date()
    for backup in backups:
        assert check_sqlite_file(backup.path) != []  # each a healthy Steelman database


def test_first_start_on_an_empty_database_makes_no_backup_and_says_nothing(locations: Locations) -> None:
    service, notices = open_service_with_recovery(locations, now=DAY, matcher_loader=FakeMatcher)
    service.close()
    assert [n for n in notices if n.kind.startswith("backup")] == []
    assert list_backups(locations) == []
    service, _ = open_service_with_recovery(locations, now=DAY, matcher_loader=FakeMatcher)
    service.store.add_profile(name="Ada")
    service.close()
    service, notices = open_service_with_recovery(locations, now=DAY + timedelta(hours=1), matcher_loader=FakeMatcher)
    service.close()
    assert [n.kind for n in notices] == ["backup"]  # now there is something to keep
    assert [b.day for b in list_backups(locations)] == [DAY.date()]


def test_backup_is_consistent_while_another_connection_writes(locations: Locations) -> None:
    writer = make_service(locations)
    ann = writer.store.add_profile(name="Ann")
    writer.practice.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text="in the WAL, not checkpointed")
    outcome = make_daily_backup(locations, now=DAY)  # the writer still has the database open
    writer.close()
    assert outcome.created is not None
    conn = sqlite3.connect(outcome.created.path)
    assert conn.execute("SELECT text FROM drafts").fetchall() == [("in the WAL, not checkpointed",)]
    conn.close()


def test_restore_moves_the_current_database_aside_then_copies_the_backup_in(locations: Locations) -> None:
    service = make_service(locations)
    service.store.add_profile(name="Before")
    service.close()
    make_daily_backup(locations, now=DAY)
    service = make_service(locations)
    service.store.add_profile(name="After the backup")
    service.close()

    [backup] = list_backups(locations)
    outcome = restore_backup(locations, backup.name, now=DAY + timedelta(hours=1))
    assert outcome.moved_aside is not None and outcome.moved_aside.is_file()
    assert "before-restore-" in outcome.moved_aside.name
    service = make_service(locations)
    assert _names(service) == ["Before"]
    service.close()
    conn = sqlite3.connect(outcome.moved_aside)  # the replaced database is all there
    assert sorted(r[0] for r in conn.execute("SELECT name FROM profiles")) == ["After the backup", "Before"]
    conn.close()


def test_restore_from_inside_the_running_app(locations: Locations) -> None:
    service, _ = open_service_with_recovery(locations, now=DAY - timedelta(days=1), matcher_loader=FakeMatcher)
    service.store.add_profile(name="Earlier")
    service.close()
    lock = InstanceLock(locations.data_dir)
    assert lock.acquire()
    service, _ = open_service_with_recovery(locations, instance_lock=lock, now=DAY, matcher_loader=FakeMatcher)
    try:
        service.store.add_profile(name="Later")
        [backup] = list_backups(locations)
        outcome = service.restore_backup(backup.name)
        assert outcome.moved_aside is not None
        assert _names(service) == ["Earlier"]  # the backup was taken at start, before "Later"
        assert lock.held
    finally:
        service.close()
    assert not lock.held


def test_restore_refused_while_another_instance_holds_the_folder(locations: Locations) -> None:
    service = make_service(locations)
    service.close()
    make_daily_backup(locations, now=DAY)
    [backup] = list_backups(locations)
    with lock_held_elsewhere(locations.data_dir):
        before = (locations.data_dir / "steelman.sqlite3").read_bytes()
        with pytest.raises(AlreadyRunningError, match="already running"):
            restore_backup(locations, backup.name, now=DAY)
        result = steelman("backups", "restore", backup.name, data_dir=locations.data_dir)
        assert result.returncode == 1 and "already running" in result.stderr and "closed" in result.stderr
        assert (locations.data_dir / "steelman.sqlite3").read_bytes() == before


def test_unknown_or_damaged_backup_is_refused(locations: Locations) -> None:
    make_service(locations).close()
    with pytest.raises(BackupError, match="no backup named"):
        restore_backup(locations, "../steelman.sqlite3", now=DAY)
    locations.backups_dir.mkdir(parents=True, exist_ok=True)
    (locations.backups_dir / "steelman-2026-01-01.sqlite3").write_bytes(b"not a database")
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(locations, "steelman-2026-01-01.sqlite3", now=DAY)


def test_cli_lists_and_restores(locations: Locations, cli) -> None:  # noqa: ANN001
    assert "No backups yet" in cli("backups", data_dir=locations.data_dir).stdout
    service = make_service(locations)
    service.store.add_profile(name="Kept")
    service.close()
    make_daily_backup(locations, now=DAY)
    listing = cli("backups", data_dir=locations.data_dir)
    assert listing.returncode == 0 and "steelman-2026-11-28.sqlite3" in listing.stdout
    restored = cli("backups", "restore", "steelman-2026-11-28.sqlite3", data_dir=locations.data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "moved to" in restored.stdout and "restored steelman-2026-11-28.sqlite3" in restored.stdout
    assert cli("profiles", data_dir=locations.data_dir).stdout.split() == ["Kept"]


def test_postgresql_is_not_backed_up_and_says_why(tmp_path: Path) -> None:
    locations = Locations(data_dir=tmp_path, database_url="postgresql+psycopg://club@db.example/steelman")
    outcome = make_daily_backup(locations, now=DAY)
    assert outcome.created is None and "server" in outcome.note
    assert not locations.backups_dir.exists()
    with pytest.raises(BackupError, match="server"):
        restore_backup(locations, "steelman-2026-11-28.sqlite3", now=DAY)
