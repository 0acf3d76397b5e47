"""Steelman's storage: profiles, attempts, drafts, disputes and settings.

Public surface::

    db = open_database(default_database_url(data_dir))   # or a postgresql+psycopg:// URL
    repo = Repository(db, clock=...)                       # returns trainer.core.records
    db.close()

SQLAlchemy and Alembic stay inside this package; callers see records and the
errors in ``errors.py``.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .errors import (
    CoachRequiredError,
    DatabaseTooNewError,
    DatabaseUnavailableError,
    DatabaseUnreadableError,
    DuplicateProfileError,
    InvalidInputError,
    NotFoundError,
    PinBackoffError,
    ProfileLockedError,
    StorageError,
)

if TYPE_CHECKING:
    from .database import (
        Database,
        check_sqlite_file,
        default_database_url,
        head_revision,
        open_database,
        sqlite_path,
    )
    from .repository import Repository, utc_now

# SQLAlchemy is imported on first use of these names, not with the errors:
# the window can be shown (and the errors caught) before the database opens.
_LAZY = {
    "Database": "database",
    "check_sqlite_file": "database",
    "default_database_url": "database",
    "head_revision": "database",
    "open_database": "database",
    "sqlite_path": "database",
    "Repository": "repository",
    "utc_now": "repository",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "CoachRequiredError",
    "Database",
    "check_sqlite_file",
    "sqlite_path",
    "DatabaseTooNewError",
    "DatabaseUnavailableError",
    "DatabaseUnreadableError",
    "DuplicateProfileError",
    "InvalidInputError",
    "NotFoundError",
    "PinBackoffError",
    "ProfileLockedError",
    "Repository",
    "StorageError",
    "default_database_url",
    "head_revision",
    "open_database",
    "utc_now",
]
