"""Fixtures for the hardening tests: a Service on a temp folder with a fake
matcher, a private PostgreSQL server that tests may stop and start, and a
helper to run the CLI or a Python child as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
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


class FakeMatcher:
    """Scores by length, instantly: these tests are about storage, not matching."""

    def score(self, *, claim: str, key_points: object, response: str, perspective: str | None = None, background: object = ()) -> MatchResult:
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
