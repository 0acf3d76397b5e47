"""One single-worker executor for background work (after Anki's ``aqt/taskman.py``).

Everything that may take a while (loading the matcher, scoring and storing an
attempt) runs on one worker thread, so jobs never race each other for the
database. The result (or the exception) comes back to the GUI thread through
a queued signal and is handed to the callback given to ``run``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class TaskManager(QObject):
    #: Internal: a finished job's closure, delivered on the GUI thread.
    _closure_ready = Signal(object)
    #: Emitted (on the GUI thread) after a job's callback has run.
    task_finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steelman-worker")
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        self._closure_ready.connect(self._on_closure_ready)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._pending > 0

    def run(
        self,
        task: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``task()`` on the worker; then ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        if self._closed:
            return
        with self._lock:
            self._pending += 1
        future = self._executor.submit(task)

        def finished(fut: Future) -> None:
            exc = fut.exception()
            if exc is not None:
                closure = lambda: on_error(exc)  # noqa: E731
            else:
                result = fut.result()
                closure = lambda: on_done(result)  # noqa: E731
            if not self._closed:
                self._closure_ready.emit(closure)

        future.add_done_callback(finished)

    @Slot(object)
    def _on_closure_ready(self, closure: Callable[[], None]) -> None:
        with self._lock:
            self._pending -= 1
        try:
            closure()
        finally:
            self.task_finished.emit()

    def shutdown(self) -> None:
        """Wait for the running job and drop queued results (call on close)."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
