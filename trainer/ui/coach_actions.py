"""The coach's side of the main window: add a coach, unlock as the coach, and
the Coach menu (shown only while a coach is unlocked): the class overview
(``class_overview.py``) and its printable PDF report (``class_report.py``),
the dispute queue (``dispute_queue.py``), a student's history, everyone's
export and PIN resets.

An unlocked coach may open every student's history, export everyone's work
(PIN-protected students included) and remove a student's forgotten PIN
without deleting any work. The rules live in ``core/services/profiles.py``;
this mixin only asks and shows. Like every unlock, the coach's ends at the
start page, on Switch Student and after the idle time.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from ..core.errors import describe
from . import dialogs

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QStatusBar

    from ..core.overview import ClassOverview
    from ..core.records import ProfileInfo
    from ..core.service import Service
    from .class_overview import ClassOverviewWindow
    from .dispute_queue import DisputeQueueWindow
    from .tasks import TaskManager


class CoachActionsMixin:
    service: Service
    tasks: TaskManager
    coach_menu: QMenu
    disputes_action: QAction
    overview_window: ClassOverviewWindow | None = None
    dispute_window: DisputeQueueWindow | None = None
    class_report_written = Signal(str, int)  # the PDF's path and its page count, after the info box

    if TYPE_CHECKING:
        def statusBar(self) -> QStatusBar: ...  # noqa: N802, E704
        def show_history(self, profile_id: int | None = None) -> None: ...  # noqa: E704
        def refresh(self) -> None: ...  # noqa: E704
        def ask_pin_and_unlock(self, profile_id: int, name: str) -> bool: ...  # noqa: E704

    def update_coach_menu(self) -> None:
        """The Coach menu shows only while a coach is unlocked."""
        coach = self.service.profiles.coach() if self.service.ready else None
        self.coach_menu.menuAction().setVisible(coach is not None)
        self.coach_menu.setTitle(f"&Coach: {coach.name}" if coach else "&Coach")
        if coach is None:  # locked (start page, Switch Student, idle): the coach's windows go too
            for window in (self.overview_window, self.dispute_window):
                if window is not None:
                    window.close()
            self.overview_window = self.dispute_window = None
            self.disputes_action.setText("&Disputes…")
        else:
            self.count_open_disputes()

    def count_open_disputes(self) -> None:
        """Show how many disputes wait, in the Coach menu (read on the worker)."""
        def show(count: int) -> None:
            if self.service.profiles.coach_id is not None:
                self.disputes_action.setText(f"&Disputes ({count} open)…" if count else "&Disputes…")

        self.tasks.run(self.service.club.open_disputes, show, lambda _exc: None)

    def on_class_overview_triggered(self) -> None:
        if self.service.profiles.coach_id is None:
            dialogs.show_info(self, "Class Overview", "Only a coach sees the class overview: use Profile ▸ Unlock as Coach… first.")
            return
        if self.overview_window is None:
            from .class_overview import ClassOverviewWindow

            self.overview_window = ClassOverviewWindow(self.service, self.tasks, self)  # type: ignore[arg-type]
        dialogs.bring_to_front(self.overview_window)

    def on_class_report_triggered(self) -> None:
        """Coach ▸ Print Class Report (PDF)…: the overview, with the overview window's
        filters if it is open (else all packs, all dates), read on the worker and
        written as a PDF."""
        heading = "Print Class Report"
        if self.service.profiles.coach_id is None:
            dialogs.show_info(self, heading, "Only a coach prints the class report: use Profile ▸ Unlock as Coach… first.")
            return
        from .class_report import report_heading, suggested_file_name, write_class_report

        now = datetime.now().astimezone()
        chosen = dialogs.choose_save_file(self, "Save the Class Report", suggested_file_name(now.date()), "PDF files (*.pdf)")
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf")
        window = self.overview_window
        filters = window.filters() if window is not None and window.isVisible() else {"pack_id": None, "since": None, "until": None}
        coach = self.service.profiles.coach()
        coach_name = coach.name if coach is not None else "the coach"

        def write(overview: ClassOverview) -> None:
            title, subtitle = report_heading(overview, **filters, coach=coach_name, now=now)  # type: ignore[arg-type]
            try:
                pages = write_class_report(overview, path, title=title, subtitle=subtitle)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                failed(exc)
                return
            dialogs.show_info(self, heading, f"The class report ({pages} page{'s' if pages != 1 else ''}) is saved as {path}.")
            self.class_report_written.emit(str(path), pages)

        def failed(exc: BaseException) -> None:
            dialogs.show_error(self, "The class report was not saved", describe(exc))

        self.statusBar().showMessage("Making the class report…", 4000)
        self.tasks.run(lambda: self.service.club.overview(**filters), write, failed)  # type: ignore[arg-type]

    def on_disputes_triggered(self) -> None:
        if self.service.profiles.coach_id is None:
            dialogs.show_info(self, "Disputes", "Only a coach answers disputes: use Profile ▸ Unlock as Coach… first.")
            return
        if self.dispute_window is None:
            from .dispute_queue import DisputeQueueWindow

            self.dispute_window = DisputeQueueWindow(self.service, self.tasks, self)  # type: ignore[arg-type]
            self.dispute_window.resolved.connect(lambda _case: self.count_open_disputes())
        dialogs.bring_to_front(self.dispute_window)

    def on_add_coach_triggered(self) -> None:
        name = dialogs.ask_text(self, "New Coach Profile", "The coach's name:")
        if not name:
            return
        pin = dialogs.ask_new_pin(self, "New Coach Profile", f"A PIN for {name} (required, at least 4 characters):", refused="No coach added")
        if pin is None:
            return
        try:
            coach = self.service.profiles.add_coach(name, pin=pin)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "No coach added", describe(exc))
            return
        self.refresh()
        self.update_coach_menu()
        self.statusBar().showMessage(f"{coach.name} is a coach and is unlocked. Students now see that their coach can read their results.", 8000)

    def on_unlock_coach_triggered(self) -> None:
        coaches = self.service.profiles.coaches()
        if not coaches:
            dialogs.show_info(self, "Unlock as Coach", "There is no coach profile yet: add one with Profile ▸ New Coach Profile….")
            return
        coach: ProfileInfo | None = coaches[0]
        if len(coaches) > 1:
            chosen = dialogs.choose_item(self, "Unlock as Coach", "Which coach?", [c.name for c in coaches])
            coach = next((c for c in coaches if c.name == chosen), None)
        if coach is None:
            return
        unlocked = self.ask_pin_and_unlock(coach.id, f"the coach {coach.name}")
        self.update_coach_menu()
        if unlocked:
            self.statusBar().showMessage(f"Unlocked as the coach {coach.name}: the Coach menu is open until you switch student.", 8000)

    def _choose_student(self, title: str, *, with_pin_only: bool = False) -> ProfileInfo | None:
        students = [p for p in self.service.profiles.list() if not p.is_coach and (p.has_pin or not with_pin_only)]
        if not students:
            dialogs.show_info(self, title, "There is no such student profile.")
            return None
        chosen = dialogs.choose_item(self, title, "Student:", [s.name for s in students])
        return next((s for s in students if s.name == chosen), None)

    def on_coach_history_triggered(self) -> None:
        student = self._choose_student("A Student's History")
        if student is not None:
            self.show_history(student.id)

    def on_coach_reset_pin_triggered(self) -> None:
        student = self._choose_student("Reset a Student's PIN", with_pin_only=True)
        if student is None:
            return
        if not dialogs.confirm(self, "Reset a Student's PIN", f"Remove {student.name}'s PIN? Their work stays; they can set a new PIN."):
            return
        try:
            self.service.profiles.reset_pin(profile_id=student.id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "The PIN was not reset", describe(exc))
            return
        self.statusBar().showMessage(f"{student.name} has no PIN now; their work is kept.", 8000)
