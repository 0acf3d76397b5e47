"""A private PostgreSQL server for tests that must stop and start it (outage tests).

Used through the session-scoped ``pg_server`` fixture in ``tests/conftest.py``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_PG_ENV = "STEELMAN_REQUIRE_PG"


def _pg_bin() -> Path | None:
    configured = os.environ.get("STEELMAN_TEST_PG_BIN")
    candidates = [configured] if configured else sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    for folder in reversed(candidates):
        if folder and (Path(folder) / "pg_ctl").is_file() and (Path(folder) / "initdb").is_file():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bin: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self) -> str:
        import psycopg

        name = f"steelman_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def run_pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server of our own (initdb + pg_ctl on a free port), which
    tests may stop and start. Skipped only when the binaries are missing."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found; set STEELMAN_TEST_PG_BIN"
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{reason}, and {REQUIRE_PG_ENV}=1 requires them")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="steelman-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PgServer(bin=pg_bin, folder=folder, port=_free_port())
    server._run("initdb", "-D", str(server.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "-N", "--no-instructions")
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(folder, ignore_errors=True)
