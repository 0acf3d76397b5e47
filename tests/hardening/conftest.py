"""Fixtures for the hardening tests: a Service on a temp folder with a fake
matcher, a private PostgreSQL server that tests may stop and start, and a
helper to run the CLI or a Python child as a real process."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.matching.types import MatchResult
from trainer.core.paths import Locations
from trainer.core.service import Service

ROOT = Path(__file__).resolve().parents[2]
TINY_PACK = ROOT / "tests" / "data" / "packs" / "tiny"
PACK_ID, CLAIM_ID = "tiny-uniforms", "expression"
REQUIRE_PG_ENV = "STEELMAN_REQUIRE_PG"


class FakeMatcher:
    """Scores by length, instantly: these tests are about storage, not matching."""

    def score(self, *, claim: str, key_points: object, response: str) -> MatchResult:
        return MatchResult(matcher_version="fake-1", score=min(1.0, len(response) / 1000), key_points=(), rubric=())


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def sqlite_locations(data_dir: Path) -> Locations:
    return Locations(data_dir=data_dir, database_url=f"sqlite:///{(data_dir / 'steelman.sqlite3').as_posix()}")


def make_service(locations: Locations, clock: FakeClock | None = None, **kwargs: object) -> Service:
    return Service.open(
        locations,
        clock=clock or FakeClock(),
        matcher_loader=FakeMatcher,
        pack_folders=[(TINY_PACK.parent, True)],
        **kwargs,
    )


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("STEELMAN_DATABASE_URL", None)
    return env


def steelman(*args: str, data_dir: Path | None = None, stdin: str | None = None, db: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would; never raises on a non-zero exit."""
    cmd = [sys.executable, "-m", "trainer", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    if db is not None:
        cmd += ["--db", db]
    return subprocess.run(cmd, env=child_env(), input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    return sqlite_locations(tmp_path / "data")


@pytest.fixture
def service(locations: Locations, clock: FakeClock) -> Iterator[Service]:
    svc = make_service(locations, clock)
    try:
        yield svc
    finally:
        svc.close()


# --- a private PostgreSQL server ---------------------------------------------------


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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
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


_HOLD = (
    "import sys, time\n"
    "from trainer.core.instance import InstanceLock\n"
    "lock = InstanceLock(sys.argv[1])\n"
    "print(lock.acquire(), flush=True)\n"
    "time.sleep(120)\n"
)


@contextmanager
def lock_held_elsewhere(data_dir: Path, *, kill_first: bool = False) -> Iterator[subprocess.Popen[str]]:
    """Another process (a stand-in for a running app) holding the data folder's lock."""
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(data_dir)], env=child_env(), stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "True"
            yield proc
        finally:
            proc.kill()
            proc.wait()


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """``steelman`` run in this process (same code as the subprocess, a second faster)."""
    import io

    from trainer.cli import main

    def run(*args: str, data_dir: Path, stdin: str = "") -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([*args, "--data-dir", str(data_dir)])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
