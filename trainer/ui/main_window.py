"""The main window: start page, practice session, history and end-of-pack summary in one stack."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QStackedWidget, QWidget

from .. import __version__
from ..core.errors import describe
from . import dialogs, theme
from .coach_actions import CoachActionsMixin
from .data_actions import DataActionsMixin
from .plain import plain_label, plain_tooltip
from .start_page import StartPage
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..core.records import AttemptInfo
    from ..core.service import Service
    from ..core.session import PracticeSession
    from .guide_window import GuideWindow
    from .history_view import HistoryView
    from .assignment_actions import AssignmentActions
    from .results_actions import ResultsActions
    from .session_page import SessionPage
    from .summary_view import SummaryView
    from ..core.instance import InstanceLock
    from ..core.recovery import Notice

LAST_PROFILE_KEY = "ui/last_profile"
LAST_PACK_KEY = "ui/last_pack"

ARGKP_CREDIT = (
    "The matcher was calibrated on the IBM ArgKP data set (Bar-Haim et al., 2020, "
    "“From Arguments to Key Points: Towards Automatic Argument Summarization”), "
    "used under the Community Data License Agreement – Sharing, version 1.0 (CDLA-Sharing-1.0)."
)


class MainWindow(DataActionsMixin, CoachActionsMixin, QMainWindow):
    profile_added = Signal(str)
    matcher_loaded = Signal()
    matcher_failed = Signal(str)
    backup_restored = Signal()
    pack_imported = Signal(str)
    results_exported = Signal(str)
    rescore_progress = Signal(int, int)  # done, total; emitted on the worker, delivered queued
    data_opened = Signal()
    data_failed = Signal(str)  # why the data cannot be opened (shown by run_app)
    attempts_rescored = Signal(int, int)  # rescored, skipped

    def __init__(
        self,
        service: Service,
        parent: QWidget | None = None,
        *,
        tasks: TaskManager | None = None,
        timer_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks or TaskManager(self)
        self.matcher_ready = False
        self.restoring = False
        self.rescoring = False
        self.shown_at: float | None = None
        """``time.time()`` when ``app.start_window`` first drew the window (startup figures)."""
        self.opening = not service.ready
        """The database is being opened on the worker (``open_data``)."""
        if service.ready:
            self._defer_writes_while_offline()
        self._close_when_idle = False
        self.setObjectName("mainWindow")
        self.setWindowTitle("Steelman")
        self.resize(1200, 800)
        self.setMinimumSize(900, 600)
        self._history_return: QWidget | None = None
        self.guide_window: GuideWindow | None = None

        # Only the start page is built now; the others (and their imports) on
        # first use, so the first window is quick (see bench/startup.py).
        self.start_page = StartPage(service, self, tasks=self.tasks)
        self._timer_clock = timer_clock
        self._session_page: SessionPage | None = None
        self._history_view: HistoryView | None = None
        self._summary_view: SummaryView | None = None
        self._results_actions: ResultsActions | None = None
        self._assignment_actions: AssignmentActions | None = None
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start_page)
        self.setCentralWidget(self.stack)
        self.matcher_status = plain_label("", self)
        self.matcher_status.setObjectName("matcherStatus")
        self.statusBar().addPermanentWidget(self.matcher_status)

        # compatibility with the first window's API (tests, smoke)
        self.pack_list = self.start_page.pack_list
        self.profile_list = self.start_page.profile_list
        self.add_profile_button = self.start_page.add_profile_button

        self._build_actions()
        self._build_menus()
        self._connect()
        self.refresh()
        self._restore_state()
        self.outbox_timer = QTimer(self)
        self.outbox_timer.setInterval(5000)
        self.outbox_timer.timeout.connect(self.on_outbox_timer_timeout)
        self.outbox_timer.start()
        # Shared laptops: an unlocked profile locks again after the idle time
        # (checked every few seconds; keys and clicks count as activity).
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(10_000)
        self.idle_timer.timeout.connect(self.on_idle_timer_timeout)
        self.idle_timer.start()
        self._last_activity_note = float("-inf")
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.stack.setCurrentWidget(self.start_page)
        self._focus_start_page()
        self._update_actions()

    # -- pages, built on first use -----------------------------------------
    @property
    def session_page(self) -> SessionPage:
        if self._session_page is None:
            from .session_page import SessionPage

            sp = SessionPage(self.service, self.tasks, self, timer_clock=self._timer_clock)
            self._session_page = sp
            self._add_page(sp)
            sp.pack_finished.connect(self.on_session_page_pack_finished)
            sp.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            for signal in (sp.claim_shown, sp.feedback_shown, sp.busy_changed):
                signal.connect(lambda *_: self._update_actions())
            sp.attempt_submitted.connect(self.on_session_page_attempt_submitted)
            sp.claim_shown.connect(lambda _claim_id: self._prepare_claim())
            self.article_action.setChecked(sp.practice_view.article_toggle.isChecked())
            sp.practice_view.article_toggle.toggled.connect(self.article_action.setChecked)
        return self._session_page

    @property
    def history_view(self) -> HistoryView:
        if self._history_view is None:
            from .history_view import HistoryView

            self._history_view = HistoryView(self.service, self)
            self._add_page(self._history_view)
            self._history_view.back_requested.connect(self.on_history_view_back_requested)
        return self._history_view

    @property
    def summary_view(self) -> SummaryView:
        if self._summary_view is None:
            from .summary_view import SummaryView

            sv = self._summary_view = SummaryView(self)
            self._add_page(sv)
            sv.practice_requested.connect(self.on_summary_view_practice_requested)
            sv.restart_requested.connect(self.on_summary_view_restart_requested)
            sv.history_requested.connect(self.show_history)
            sv.home_requested.connect(self.show_start)
        return self._summary_view

    @property
    def results_actions(self) -> ResultsActions:
        """Results files out and in (``results_actions.py``), made on first use."""
        if self._results_actions is None:
            from .results_actions import ResultsActions

            self._results_actions = ResultsActions(self, self.service, self.tasks)
            self._results_actions.imported.connect(self.on_results_imported)
        return self._results_actions

    @property
    def assignment_actions(self) -> AssignmentActions:
        """Assignments set and opened (``assignment_actions.py``), made on first use."""
        if self._assignment_actions is None:
            from .assignment_actions import AssignmentActions

            self._assignment_actions = AssignmentActions(self, self.service)
            self._assignment_actions.assignment_set.connect(self.on_assignments_changed)
            self._assignment_actions.assignment_opened.connect(self.on_assignments_changed)
        return self._assignment_actions

    def on_assignments_changed(self, _assignment: object) -> None:
        """The start page's notice, the claim list's marks and the overview show it."""
        self.start_page.show_assignments()
        if self.stack.currentWidget() is self._session_page and self.current_session is not None:
            self.session_page.refresh_sidebar()
        if self.overview_window is not None:
            self.overview_window.reload()

    def on_results_imported(self, _report: object) -> None:
        """New students and attempts: the start page's list, and an open class overview, read again."""
        self.refresh()
        if self.overview_window is not None:
            self.overview_window.reload()

    @property
    def current_session(self) -> PracticeSession | None:
        """The practice session open in the session page, if any."""
        return self._session_page.session if self._session_page is not None else None

    def _add_page(self, page: QWidget) -> None:
        self.stack.addWidget(page)
        self._restore_splitters(page)

    def _focus_start_page(self) -> None:
        page = self.start_page
        (page.start_button if page.start_button.isEnabled() else page.add_profile_button).setFocus()

    # -- building ----------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        def sp() -> SessionPage:
            return self.session_page
        self.new_profile_action = self._action("&New Profile…", self.start_page.on_add_profile_clicked, QKeySequence.StandardKey.New, "newProfileAction")
        self.home_action = self._action("&Choose Profile and Pack", self.show_start, "Ctrl+Shift+O", "homeAction")
        self.history_action = self._action("&History and Progress", self.show_history, "Ctrl+H", "historyAction")
        self.restore_action = self._action("&Restore Backup…", self.on_restore_backup_triggered, None, "restoreBackupAction")
        self.set_pin_action = self._action("Set or Change &PIN…", self.on_set_pin_triggered, None, "setPinAction")
        self.clear_pin_action = self._action("Re&move PIN…", self.on_clear_pin_triggered, None, "clearPinAction")
        self.reset_profile_action = self._action("&Forgot the PIN: Reset Profile…", self.on_reset_profile_triggered, None, "resetProfileAction")
        self.switch_student_action = self._action("S&witch Student", self.switch_student, "Ctrl+Shift+L", "switchStudentAction")
        self.switch_student_action.setStatusTip("Lock your profile and go back to the start page for the next student")
        self.idle_lock_action = self._action("&Lock After Idle Time…", self.on_idle_lock_triggered, None, "idleLockAction")
        self.add_coach_action = self._action("New &Coach Profile…", self.on_add_coach_triggered, None, "addCoachAction")
        self.unlock_coach_action = self._action("&Unlock as Coach…", self.on_unlock_coach_triggered, "Ctrl+Shift+U", "unlockCoachAction")
        self.coach_history_action = self._action("A Student's &History…", self.on_coach_history_triggered, None, "coachHistoryAction")
        self.coach_reset_pin_action = self._action("&Reset a Student's PIN…", self.on_coach_reset_pin_triggered, None, "coachResetPinAction")
        self.class_overview_action = self._action("Class &Overview…", self.on_class_overview_triggered, "Ctrl+Shift+G", "classOverviewAction")
        self.class_report_action = self._action("&Print Class Report (PDF)…", self.on_class_report_triggered, None, "classReportAction")
        self.disputes_action = self._action("&Disputes…", self.on_disputes_triggered, "Ctrl+Shift+R", "disputesAction")
        self.import_pack_action = self._action("&Import Pack…", self.on_import_pack_triggered, "Ctrl+I", "importPackAction")
        self.export_action = self._action("&Export Results…", self.on_export_triggered, "Ctrl+Shift+E", "exportAction")
        self.export_results_action = self._action("Export Results for C&oach…", lambda: self.results_actions.export_for_coach(self._chosen_profile_id()), None, "exportResultsAction")
        self.export_results_action.setStatusTip("Save a .steelresults file to take to your coach (USB stick or e-mail)")
        self.new_assignment_action = self._action("&New Assignment…", lambda: self.assignment_actions.new_assignment(), None, "newAssignmentAction")
        self.open_assignment_action = self._action("Open &Assignment…", lambda: self.assignment_actions.open_assignment(), None, "openAssignmentAction")
        self.open_assignment_action.setStatusTip("Open a .steelassign file your coach gave you")
        self.import_results_action = self._action("&Import Results…", lambda: self.results_actions.import_results(), "Ctrl+Shift+M", "importResultsAction")
        self.rescore_action = self._action("Re-&score History with the Current Matcher…", self.on_rescore_triggered, None, "rescoreAction")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")
        self.undo_action = self._action("&Undo", lambda: sp().practice_view.response_editor.undo(), QKeySequence.StandardKey.Undo, "undoAction")
        self.redo_action = self._action("&Redo", lambda: sp().practice_view.response_editor.redo(), QKeySequence.StandardKey.Redo, "redoAction")
        self.submit_action = self._action("&Submit", lambda: sp().submit(), "Ctrl+Return", "submitAction")
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.previous_action = self._action("&Previous Claim", lambda: sp().go_previous(), "Alt+Left", "previousAction")
        self.next_action = self._action("&Next Claim", lambda: sp().go_next(), "Alt+Right", "nextAction")
        self.skip_action = self._action("S&kip Claim", lambda: sp().skip(), "Ctrl+Shift+K", "skipAction")
        self.try_again_action = self._action("&Try Again", lambda: sp().try_again(), "Ctrl+R", "tryAgainAction")
        self.timer_action = self._action("Start/Pause Prep &Timer", lambda: sp().practice_view.on_timer_button_clicked(), "Ctrl+T", "timerAction")
        self.editor_action = self._action("Go to the &Editor", lambda: sp().practice_view.focus_editor(), "Ctrl+E", "editorAction")
        self.review_settings_action = self._action("&Review Settings…", self.on_review_settings_triggered, None, "reviewSettingsAction")
        self.article_action = self._action("Show &Article", lambda: sp().practice_view.article_toggle.toggle(), "Ctrl+Shift+A", "articleAction")
        self.article_action.setCheckable(True)
        self.guide_action = self._action("Steelman &Guide", self.show_guide, QKeySequence.StandardKey.HelpContents, "guideAction")
        self.about_action = self._action("&About Steelman", self.on_about_triggered, None, "aboutAction")
        self.dark_action = self._action("Toggle &Dark Mode", self.toggle_dark_mode, "Ctrl+Shift+D", "darkAction")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in (("system", "Follow the &System"), ("light", "&Light"), ("dark", "Dar&k")):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setObjectName(f"theme_{key}")
            action.triggered.connect(lambda _checked=False, k=key: self.set_theme(k))
            self.theme_group.addAction(action)
            self.theme_actions[key] = action
        self.theme_actions[theme.saved_theme()].setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for a in (self.new_profile_action, self.home_action, self.history_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.import_pack_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_results_action)
        file_menu.addAction(self.open_assignment_action)
        file_menu.addAction(self.rescore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        profile_menu = bar.addMenu("P&rofile")
        profile_menu.addAction(self.switch_student_action)
        profile_menu.addSeparator()
        for a in (self.set_pin_action, self.clear_pin_action, self.idle_lock_action):
            profile_menu.addAction(a)
        profile_menu.addSeparator()
        profile_menu.addAction(self.add_coach_action)
        profile_menu.addAction(self.unlock_coach_action)
        profile_menu.addSeparator()
        profile_menu.addAction(self.reset_profile_action)
        self.coach_menu = bar.addMenu("&Coach")
        self.coach_menu.setObjectName("coachMenu")
        for a in (self.class_overview_action, self.class_report_action, self.disputes_action, self.new_assignment_action, self.import_results_action):
            self.coach_menu.addAction(a)
        self.coach_menu.addSeparator()
        for a in (self.coach_history_action, self.export_action, self.coach_reset_pin_action):
            self.coach_menu.addAction(a)
        self.coach_menu.addSeparator()
        self.coach_menu.addAction(self.switch_student_action)
        self.coach_menu.menuAction().setVisible(False)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        practice_menu = bar.addMenu("&Practice")
        for a in (self.submit_action, self.previous_action, self.next_action, self.skip_action, self.try_again_action):
            practice_menu.addAction(a)
        practice_menu.addSeparator()
        practice_menu.addAction(self.timer_action)
        practice_menu.addAction(self.editor_action)
        practice_menu.addSeparator()
        practice_menu.addAction(self.review_settings_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.article_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        view_menu.addAction(self.dark_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        self.start_page.profile_added.connect(self.profile_added.emit)
        self.start_page.practice_requested.connect(self.on_start_page_practice_requested)
        self.start_page.history_requested.connect(lambda pid: self.show_history(profile_id=pid))
        self.start_page.review_requested.connect(self.on_start_page_review_requested)
        self.stack.currentChanged.connect(lambda _i: self._update_actions())
        self.start_page.packs_loaded.connect(self.on_start_page_packs_loaded)
        self.tasks.task_finished.connect(self.on_tasks_task_finished)
        self.start_page.profile_list.currentRowChanged.connect(lambda _row: self._update_actions())
        self.rescore_progress.connect(self.on_rescore_progress, Qt.ConnectionType.QueuedConnection)

    def _splitters(self) -> list[QSplitter]:
        return self.findChildren(QSplitter)

    def _restore_state(self) -> None:
        geometry = QSettings().value("mainWindow/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self._restore_splitters(self)

    def _restore_splitters(self, widget: QWidget) -> None:
        settings = QSettings()
        for splitter in widget.findChildren(QSplitter):
            state = settings.value(f"splitters/{splitter.objectName()}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def _save_state(self) -> None:
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        for splitter in self._splitters():
            if splitter.objectName():
                settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())

    @property
    def busy(self) -> bool:
        """A submit is being scored, a backup restored or the history re-scored:
        nothing may switch pages or touch the database."""
        sp = self._session_page
        return (sp is not None and sp.busy) or self.restoring or self.rescoring or self.opening

    def _update_actions(self) -> None:
        sp = self._session_page
        busy = self.busy or not self.service.ready
        for action in (
            self.new_profile_action, self.home_action, self.history_action, self.restore_action,
            self.import_pack_action, self.export_action, self.set_pin_action, self.clear_pin_action,
            self.reset_profile_action, self.review_settings_action,
        ):
            action.setEnabled(not busy)
        self.rescore_action.setEnabled(not busy and self._chosen_profile_id() is not None)
        self.stack.setEnabled(not self.restoring)
        in_session = sp is not None and self.stack.currentWidget() is sp and sp.session is not None and not self.restoring
        writing = in_session and sp is not None and not sp.in_feedback and not busy
        for action in (self.previous_action, self.next_action, self.skip_action):
            action.setEnabled(in_session and not busy)
        self.submit_action.setEnabled(writing)
        self.timer_action.setEnabled(writing)
        self.editor_action.setEnabled(writing)
        self.try_again_action.setEnabled(in_session and sp is not None and sp.in_feedback)
        self.undo_action.setEnabled(writing)
        self.redo_action.setEnabled(writing)

    # -- rendering ---------------------------------------------------------
    def refresh(self) -> None:
        if self.opening:
            self.start_page.show_opening()
            return
        last_profile = self.service.settings.get(LAST_PROFILE_KEY)
        profile_id = int(last_profile) if last_profile and last_profile.isdigit() else None
        pack_id = None
        if profile_id is not None and self.service.profiles.find(profile_id) is not None:
            pack_id = self.service.settings.get(LAST_PACK_KEY, profile_id=profile_id)
        else:
            profile_id = None
        self.start_page.refresh(profile_id=profile_id, pack_id=pack_id)

    def show_start(self) -> None:
        if self.busy:
            return
        if self.stack.currentWidget() is self._session_page and not self.session_page.save_draft():
            return
        # Back at the start page the laptop may change hands: every PIN
        # unlock ends here (the next student is asked again).
        self.service.profiles.lock_all()
        self.update_coach_menu()
        self.refresh()
        self.stack.setCurrentWidget(self.start_page)
        self._focus_start_page()

    def switch_student(self) -> None:
        """Profile ▸ Switch Student: save, lock, and hand the laptop on."""
        self.show_start()
        if self.stack.currentWidget() is self.start_page:
            self.statusBar().showMessage("Profiles locked. The next student can choose their profile.", 5000)
            self.profile_list.setFocus()

    def active_profile_id(self) -> int | None:
        """The profile whose work is on screen (a session or a history), if any."""
        current = self.stack.currentWidget()
        if current is self._session_page and self.current_session is not None:
            return self.current_session.profile_id
        if current is self._history_view and self._history_view is not None:
            return self._history_view.profile_id
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Keys and clicks anywhere in the app keep the student's profile unlocked."""
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            now = self._timer_clock()
            if now - self._last_activity_note >= 2.0:  # cheap, but not on every key
                profile_id = self.active_profile_id()
                if profile_id is not None:
                    self._last_activity_note = now
                    self.service.profiles.note_activity(profile_id)
                coach_id = self.service.profiles.coach_id if self.service.ready else None
                if coach_id is not None:  # a coach reading the overview is present too
                    self._last_activity_note = now
                    self.service.profiles.note_activity(coach_id)
        return False

    def on_idle_timer_timeout(self) -> None:
        """Lock idle profiles; if the one on screen was locked, leave it."""
        if self.service is None or not self.service.ready:
            return
        locked = self.service.profiles.lock_idle()
        if locked:
            self.update_coach_menu()
        on_screen = self.active_profile_id()
        if on_screen is not None and on_screen in locked and not self.busy:
            minutes = round(self.service.profiles.idle_limit().total_seconds() / 60)
            self.show_start()
            self.statusBar().showMessage(f"Locked after {minutes} minute{'s' if minutes != 1 else ''} without activity; your draft is saved.", 10_000)

    def on_idle_lock_triggered(self) -> None:
        current = round(self.service.profiles.idle_limit().total_seconds() / 60)
        minutes = dialogs.ask_minutes(self, "Lock After Idle Time", "Lock a PIN-protected profile after this many minutes without activity:", current)
        if minutes is None:
            return
        try:
            self.service.profiles.set_idle_limit(minutes)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "The idle time was not changed", describe(exc))
            return
        self.statusBar().showMessage(f"Profiles with a PIN now lock after {minutes} idle minute{'s' if minutes != 1 else ''}.", 5000)

    def show_history(self, profile_id: int | None = None) -> None:
        if self.busy:
            return
        if profile_id is None:
            profile_id = self.current_session.profile_id if self.current_session else self.start_page.selected_profile_id()
        if profile_id is None:
            self.statusBar().showMessage("Choose or create a profile first.", 5000)
            return
        if not self.unlock(profile_id):
            return
        current = self.stack.currentWidget()
        if current is self._session_page and not self.session_page.save_draft():
            return
        if current is not self.history_view:
            self._history_return = current
        pack_id = self.current_session.pack.id if self.current_session else None
        self.history_view.show_profile(profile_id, pack_id=pack_id)
        self.stack.setCurrentWidget(self.history_view)
        self.history_view.focus_default()

    def show_guide(self) -> None:
        if self.guide_window is None:
            from .guide_window import GuideWindow

            self.guide_window = GuideWindow(self)
        dialogs.bring_to_front(self.guide_window)

    def open_data(self, lock: InstanceLock | None = None, *, backup: bool = True) -> None:
        """Open the database on the worker (it is checked, backed up and the
        outbox flushed there); meanwhile the start page says "Opening your
        data…" and the actions that need the data are disabled. Then the
        profiles fill in and the notices are shown; ``data_opened`` or
        ``data_failed`` is emitted."""
        from ..core.recovery import open_data

        self.opening = True
        self.refresh()
        self._update_actions()
        self.tasks.run(
            lambda: open_data(self.service, instance_lock=lock, backup=backup),
            self.on_data_opened,
            self.on_data_open_failed,
        )

    def _defer_writes_while_offline(self) -> None:
        # Offline, a save goes straight to the outbox; only the periodic flush
        # on the worker tries the server (a save never waits for a timeout).
        self.service.writes.defer_while_offline = True

    def on_data_opened(self, notices: list[Notice]) -> None:
        self._defer_writes_while_offline()
        self.opening = False
        self.refresh()
        self._update_actions()
        self._focus_start_page()
        self.data_opened.emit()
        for notice in notices:
            if notice.important:
                dialogs.show_info(self, "Steelman", notice.message)
            else:
                self.statusBar().showMessage(notice.message, 8000)

    def on_data_open_failed(self, exc: BaseException) -> None:
        self.opening = False
        self.start_page.show_opening(failed=describe(exc))
        self._update_actions()
        self.data_failed.emit(describe(exc))

    def start_background_loading(self) -> None:
        """Load the matcher on the worker after the window is shown."""
        self.matcher_status.setText("Loading the matcher…")
        self.tasks.run(self.service.scoring.matcher, self.on_matcher_loaded, self.on_matcher_load_failed)

    # -- slots -------------------------------------------------------------
    def on_matcher_loaded(self, _matcher: object) -> None:
        self.matcher_ready = True
        self.matcher_status.setText("Ready")
        self.matcher_loaded.emit()
        self._prepare_claim()

    def _prepare_claim(self) -> None:
        """While the user reads the claim, do its side of scoring on the worker
        (best effort: a failure here shows again, in words, on submit), and
        render its model rebuttals into the cache on the render thread."""
        session = self.current_session
        if session is None:
            return
        from .markdown_view import warm

        warm(kp.rebuttal_markdown for kp in session.current.key_points)
        if not self.matcher_ready:
            return
        pack_id, claim_id = session.pack.id, session.current.id
        self.tasks.run(lambda: self.service.scoring.prepare(pack_id=pack_id, claim_id=claim_id), lambda _r: None, lambda _exc: None)

    def on_matcher_load_failed(self, exc: BaseException) -> None:
        message = describe(exc)
        self.matcher_status.setText("Matcher unavailable")
        self.matcher_status.setToolTip(plain_tooltip(message))
        self.matcher_failed.emit(message)

    def unlock(self, profile_id: int) -> bool:
        """Ask for the PIN of a protected profile (once per run); ``False`` if not unlocked."""
        try:
            if self.service.profiles.is_unlocked(profile_id=profile_id):
                return True
            profile = self.service.profiles.find(profile_id)
            return self.ask_pin_and_unlock(profile_id, profile.name if profile else "this profile")
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "The profile stays locked", describe(exc))
            return False

    def ask_pin_and_unlock(self, profile_id: int, name: str) -> bool:
        """The PIN dialog for ``name``, until the PIN is right (``True``) or cancelled."""
        profiles = self.service.profiles
        return dialogs.unlock_profile(
            self,
            name,
            attempt=lambda pin: profiles.unlock(profile_id=profile_id, pin=pin),
            wait=lambda: profiles.pin_wait(profile_id),
        )

    def on_outbox_timer_timeout(self) -> None:
        """While offline, try every few seconds to store what waits on this computer."""
        if not self.service.writes.offline or self.tasks.busy:
            self.matcher_status.setToolTip("")
            return
        self.matcher_status.setText("Offline: work kept on this computer")
        self.matcher_status.setToolTip(plain_tooltip(self.service.writes.offline_message or ""))
        self.tasks.run(self.service.writes.flush, self.on_outbox_flushed, lambda _exc: None)

    def on_outbox_flushed(self, outcome: object) -> None:
        if not self.service.writes.offline:
            self.matcher_status.setText("Ready" if self.matcher_ready else "")
            if getattr(outcome, "written", 0):
                self.statusBar().showMessage("Your saved work is now stored in the database.", 5000)

    def on_start_page_packs_loaded(self) -> None:
        if self.stack.currentWidget() is self.start_page and self.focusWidget() in (None, self.start_page.add_profile_button):
            self._focus_start_page()

    def on_tasks_task_finished(self) -> None:
        if self._close_when_idle and not self.busy:
            self._close_when_idle = False
            QTimer.singleShot(0, self.close)

    def on_start_page_practice_requested(self, profile_id: int, pack_id: str) -> None:
        if self.unlock(profile_id):
            self._begin_session(profile_id, pack_id, None, "Cannot start practising")

    def _begin_session(self, profile_id: int, pack_id: str, claim_ids: list[str] | None, failure: str) -> bool:
        """Remember the choice, start the session (``claim_ids``: only those) and show it; False after an error."""
        try:
            self.service.settings.set(key=LAST_PROFILE_KEY, value=str(profile_id))
            self.service.settings.set(key=LAST_PACK_KEY, value=pack_id, profile_id=profile_id)
            self.session_page.start(profile_id=profile_id, pack_id=pack_id, claim_ids=claim_ids)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, failure, describe(exc))
            return False
        self.show_review_marks()
        self.stack.setCurrentWidget(self.session_page)
        self.session_page.practice_view.focus_editor()
        self._update_actions()
        return True

    def on_session_page_attempt_submitted(self, _attempt: AttemptInfo) -> None:
        self._update_actions()
        self.show_review_marks()  # the claim answered is scheduled again

    # -- spaced review (issue 17) ----------------------------------------------
    def on_start_page_review_requested(self, profile_id: int, pack_id: str) -> None:
        """A session over the pack's claims due for review today, in pack order."""
        if not self.unlock(profile_id):
            return
        try:
            due = self.service.review.due_claim_ids(profile_id, pack_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Cannot start the review", describe(exc))
            return
        if not due:
            self.statusBar().showMessage("Nothing is due for review in this pack today.", 5000)
            self.start_page.show_review_counts()
            return
        if self._begin_session(profile_id, pack_id, due, "Cannot start the review"):
            self.statusBar().showMessage(f"Review: {len(due)} claim{'s' if len(due) != 1 else ''} due today.", 5000)

    def show_review_marks(self) -> None:
        """Mark the session's claims due for review in the claim list (best effort: never in the way of
        practice; offline, or when the schedule cannot be read, no claim is marked rather than a stale one)."""
        session = self.current_session
        if session is None:
            return
        due: list[str] = []
        if not self.service.writes.offline:  # offline, a read is not worth waiting for the server
            try:
                due = self.service.review.due_claim_ids(session.profile_id, session.pack.id)
            except Exception:  # noqa: BLE001 - e.g. the server is down
                due = []
        self.session_page.sidebar.show_review_due(due)

    def on_review_settings_triggered(self) -> None:
        from .review_settings import edit_review_settings

        chosen = edit_review_settings(self, self.service)
        if chosen is not None:
            self.statusBar().showMessage(f"Review: {chosen.describe()}.", 5000)

    def on_session_page_pack_finished(self) -> None:
        sp = self.session_page
        session = sp.session
        if session is None:
            return
        attempts = self.service.results.list_attempts(profile_id=session.profile_id, pack_id=session.pack.id)
        started = sp.session_started
        this_session = [a for a in attempts if started is None or a.submitted_at >= started]
        from ..core.progress import pack_summary

        # this session's figures; "weakest" and "not tried yet" from every attempt at the pack (never the same claim)
        summary = pack_summary(session.pack, this_session, claim_ids=session.claim_ids, history=attempts)
        self.summary_view.show_summary(session.pack, summary)
        self.stack.setCurrentWidget(self.summary_view)
        self.summary_view.focus_first_action()

    def on_summary_view_practice_requested(self, claim_ids: list[str]) -> None:
        """The summary's "practise weakest claims again" or "try the claims you skipped"."""
        session = self.session_page.session
        if session is None or not claim_ids:
            return
        self.session_page.start(profile_id=session.profile_id, pack_id=session.pack.id, claim_ids=claim_ids)
        self.stack.setCurrentWidget(self.session_page)
        self.session_page.practice_view.focus_editor()

    def on_summary_view_restart_requested(self) -> None:
        session = self.session_page.session
        if session is None:
            return
        self.session_page.start(profile_id=session.profile_id, pack_id=session.pack.id, claim_ids=None)
        self.session_page.session.position = 0  # type: ignore[union-attr]
        self.session_page.show_current()
        self.stack.setCurrentWidget(self.session_page)

    def on_history_view_back_requested(self) -> None:
        target = self._history_return or self.start_page
        if target is self.session_page and self.session_page.session is not None:
            self.session_page.refresh_sidebar()
        self.stack.setCurrentWidget(target)
        if target is self.session_page and not self.session_page.in_feedback:
            self.session_page.practice_view.focus_editor()

    def set_theme(self, choice: str) -> None:
        QSettings().setValue(theme.SETTINGS_KEY, choice)
        self.theme_actions[choice].setChecked(True)
        theme.apply_theme(choice)
        if self._session_page is not None:
            self._session_page.practice_view.refresh_theme()
            self._session_page.feedback_view.refresh_theme()
        if self._history_view is not None:
            self._history_view.feedback_view.refresh_theme()

    def toggle_dark_mode(self) -> None:
        current = theme.effective_theme(theme.saved_theme())
        self.set_theme("light" if current == "dark" else "dark")

    def on_about_triggered(self) -> None:
        session = self.current_session
        packs = [session.pack] if session is not None else self.service.packs.all()
        credits = "".join(
            f"<p><b>{html.escape(p.title)}</b><br>{html.escape(p.attribution)}<br><small>{html.escape(p.licence)}</small></p>"
            for p in packs
        )
        text = (
            f"<h3>Steelman {html.escape(__version__)}</h3>"
            "<p>An offline trainer for debaters: write the strongest counterargument, get feedback.</p>"
            f"{credits}<p><small>{html.escape(ARGKP_CREDIT)}</small></p>"
        )
        dialogs.show_about(self, "About Steelman", text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.busy:
            # Never drop a submitted answer (or a restore) on the floor: close
            # as soon as it is done; meanwhile the window shows it is busy.
            self._close_when_idle = True
            what = "opening your data" if self.opening else "restoring the backup" if self.restoring else "re-scoring the history" if self.rescoring else "saving your answer"
            self.statusBar().showMessage(f"Steelman will close after {what}…")
            event.ignore()
            return
        if self.current_session is not None and not self.session_page.save_draft():
            event.ignore()
            return
        self._save_state()
        if self.service is not None and self.service.ready:
            self.service.profiles.lock_all()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.guide_window is not None:
            self.guide_window.close()
        self.tasks.shutdown()
        super().closeEvent(event)
