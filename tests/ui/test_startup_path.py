"""The first window stays light: no numpy, wordllama or markdown before it shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_heavy_modules_stay_off_the_startup_path() -> None:
    code = (
        "import sys; import trainer.ui.app, trainer.ui.main_window; "
        "print(','.join(sorted(m for m in ('numpy', 'wordllama', 'markdown') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == ""
