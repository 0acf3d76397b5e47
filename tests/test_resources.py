"""``trainer.resources`` finds resources/ in a checkout, a wheel and a frozen bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.resources import ResourceError, resource_path, resources_dir

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
{setup}
from trainer.resources import resources_dir
print(resources_dir())
"""


def copy_package(target: Path) -> Path:
    """A minimal copy of the ``trainer`` package (resources.py needs nothing else)."""
    package = target / "trainer"
    package.mkdir(parents=True)
    for name in ("__init__.py", "resources.py"):
        shutil.copy(ROOT / "trainer" / name, package / name)
    return package


def make_resources(folder: Path) -> Path:
    (folder / "packs").mkdir(parents=True)
    return folder


def probe(pythonpath: Path, setup: str = "") -> Path:
    env = {k: v for k, v in os.environ.items() if k != "STEELMAN_RESOURCES"}
    env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        env=env,
        cwd=pythonpath,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def test_checkout_layout() -> None:
    assert resources_dir() == ROOT / "resources"
    assert resource_path("packs").is_dir()


def test_wheel_layout(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "site-packages")
    expected = make_resources(package / "resources_data")
    assert probe(tmp_path / "site-packages") == expected


def test_frozen_layout(tmp_path: Path) -> None:
    copy_package(tmp_path / "code")  # the code lives elsewhere, as in a PyInstaller archive
    bundle = tmp_path / "bundle"
    expected = make_resources(bundle / "trainer" / "resources_data")
    setup = f"sys.frozen = True; sys._MEIPASS = {str(bundle)!r}"
    assert probe(tmp_path / "code", setup) == expected


def test_missing_resources_is_a_clear_error(tmp_path: Path) -> None:
    copy_package(tmp_path / "lonely")
    with pytest.raises(subprocess.CalledProcessError) as caught:
        probe(tmp_path / "lonely")
    assert "resources folder was not found" in caught.value.stderr


@pytest.mark.parametrize("name", ["../secret", "/etc/passwd", "packs/../../x", "packs\\x"])
def test_resource_names_cannot_escape(name: str) -> None:
    with pytest.raises(ResourceError):
        resource_path(name)
