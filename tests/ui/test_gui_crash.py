"""kill -9 while typing in the real window: the draft survives.

The child types without a pause and reports every keystroke and every draft
save (with the length it saved). The test kills it after several saves made
during continuous typing, so the periodic save is proven without a clock, and
checks that the database holds at least everything the child reported saved.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from trainer.core.paths import resolve_locations
from trainer.core.service import Service

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.ui.app import make_application
from trainer.ui.main_window import MainWindow

app = make_application()
service = Service.open(resolve_locations(data_dir=sys.argv[1]))
profile = service.store.add_profile(name="Typist")
window = MainWindow(service)
window.show()
window.on_start_page_practice_requested(profile.id, "korea-summit-2019")
editor = window.session_page.practice_view.response_editor
editor.setFocus()
words = "Sanctions still bite because resolution 2397 capped oil imports and that matters ".split()
count = 0

def type_word():
    global count
    QTest.keyClicks(editor, words[count % len(words)] + " ")
    count += 1
    print(f"typed {len(editor.toPlainText())}", flush=True)

window.session_page.draft_saved.connect(lambda: print(f"saved {len(editor.toPlainText())}", flush=True))

timer = QTimer()
timer.timeout.connect(type_word)
timer.start(40)
print("ready", flush=True)
app.exec()
"""


SILENCE_LIMIT = 30.0  # seconds without a line from the child before the test gives up


def read_lines(stream: IO[str]) -> queue.Queue[str | None]:
    """Read ``stream`` on a daemon thread; ``None`` marks its end (a read never blocks the test)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        try:
            for line in stream:
                lines.put(line)
        except (OSError, ValueError):
            pass  # the test closed the pipe
        finally:
            lines.put(None)

    threading.Thread(target=pump, name="child-stdout", daemon=True).start()
    return lines


def next_line(lines: queue.Queue[str | None], child: subprocess.Popen[str], *, timeout: float = SILENCE_LIMIT) -> str:
    """The child's next line; a clear failure if it goes silent or stops."""
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise AssertionError(f"the child printed nothing for {timeout:g} s (it is {'running' if child.poll() is None else 'stopped'})") from None
    if line is None:
        raise AssertionError(f"the child's output ended (exit code {child.poll()})")
    return line


def test_a_silent_child_fails_the_read_instead_of_hanging() -> None:
    code = "import sys; print('ready', flush=True); sys.stdin.read()"  # then silent until stdin closes
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        lines = read_lines(child.stdout)
        assert next_line(lines, child) == "ready\n"
        with pytest.raises(AssertionError, match="printed nothing for 0.5 s"):
            next_line(lines, child, timeout=0.5)
    finally:
        child.kill()
        child.wait(timeout=30)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


SAVES_BEFORE_KILL = 3  # saves made while typing never paused: the periodic save works


def test_kill_9_while_typing_keeps_the_draft(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data)], env=env, stdout=subprocess.PIPE, text=True)
    typed: list[int] = []
    saved: list[int] = []
    try:
        assert child.stdout is not None
        lines = read_lines(child.stdout)
        while len(saved) < SAVES_BEFORE_KILL:
            kind, _, length = next_line(lines, child).partition(" ")
            if kind == "typed":
                typed.append(int(length))
            elif kind == "saved" and typed:
                saved.append(int(length))
        for _ in range(10):  # a few more keystrokes after the last save, then kill mid-stream
            kind, _, length = next_line(lines, child).partition(" ")
            if kind == "typed":
                typed.append(int(length))
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    service = Service.open(resolve_locations(data_dir=data))
    try:
        profile = service.store.get_profile(name="Typist")
        claim_id = service.packs.get("korea-summit-2019").claims[0].id
        draft = service.store.get_draft(profile_id=profile.id, pack_id="korea-summit-2019", claim_id=claim_id)
    finally:
        service.close()
    assert draft is not None, "nothing of the typing survived"
    assert saved[-1] < typed[-1], "the kill came after the typing stopped"
    assert saved[-1] <= len(draft.text) <= typed[-1]  # everything reported saved is there
    assert draft.text.strip(), draft.text
