"""Opening the app's data safely, with plain-words notices for what happened.

    lock = InstanceLock(locations.data_dir)      # the GUI: one app per data folder
    if not lock.acquire():
        show(lock.busy_message()); exit
    service, notices = open_service_with_recovery(locations, instance_lock=lock)
    for notice in notices:
        show(notice.message)                     # CLI: printed on stderr

What it does, in order:

1. Opens the database. A SQLite file that cannot be used (not SQLite,
   truncated, failing ``PRAGMA quick_check``, some other program's tables) is
   never deleted or overwritten: it is renamed, with its -wal/-shm files, to
   ``steelman.sqlite3.unreadable-YYYYMMDD-HHMMSS`` in the same folder, a
   ``moved-aside`` notice says where, and a fresh database is started. This
   happens only while no other Steelman holds the data folder (otherwise the
   error is raised unchanged).
2. A database written by a newer Steelman is left exactly as it is:
   ``DatabaseTooNewError`` propagates (its message names the file and says to
   update Steelman or choose another data folder). So does a server that
   cannot be reached (``DatabaseUnavailableError``).
3. Makes today's backup (SQLite only; see ``backups``), unless ``backup=False``.
4. Writes what the outbox kept from an earlier outage, unless ``flush=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from .backups import BackupError, make_daily_backup, move_aside
from .instance import InstanceLock
from .paths import Locations
from .service import Service
from .storage import DatabaseUnreadableError, open_database, sqlite_path

NoticeKind = Literal["moved-aside", "backup", "backup-skipped", "backup-failed", "outbox", "offline"]


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    message: str
    """One or two sentences to show the user as they are."""
    important: bool = False
    """True when the user should see it (a dialog), False for a status line."""
    path: str | None = None


def open_service_with_recovery(
    locations: Locations,
    *,
    instance_lock: InstanceLock | None = None,
    backup: bool = True,
    keep_days: int = 14,
    flush: bool = True,
    now: datetime | None = None,
    **service_kwargs: Any,
) -> tuple[Service, list[Notice]]:
    """Open the service at ``locations``, recovering from an unreadable file.

    ``instance_lock`` is the caller's held lock; it is attached to the
    service and released by ``service.close()``.
    """
    service = Service.unopened(locations, **service_kwargs)
    notices = open_data(service, instance_lock=instance_lock, backup=backup, keep_days=keep_days, flush=flush, now=now)
    return service, notices


def open_data(
    service: Service,
    *,
    instance_lock: InstanceLock | None = None,
    backup: bool = True,
    keep_days: int = 14,
    flush: bool = True,
    now: datetime | None = None,
) -> list[Notice]:
    """Open the database of a ``Service.unopened`` service, as described
    above, and return the notices. The window calls it on its worker, after
    it is shown. On error the database is left closed."""
    locations = service.locations
    now = now or datetime.now(UTC)
    notices: list[Notice] = []
    locations.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        database = open_database(locations.database_url)
    except DatabaseUnreadableError as exc:
        path = sqlite_path(locations.database_url)
        if path is None or not path.exists():
            raise
        moved = _move_unreadable(locations, exc, now=now, lock=instance_lock)
        notices.append(
            Notice(
                kind="moved-aside",
                message=(
                    f"Steelman could not read its database ({exc.reason}). The file was kept, "
                    f"renamed to {moved}, and a new empty database was started. "
                    "A backup of your earlier work may be in "
                    f"{locations.backups_dir} (see Backups)."
                ),
                important=True,
                path=str(moved),
            )
        )
        database = open_database(locations.database_url)
    service.data.attach(database)
    service.instance_lock = instance_lock
    try:
        if backup and service.profiles.list():  # a new, empty database has nothing to back up
            notices.extend(_backup(locations, now=now, keep_days=keep_days))
        if flush and service.writes.pending_count():
            outcome = service.writes.flush()
            if outcome.written or outcome.failed:
                notices.append(
                    Notice(
                        kind="outbox",
                        message=f"Saved {outcome.written} item(s) kept on this computer during an outage."
                        + (f" {outcome.failed} could not be saved and are kept in {service.writes.outbox.path}." if outcome.failed else ""),
                        important=bool(outcome.failed),
                    )
                )
            if outcome.remaining:
                notices.append(Notice(kind="offline", message=service.writes.offline_message or "", important=True))
    except BaseException:
        service.data.close()
        raise
    return notices


def _move_unreadable(
    locations: Locations, exc: DatabaseUnreadableError, *, now: datetime, lock: InstanceLock | None
) -> str:
    own = None
    if lock is None or not lock.held:
        own = InstanceLock(locations.data_dir)
        if not own.acquire():
            raise exc  # another Steelman has the folder: never move its file away
    try:
        return str(move_aside(exc.path, label="unreadable", now=now.astimezone()))
    finally:
        if own is not None:
            own.release()


def _backup(locations: Locations, *, now: datetime, keep_days: int) -> list[Notice]:
    try:
        outcome = make_daily_backup(locations, now=now, keep_days=keep_days)
    except (BackupError, OSError) as exc:
        return [Notice(kind="backup-failed", message=f"Today's backup could not be made: {exc}", important=True)]
    if sqlite_path(locations.database_url) is None:
        return [Notice(kind="backup-skipped", message=outcome.note)]
    if outcome.created is not None:
        return [Notice(kind="backup", message=outcome.note, path=str(outcome.created.path))]
    return []
