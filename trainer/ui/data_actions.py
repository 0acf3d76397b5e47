"""The window's data actions: restore a backup, import a pack, export results,
re-score history, profile PINs.

A mixin of :class:`~trainer.ui.main_window.MainWindow`, kept apart so that the
window module stays about pages and navigation. Everything slow (restoring,
importing, exporting, re-scoring) runs on the window's single storage worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import Cancelled, describe
from . import dialogs
from .work_progress import WorkProgress

if TYPE_CHECKING:
    from ..core.records import ProfileInfo


class DataActionsMixin:
    """Slots for File ▸ Restore Backup / Import Pack / Export Results / Re-score History and the Profile menu."""

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
        if self.busy or (self.stack.currentWidget() is self._session_page and not self.session_page.save_draft()):
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

        self.tasks.run(lambda: self.service.packs.import_pack(Path(path), replace=replace), done, failed)

    # -- profile PINs --------------------------------------------------------
    def _current_profile(self) -> ProfileInfo | None:
        session = self.current_session
        profile_id = session.profile_id if session is not None else self.start_page.selected_profile_id()
        profile = None if profile_id is None else self.service.profiles.find(profile_id)
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
        new = dialogs.ask_new_pin(self, "Set PIN", f"New PIN for {profile.name} (at least 4 characters):", refused="PIN not set")
        if new is None:
            return
        try:
            self.service.profiles.set_pin(profile_id=profile.id, pin=new, current_pin=current)
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
            self.service.profiles.clear_pin(profile_id=profile.id, current_pin=current)
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
        if self.current_session is not None and self.current_session.profile_id == profile.id:
            self.session_page.session = None
        try:
            self.service.profiles.reset(profile_id=profile.id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Reset failed", describe(exc))
            return
        self.show_start()
        self.statusBar().showMessage(f"{profile.name} was reset: no PIN, no history.", 8000)

    def on_export_triggered(self) -> None:
        """File ▸ Export Results: one profile or all (locked ones left out), CSV or JSON, on the worker."""
        if self.busy:
            return
        session = self.current_session
        profile_id = session.profile_id if session is not None else self.start_page.selected_profile_id()
        scope_id: int | None = None
        if profile_id is not None:
            profile = self.service.profiles.find(profile_id)
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
        progress = self.export_progress = WorkProgress(self, title="Export results", label=f"Exporting to {target.name}…",
                                                       object_name="exportProgress")

        def done(outcome: object) -> None:
            from ..core.export import companion_paths

            progress.close()

            count = getattr(outcome, "count", 0)
            left_out = getattr(outcome, "excluded_profiles", ())
            note = f"\n\nLeft out (locked with a PIN): {', '.join(left_out)}." if left_out else ""
            written = f"Exported {count} attempt(s) to {target}."
            if fmt == "csv":
                key_points, disputes = companion_paths(target)
                written = (
                    f"Exported {count} attempt(s) to three files in {target.parent}:\n"
                    f"{target.name}: one row per attempt\n"
                    f"{key_points.name}: one row per attempt and key point\n"
                    f"{disputes.name}: the disputes"
                )
            self.statusBar().showMessage(f"Exported {count} attempt(s) to {target}.", 8000)
            dialogs.show_info(self, "Export finished", f"{written}{note}")
            self.results_exported.emit(str(target))

        def failed(exc: BaseException) -> None:
            progress.close()
            self.statusBar().clearMessage()
            if isinstance(exc, Cancelled):
                self.statusBar().showMessage("Export cancelled: no file was written or changed.", 8000)
                return
            dialogs.show_error(self, "The export failed", describe(exc))

        self.tasks.run(
            lambda: self.service.results.export_attempts(fmt=fmt, out=target, profile_id=scope_id, progress=progress.step), done, failed)

    def _chosen_profile_id(self) -> int | None:
        """The profile practising, or else the one selected on the start page."""
        session = self.current_session
        return session.profile_id if session is not None else self.start_page.selected_profile_id()

    def on_rescore_triggered(self) -> None:
        """File ▸ Re-score History: score the chosen profile's attempts again with
        the current matcher, on the worker, with progress in the status bar."""
        profile_id = self._chosen_profile_id()
        if self.busy or profile_id is None:
            return
        profile = self.service.profiles.find(profile_id)
        if profile is None:
            return
        if not dialogs.confirm(
            self,
            "Re-score history",
            f"Score all of {profile.name}'s attempts again with the current matcher?\n\n"
            "Do this after an update of Steelman has changed how answers are scored: scores may go up or down. "
            "Each attempt's earlier score is not lost: it is kept in the attempt's score history "
            "(in the database, and in JSON exports). History and Progress then shows the new scores.\n\n"
            "Attempts at packs that are no longer installed are left as they are.",
        ):
            return
        if not self.unlock(profile_id):
            return
        self.rescoring = True
        self._update_actions()
        self.statusBar().showMessage(f"Re-scoring {profile.name}'s attempts…")

        def progress(done: int, total: int) -> None:  # on the worker: only emit
            self.rescore_progress.emit(done, total)

        def finished(counts: object) -> None:
            rescored, skipped = counts  # type: ignore[misc]
            self._end_rescore()
            self._refresh_after_rescore()
            noun = "attempt" if rescored == 1 else "attempts"
            message = f"Re-scored {rescored} {noun} of {profile.name} with the current matcher."
            if not rescored and not skipped:
                message = f"{profile.name} has no submitted attempts to re-score."
            elif skipped:
                message = (
                    f"Re-scored {rescored} {noun}; {skipped} skipped because their pack "
                    "(or claim) is no longer installed."
                )
            self.statusBar().showMessage(message, 8000)
            dialogs.show_info(self, "Re-scoring finished", message)
            self.attempts_rescored.emit(rescored, skipped)

        def failed(exc: BaseException) -> None:
            self._end_rescore()
            self._refresh_after_rescore(quiet=True)  # some attempts may have been re-scored before the error
            dialogs.show_error(
                self,
                "Re-scoring stopped",
                f"The attempts could not all be re-scored: {describe(exc)}\n\n"
                "Attempts re-scored before this happened keep their new score; the others keep their old one. "
                "You can run File ▸ Re-score History with the Current Matcher again.",
            )

        self.tasks.run(lambda: self.service.scoring.rescore_profile(profile_id=profile_id, progress=progress), finished, failed)

    def on_rescore_progress(self, done: int, total: int) -> None:
        """Connected queued: runs on the GUI thread, after the worker's ``rescore_progress``."""
        if self.rescoring:
            closing = " Steelman will close when it is done." if self._close_when_idle else ""
            self.statusBar().showMessage(f"Re-scoring {done} of {total}…{closing}")

    def _refresh_after_rescore(self, *, quiet: bool = False) -> None:
        """Show the new scores in the history list (if it is showing) and the claim sidebar."""
        try:
            if self.stack.currentWidget() is self._history_view and self.history_view.profile_id is not None:
                session = self.current_session
                self.history_view.show_profile(self.history_view.profile_id, pack_id=session.pack.id if session else None)
            if self.current_session is not None:
                self.session_page.refresh_sidebar()
        except Exception as exc:  # noqa: BLE001 - shown to the user
            if not quiet:  # after a failed re-score, its own error is the one to show
                dialogs.show_error(self, "Cannot show the new scores", describe(exc))

    def _end_rescore(self) -> None:
        self.rescoring = False
        self.statusBar().clearMessage()
        self._update_actions()

    def _end_restore(self) -> None:
        self.restoring = False
        self.statusBar().clearMessage()
        self._update_actions()
