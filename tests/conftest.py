"""Shared fixtures. Tests never touch the real home folder or data folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PgServer, run_pg_server

ROOT = Path(__file__).resolve().parent.parent
TINY_PACK = ROOT / "tests" / "data" / "packs" / "tiny"
KOREA_PACK = ROOT / "resources" / "packs" / "korea-summit-2019"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every data folder and setting at a temp dir for the test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("STEELMAN_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.delenv("STEELMAN_DATABASE_URL", raising=False)


@pytest.fixture
def tiny_pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny example pack."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY_PACK, target)
    return target


def pg_url() -> str | None:
    return os.environ.get("STEELMAN_TEST_PG_URL")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server of our own (initdb + pg_ctl on a free port), which
    tests may stop and start. Skipped only when the binaries are missing."""
    yield from run_pg_server()
