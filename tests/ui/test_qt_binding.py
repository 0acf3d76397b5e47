"""Regression guard for the Qt binding itself.

PySide6-Essentials 6.12.0 drops a reference to ``True`` on every signal emitted
from Python; the interpreter aborts ("bool_dealloc") after a few thousand
keystrokes, because the editor emits one signal per keystroke. pyproject.toml
excludes that release; this test fails on any binding with the same bug.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    plain = Signal()
    text = Signal(str)
e = Emitter()
e.plain.connect(lambda: None)
e.text.connect(lambda _t: None)
before = sys.getrefcount(True)
for _ in range(20_000):
    e.plain.emit()
    e.text.emit("x")
print(before, sys.getrefcount(True))
"""


def test_python_signal_emits_do_not_leak_references() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"the interpreter aborted after 40,000 signal emits:\n{run.stderr[-2000:]}"
    before, after = map(int, run.stdout.split())
    assert abs(after - before) < 100, f"refcount(True) went from {before} to {after}"
