"""GUI test fixtures: a real service on a temp SQLite file, modal dialogs patched.

The real matcher is loaded once per test session and handed to each Service
as its ``matcher_loader``; if it cannot load, every test that needs it errors
(loudly, with the reason). ``StandInMatcher`` is only for a test that asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.paths import resolve_locations
from trainer.core.service import Service, builtin_packs_dir

TINY_PACK = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
HARMLESS_QT_MESSAGES = ("propagateSizeHints",)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service.open(resolve_locations(data_dir=tmp_path / "data"))
    yield svc
    svc.close()


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("SteelmanTests")
    QCoreApplication.setApplicationName("SteelmanTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def _light_theme_between_tests() -> Iterator[None]:
    """Each test starts in the light theme, whatever the one before switched to."""
    from PySide6.QtWidgets import QApplication

    from trainer.ui import theme

    app = QApplication.instance()
    if app is not None and app.property("steelmanTheme") != "light":
        theme.apply_theme("light")
    yield


@pytest.fixture(autouse=True)
def _no_qt_warnings(qtlog) -> Iterator[None]:  # noqa: ANN001
    """A Qt warning (or worse) printed during a GUI test fails it."""
    yield
    from PySide6.QtCore import QtMsgType

    bad = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        and not any(h in r.message for h in HARMLESS_QT_MESSAGES)
    ]
    assert bad == [], f"Qt printed warnings: {bad}"


class StandInMatcher:
    """A deterministic stand-in, only for tests that explicitly ask for it.

    A key point counts as covered when at least half of its longer words
    appear in the response; the sentences holding them are the spans.
    """

    version = "stand-in-1"

    def score(self, *, claim: str, key_points, response: str, perspective=None, background=()):  # noqa: ANN001, ANN201
        from trainer.core.matching.types import KeyPointVerdict, MatchResult, RubricSignal, Span

        lowered = response.lower()
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]?", response) if m.group().strip()]
        verdicts = []
        total = covered_weight = 0.0
        for kp in key_points:
            words = [w for w in re.findall(r"[a-z]+", kp.statement.lower()) if len(w) >= 5]
            hits = [w for w in words if w in lowered]
            share = len(hits) / len(words) if words else 0.0
            verdict = "covered" if share >= 0.5 else "partly" if share >= 0.25 else "missed"
            spans = tuple(Span(s, e) for s, e in sentences if any(w in response[s:e].lower() for w in hits)) if verdict != "missed" else ()
            verdicts.append(KeyPointVerdict(kp.id, share, verdict, spans))
            total += kp.weight
            covered_weight += kp.weight * (1.0 if verdict == "covered" else 0.5 if verdict == "partly" else 0.0)
        rubric = (
            RubricSignal("reason", "because" in lowered, "Gives a reason (“because…”)."),
            RubricSignal("length", len(response.split()) >= 12, "Long enough to develop a point."),
        )
        return MatchResult(self.version, covered_weight / total if total else 0.0, tuple(verdicts), rubric, ())


def load_real_matcher():  # noqa: ANN201
    """The real matcher; a failure to load raises, never a silent switch to a stand-in."""
    from trainer.core.matching import Matcher

    try:
        return Matcher.load()
    except Exception as exc:
        raise RuntimeError(f"the real matcher failed to load, so the GUI tests cannot run: {exc!r}") from exc


@pytest.fixture(scope="session")
def shared_matcher():  # noqa: ANN201
    """The real matcher, loaded once per session (an error in every test that uses it if it cannot load)."""
    return load_real_matcher()


class Clock:
    """A settable clock for the service (UTC datetimes) and the prep timer (seconds)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
        self.seconds = 1000.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.seconds += seconds

    def utc(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_service(tmp_path: Path, shared_matcher, clock: Clock) -> Iterator[Service]:  # noqa: ANN001
    """A service with the built-in packs and the tiny test pack, and the shared matcher."""
    svc = Service.open(
        resolve_locations(data_dir=tmp_path / "appdata"),
        matcher_loader=lambda: shared_matcher,
        pack_folders=[(builtin_packs_dir(), True), (TINY_PACK.parent, True)],
        clock=clock.utc,
    )
    yield svc
    svc.close()


@pytest.fixture
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Name dialogs answer "Ada"; error and info boxes are recorded as (title, message), never shown."""
    from trainer.ui import dialogs

    seen: dict[str, list] = {"errors": [], "infos": []}
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ada")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: seen["errors"].append((title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message: seen["infos"].append((title, message)))
    return seen


@pytest.fixture
def make_window(qtbot, app_service: Service, clock: Clock) -> Callable[..., object]:  # noqa: ANN001
    """Build (and show) a main window on ``app_service``; call again to "reopen" the app."""

    from trainer.ui.main_window import MainWindow

    def build() -> MainWindow:
        from .helpers import show_window

        return show_window(qtbot, MainWindow(app_service, timer_clock=clock.monotonic))

    return build
