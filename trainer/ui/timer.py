"""The optional prep timer. The clock is injected, so tests expire it without waiting."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

PRESET_MINUTES = (1, 2, 3, 5, 10)


def format_remaining(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-9))  # round up: "00:00" only when time is up
    return f"{whole // 60:02d}:{whole % 60:02d}"


class PrepTimer(QObject):
    """A countdown: ``start(seconds)``, ``pause()``, ``resume()``, ``stop()``.

    ``clock`` returns seconds (monotonic); the view polls it through ``tick()``,
    which a QTimer calls a few times a second and tests may call directly.
    """

    ticked = Signal(float)  # remaining seconds
    expired = Signal()
    state_changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick_interval_ms: int = 200,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._duration = 0.0
        self._started_at: float | None = None  # clock value when (re)started; None when paused/stopped
        self._elapsed_before = 0.0
        self._expired = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_interval_ms)
        self._ticker.timeout.connect(self.tick)

    # -- state ---------------------------------------------------------------
    @property
    def duration(self) -> float:
        return self._duration

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def active(self) -> bool:
        """Started and not stopped (running or paused), even if expired."""
        return self._duration > 0

    @property
    def paused(self) -> bool:
        return self.active and not self.running and not self._expired

    @property
    def has_expired(self) -> bool:
        return self._expired

    def elapsed(self) -> float:
        extra = (self._clock() - self._started_at) if self._started_at is not None else 0.0
        return self._elapsed_before + extra

    def remaining(self) -> float:
        return max(0.0, self._duration - self.elapsed()) if self.active else 0.0

    # -- control ---------------------------------------------------------------
    def start(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("the timer needs a positive duration")
        self._duration = float(seconds)
        self._elapsed_before = 0.0
        self._expired = False
        self._started_at = self._clock()
        self._ticker.start()
        self.state_changed.emit()
        self.ticked.emit(self.remaining())

    def pause(self) -> None:
        if self._started_at is None:
            return
        self._elapsed_before = self.elapsed()
        self._started_at = None
        self._ticker.stop()
        self.state_changed.emit()

    def resume(self) -> None:
        if self._started_at is not None or not self.active or self._expired:
            return
        self._started_at = self._clock()
        self._ticker.start()
        self.state_changed.emit()

    def stop(self) -> None:
        self._duration = 0.0
        self._elapsed_before = 0.0
        self._started_at = None
        self._expired = False
        self._ticker.stop()
        self.state_changed.emit()

    def tick(self) -> None:
        if self._started_at is None:
            return
        left = self.remaining()
        self.ticked.emit(left)
        if left <= 0 and not self._expired:
            self._expired = True
            self._elapsed_before = self._duration
            self._started_at = None
            self._ticker.stop()
            self.state_changed.emit()
            self.expired.emit()
