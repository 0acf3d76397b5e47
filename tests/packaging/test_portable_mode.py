"""Portable mode: a ``steelman-data`` folder beside the executable holds the data and settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from trainer.core import paths
from trainer.core.paths import PORTABLE_FOLDER, resolve_locations, settings_path


@pytest.fixture
def frozen_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake frozen install: <tmp>/usb/steelman/steelman is the executable."""
    app_dir = tmp_path / "usb" / "steelman"
    app_dir.mkdir(parents=True)
    exe = app_dir / "steelman"
    exe.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("STEELMAN_DATA_DIR", raising=False)
    monkeypatch.delenv("STEELMAN_DATABASE_URL", raising=False)
    monkeypatch.setattr(paths, "default_data_dir", lambda: tmp_path / "platform-data")
    return app_dir


def test_without_the_folder_the_platform_folder_is_used(frozen_app: Path, tmp_path: Path) -> None:
    loc = resolve_locations()
    assert loc.data_dir == tmp_path / "platform-data"
    assert not loc.portable
    assert settings_path(loc) is None


def test_the_folder_beside_the_executable_switches_to_portable_mode(frozen_app: Path) -> None:
    (frozen_app / PORTABLE_FOLDER).mkdir()
    loc = resolve_locations()
    assert loc.portable
    assert loc.data_dir == frozen_app / PORTABLE_FOLDER
    assert loc.database_url == f"sqlite:///{(frozen_app / PORTABLE_FOLDER / 'steelman.sqlite3').as_posix()}"
    assert settings_path(loc) == frozen_app / PORTABLE_FOLDER / "settings.ini"


def test_a_symlinked_launcher_resolves_to_the_real_folder(frozen_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (frozen_app / PORTABLE_FOLDER).mkdir()
    link = tmp_path / "bin" / "steelman"
    link.parent.mkdir()
    link.symlink_to(frozen_app / "steelman")
    monkeypatch.setattr(sys, "executable", str(link))
    assert resolve_locations().data_dir == frozen_app / PORTABLE_FOLDER


def test_a_plain_file_named_like_the_folder_is_ignored(frozen_app: Path, tmp_path: Path) -> None:
    (frozen_app / PORTABLE_FOLDER).write_text("not a folder")
    assert not resolve_locations().portable


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_explicit_choices_win_over_portable_mode(frozen_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    (frozen_app / PORTABLE_FOLDER).mkdir()
    chosen = tmp_path / "chosen"
    if how == "argument":
        monkeypatch.setenv("STEELMAN_DATA_DIR", str(tmp_path / "ignored"))
        loc = resolve_locations(data_dir=chosen)
    else:
        monkeypatch.setenv("STEELMAN_DATA_DIR", str(chosen))
        loc = resolve_locations()
    assert loc.data_dir == chosen
    assert not loc.portable
    assert settings_path(loc) is None


def test_macos_app_bundle_looks_beside_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    macos = tmp_path / "usb" / "Steelman.app" / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    (macos / "steelman").write_text("")
    (tmp_path / "usb" / PORTABLE_FOLDER).mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(macos / "steelman"))
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("STEELMAN_DATA_DIR", raising=False)
    loc = resolve_locations()
    assert loc.portable
    assert loc.data_dir == tmp_path / "usb" / PORTABLE_FOLDER
