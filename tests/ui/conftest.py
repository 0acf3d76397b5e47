"""GUI test fixtures: a real service on a temp SQLite file, modal dialogs patched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.core.paths import resolve_locations
from trainer.core.service import Service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service.open(resolve_locations(data_dir=tmp_path / "data"))
    yield svc
    svc.close()


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("SteelmanTests")
    QCoreApplication.setApplicationName("SteelmanTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
