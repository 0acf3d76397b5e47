"""Daily copies of the SQLite database, kept for a number of days.

    make_daily_backup(locations, now=...)   # at app start: at most one per day
    list_backups(locations)                 # newest first
    restore_backup(locations, name, now=...)

A backup is a consistent snapshot taken with ``VACUUM INTO`` (safe while
another connection writes: it reads one transaction's view, WAL included),
written to a temporary name and renamed into place, so a half-written backup
never carries a backup's name. Names are ``steelman-YYYY-MM-DD.sqlite3`` (the
UTC date of ``now``). Backups older than ``keep_days`` are deleted; nothing
else in the folder is touched.

Restoring never deletes the current database: it is moved aside (with its
-wal/-shm files) as ``steelman.sqlite3.before-restore-<timestamp>``, then the
backup is copied in. It refuses while another Steelman holds the data folder
(``InstanceLock``).

PostgreSQL databases are not backed up here: a club server has its own
backups (``pg_dump``), and the app would need the server's tools and
credentials. ``make_daily_backup`` returns a note saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .instance import AlreadyRunningError, InstanceLock
from .paths import Locations
from .storage import DatabaseUnreadableError, StorageError, check_sqlite_file, sqlite_path

DEFAULT_KEEP_DAYS = 14
_NAME = re.compile(r"^steelman-(\d{4}-\d{2}-\d{2})\.sqlite3$")
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(StorageError):
    """A backup could not be made, found or restored (the message says why)."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    name: str
    path: Path
    day: date
    size: int


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    """What ``make_daily_backup`` did: ``created`` is None when nothing was written."""

    created: BackupInfo | None
    pruned: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    restored: BackupInfo
    moved_aside: Path | None
    """Where the database that was in use went (None if there was none)."""


def backup_name(day: date) -> str:
    return f"steelman-{day.isoformat()}.sqlite3"


def list_backups(locations: Locations) -> list[BackupInfo]:
    """The backups in ``locations.backups_dir``, newest first."""
    folder = locations.backups_dir
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            found.append(BackupInfo(name=entry.name, path=entry, day=day, size=entry.stat().st_size))
    return sorted(found, key=lambda b: b.day, reverse=True)


def make_daily_backup(
    locations: Locations, *, now: datetime, keep_days: int = DEFAULT_KEEP_DAYS
) -> BackupOutcome:
    """Back up the SQLite database unless today's backup exists; prune old ones."""
    source = sqlite_path(locations.database_url)
    if source is None:
        return BackupOutcome(
            None,
            (),
            "Automatic backups are made only for the local SQLite database; "
            "this one is on a server, which has its own backups.",
        )
    if not source.is_file():
        return BackupOutcome(None, (), "There is no database to back up yet.")
    today = now.date()
    folder = locations.backups_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name(today)
    created = None
    if not target.exists():
        _snapshot(source, target)
        created = BackupInfo(name=target.name, path=target, day=today, size=target.stat().st_size)
    pruned = tuple(_prune(locations, oldest=today - timedelta(days=keep_days - 1)))
    note = f"Backed up the database to {target}." if created else f"Today's backup {target.name} already exists."
    return BackupOutcome(created, pruned, note)


def restore_backup(
    locations: Locations, name: str, *, now: datetime, lock: InstanceLock | None = None
) -> RestoreOutcome:
    """Replace the database with the backup ``name``; the current one is moved aside.

    ``lock`` is the caller's own held ``InstanceLock`` (the app restoring from
    its menu, with its database closed). Without it, a temporary lock is
    taken, and ``AlreadyRunningError`` is raised when the app is running.
    """
    target = sqlite_path(locations.database_url)
    if target is None:
        raise BackupError("Backups can be restored only into a local SQLite database, not a server.")
    backup = next((b for b in list_backups(locations) if b.name == name), None)
    if backup is None:
        known = ", ".join(b.name for b in list_backups(locations)) or "none"
        raise BackupError(f"There is no backup named {name!r} in {locations.backups_dir} (backups: {known}).")
    try:
        check_sqlite_file(backup.path)
    except DatabaseUnreadableError as exc:
        raise BackupError(f"The backup {backup.path} is damaged ({exc.reason}); nothing was changed.") from exc

    own_lock = None
    if lock is None or not lock.held:
        own_lock = InstanceLock(locations.data_dir)
        if not own_lock.acquire():
            raise AlreadyRunningError(locations.data_dir, own_lock.holder_pid())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(backup.path, tmp)
        _fsync_file(tmp)
        moved = move_aside(target, label="before-restore", now=now) if target.exists() else None
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        return RestoreOutcome(restored=backup, moved_aside=moved)
    finally:
        if own_lock is not None:
            own_lock.release()


def move_aside(path: Path, *, label: str, now: datetime) -> Path:
    """Rename ``path`` (and its -wal/-shm/-journal) to ``<name>.<label>-<timestamp>``
    in the same folder, never over an existing file; return the new path."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.{label}-{stamp}")
    candidate, n = base, 1
    while any(Path(str(candidate) + s).exists() for s in ("", *SIDE_FILES)):
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    for suffix in SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(candidate) + suffix))
    os.replace(path, candidate)
    _fsync_dir(path.parent)
    return candidate


# --- internals -------------------------------------------------------------------


def _snapshot(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("VACUUM INTO ?", (str(tmp),))
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Could not back up {source} ({exc}).") from exc
    finally:
        conn.close()
    _fsync_file(tmp)
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def _prune(locations: Locations, *, oldest: date) -> list[str]:
    removed = []
    for backup in list_backups(locations):
        if backup.day < oldest:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.name)
    return removed


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
