"""Issue 7, item 6 (core side): a real process autosaving a draft is killed
with SIGKILL mid-stream; on restart the draft holds at least every save the
process reported as done (no clock involved: a busy machine is no excuse)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.core.recovery import open_service_with_recovery
from trainer.core.storage import check_sqlite_file

from .conftest import child_env, sqlite_locations

CHILD = """
import sys
from pathlib import Path
from trainer.core.paths import Locations
from trainer.core.service import Service
data = Path(sys.argv[1])
svc = Service.open(Locations(data_dir=data, database_url=f"sqlite:///{data.as_posix()}/steelman.sqlite3"))
profile = svc.store.add_profile(name="Typist")
chunk = "Uniforms hide who we are \\u0645\\u0631\\u062d\\u0628\\u0627 \\U0001f600. "
text = ""
while True:  # the UI saves a keystroke batch at least every 2 s; this saves far more often
    text += chunk
    svc.practice.save_draft(profile_id=profile.id, pack_id="p", claim_id="c", text=text, cursor_position=len(text))
    print(len(text), flush=True)
"""

CHUNK = "Uniforms hide who we are \u0645\u0631\u062d\u0628\u0627 \U0001f600. "


def test_draft_survives_kill_9(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    locations = sqlite_locations(tmp_path / "data")
    with subprocess.Popen([sys.executable, "-c", CHILD, str(locations.data_dir)], env=child_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        reports: list[int] = []
        for line in child.stdout:
            reports.append(int(line))
            if len(reports) >= 200:
                break
        os.kill(child.pid, signal.SIGKILL)  # mid-stream: it is still saving
        rest, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err
    reports += [int(line) for line in rest.splitlines() if line.strip().isdigit()]

    check_sqlite_file(locations.data_dir / "steelman.sqlite3")  # healthy after the kill
    service, notices = open_service_with_recovery(locations, backup=False)
    try:
        assert not [n for n in notices if n.kind == "moved-aside"]
        profile = service.store.get_profile(name="Typist")
        assert profile is not None
        draft = service.practice.get_draft(profile_id=profile.id, pack_id="p", claim_id="c")
    finally:
        service.close()
    assert draft is not None
    # Every save the child reported had committed: nothing it reported is lost.
    assert len(draft.text) >= reports[-1]
    assert draft.text == (CHUNK * (len(draft.text) // len(CHUNK) + 1))[: len(draft.text)]
    assert draft.cursor_position == len(draft.text)
