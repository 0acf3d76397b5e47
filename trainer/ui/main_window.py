"""The main window: start page, practice session, history and end-of-pack summary in one stack."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QStackedWidget, QWidget

from .. import __version__
from ..core.errors import describe
from ..core.progress import pack_summary, weakest_claims
from ..core.records import AttemptInfo, ProfileInfo
from ..core.service import Service
from . import dialogs, theme
from .guide_window import GuideWindow
from .history_view import HistoryView
from .session_page import SessionPage
from .start_page import StartPage
from .summary_view import SummaryView
from .tasks import TaskManager

LAST_PROFILE_KEY = "ui/last_profile"
LAST_PACK_KEY = "ui/last_pack"

ARGKP_CREDIT = (
    "The matcher was calibrated on the IBM ArgKP data set (Bar-Haim et al., 2020, "
    "“From Arguments to Key Points: Towards Automatic Argument Summarization”), "
    "used under the Community Data License Agreement – Sharing, version 1.0 (CDLA-Sharing-1.0)."
)


class MainWindow(QMainWindow):
    profile_added = Signal(str)
    matcher_loaded = Signal()
    matcher_failed = Signal(str)
    backup_restored = Signal()
    pack_imported = Signal(str)
    results_exported = Signal(str)

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
        # Offline, a save goes straight to the outbox; only the periodic flush
        # on the worker tries the server (a save never waits for a timeout).
        service.defer_writes_while_offline = True
        self.tasks = tasks or TaskManager(self)
        self.matcher_ready = False
        self.restoring = False
        self._close_when_idle = False
        self.setObjectName("mainWindow")
        self.setWindowTitle("Steelman")
        self.resize(1200, 800)
        self.setMinimumSize(900, 600)
        self._history_return: QWidget | None = None
        self.guide_window: GuideWindow | None = None

        self.start_page = StartPage(service, self, tasks=self.tasks)
        self.session_page = SessionPage(service, self.tasks, self, timer_clock=timer_clock)
        self.history_view = HistoryView(service, self)
        self.summary_view = SummaryView(self)
        self.stack = QStackedWidget(self)
        for page in (self.start_page, self.session_page, self.history_view, self.summary_view):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.matcher_status = QLabel("", self)
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
        self.stack.setCurrentWidget(self.start_page)
        self._focus_start_page()
        self._update_actions()

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
        sp = self.session_page
        self.new_profile_action = self._action("&New Profile…", self.start_page.on_add_profile_clicked, QKeySequence.StandardKey.New, "newProfileAction")
        self.home_action = self._action("&Choose Profile and Pack", self.show_start, "Ctrl+Shift+O", "homeAction")
        self.history_action = self._action("&History and Progress", self.show_history, "Ctrl+H", "historyAction")
        self.restore_action = self._action("&Restore Backup…", self.on_restore_backup_triggered, None, "restoreBackupAction")
        self.set_pin_action = self._action("Set or Change &PIN…", self.on_set_pin_triggered, None, "setPinAction")
        self.clear_pin_action = self._action("Re&move PIN…", self.on_clear_pin_triggered, None, "clearPinAction")
        self.reset_profile_action = self._action("&Forgot the PIN: Reset Profile…", self.on_reset_profile_triggered, None, "resetProfileAction")
        self.import_pack_action = self._action("&Import Pack…", self.on_import_pack_triggered, "Ctrl+I", "importPackAction")
        self.export_action = self._action("&Export Results…", self.on_export_triggered, "Ctrl+Shift+E", "exportAction")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")
        self.undo_action = self._action("&Undo", lambda: sp.practice_view.response_editor.undo(), QKeySequence.StandardKey.Undo, "undoAction")
        self.redo_action = self._action("&Redo", lambda: sp.practice_view.response_editor.redo(), QKeySequence.StandardKey.Redo, "redoAction")
        self.submit_action = self._action("&Submit", sp.submit, "Ctrl+Return", "submitAction")
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.previous_action = self._action("&Previous Claim", sp.go_previous, "Alt+Left", "previousAction")
        self.next_action = self._action("&Next Claim", sp.go_next, "Alt+Right", "nextAction")
        self.skip_action = self._action("S&kip Claim", sp.skip, "Ctrl+Shift+K", "skipAction")
        self.try_again_action = self._action("&Try Again", sp.try_again, "Ctrl+R", "tryAgainAction")
        self.timer_action = self._action("Start/Pause Prep &Timer", lambda: sp.practice_view.on_timer_button_clicked(), "Ctrl+T", "timerAction")
        self.editor_action = self._action("Go to the &Editor", lambda: sp.practice_view.focus_editor(), "Ctrl+E", "editorAction")
        self.article_action = self._action("Show &Article", lambda: sp.practice_view.article_toggle.toggle(), "Ctrl+Shift+A", "articleAction")
        self.article_action.setCheckable(True)
        self.article_action.setChecked(sp.practice_view.article_toggle.isChecked())
        sp.practice_view.article_toggle.toggled.connect(self.article_action.setChecked)
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
        file_menu.addSeparator()
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        profile_menu = bar.addMenu("P&rofile")
        for a in (self.set_pin_action, self.clear_pin_action):
            profile_menu.addAction(a)
        profile_menu.addSeparator()
        profile_menu.addAction(self.reset_profile_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        practice_menu = bar.addMenu("&Practice")
        for a in (self.submit_action, self.previous_action, self.next_action, self.skip_action, self.try_again_action):
            practice_menu.addAction(a)
        practice_menu.addSeparator()
        practice_menu.addAction(self.timer_action)
        practice_menu.addAction(self.editor_action)
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
        sp = self.session_page
        self.start_page.profile_added.connect(self.profile_added.emit)
        self.start_page.practice_requested.connect(self.on_start_page_practice_requested)
        self.start_page.history_requested.connect(lambda pid: self.show_history(profile_id=pid))
        sp.pack_finished.connect(self.on_session_page_pack_finished)
        sp.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        for signal in (sp.claim_shown, sp.feedback_shown, sp.busy_changed):
            signal.connect(lambda *_: self._update_actions())
        sp.attempt_submitted.connect(self.on_session_page_attempt_submitted)
        self.history_view.back_requested.connect(self.on_history_view_back_requested)
        self.summary_view.weakest_requested.connect(self.on_summary_view_weakest_requested)
        self.summary_view.restart_requested.connect(self.on_summary_view_restart_requested)
        self.summary_view.history_requested.connect(self.show_history)
        self.summary_view.home_requested.connect(self.show_start)
        self.stack.currentChanged.connect(lambda _i: self._update_actions())
        self.start_page.packs_loaded.connect(self.on_start_page_packs_loaded)
        self.tasks.task_finished.connect(self.on_tasks_task_finished)

    def _splitters(self) -> list[QSplitter]:
        return self.findChildren(QSplitter)

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        for splitter in self._splitters():
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
        """A submit is being scored or a backup restored: nothing may switch pages or touch the database."""
        return self.session_page.busy or self.restoring

    def _update_actions(self) -> None:
        sp = self.session_page
        busy = self.busy
        for action in (
            self.new_profile_action, self.home_action, self.history_action, self.restore_action,
            self.import_pack_action, self.export_action, self.set_pin_action, self.clear_pin_action,
            self.reset_profile_action,
        ):
            action.setEnabled(not busy)
        self.stack.setEnabled(not self.restoring)
        in_session = self.stack.currentWidget() is sp and sp.session is not None and not self.restoring
        writing = in_session and not sp.in_feedback and not busy
        for action in (self.previous_action, self.next_action, self.skip_action):
            action.setEnabled(in_session and not busy)
        self.submit_action.setEnabled(writing)
        self.timer_action.setEnabled(writing)
        self.editor_action.setEnabled(writing)
        self.try_again_action.setEnabled(in_session and sp.in_feedback)
        self.undo_action.setEnabled(writing)
        self.redo_action.setEnabled(writing)

    # -- rendering ---------------------------------------------------------
    def refresh(self) -> None:
        last_profile = self.service.store.get_setting(key=LAST_PROFILE_KEY)
        profile_id = int(last_profile) if last_profile and last_profile.isdigit() else None
        pack_id = None
        if profile_id is not None and self.service.store.get_profile_by_id(profile_id=profile_id) is not None:
            pack_id = self.service.store.get_setting(key=LAST_PACK_KEY, profile_id=profile_id)
        else:
            profile_id = None
        self.start_page.refresh(profile_id=profile_id, pack_id=pack_id)

    def show_start(self) -> None:
        if self.busy:
            return
        if self.stack.currentWidget() is self.session_page and not self.session_page.save_draft():
            return
        self.refresh()
        self.stack.setCurrentWidget(self.start_page)
        self._focus_start_page()

    def show_history(self, profile_id: int | None = None) -> None:
        if self.busy:
            return
        if profile_id is None:
            profile_id = self.session_page.session.profile_id if self.session_page.session else self.start_page.selected_profile_id()
        if profile_id is None:
            self.statusBar().showMessage("Choose or create a profile first.", 5000)
            return
        if not self.unlock(profile_id):
            return
        current = self.stack.currentWidget()
        if current is self.session_page and not self.session_page.save_draft():
            return
        if current is not self.history_view:
            self._history_return = current
        pack_id = self.session_page.session.pack.id if self.session_page.session else None
        self.history_view.show_profile(profile_id, pack_id=pack_id)
        self.stack.setCurrentWidget(self.history_view)
        self.history_view.history_list.setFocus()

    def show_guide(self) -> None:
        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
        self.guide_window.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen warns that it cannot raise
            self.guide_window.raise_()
        self.guide_window.activateWindow()

    def start_background_loading(self) -> None:
        """Load the matcher on the worker after the window is shown."""
        self.matcher_status.setText("Loading the matcher…")
        self.tasks.run(self.service.matcher, self.on_matcher_loaded, self.on_matcher_load_failed)

    # -- slots -------------------------------------------------------------
    def on_matcher_loaded(self, _matcher: object) -> None:
        self.matcher_ready = True
        self.matcher_status.setText("Ready")
        self.matcher_loaded.emit()

    def on_matcher_load_failed(self, exc: BaseException) -> None:
        message = describe(exc)
        self.matcher_status.setText("Matcher unavailable")
        self.matcher_status.setToolTip(message)
        self.matcher_failed.emit(message)

    def unlock(self, profile_id: int) -> bool:
        """Ask for the PIN of a protected profile (once per run); ``False`` if not unlocked."""
        try:
            if self.service.is_unlocked(profile_id=profile_id):
                return True
            profile = self.service.store.get_profile_by_id(profile_id=profile_id)
            pin = dialogs.ask_pin(self, "Profile PIN", f"PIN for {profile.name if profile else 'this profile'}:")
            if pin is None:
                return False
            self.service.unlock_profile(profile_id=profile_id, pin=pin)
            return True
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "The profile stays locked", describe(exc))
            return False

    def on_outbox_timer_timeout(self) -> None:
        """While offline, try every few seconds to store what waits on this computer."""
        if not self.service.offline or self.tasks.busy:
            self.matcher_status.setToolTip("")
            return
        self.matcher_status.setText("Offline: work kept on this computer")
        self.matcher_status.setToolTip(self.service.offline_message or "")
        self.tasks.run(self.service.flush_outbox, self.on_outbox_flushed, lambda _exc: None)

    def on_outbox_flushed(self, outcome: object) -> None:
        if not self.service.offline:
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
        if not self.unlock(profile_id):
            return
        try:
            self.service.store.set_setting(key=LAST_PROFILE_KEY, value=str(profile_id))
            self.service.store.set_setting(key=LAST_PACK_KEY, value=pack_id, profile_id=profile_id)
            self.session_page.start(profile_id=profile_id, pack_id=pack_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Cannot start practising", describe(exc))
            return
        self.stack.setCurrentWidget(self.session_page)
        self.session_page.practice_view.focus_editor()
        self._update_actions()

    def on_session_page_attempt_submitted(self, _attempt: AttemptInfo) -> None:
        self._update_actions()

    def on_session_page_pack_finished(self) -> None:
        sp = self.session_page
        session = sp.session
        if session is None:
            return
        attempts = self.service.list_attempts(profile_id=session.profile_id, pack_id=session.pack.id)
        started = sp.session_started
        this_session = [a for a in attempts if started is None or a.submitted_at >= started]
        summary = pack_summary(session.pack, this_session, claim_ids=session.claim_ids)
        weakest = weakest_claims(session.pack, attempts, claim_ids=session.claim_ids)
        self.summary_view.show_summary(session.pack, summary, weakest)
        self._weakest = weakest
        self.stack.setCurrentWidget(self.summary_view)
        self.summary_view.weakest_button.setFocus()

    def on_summary_view_weakest_requested(self) -> None:
        session = self.session_page.session
        if session is None or not getattr(self, "_weakest", None):
            return
        self.session_page.start(profile_id=session.profile_id, pack_id=session.pack.id, claim_ids=self._weakest)
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

    def on_restore_backup_triggered(self) -> None:
        from ..core.backups import list_backups

        backups = list_backups(self.service.locations)
        if not backups:
            dialogs.show_info(self, "Restore backup", "There are no backups yet. Steelman makes one each day it starts (local database only).")
            return
        labels = [f"{b.day:%A %d %B %Y}  ({b.size // 1024} KB)" for b in backups]
        choice = dialogs.choose_item(self, "Restore backup", "Restore the database as it was on:", labels)
        if choice is None:
            return
        backup = backups[labels.index(choice)]
        if not dialogs.confirm(
            self,
            "Restore backup",
            f"Replace the current data with the backup from {backup.day:%d %B %Y}?\n\n"
            "The current database is not deleted: it is moved aside in the data folder.",
        ):
            return
        if self.busy or (self.stack.currentWidget() is self.session_page and not self.session_page.save_draft()):
            return
        # On the worker, after whatever it is doing, so nothing writes while
        # the file moves; the window is disabled until it is done.
        self.restoring = True
        self._update_actions()
        self.statusBar().showMessage("Restoring the backup…")

        def done(outcome: object) -> None:
            self._end_restore()
            moved_aside = getattr(outcome, "moved_aside", None)
            moved = f"\nThe data in use before was moved to {moved_aside}." if moved_aside else ""
            self.show_start()
            dialogs.show_info(self, "Backup restored", f"Restored the backup from {backup.day:%d %B %Y}.{moved}")
            self.backup_restored.emit()

        def failed(exc: BaseException) -> None:
            self._end_restore()
            dialogs.show_error(self, "Cannot restore the backup", describe(exc))

        self.tasks.run(lambda: self.service.restore_backup(backup.name), done, failed)

    def on_import_pack_triggered(self, *, replace: bool = False, path: str | None = None) -> None:
        """File ▸ Import Pack: validate on the worker, install, and show it on the start page."""
        from ..core.packs import PackValidationError
        from ..core.service import PackExistsError

        if path is None:
            path = dialogs.choose_open_file(self, "Import a pack", "Steelman packs (*.steelpack);;All files (*)")
        if path is None or self.busy:
            return
        self.statusBar().showMessage(f"Checking {Path(path).name}…")

        def done(pack: object) -> None:
            self.statusBar().showMessage(f"Imported {getattr(pack, 'title', '')}.", 8000)
            self.start_page.reload_packs(pack_id=getattr(pack, "id", None))
            self.pack_imported.emit(getattr(pack, "id", ""))

        def failed(exc: BaseException) -> None:
            self.statusBar().clearMessage()
            if isinstance(exc, PackExistsError) and "built-in" not in str(exc) and not replace:
                if dialogs.confirm(self, "Replace the pack?", f"{exc}.\n\nReplace it with {Path(path).name}? The old copy is kept aside."):
                    self.on_import_pack_triggered(replace=True, path=path)
                return
            if isinstance(exc, PackValidationError):
                shown = "\n".join(str(p) for p in exc.problems[:15])
                more = f"\n… and {len(exc.problems) - 15} more" if len(exc.problems) > 15 else ""
                dialogs.show_error(self, "The pack was not imported", f"{Path(path).name} has {len(exc.problems)} problem(s):\n\n{shown}{more}")
                return
            dialogs.show_error(self, "The pack was not imported", describe(exc))

        self.tasks.run(lambda: self.service.import_pack(Path(path), replace=replace), done, failed)

    # -- profile PINs --------------------------------------------------------
    def _current_profile(self) -> ProfileInfo | None:
        session = self.session_page.session
        profile_id = session.profile_id if session is not None else self.start_page.selected_profile_id()
        profile = None if profile_id is None else self.service.store.get_profile_by_id(profile_id=profile_id)
        if profile is None:
            dialogs.show_info(self, "Profile PIN", "Choose a profile on the start page first.")
        return profile

    def on_set_pin_triggered(self) -> None:
        profile = self._current_profile()
        if profile is None:
            return
        current = None
        if profile.has_pin:
            current = dialogs.ask_pin(self, "Change PIN", f"Current PIN for {profile.name}:")
            if current is None:
                return
        new = dialogs.ask_pin(self, "Set PIN", f"New PIN for {profile.name} (at least 4 characters):")
        if new is None:
            return
        if dialogs.ask_pin(self, "Set PIN", "Type the new PIN again:") != new:
            dialogs.show_error(self, "PIN not set", "The two PINs were not the same. Nothing was changed.")
            return
        try:
            self.service.set_pin(profile_id=profile.id, pin=new, current_pin=current)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "PIN not set", describe(exc))
            return
        self.statusBar().showMessage(f"{profile.name} is now protected by a PIN.", 8000)

    def on_clear_pin_triggered(self) -> None:
        profile = self._current_profile()
        if profile is None:
            return
        if not profile.has_pin:
            dialogs.show_info(self, "Remove PIN", f"{profile.name} has no PIN.")
            return
        current = dialogs.ask_pin(self, "Remove PIN", f"Current PIN for {profile.name}:")
        if current is None:
            return
        try:
            self.service.clear_pin(profile_id=profile.id, current_pin=current)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "PIN not removed", describe(exc))
            return
        self.statusBar().showMessage(f"{profile.name} has no PIN any more.", 8000)

    def on_reset_profile_triggered(self) -> None:
        """A forgotten PIN: only by deleting that profile's data, after an explicit confirmation."""
        profile = self._current_profile()
        if profile is None:
            return
        typed = dialogs.ask_text(
            self,
            "Reset profile",
            f"This deletes ALL of {profile.name}'s attempts, drafts and disputes, and the PIN.\n"
            f"It cannot be undone. Type the profile name ({profile.name}) to confirm:",
        )
        if typed is None or typed.strip() != profile.name:
            if typed is not None:
                dialogs.show_info(self, "Reset profile", "The name did not match. Nothing was deleted.")
            return
        if self.session_page.session is not None and self.session_page.session.profile_id == profile.id:
            self.session_page.session = None
        try:
            self.service.reset_profile(profile_id=profile.id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Reset failed", describe(exc))
            return
        self.show_start()
        self.statusBar().showMessage(f"{profile.name} was reset: no PIN, no history.", 8000)

    def on_export_triggered(self) -> None:
        """File ▸ Export Results: one profile or all (locked ones left out), CSV or JSON, on the worker."""
        if self.busy:
            return
        session = self.session_page.session
        profile_id = session.profile_id if session is not None else self.start_page.selected_profile_id()
        scope_id: int | None = None
        if profile_id is not None:
            profile = self.service.store.get_profile_by_id(profile_id=profile_id)
            if profile is not None:
                choices = [f"Only {profile.name}", "Every profile (PIN-protected ones that are locked are left out)"]
                choice = dialogs.choose_item(self, "Export results", "Export the attempts of:", choices)
                if choice is None:
                    return
                if choice == choices[0]:
                    if not self.unlock(profile_id):
                        return
                    scope_id = profile_id
        suggested = f"steelman-results-{self.service.clock():%Y-%m-%d}.csv"
        out = dialogs.choose_save_file(self, "Export results", suggested, "Spreadsheet (*.csv);;JSON (*.json)")
        if out is None:
            return
        target = Path(out)
        fmt = "json" if target.suffix.lower() == ".json" else "csv"
        if target.suffix.lower() not in (".csv", ".json"):
            target = target.with_suffix(".csv")
        self.statusBar().showMessage(f"Exporting to {target.name}…")

        def done(outcome: object) -> None:
            count = getattr(outcome, "count", 0)
            left_out = getattr(outcome, "excluded_profiles", ())
            note = f"\nLeft out (locked with a PIN): {', '.join(left_out)}." if left_out else ""
            self.statusBar().showMessage(f"Exported {count} attempt(s) to {target}.", 8000)
            dialogs.show_info(self, "Export finished", f"Exported {count} attempt(s) to {target}.{note}")
            self.results_exported.emit(str(target))

        def failed(exc: BaseException) -> None:
            self.statusBar().clearMessage()
            dialogs.show_error(self, "The export failed", describe(exc))

        self.tasks.run(lambda: self.service.export_attempts(fmt=fmt, out=target, profile_id=scope_id), done, failed)

    def _end_restore(self) -> None:
        self.restoring = False
        self.statusBar().clearMessage()
        self._update_actions()

    def set_theme(self, choice: str) -> None:
        QSettings().setValue(theme.SETTINGS_KEY, choice)
        self.theme_actions[choice].setChecked(True)
        theme.apply_theme(choice)
        self.session_page.practice_view.refresh_theme()
        self.session_page.feedback_view.refresh_theme()
        self.history_view.feedback_view.refresh_theme()

    def toggle_dark_mode(self) -> None:
        current = theme.effective_theme(theme.saved_theme())
        self.set_theme("light" if current == "dark" else "dark")

    def on_about_triggered(self) -> None:
        session = self.session_page.session
        packs = [session.pack] if session is not None else self.service.packs()
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
            what = "restoring the backup" if self.restoring else "saving your answer"
            self.statusBar().showMessage(f"Steelman will close after {what}…")
            event.ignore()
            return
        if self.session_page.session is not None and not self.session_page.save_draft():
            event.ignore()
            return
        self._save_state()
        if self.guide_window is not None:
            self.guide_window.close()
        self.tasks.shutdown()
        super().closeEvent(event)
