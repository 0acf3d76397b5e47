"""One running app per data folder: an exclusive OS lock on ``<data>/steelman.lock``.

    lock = InstanceLock(locations.data_dir)
    if not lock.acquire():            # or lock.acquire_or_raise()
        show(lock.busy_message())
    ...
    lock.release()                    # also released by the OS on exit or crash

``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows. Because it is an OS
lock on an open file, a crashed or killed app never leaves a stale lock: the
kernel drops it with the process. The file itself stays (it holds the PID of
the last holder, for the message only) and is never meaningful on its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

LOCK_FILE = "steelman.lock"


class AlreadyRunningError(RuntimeError):
    """Another Steelman holds the data folder."""

    def __init__(self, data_dir: Path, pid: int | None = None) -> None:
        self.data_dir = data_dir
        self.pid = pid
        by = f" (process {pid})" if pid else ""
        super().__init__(
            f"Steelman is already running{by} with the data folder {data_dir}. "
            "Switch to that window, or close it first."
        )


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILE
        self._fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self._fh is not None:
            return True
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")  # noqa: SIM115 - kept open for the app's lifetime
        try:
            _lock(fh)
        except OSError:
            fh.close()
            return False
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n".encode())
            fh.flush()
        except OSError:
            pass  # the PID is only for the message
        self._fh = fh
        return True

    def acquire_or_raise(self) -> InstanceLock:
        if not self.acquire():
            raise AlreadyRunningError(self.data_dir, self.holder_pid())
        return self

    def busy_message(self) -> str:
        return str(AlreadyRunningError(self.data_dir, self.holder_pid()))

    def holder_pid(self) -> int | None:
        try:
            return int(self.path.read_text(encoding="ascii").strip() or "0") or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            _unlock(fh)
        except OSError:
            pass
        fh.close()

    def __enter__(self) -> InstanceLock:
        return self.acquire_or_raise()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
