"""Steelman's storage: profiles, attempts, drafts, disputes and settings.

Public surface::

    db = open_database(default_database_url(data_dir))   # or a postgresql+psycopg:// URL
    repo = Repository(db, clock=...)                       # returns trainer.core.records
    db.close()

SQLAlchemy and Alembic stay inside this package; callers see records and the
errors in ``errors.py``.
"""

from .database import (
    Database,
    check_sqlite_file,
    default_database_url,
    head_revision,
    open_database,
    sqlite_path,
)
from .errors import (
    DatabaseTooNewError,
    DatabaseUnavailableError,
    DatabaseUnreadableError,
    DuplicateProfileError,
    InvalidInputError,
    NotFoundError,
    ProfileLockedError,
    StorageError,
)
from .repository import Repository, utc_now

__all__ = [
    "Database",
    "check_sqlite_file",
    "sqlite_path",
    "DatabaseTooNewError",
    "DatabaseUnavailableError",
    "DatabaseUnreadableError",
    "DuplicateProfileError",
    "InvalidInputError",
    "NotFoundError",
    "ProfileLockedError",
    "Repository",
    "StorageError",
    "default_database_url",
    "head_revision",
    "open_database",
    "utc_now",
]
