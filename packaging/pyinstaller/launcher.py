"""Entry point of the frozen app (PyInstaller runs this file, not trainer/__main__.py).

It does exactly what the ``steelman`` console command does, plus one thing for
``--smoke`` only: the smoke line's ``window=`` time is measured from
``trainer.ui.app._T0``; here that origin is moved back to the moment the
*process* started (bootloader and Python start-up included), so the number the
installers are held to (first window within 1.5 s) is the one a user feels.
"""

from __future__ import annotations

import sys
import time

_LAUNCHED = time.perf_counter()


def _process_age() -> float:
    """Seconds since this process started, or 0.0 when the OS will not say."""
    try:
        if sys.platform.startswith("linux"):
            import os

            with open("/proc/self/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            started_ticks = int(fields[19])  # field 22: starttime, in clock ticks since boot
            with open("/proc/uptime", "rb") as fh:
                uptime = float(fh.read().split()[0])
            return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            kernel32 = ctypes.windll.kernel32
            kernel32.GetCurrentProcess.restype = wintypes.HANDLE
            creation, exit_, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
            if not kernel32.GetProcessTimes(
                kernel32.GetCurrentProcess(), ctypes.byref(creation), ctypes.byref(exit_),
                ctypes.byref(kernel), ctypes.byref(user),
            ):
                return 0.0
            kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

            def as_int(ft: wintypes.FILETIME) -> int:
                return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

            return max(0.0, (as_int(now) - as_int(creation)) / 1e7)
    except Exception:  # noqa: BLE001 - timing is best effort, never a reason to fail
        return 0.0
    return 0.0


def _main() -> int:
    if "--smoke" in sys.argv[1:]:
        origin = _LAUNCHED - _process_age()
        try:
            import trainer.ui.app as app_module

            if hasattr(app_module, "_T0"):
                app_module._T0 = origin  # noqa: SLF001 - see the module docstring
        except ImportError:
            pass  # the real failure is reported by main() below
    from trainer.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
