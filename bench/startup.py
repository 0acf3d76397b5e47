"""Startup time of the Qt app, offscreen.

Prints, for a few fresh processes, the time from process start (just before
the interpreter is launched) to:

* ``window``: the first window shown (start page, events processed);
* ``practice``: the practice view ready, i.e. a session opened on the Korea
  pack and the matcher loaded in the background.

Usage::

    PYTHONPATH=. python bench/startup.py [--runs 5]

Target: ``window`` ≤ 1.0 s. Heavy imports (numpy, wordllama, markdown) stay
off the path to the first window; the matcher loads on the worker after it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(launched: float, data_dir: str) -> None:
    """Runs in the measured process."""
    from trainer.ui.app import make_application

    app = make_application()
    from trainer.core.paths import resolve_locations
    from trainer.core.service import Service
    from trainer.ui import theme
    from trainer.ui.main_window import MainWindow

    theme.apply_theme(theme.saved_theme())
    service = Service.open(resolve_locations(data_dir=data_dir))
    window = MainWindow(service)
    window.show()
    app.processEvents()
    shown = time.time()
    heavy_at_window = sorted(m for m in ("numpy", "wordllama", "markdown") if m in sys.modules)

    window.start_background_loading()
    profile = service.store.list_profiles()[0]
    window.on_start_page_practice_requested(profile.id, "korea-summit-2019")
    app.processEvents()
    view_shown = time.time()
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    window.matcher_loaded.connect(loop.quit)
    window.matcher_failed.connect(loop.quit)
    QTimer.singleShot(30000, loop.quit)
    if not window.matcher_ready:
        loop.exec()
    ready = time.time()
    print(json.dumps({
        "window": shown - launched,
        "practice_view": view_shown - launched,
        "practice_ready": ready - launched,
        "matcher_ready": window.matcher_ready,
        "heavy_modules_before_window": heavy_at_window,
    }))
    window.close()
    service.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("LAUNCHED", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(float(args.child[0]), args.child[1])
        return 0

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        # a demo profile, so the practice view can open; settings kept out of the home folder
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        sys.path.insert(0, str(ROOT))
        from trainer.core.paths import resolve_locations
        from trainer.core.service import Service

        service = Service.open(resolve_locations(data_dir=Path(tmp) / "data"))
        service.store.add_profile(name="Bench")
        service.close()
        for _ in range(args.runs):
            launched = time.time()
            out = subprocess.run(
                [sys.executable, __file__, "--child", repr(launched), str(Path(tmp) / "data")],
                env=env, capture_output=True, text=True, check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for key in ("window", "practice_view", "practice_ready"):
        values = [r[key] for r in results]
        print(f"{key:15s} median {1000 * statistics.median(values):6.0f} ms   (min {1000 * min(values):.0f}, max {1000 * max(values):.0f}, {len(values)} runs)")
    print(f"matcher loaded: {all(r['matcher_ready'] for r in results)}; heavy modules imported before the first window: {results[0]['heavy_modules_before_window'] or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
