"""The student's pages at one window size and theme, for the design record.

    python scripts/tour_screenshots.py OUT WIDTHxHEIGHT light|dark

Run by ``scripts/screenshots.sh`` under Xvfb with ``STEELMAN_DATA_DIR`` set to
an empty temporary folder. A demo student has a few earlier attempts on the
Korea pack; then the tour shoots the start page, the practice page with a
response typed, the feedback, the practice page after "Try again", the
history (an attempt's feedback, then the Progress tab) and the end-of-pack
summary, as ``OUT/<theme>-<size>-<page>.png``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from trainer.ui.app import make_application

OUT, SIZE, THEME = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
WIDTH, HEIGHT = (int(n) for n in SIZE.split("x"))
PACK = "korea-summit-2019"
OUT.mkdir(parents=True, exist_ok=True)

app = make_application()
from trainer.core.paths import resolve_locations  # noqa: E402
from trainer.core.service import Service  # noqa: E402
from trainer.ui import theme  # noqa: E402
from trainer.ui.main_window import MainWindow  # noqa: E402

theme.apply_theme(THEME)


class Clock:
    """Twelve days ago while the history is seeded, then the real time."""

    now: datetime | None = datetime.now(UTC) - timedelta(days=12)

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)


clock = Clock()
service = Service.open(resolve_locations(), clock=clock)
profile = service.store.add_profile(name="Demo student")
answers = {r["id"]: r for r in map(json.loads, Path("bench/data/korea_feedback_dev.jsonl").read_text(encoding="utf-8").splitlines())}
history = [
    ("modest-steps", None, "Modest steps are fine but they need to be careful."),
    ("back-to-2017", "bolton", "Deterrence held even in 2017: the United States never struck, because Kim knew an attack would end his regime. The real danger is paying for calm, since Pyongyang uses fear of war as leverage to extract concessions."),
    ("near-zero", None, "South Africa built six bombs and then dismantled them under IAEA inspection, so a state that has produced weapons can still give them up. Sanctions that cut exports can change Kim's cost-benefit calculus, and writing off denuclearization now would make a nuclear North Korea permanent."),
    ("stalemate", "pompeo", "The stalemate was caused by Pyongyang refusing to declare its programme. An unnamed North Korean diplomat is hardly a neutral source for why talks stalled."),
    ("modest-steps", "nonpro", answers["dev-001"]["text"]),
]
for day, (claim_id, perspective, text) in enumerate(history):
    clock.now += timedelta(days=2, minutes=7 * day)
    started = clock.now - timedelta(minutes=4 + day)
    service.practice.submit_attempt(profile_id=profile.id, pack_id=PACK, claim_id=claim_id, text=text, perspective_id=perspective, started_at=started)
clock.now = None

window = MainWindow(service)
window.resize(WIDTH, HEIGHT)
window.show()
window.start_background_loading()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot(name: str) -> None:
    settle()
    path = OUT / f"{THEME}-{SIZE}-{name}.png"
    window.grab().save(str(path), "PNG", 0)  # 0: the smallest file
    print("wrote", path)


settle(800)
shot("start")
window.on_start_page_practice_requested(profile.id, PACK)
page = window.session_page
page.go_to("arsenal")
view = page.practice_view
view.perspective_selector.setCurrentIndex(view.perspective_selector.findData("pompeo"))
view.response_editor.setPlainText(
    "Kim has already put denuclearization in writing: in the Panmunjom Declaration and again in Singapore "
    "he committed to work toward complete denuclearization, and in Pyongyang he offered to dismantle "
    "Yongbyon under expert observation. Written pledges can be tested and enforced, step by step, so we "
    "should judge him by whether he hands over a declaration and admits inspectors, not by what analysts guess.\n\n"
    "Worse for the author, if Kim will never yield his arsenal, the article's own relationship-first plan "
    "collapses, because a better relationship would then just reward a nuclear North Korea."
)
view.response_editor.setFocus()
shot("practice")

loop = QEventLoop()
page.feedback_shown.connect(loop.quit)
page.submission_failed.connect(lambda *_: loop.quit())
page.submit()
loop.exec()
shot("feedback")
page.try_again()
shot("try-again")
checklist = page.practice_view.checklist
if checklist.items:  # the first missed point's model rebuttal, opened
    checklist.items[0].disclosure.click()
    shot("try-again-rebuttal")

window.show_history()
items = window.history_view.attempt_items()
if items:
    window.history_view.history_list.setCurrentItem(items[0])
shot("history")
window.history_view.tabs.setCurrentWidget(window.history_view.progress_page)
shot("history-progress")

window.on_start_page_practice_requested(profile.id, PACK)
page = window.session_page
page.session.position = page.session.count - 1
page.show_current()
page.go_next()
shot("summary")
window.close()
service.close()
