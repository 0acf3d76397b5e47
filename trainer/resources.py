"""The one place that knows where ``resources/`` lives.

Three layouts are supported:

* a source checkout: ``<repo>/resources`` next to ``<repo>/trainer``;
* an installed wheel: the build maps ``resources/`` to ``trainer/resources_data``
  inside the package (see ``pyproject.toml``);
* a frozen PyInstaller bundle: the spec installs the same folder at
  ``<sys._MEIPASS>/trainer/resources_data``, so the wheel lookup works there too;
  ``<sys._MEIPASS>/resources`` is accepted as well.

``STEELMAN_RESOURCES`` overrides all of them (for tests and packagers).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path, PurePosixPath

_PACKAGE_DIR = Path(__file__).resolve().parent


class ResourceError(LookupError):
    """Raised when the resources folder or a file in it cannot be found."""


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get("STEELMAN_RESOURCES")
    if override:
        found.append(Path(override))
    found.append(_PACKAGE_DIR / "resources_data")  # installed wheel / frozen bundle
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        found.append(Path(frozen_root) / "trainer" / "resources_data")
        found.append(Path(frozen_root) / "resources")
    found.append(_PACKAGE_DIR.parent / "resources")  # source checkout
    return found


@cache
def resources_dir() -> Path:
    """Return the folder holding packs, matcher parameters, icons and styles."""
    for candidate in _candidates():
        if (candidate / "packs").is_dir():
            return candidate
    tried = ", ".join(str(c) for c in _candidates())
    raise ResourceError(f"Steelman's resources folder was not found (looked in: {tried})")


def resource_path(relative: str) -> Path:
    """Return the path of a file under ``resources/``; ``relative`` uses ``/``.

    Absolute names and ``..`` components are refused so that a name read from a
    pack or a setting can never point outside the resources folder.
    """
    parts = PurePosixPath(relative)
    if parts.is_absolute() or ".." in parts.parts or "\\" in relative:
        raise ResourceError(f"invalid resource name: {relative!r}")
    return resources_dir().joinpath(*parts.parts)
