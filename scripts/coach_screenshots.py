"""Screenshots of the coach's windows: the class overview (three tabs) and the
dispute queue, in the light and the dark theme.

    python scripts/coach_screenshots.py OUT

Run by ``scripts/screenshots.sh`` under Xvfb, with ``STEELMAN_DATA_DIR`` set to
an empty temporary folder. A club of twelve students answers claims of the
Korea pack with the written answers of ``bench/data/korea_feedback_dev.jsonl``
over five weeks, scored by the real matcher (each answer once); four of them
dispute a verdict.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from trainer.ui.app import make_application

OUT = Path(sys.argv[1])
PACK = "korea-summit-2019"
STUDENTS = ["Amara Okafor", "Ben Carter", "Chloé Martin", "Daniel Kim", "Elif Yılmaz", "Farah Haddad",
            "Gabriel Silva", "Hana Sato", "Isaac Levi", "Jonas Weber", "Kavya Rao", "Lucía Fernández"]
COMMENTS = [
    "My second paragraph makes exactly this point, just in other words.",
    "I think my last sentence says this.",
    "Isn't my example the same argument?",
    "",
]

app = make_application()
from trainer.core.paths import resolve_locations  # noqa: E402
from trainer.core.service import Service  # noqa: E402
from trainer.ui import theme  # noqa: E402
from trainer.ui.main_window import MainWindow  # noqa: E402

theme.apply_theme("light")
rng = random.Random(15)
answers = [json.loads(line) for line in Path("bench/data/korea_feedback_dev.jsonl").read_text(encoding="utf-8").splitlines()]


class Clock:
    now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)


clock = Clock()
service = Service.open(resolve_locations(), clock=clock)
coach = service.profiles.add_coach("Coach Rivera", pin="2468")
pack = service.packs.get(PACK)
known = {c.id for c in pack.claims}
pool = [a for a in answers if a["claim_id"] in known]
scored: dict[str, tuple[float, dict]] = {}
start = datetime.now(UTC) - timedelta(days=35)
attempts_by_student: dict[str, list[int]] = {}
for n, name in enumerate(STUDENTS):
    student = service.profiles.add(name)
    skill = 0.6 + 0.08 * (n % 5)  # some answer better than others
    for day in sorted(rng.sample(range(35), rng.randint(6, 12))):
        answer = rng.choice([a for a in pool if (a["kind"] == "strong") == (rng.random() < skill)] or pool)
        if answer["id"] not in scored:
            result = service.scoring.score(pack_id=PACK, claim_id=answer["claim_id"], text=answer["text"], perspective_id=answer["perspective"])
            scored[answer["id"]] = (result.score, result.to_dict())
        score, breakdown = scored[answer["id"]]
        when = start + timedelta(days=day, hours=rng.randint(15, 20), minutes=rng.randint(0, 59))
        attempt = service.store.record_attempt(
            profile_id=student.id, pack_id=PACK, pack_version=pack.version, claim_id=answer["claim_id"],
            perspective_id=answer["perspective"] if answer["perspective"] in {p.id for p in pack.perspectives} else None,
            text=answer["text"], started_at=when - timedelta(minutes=rng.randint(4, 14)), submitted_at=when,
            score=score, breakdown=breakdown, matcher_version=breakdown["matcher_version"],
        )
        attempts_by_student.setdefault(name, []).append(attempt.id)
# four disputes on missed points
for name, comment in zip(STUDENTS[1:9:2], COMMENTS, strict=True):
    for attempt_id in attempts_by_student[name]:
        attempt = service.results.get_attempt(attempt_id=attempt_id)
        missed = [k for k in attempt.breakdown["key_points"] if k["verdict"] == "missed"]
        if missed and attempt.score > 0.2:
            clock.now = attempt.submitted_at + timedelta(minutes=3)
            service.results.add_dispute(attempt_id=attempt_id, key_point_id=missed[0]["key_point_id"], kind="did-make-point", comment=comment)
            break
clock.now = None
service.profiles.lock_all()

window = MainWindow(service)
window.resize(1280, 820)
window.show()
window.start_background_loading()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait(predicate, limit_ms: int = 30_000) -> None:  # noqa: ANN001
    waited = 0
    while not predicate() and waited < limit_ms:
        settle(100)
        waited += 100


def shot(widget, name: str) -> None:  # noqa: ANN001
    settle()
    widget.grab().save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


settle(600)
service.profiles.unlock(profile_id=coach.id, pin="2468")
window.update_coach_menu()
window.class_overview_action.trigger()
overview = window.overview_window
wait(lambda: overview.overview is not None and not overview.loading)
for suffix, mode in (("", "light"), ("dark-", "dark")):
    window.set_theme(mode)
    overview.tabs.setCurrentIndex(0)
    shot(overview, f"{suffix}coach-overview")
    overview.tabs.setCurrentIndex(1)
    overview.students.setCurrentCell(3, 0)
    shot(overview, f"{suffix}coach-students")
    overview.tabs.setCurrentIndex(2)
    shot(overview, f"{suffix}coach-most-missed")
window.set_theme("light")
overview.close()

window.disputes_action.trigger()
queue = window.dispute_window
wait(lambda: queue.list.count() > 0 and queue.accept_button.isEnabled())
for suffix, mode in (("", "light"), ("dark-", "dark")):
    window.set_theme(mode)
    shot(queue, f"{suffix}coach-disputes")
window.set_theme("light")
window.close()
service.close()
