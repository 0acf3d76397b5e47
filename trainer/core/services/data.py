"""The open database, shared by the services.

``Data`` is created before the database is opened, so the window can be shown
first; ``open()`` (or ``attach()``) may then run on a worker thread. Until it
has, every service call that needs the database raises
:class:`DataNotReadyError`. SQLAlchemy is imported by ``open()``, not before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..paths import Locations

if TYPE_CHECKING:
    from ..storage import Database, Repository
    from ..storage.club import ClubStore
    from ..storage.transfer import TransferStore


def utc_now() -> datetime:
    return datetime.now(UTC)


class DataNotReadyError(RuntimeError):
    """The database is still being opened (or is closed)."""

    def __init__(self) -> None:
        super().__init__("Steelman is still opening its data; try again in a moment.")


class Data:
    def __init__(self, locations: Locations, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.locations = locations
        self.clock = clock
        self._database: Database | None = None
        self._store: Repository | None = None
        self._club: ClubStore | None = None

    @property
    def is_open(self) -> bool:
        return self._store is not None

    @property
    def database(self) -> Database:
        if self._database is None:
            raise DataNotReadyError()
        return self._database

    @property
    def store(self) -> Repository:
        """The repository (every method one transaction returning plain records)."""
        if self._store is None:
            raise DataNotReadyError()
        return self._store

    @property
    def club(self) -> ClubStore:
        """The club's shared work: overview rows and disputes (``storage/club.py``)."""
        if self._club is None:
            from ..storage.club import ClubStore

            self._club = ClubStore(self.database, clock=self.clock)
        return self._club

    @property
    def transfer(self) -> TransferStore:
        """Results files in and out (``storage/transfer.py``)."""
        from ..storage.transfer import TransferStore

        return TransferStore(self.database, clock=self.clock)

    def open(self) -> None:
        """Open (and if needed create or upgrade) the database at ``locations``."""
        from ..storage import open_database

        self.locations.data_dir.mkdir(parents=True, exist_ok=True)
        self.attach(open_database(self.locations.database_url))

    def attach(self, database: Database) -> None:
        from ..storage import Repository

        self._database = database
        self._store = Repository(database, clock=self.clock)
        self._club = None

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
        self._database = None
        self._store = None
        self._club = None
