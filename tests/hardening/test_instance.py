"""Issue 7, item 3: one app per data folder (an OS lock that a crash releases),
and concurrent writers (app + CLI, or two processes) lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.core.instance import AlreadyRunningError, InstanceLock

from .conftest import child_env, lock_held_elsewhere, make_service, sqlite_locations


def test_second_instance_is_told_the_app_is_running(tmp_path: Path) -> None:
    with lock_held_elsewhere(tmp_path) as holder:
        second = InstanceLock(tmp_path)
        assert second.acquire() is False
        with pytest.raises(AlreadyRunningError) as err:
            second.acquire_or_raise()
        assert "already running" in str(err.value) and str(tmp_path) in str(err.value)
        assert f"process {holder.pid}" in str(err.value)


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    with lock_held_elsewhere(tmp_path) as holder:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        lock = InstanceLock(tmp_path)
    assert lock.acquire()  # no stale lock after a crash
    lock.release()


def test_same_process_second_lock_is_refused_and_release_frees_it(tmp_path: Path) -> None:
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    with first:
        assert not second.acquire()
    assert second.acquire()
    second.release()


WRITER = """
import sys
from datetime import UTC, datetime
from trainer.core.paths import Locations
from trainer.core.service import Service
data, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
svc = Service.open(Locations(data_dir=__import__('pathlib').Path(data), database_url=f"sqlite:///{data}/steelman.sqlite3"))
profile = svc.store.get_profile(name=name)
print("ready", flush=True)
sys.stdin.readline()  # start together
for n in range(count):
    now = datetime.now(UTC)
    svc.store.save_draft(profile_id=profile.id, pack_id="p", claim_id=f"draft-{n}", text=f"{name} {n}")
    svc.store.record_attempt(profile_id=profile.id, pack_id="p", pack_version="1", claim_id=f"c{n}",
        perspective_id=None, text=f"{name} attempt {n}", started_at=now, score=0.5, breakdown={}, matcher_version="m",
        clear_draft=False, client_uuid=f"{name}-{n}")
svc.close()
print("done", flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    locations = sqlite_locations(tmp_path / "data")
    service = make_service(locations)
    for name in ("Ann", "Bea"):
        service.store.add_profile(name=name)
    count = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(locations.data_dir), name, str(count)],
                         env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name in ("Ann", "Bea")
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "done" in out
    for name in ("Ann", "Bea"):
        profile = service.store.get_profile(name=name)
        assert profile is not None
        attempts = service.store.list_attempts(profile_id=profile.id)
        assert sorted(a.text for a in attempts) == sorted(f"{name} attempt {n}" for n in range(count))
        drafts = service.store.list_drafts(profile_id=profile.id)
        assert sorted(d.text for d in drafts) == sorted(f"{name} {n}" for n in range(count))
    service.close()


def test_cli_may_write_while_the_app_holds_the_lock(tmp_path: Path) -> None:
    from .conftest import steelman

    data = tmp_path / "data"
    with lock_held_elsewhere(data):
        result = steelman("profiles", "add", "Coach", data_dir=data)
        assert result.returncode == 0, result.stderr
        assert steelman("profiles", data_dir=data).stdout.split() == ["Coach"]
