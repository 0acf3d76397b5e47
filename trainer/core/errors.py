"""Turn any exception into one sentence a user can act on.

The CLI and the UI both show ``describe(exc)`` instead of a traceback. Set
``STEELMAN_DEBUG=1`` to get the traceback as well (on stderr).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable


class Cancelled(Exception):
    """Long work stopped because the user cancelled it; nothing was left half-done."""

    def __init__(self, what: str = "the work") -> None:
        super().__init__(f"{what} was cancelled; nothing was changed")


Progress = Callable[[int, int], bool]
"""``progress(done, total)`` from long work; it returns False to cancel."""


def check_progress(progress: Progress | None, done: int, total: int, what: str) -> None:
    """Report ``done`` of ``total``; raise :class:`Cancelled` if the caller said stop."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled(what)


def describe(exc: BaseException) -> str:
    if os.environ.get("STEELMAN_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    from .packs import PackValidationError

    if isinstance(exc, PackValidationError | Cancelled):
        return str(exc.args[0]) if isinstance(exc, Cancelled) else str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"text is not valid {exc.encoding} (byte offset {exc.start}); save it as UTF-8"
    if isinstance(exc, (LookupError, ValueError)) and exc.args:
        return str(exc.args[0])
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename or exc}"
    if isinstance(exc, FileNotFoundError):
        return f"no such file or folder: {exc.filename or exc}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    try:
        from .storage import StorageError
    except ImportError:  # pragma: no cover - storage always ships
        StorageError = ()  # type: ignore[assignment]  # noqa: N806
    if isinstance(exc, StorageError):
        return str(exc)
    name = type(exc).__name__
    return f"unexpected error ({name}: {exc}). Run again with STEELMAN_DEBUG=1 for details."
