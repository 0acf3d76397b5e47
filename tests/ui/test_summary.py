"""The end-of-pack summary (issue 17): "Weakest" and "Not tried yet" are separate lists.

A claim skipped (never tried) is listed under "Not tried yet" and never among
the weakest; each list has its own button, which practises only its claims.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from trainer.core.packs import load_pack
from trainer.core.paths import resolve_locations
from trainer.core.progress import WEAK_BELOW, pack_summary
from trainer.core.service import Service, builtin_packs_dir
from trainer.ui.summary_view import LIST_LIMIT, SummaryView

from .conftest import TINY_PACK, StandInMatcher
from .helpers import HANG_MS, KOREA_PACK_ID, click, show_window

KOREA = builtin_packs_dir() / KOREA_PACK_ID
SCORES = {"modest-steps": 0.12, "back-to-2017": 0.55, "near-zero": 0.31, "arsenal": 0.92, "stalemate": 0.4}


@pytest.fixture
def svc(tmp_path: Path, clock) -> Iterator[Service]:  # noqa: ANN001
    """The built-in and tiny packs, a stand-in matcher (no scoring happens here), the test clock."""
    s = Service.open(
        resolve_locations(data_dir=tmp_path / "appdata"),
        matcher_loader=StandInMatcher,
        pack_folders=[(builtin_packs_dir(), True), (TINY_PACK.parent, True)],
        clock=clock.utc,
    )
    yield s
    s.close()


def record(svc: Service, clock, profile_id: int, claim_id: str, score: float, *, pack_id: str = KOREA_PACK_ID,  # noqa: ANN001
           perspective_id: str | None = None, minutes: float = 3):
    clock.advance(60 * 60)
    return svc.store.record_attempt(
        profile_id=profile_id, pack_id=pack_id, pack_version="1", claim_id=claim_id, perspective_id=perspective_id,
        text=f"An answer to {claim_id}.", started_at=clock.now - timedelta(minutes=minutes), submitted_at=clock.now,
        score=score, breakdown={}, matcher_version="test",
    )


def test_summary_separates_weakest_from_not_tried_in_the_window(qtbot, svc: Service, clock, monkeypatch) -> None:  # noqa: ANN001
    """Some claims tried, the rest skipped: the two lists are disjoint and each button practises only its own."""
    from trainer.ui.main_window import MainWindow

    ada = svc.profiles.add("Ada")
    for claim_id, score in SCORES.items():
        record(svc, clock, ada.id, claim_id, score)
    win = show_window(qtbot, MainWindow(svc, timer_clock=clock.monotonic))
    win.on_start_page_practice_requested(ada.id, KOREA_PACK_ID)
    page = win.session_page
    page.session.position = page.session.count - 1
    page.show_current()
    with qtbot.waitSignal(page.pack_finished, timeout=HANG_MS):
        page.go_next()  # past the last claim: the pack is finished
    summary = win.summary_view
    assert win.stack.currentWidget() is summary

    pack = load_pack(KOREA)
    tried = set(SCORES)
    assert summary.weakest == ["modest-steps", "near-zero", "stalemate", "back-to-2017"]  # lowest best first; 92% is not weak
    assert not set(summary.weakest) - tried  # only tried claims are "weakest"
    assert set(summary.weakest).isdisjoint(summary.not_tried)
    assert summary.not_tried == [c.id for c in pack.claims if c.id not in tried]  # every other claim, in pack order
    text = summary.plain_text()
    assert "Not tried yet" in text and "Weakest claims" in text
    assert "24 claims you skipped" in text and f"… and {24 - LIST_LIMIT} more" in text
    assert summary.weakest_button.isVisible() and summary.not_tried_button.isVisible()
    assert summary.weakest_button.hasFocus()  # the next step, for the keyboard

    with qtbot.waitSignal(summary.practice_requested, timeout=HANG_MS) as asked:
        click(qtbot, summary.not_tried_button)
    assert asked.args == [summary.not_tried]
    assert win.stack.currentWidget() is page
    assert page.session.claim_ids == [c.id for c in pack.claims if c.id not in tried]


def test_the_weakest_button_practises_only_tried_claims(qtbot, svc: Service, clock) -> None:  # noqa: ANN001
    from trainer.ui.main_window import MainWindow

    ada = svc.profiles.add("Ada")
    record(svc, clock, ada.id, "expression", 0.3, pack_id="tiny-uniforms")
    win = show_window(qtbot, MainWindow(svc, timer_clock=clock.monotonic))
    win.on_start_page_practice_requested(ada.id, "tiny-uniforms")
    page = win.session_page
    page.session.position = page.session.count - 1
    page.show_current()
    with qtbot.waitSignal(page.pack_finished, timeout=HANG_MS):
        page.go_next()
    summary = win.summary_view
    assert (summary.weakest, summary.not_tried) == (["expression"], ["cost"])
    with qtbot.waitSignal(summary.practice_requested, timeout=HANG_MS):
        click(qtbot, summary.weakest_button)
    assert page.session.claim_ids == ["expression"]


@pytest.fixture
def view(qtbot) -> SummaryView:  # noqa: ANN001
    widget = SummaryView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _attempt(n: int, claim_id: str, score: float):  # noqa: ANN202
    from datetime import UTC, datetime

    from trainer.core.records import AttemptInfo

    when = datetime(2025, 3, 1, 9, tzinfo=UTC) + timedelta(minutes=n)
    return AttemptInfo(id=n, profile_id=1, profile_name="Ada", pack_id="tiny-uniforms", pack_version="1", claim_id=claim_id,
                       perspective_id=None, text="t", started_at=when - timedelta(minutes=2), submitted_at=when,
                       duration_seconds=120, score=score, breakdown={}, matcher_version="m")


def test_an_empty_list_hides_its_button(view: SummaryView) -> None:
    pack = load_pack(TINY_PACK)
    strong = [_attempt(1, "expression", 0.95), _attempt(2, "cost", 0.9)]
    view.show_summary(pack, pack_summary(pack, strong))
    assert view.weakest == [] and view.not_tried == []
    assert view.weakest_button.isHidden() and not view.weakest_button.isEnabled()
    assert view.not_tried_button.isHidden() and not view.not_tried_button.isEnabled()
    text = view.plain_text()
    assert f"every claim you tried has a best score of {round(WEAK_BELOW * 100)}% or more" in text
    assert "you have tried every claim" in text
    view.focus_first_action()
    assert view.restart_button.hasFocus()

    view.show_summary(pack, pack_summary(pack, []))  # nothing tried at all
    assert view.weakest == [] and view.not_tried == ["expression", "cost"]
    assert view.weakest_button.isHidden() and view.not_tried_button.isVisible()
    assert "answer a claim first" in view.plain_text()
    assert "—" == view.average_tile.value()


def test_the_headline_figures(view: SummaryView) -> None:
    pack = load_pack(TINY_PACK)
    view.show_summary(pack, pack_summary(pack, [_attempt(1, "expression", 0.25), _attempt(2, "expression", 0.75)]))
    assert view.heading.text() == pack.title
    assert view.average_tile.value() == "50%" and view.best_tile.value() == "75%"
    assert view.claims_tile.value() == "1 of 2" and view.time_tile.value() == "4 min 00 s"
    assert view.average_tile.accessibleName() == "average score this time: 50%"
    assert view.weakest_button.text().replace("&", "") == "Practise weakest claim again"
    assert view.findChild(QWidget, "weakestCard").accessibleName() == "Weakest claims"
