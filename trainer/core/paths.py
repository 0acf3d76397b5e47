"""The one module that knows where Steelman keeps its data.

Order of precedence for the data folder:

1. an explicit ``--data-dir`` (tests, portable installs);
2. the ``STEELMAN_DATA_DIR`` environment variable;
3. portable mode: a ``steelman-data`` folder beside the executable;
4. the platform's user data folder (platformdirs), e.g.
   ``~/.local/share/Steelman`` on Linux,
   ``%LOCALAPPDATA%\\Steelman`` on Windows,
   ``~/Library/Application Support/Steelman`` on macOS.

The database URL is ``--db``, else ``STEELMAN_DATABASE_URL``, else a SQLite
file in the data folder.

Settings (window geometry and the like, kept by the UI with QSettings) follow
the data folder in portable mode: ``settings_path(locations)`` returns an INI
file inside ``steelman-data`` then, and ``None`` otherwise (use the platform's
settings store). This module never imports Qt.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Steelman"
PORTABLE_FOLDER = "steelman-data"
DATABASE_FILE = "steelman.sqlite3"
SETTINGS_FILE = "settings.ini"


def _executable_dir() -> Path:
    """The folder holding the program the user started.

    Frozen (PyInstaller): the folder of the executable, with symlinks resolved,
    so ``/usr/bin/steelman -> /opt/steelman/steelman`` gives ``/opt/steelman``.
    On macOS the executable sits in ``Steelman.app/Contents/MacOS``; the folder
    that *contains* the .app is used, which is where a user can put
    ``steelman-data`` (next to the .app on a USB stick).
    From source: the folder of ``sys.argv[0]``.
    """
    if getattr(sys, "frozen", False):
        folder = Path(sys.executable).resolve().parent
        if sys.platform == "darwin" and folder.name == "MacOS" and folder.parent.name == "Contents" and folder.parent.parent.suffix == ".app":
            return folder.parent.parent.parent
        return folder
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def portable_data_dir() -> Path | None:
    """``steelman-data`` beside the executable, if that folder exists (portable mode)."""
    candidate = _executable_dir() / PORTABLE_FOLDER
    return candidate if candidate.is_dir() else None


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


@dataclass(frozen=True)
class Locations:
    data_dir: Path
    database_url: str
    portable: bool = False

    @property
    def packs_dir(self) -> Path:
        """Where packs a coach imports are kept."""
        return self.data_dir / "packs"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"


def resolve_locations(*, data_dir: str | Path | None = None, database_url: str | None = None) -> Locations:
    portable = False
    if data_dir is not None:
        folder = Path(data_dir)
    elif os.environ.get("STEELMAN_DATA_DIR"):
        folder = Path(os.environ["STEELMAN_DATA_DIR"])
    elif (found := portable_data_dir()) is not None:
        folder, portable = found, True
    else:
        folder = default_data_dir()
    folder = folder.expanduser()
    url = database_url or os.environ.get("STEELMAN_DATABASE_URL") or f"sqlite:///{(folder / DATABASE_FILE).as_posix()}"
    return Locations(data_dir=folder, database_url=url, portable=portable)


def settings_path(locations: Locations) -> Path | None:
    """Where QSettings should keep its INI file, or ``None`` for the platform default.

    In portable mode this is ``steelman-data/settings.ini``, so that nothing is
    written to the host machine (registry, ~/.config, ~/Library/Preferences).
    The UI then uses ``QSettings(str(path), QSettings.Format.IniFormat)``.
    """
    return locations.data_dir / SETTINGS_FILE if locations.portable else None
