#!/usr/bin/env bash
# Render the main screens into docs/screenshots/*.png under Xvfb.
#
#   bash scripts/screenshots.sh [OUT]     # default OUT: docs/screenshots
#
# Uses the project's .venv (made and filled like scripts/run.sh does, if it is
# missing or out of date) with the checkout's own source, and xvfb-run (as root
# on Debian the missing system packages are installed).
#
# A temporary data folder gets a demo profile with a few earlier attempts on
# the Korea pack, then a realistic response is typed for one claim.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/system-deps.sh
ensure_debian_packages "${QT_RUNTIME_PACKAGES[@]}" "${QT_X11_PACKAGES[@]}" xvfb xauth
. scripts/venv.sh
ensure_app_venv
PYTHON=$VENV/bin/python
OUT="${1:-docs/screenshots}"
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export XDG_CONFIG_HOME="$TMP/config" STEELMAN_DATA_DIR="$TMP/data" PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1400x900x24" "$PYTHON" - "$OUT" <<'PY'
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from trainer.ui.app import make_application

out = Path(sys.argv[1])
app = make_application()
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.ui import theme
from trainer.ui.main_window import MainWindow

theme.apply_theme("light")


class Clock:
    """Twelve days ago while the history is seeded, then the real time."""

    now = datetime.now(UTC) - timedelta(days=12)

    def __call__(self):
        return self.now or datetime.now(UTC)


clock = Clock()
service = Service.open(resolve_locations(), clock=clock)
profile = service.store.add_profile(name="Demo student")
PACK = "korea-summit-2019"
history = [
    ("modest-steps", None, "Modest steps are fine but they need to be careful."),
    ("back-to-2017", "bolton", "Deterrence held even in 2017: the United States never struck, because Kim knew an attack would end his regime. The real danger is paying for calm, since Pyongyang uses fear of war as leverage to extract concessions."),
    ("near-zero", None, "South Africa built six bombs and then dismantled them under IAEA inspection, so a state that has produced weapons can still give them up. Sanctions that cut exports can change Kim's cost-benefit calculus, and writing off denuclearization now would make a nuclear North Korea permanent."),
    ("stalemate", "pompeo", "The stalemate was caused by Pyongyang refusing to declare its programme. An unnamed North Korean diplomat is hardly a neutral source for why talks stalled."),
    ("modest-steps", "nonpro", "Small interim deals like the 1994 Agreed Framework and the 2012 Leap Day deal collapsed, and modest steps without verified disarmament only entrench a nuclear North Korea. Deterrence, not détente, is what has kept the peace since 1953."),
]
for day, (claim_id, perspective, text) in enumerate(history):
    clock.now += timedelta(days=2, minutes=7 * day)
    started = clock.now - timedelta(minutes=4 + day)
    service.practice.submit_attempt(profile_id=profile.id, pack_id=PACK, claim_id=claim_id, text=text, perspective_id=perspective, started_at=started)
clock.now = None

window = MainWindow(service)
window.resize(1280, 820)
window.show()
window.start_background_loading()


def settle(ms=300):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot(name):
    settle()
    window.grab().save(str(out / f"{name}.png"))
    print("wrote", out / f"{name}.png")


settle(600)
shot("start")
window.on_start_page_practice_requested(profile.id, PACK)
page = window.session_page
page.go_to("arsenal")
view = page.practice_view
view.perspective_selector.setCurrentIndex(view.perspective_selector.findData("pompeo"))
response = (
    "Kim has already put denuclearization in writing: in the Panmunjom Declaration and again in Singapore "
    "he committed to work toward complete denuclearization, and in Pyongyang he offered to dismantle "
    "Yongbyon under expert observation. Written pledges can be tested and enforced, step by step, so we "
    "should judge him by whether he hands over a declaration and admits inspectors, not by what analysts guess.\n\n"
    "Worse for the author, if Kim will never yield his arsenal, the article's own relationship-first plan "
    "collapses, because a better relationship would then just reward a nuclear North Korea."
)
view.response_editor.setPlainText(response)
view.timer_preset.setCurrentIndex(3)
view.on_timer_button_clicked()
view.response_editor.setFocus()
page._opened_at["arsenal"] = datetime.now(UTC) - timedelta(minutes=6, seconds=40)  # as if typed for a while
shot("practice")

loop = QEventLoop()
page.attempt_submitted.connect(lambda *_: loop.quit())
page.submission_failed.connect(lambda *_: loop.quit())
page.submit()
loop.exec()
fb = page.feedback_view
for card in fb.key_point_list.cards():
    if card.status == "covered":
        fb.key_point_list.set_current(card)
        break
shot("feedback")


def scroll_to_sources():
    """Bring the first rebuttal's sources into view (they end each model rebuttal)."""
    fb.right_tabs.setCurrentWidget(fb.rebuttals_tab)  # every rebuttal with its sources: the tab beside the response
    settle()  # the rebuttals render on their own thread
    rv = fb.rebuttal_view
    cursor = rv.document().find("Sources")
    if not cursor.isNull():
        bar = rv.verticalScrollBar()
        bar.setValue(bar.value() + rv.cursorRect(cursor).top() - rv.viewport().height() // 4)


scroll_to_sources()
shot("feedback-sources")

window.set_theme("dark")
shot("dark-feedback-sources")
fb.rebuttal_view.verticalScrollBar().setValue(0)
fb.right_tabs.setCurrentWidget(fb.response_tab)
shot("dark-feedback")
page.try_again()
shot("dark-practice")
window.set_theme("light")


def submit_and_shoot(claim_id, perspective, text, name):
    """Answer a claim (as a perspective, or my own view) and shoot the feedback."""
    page.go_to(claim_id)
    view = page.practice_view
    view.perspective_selector.setCurrentIndex(max(0, view.perspective_selector.findData(perspective)) if perspective else 0)
    view.response_editor.setPlainText(text)
    done = QEventLoop()
    page.feedback_shown.connect(done.quit)
    page.submission_failed.connect(lambda *_: done.quit())
    page.submit()
    done.exec()
    page.feedback_shown.disconnect(done.quit)
    shot(name)
    page.try_again()


import json  # noqa: E402

answers = {r["id"]: r for r in map(json.loads, Path("bench/data/korea_feedback_dev.jsonl").read_text(encoding="utf-8").splitlines())}
submit_and_shoot("modest-steps", "bolton", answers["dev-001"]["text"], "feedback-bolton")   # a strong answer argued as Bolton
submit_and_shoot("modest-steps", None, answers["dev-005"]["text"], "feedback-agrees")       # an answer that agrees with Bandow

window.show_history()
items = window.history_view.attempt_items()
window.history_view.history_list.setCurrentItem(items[0])
window.history_view.tabs.setCurrentWidget(window.history_view.progress_page)  # the chart, the practice days, per perspective and kind
shot("history")

page.go_to("stalemate")
page.skip()
page.session.position = page.session.count - 1
page.show_current()
page.go_next()
shot("summary")
window.close()
service.close()
PY
# Every student page in both themes at 1280x800 and 1920x1080 (docs/design.md), each run on a fresh data folder.
for size in 1280x800 1920x1080; do
  for theme in light dark; do
    STEELMAN_DATA_DIR="$TMP/tour-$theme-$size" XDG_CONFIG_HOME="$TMP/tour-config-$theme-$size" \
      xvfb-run -a -s "-screen 0 1920x1200x24" "$PYTHON" scripts/tour_screenshots.py "$OUT/pages" "$size" "$theme"
  done
done
# The coach's windows, on a club of their own (a fresh data folder).
export STEELMAN_DATA_DIR="$TMP/club" XDG_CONFIG_HOME="$TMP/club-config"
xvfb-run -a -s "-screen 0 1400x900x24" "$PYTHON" scripts/coach_screenshots.py "$OUT"
ls -la "$OUT"
