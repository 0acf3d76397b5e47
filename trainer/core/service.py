"""The object the UI and the CLI hold: the app's data and the services over it.

Like Anki's ``Collection``, ``Service`` owns the open database and a few nouns
with one job each (``docs/architecture.md``)::

    service.packs      PackLibrary  installed packs, pack import
    service.scoring    Scoring      the matcher; scoring and re-scoring responses
    service.profiles   Profiles     profiles, PINs, unlocking
    service.practice   Practice     drafts and submitted attempts
    service.results    Results      stored attempts, disputes, export
    service.club       Club         a coach's class overview and dispute queue
    service.transfer   Transfer     results files (.steelresults) out and in
    service.assignments Assignments claims a coach sets, with a due date (.steelassign files)
    service.review     Review       spaced review: the claims due again today, the rating thresholds
    service.settings   Settings     remembered choices
    service.writes     Writes       the one write path (database or outbox)

``Service`` itself only opens, closes and restores the database. It can be
created before the database is opened (``Service.unopened``), so the window
shows first and ``open_data`` runs on a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .paths import Locations
from .services.data import Data, utc_now

if TYPE_CHECKING:
    from .instance import InstanceLock
    from .matching import Matcher
    from .services import Assignments, Club, PackLibrary, Transfer, Practice, Profiles, Results, Review, Scoring, Settings, Writes
    from .storage import Database, Repository

T = TypeVar("T")

# Kept importable from here (``from trainer.core.service import UnknownPackError``).
_FROM_SERVICES = {
    "OFFLINE_MESSAGE", "DataNotReadyError", "ExportOutcome", "FlushOutcome",
    "PackExistsError", "UnknownPackError", "builtin_packs_dir",
}


def __getattr__(name: str) -> Any:
    if name in _FROM_SERVICES:
        from . import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Service:
    def __init__(
        self,
        *,
        locations: Locations,
        database: Database | None = None,
        clock: Callable[[], datetime] = utc_now,
        matcher_loader: Callable[[], Matcher] | None = None,
        pack_folders: list[tuple[Path, bool]] | None = None,
    ) -> None:
        self.locations = locations
        self.clock = clock
        self.data = Data(locations, clock=clock)
        if database is not None:
            self.data.attach(database)
        self._matcher_loader = matcher_loader
        self._pack_folders = pack_folders
        self._built: dict[str, Any] = {}
        self._building = threading.RLock()
        self.instance_lock: InstanceLock | None = None
        """Set by ``open_service_with_recovery``; released by ``close``."""

    # -- the services, each built (and its module imported) on first use ----
    def _service(self, name: str, build: Callable[[], T]) -> T:
        service = self._built.get(name)
        if service is None:
            with self._building:  # the GUI thread and the worker may both ask first
                service = self._built.get(name)
                if service is None:
                    service = self._built[name] = build()
        return service

    @property
    def writes(self) -> Writes:
        from .services.writes import Writes

        return self._service("writes", lambda: Writes(self.data))

    @property
    def packs(self) -> PackLibrary:
        from .services.packs import PackLibrary

        return self._service("packs", lambda: PackLibrary(self.locations, clock=self.clock, folders=self._pack_folders))

    @property
    def profiles(self) -> Profiles:
        from .services.profiles import Profiles

        return self._service("profiles", lambda: Profiles(self.data, self.writes))

    @property
    def settings(self) -> Settings:
        from .services.settings import Settings

        return self._service("settings", lambda: Settings(self.data))

    @property
    def scoring(self) -> Scoring:
        from .services.scoring import Scoring

        return self._service("scoring", lambda: Scoring(self.data, self.packs, self.profiles, loader=self._matcher_loader))

    @property
    def practice(self) -> Practice:
        from .services.practice import Practice

        return self._service("practice", lambda: Practice(self.data, self.writes, self.profiles, self.packs, self.scoring))

    @property
    def results(self) -> Results:
        from .services.results import Results

        return self._service("results", lambda: Results(self.data, self.writes, self.profiles, self.packs))

    @property
    def transfer(self) -> Transfer:
        from trainer import __version__

        from .services.transfer import Transfer

        return self._service("transfer", lambda: Transfer(self.data, self.profiles, app_version=__version__))

    @property
    def assignments(self) -> Assignments:
        from .services.assignments import Assignments

        return self._service("assignments", lambda: Assignments(self.data, self.profiles, self.packs))

    @property
    def review(self) -> Review:
        from .services.review import Review

        return self._service("review", lambda: Review(self.data, self.profiles, self.packs, self.settings))

    @property
    def club(self) -> Club:
        from .services.club import Club

        return self._service("club", lambda: Club(self.data, self.profiles, self.packs))

    @classmethod
    def open(cls, locations: Locations, **kwargs: Any) -> Service:
        """Open (and if needed create or upgrade) the database at ``locations``."""
        service = cls(locations=locations, **kwargs)
        service.data.open()
        return service

    @classmethod
    def unopened(cls, locations: Locations, **kwargs: Any) -> Service:
        """The services, with the database still to be opened (``open_data``)."""
        return cls(locations=locations, **kwargs)

    @property
    def ready(self) -> bool:
        """Whether the database is open (``open_data`` has finished)."""
        return self.data.is_open

    @property
    def store(self) -> Repository:
        """The repository, for the CLI's profile commands and for tests; the UI uses the services."""
        return self.data.store

    @property
    def database(self) -> Database:
        return self.data.database

    def close(self) -> None:
        self.data.close()
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    def reopen_database(self) -> None:
        """Close and open the database again (after ``restore_backup``); unlocked profiles lock again."""
        self.data.close()
        self.data.open()
        self.profiles.lock_all()

    def restore_backup(self, name: str) -> Any:
        """Restore a backup from inside the running app: the database is closed,
        the current file moved aside, the backup copied in, and the database
        opened again. Returns a ``backups.RestoreOutcome``. Every view must
        reload afterwards, and unlocked profiles are locked again."""
        from .backups import restore_backup

        with self.writes.paused():  # no write goes through while the file is swapped
            self.data.close()
            try:
                return restore_backup(self.locations, name, now=self.clock(), lock=self.instance_lock)
            finally:
                self.reopen_database()
