"""How long the GUI thread is busy when a 1 MB response is pasted (issue 7: within 1 s).

Prints the time the paste itself takes on the GUI thread, the longest gap in a
10 ms heartbeat timer during the following two seconds (the worst freeze the
user would see, including the debounced draft save), and the draft save.

    QT_QPA_PLATFORM=offscreen python bench/paste.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from trainer.core.paths import resolve_locations
    from trainer.core.service import Service
    from trainer.ui.app import make_application
    from trainer.ui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        service = Service.open(resolve_locations(data_dir=tmp))
        profile = service.store.add_profile(name="Bench")
        window = MainWindow(service)
        window.show()
        window.on_start_page_practice_requested(profile.id, service.packs.all()[0].id)
        editor = window.session_page.practice_view.response_editor
        huge = ("Sanctions still bite, because UN resolution 2397 capped oil imports. \u05e9\u05dc\u05d5\u05dd \U0001f600\n" * 14_000)[:1_000_000]
        QApplication.clipboard().setText(huge)
        saved: list[float] = []
        window.session_page.draft_saved.connect(lambda *_: saved.append(time.perf_counter()))
        beats: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
        heartbeat.start()
        t0 = time.perf_counter()
        editor.paste()
        pasted = time.perf_counter()
        loop = QEventLoop()
        QTimer.singleShot(2500, loop.quit)
        loop.exec()
        heartbeat.stop()
        gaps = [b - a for a, b in zip([pasted, *beats], beats)]
        print(f"paste call: {1000 * (pasted - t0):.0f} ms")
        print(f"longest GUI stall after the paste: {1000 * max(gaps):.0f} ms")
        if saved:
            print(f"draft saved {1000 * (saved[0] - t0):.0f} ms after the paste (debounced)")
        print(f"characters kept: {len(editor.toPlainText()):,}")
        window.close()
        service.close()
    app.quit()


if __name__ == "__main__":
    main()
