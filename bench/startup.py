"""Startup time of the Qt app, offscreen, against a bare PySide6 window.

Each run starts fresh processes, alternating, and times from process start
(just before the interpreter is launched) to:

* ``bare_window``: a bare ``QMainWindow`` shown by a script that imports only
  PySide6 (the floor any Qt app pays);
* ``window``: Steelman's first window shown (the start page saying "Opening
  your data…", events processed), as ``run_app`` does it;
* ``profiles``: the start page usable: the database opened, checked and backed
  up on the worker, and the profiles listed;
* ``practice_ready``: a session opened on the Korea pack and the matcher loaded.

The data folder holds a profile and a database of ``--attempts`` attempts, so
the daily backup has something to copy (a backup is made on every run: the
backups folder is emptied before each one).

Usage::

    PYTHONPATH=. python bench/startup.py [--runs 5] [--attempts 2000]

Targets (issue 12): window ≤ 1.5 × bare_window, profiles ≤ 2.5 × bare_window,
on 2 cores. The ratios are of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bare_child(launched: float) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    print(json.dumps({"bare_window": time.time() - launched}))


def child(launched: float, data_dir: str) -> None:
    """Runs in the measured process (the steps of ``trainer.ui.app.run_app``)."""
    from trainer.ui.app import make_application

    app = make_application()
    from trainer.core.instance import InstanceLock
    from trainer.core.paths import resolve_locations
    from trainer.ui import theme
    from trainer.ui.app import start_window

    theme.apply_theme(theme.saved_theme())
    locations = resolve_locations(data_dir=data_dir)
    lock = InstanceLock(locations.data_dir)
    assert lock.acquire()
    service, window = start_window(locations, lock)
    shown = window.shown_at
    heavy_at_window = sorted(m for m in ("numpy", "onnxruntime", "markdown") if m in sys.modules)

    from PySide6.QtCore import QEventLoop, QTimer

    def wait(signal, done) -> None:  # noqa: ANN001
        if done():
            return
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(60000, loop.quit)
        loop.exec()

    window.data_opened.connect(window.start_background_loading)
    wait(window.data_opened, lambda: not window.opening)
    profiles_listed = time.time()
    listed = window.start_page.profile_list.count()
    profile = service.profiles.list()[0]
    window.on_start_page_practice_requested(profile.id, "korea-summit-2019")
    app.processEvents()
    wait(window.matcher_loaded, lambda: window.matcher_ready)
    ready = time.time()
    print(json.dumps({
        "window": shown - launched,
        "profiles": profiles_listed - launched,
        "practice_ready": ready - launched,
        "profiles_listed": listed,
        "matcher_ready": window.matcher_ready,
        "heavy_modules_before_window": heavy_at_window,
    }))
    window.close()
    service.close()


def seed(data_dir: Path, attempts: int) -> None:
    sys.path.insert(0, str(ROOT))
    from trainer.core.paths import resolve_locations
    from trainer.core.service import Service

    service = Service.open(resolve_locations(data_dir=data_dir))
    profile = service.store.add_profile(name="Bench")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    text = "Sanctions work only when China enforces them, and it has every reason not to. " * 6
    for n in range(attempts):
        when = start + timedelta(minutes=n)
        service.store.record_attempt(
            profile_id=profile.id, pack_id="korea-summit-2019", pack_version="1", claim_id="c1", perspective_id=None,
            text=text, started_at=when, submitted_at=when, score=0.5, breakdown={"covered": []}, matcher_version="bench",
        )
    service.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=2000, help="attempts in the benchmark's database (default 2000)")
    parser.add_argument("--child", nargs=2, metavar=("LAUNCHED", "DATA_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--bare-child", metavar="LAUNCHED", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(float(args.child[0]), args.child[1])
        return 0
    if args.bare_child:
        bare_child(float(args.bare_child))
        return 0

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    results: list[dict] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # settings kept out of the home folder
        data = Path(tmp) / "data"
        seed(data, args.attempts)
        size = (data / "steelman.sqlite3").stat().st_size
        for _ in range(args.runs):
            launched = time.time()
            out = subprocess.run([sys.executable, __file__, "--bare-child", repr(launched)],
                                 env=env, capture_output=True, text=True, check=True)
            bare.append(json.loads(out.stdout.strip().splitlines()[-1])["bare_window"])
            shutil.rmtree(data / "backups", ignore_errors=True)  # so every run makes today's backup
            launched = time.time()
            out = subprocess.run([sys.executable, __file__, "--child", repr(launched), str(data)],
                                 env=env, capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"database: {args.attempts} attempts, {size / 1e6:.1f} MB; {args.runs} runs of each, alternating")
    base = statistics.median(bare)
    print(f"{'bare_window':15s} median {1000 * base:6.0f} ms   (min {1000 * min(bare):.0f}, max {1000 * max(bare):.0f})")
    for key in ("window", "profiles", "practice_ready"):
        values = [r[key] for r in results]
        med = statistics.median(values)
        print(f"{key:15s} median {1000 * med:6.0f} ms   (min {1000 * min(values):.0f}, max {1000 * max(values):.0f})"
              f"   {med / base:4.2f} × bare")
    print(f"window ratio {statistics.median(r['window'] for r in results) / base:.2f} (target ≤ 1.5); "
          f"profiles ratio {statistics.median(r['profiles'] for r in results) / base:.2f} (target ≤ 2.5)")
    print(f"profiles listed: {results[0]['profiles_listed']}; matcher loaded: {all(r['matcher_ready'] for r in results)}; "
          f"heavy modules imported before the first window: {results[0]['heavy_modules_before_window'] or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
