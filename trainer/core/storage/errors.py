"""Errors raised by the storage layer.

Hierarchy::

    StorageError
    ├── DatabaseTooNewError       the database has a schema this version does not know
    ├── DatabaseUnreadableError   the file is not a (Steelman) SQLite database
    ├── DatabaseUnavailableError  the server cannot be reached / the upgrade failed
    ├── ProfileLockedError        the profile has a PIN that was not given (or was wrong)
    ├── DuplicateProfileError     a profile with that name already exists
    ├── NotFoundError             the profile / attempt named does not exist
    └── InvalidInputError         an argument was rejected (also a ValueError)

Every message is written to be shown to the user as it is.
"""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """Base class of every error the storage layer raises on purpose."""


class DatabaseTooNewError(StorageError):
    def __init__(self, *, found: str, known: str, where: str | None = None) -> None:
        self.found = found
        self.known = known
        self.where = where
        subject = f"The database {where}" if where else "This database"
        super().__init__(
            f"{subject} was written by a newer version of Steelman (schema {found}); "
            f"this version knows up to {known}. Update Steelman, or choose another data "
            "folder. The file has not been changed."
        )


class DatabaseUnreadableError(StorageError):
    def __init__(self, *, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"{path} cannot be opened as a Steelman database ({reason}). "
            "The file has not been changed."
        )


class DatabaseUnavailableError(StorageError):
    """The database server could not be reached, or the schema upgrade failed."""


class ProfileLockedError(StorageError):
    """The profile has a PIN and was not unlocked (or the PIN given was wrong)."""

    def __init__(self, name: str, *, wrong_pin: bool = False) -> None:
        self.name = name
        self.wrong_pin = wrong_pin
        if wrong_pin:
            message = f"Wrong PIN for the profile {name!r}."
        else:
            message = f"The profile {name!r} is protected by a PIN; enter it first."
        super().__init__(message)


class CoachRequiredError(StorageError):
    """Only an unlocked coach may do this."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Only a coach may {what}: unlock a coach profile with its PIN first.")


class PinBackoffError(ProfileLockedError):
    """Too many wrong PINs: the next try must wait ``retry_in`` seconds."""

    def __init__(self, name: str, retry_in: float) -> None:
        super().__init__(name, wrong_pin=True)
        self.retry_in = retry_in
        seconds = max(1, round(retry_in))
        wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
        self.args = (f"Too many wrong PINs for the profile {name!r}: try again in {wait}.",)

    def __str__(self) -> str:
        return self.args[0]


class DuplicateProfileError(StorageError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"A profile named {name!r} already exists.")


class NotFoundError(StorageError):
    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"No {what} {key!r}.")


class InvalidInputError(StorageError, ValueError):
    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
