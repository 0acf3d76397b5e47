"""A practice session on screen: the claim sidebar beside the practice view or the feedback.

This page owns the ``PracticeSession`` and does the glue: drafts (debounced,
and on every navigation), submission on the background worker, and the
switch between writing and feedback.

"Try again" opens the practice view in revision: the last attempt's verdicts
stay beside the editor (the checklist) until the claim is submitted again.
With "Live check" on, a typing pause re-scores the draft on the worker
(``scoring.score``, which stores nothing) and ticks the points it now makes;
only the newest draft's result is shown, and at most one check waits while
another runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QStackedWidget, QWidget

from ..core.errors import describe
from ..core.progress import ClaimStatus, claim_statuses, format_score
from ..core.records import AttemptInfo, DraftInfo
from ..core.service import Service
from ..core.session import PracticeSession
from . import dialogs
from .claim_sidebar import ClaimSidebar
from .feedback_view import FeedbackView
from .formatting import due_text
from .practice_view import PracticeView
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..core.matching import MatchResult

DRAFT_DELAY_MS = 1000  # save after this much quiet time since the last keystroke...
DRAFT_MAX_WAIT_MS = 1500  # ...and at least this often while typing without a pause (the 2 s promise)
POSITION_KEY = "ui/position/{pack_id}"
LIVE_DELAY_MS = 800  # a live check runs after this much quiet time since the last keystroke


@dataclass(frozen=True)
class LiveRequest:
    """One live check: the draft as it was when the typing paused."""

    generation: int
    pack_id: str
    claim_id: str
    text: str
    perspective_id: str | None


class SessionPage(QWidget):
    attempt_submitted = Signal(object)  # AttemptInfo
    submission_failed = Signal(str)
    draft_saved = Signal()
    claim_shown = Signal(str)
    feedback_shown = Signal()
    pack_finished = Signal()
    busy_changed = Signal(bool)
    status_message = Signal(str)
    #: A live check's result was shown on the checklist (never stored).
    live_checked = Signal(object)  # MatchResult

    def __init__(
        self,
        service: Service,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        timer_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionPage")
        self.service = service
        self.tasks = tasks
        self.session: PracticeSession | None = None
        self.session_started: datetime | None = None
        self.busy = False
        self._dirty = False
        self._opened_at: dict[str, datetime] = {}
        self._statuses: dict[str, ClaimStatus] = {}
        self._assigned: tuple[dict[str, bool], str] = ({}, "")  # assigned claims (done or not), and the line about them
        self._last_feedback: tuple[AttemptInfo, MatchResult] | None = None  # what the feedback page shows
        self._revising: dict[str, tuple[AttemptInfo, MatchResult]] = {}  # claim -> the attempt being revised
        self._live_generation = 0  # bumped by every newer draft (and by leaving): older results are dropped
        self._live_running = False
        self._live_waiting: LiveRequest | None = None  # the newest draft, while another check runs

        self.sidebar = ClaimSidebar(self)
        self.practice_view = PracticeView(self, timer_clock=timer_clock)
        self.feedback_view = FeedbackView(service, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.practice_view)
        self.stack.addWidget(self.feedback_view)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("sessionSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([280, 920])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self._unsaved_for = QElapsedTimer()  # runs from the first unsaved edit
        self.live_timer = QTimer(self)
        self.live_timer.setSingleShot(True)
        self.live_timer.setInterval(LIVE_DELAY_MS)
        self.live_timer.timeout.connect(self.check_live)

        pv = self.practice_view
        pv.text_edited.connect(self.on_practice_view_text_edited)
        pv.perspective_chosen.connect(self.on_practice_view_perspective_chosen)
        pv.submit_requested.connect(self.submit)
        pv.previous_requested.connect(self.go_previous)
        pv.next_requested.connect(self.go_next)
        pv.skip_requested.connect(self.skip)
        pv.checklist.live_toggled.connect(self.on_checklist_live_toggled)
        self.feedback_view.try_again_requested.connect(self.try_again)
        self.feedback_view.next_requested.connect(self.go_next)
        self.sidebar.claim_chosen.connect(self.on_sidebar_claim_chosen)

    # -- starting ------------------------------------------------------------
    def start(self, *, profile_id: int, pack_id: str, claim_ids: list[str] | None = None) -> None:
        pack = self.service.packs.get(pack_id)
        self.session = PracticeSession(pack=pack, profile_id=profile_id, claim_ids=list(claim_ids or []))
        if claim_ids is None:
            saved = self.service.settings.get(POSITION_KEY.format(pack_id=pack_id), profile_id=profile_id)
            if saved in self.session.claim_ids:
                self.session.go_to(saved)
        self.session_started = self.service.clock()
        self._opened_at.clear()
        self._statuses = {}
        self._assigned = ({}, "")
        self._revising.clear()
        self._last_feedback = None
        self.show_current()

    @property
    def in_feedback(self) -> bool:
        return self.stack.currentWidget() is self.feedback_view

    # -- rendering -----------------------------------------------------------
    def _read_claim(self, claim_id: str) -> DraftInfo | None:
        """Everything shown for a claim that comes from storage (read before moving to it)."""
        session = self._require_session()
        return self.service.practice.get_draft(profile_id=session.profile_id, pack_id=session.pack.id, claim_id=claim_id)

    def _move_to(self, position: int) -> bool:
        """Read the claim at ``position`` first, then move there and show it.

        If the read fails, the session stays on the current claim (whose
        text is still in the editor) and the status line says why."""
        session = self._require_session()
        try:
            draft = self._read_claim(session.claim_ids[position])
        except Exception as exc:  # noqa: BLE001 - reported, practice goes on
            self.status_message.emit(f"Cannot open that claim, so you stay on this one: {describe(exc)}")
            self._show_sidebar()
            return False
        session.position = position
        self._show(draft)
        return True

    def show_current(self) -> None:
        session = self._require_session()
        self._show(self._read_claim(session.current.id))

    def _show(self, draft: DraftInfo | None) -> None:
        session = self._require_session()
        claim = session.current
        perspective = session.perspective_id
        if draft is not None:
            try:
                session.choose_perspective(draft.perspective_id)
                perspective = draft.perspective_id
            except KeyError:
                pass
            self._opened_at.setdefault(claim.id, draft.started_at)
        self._opened_at.setdefault(claim.id, self.service.clock())
        self.practice_view.show_claim(
            pack=session.pack,
            claim=claim,
            label=session.label,
            perspective_id=perspective,
            text=draft.text if draft else "",
            cursor_position=draft.cursor_position if draft else 0,
            can_go_back=not session.at_start,
            can_go_forward=not session.at_end,
        )
        self._show_checklist(claim.id)
        self._dirty = False
        self.stack.setCurrentWidget(self.practice_view)
        self.refresh_sidebar()
        self.practice_view.focus_editor()
        if not self.service.writes.offline:  # offline, a setting is not worth waiting for the server
            self._best_effort(
                self.service.settings.set,
                key=POSITION_KEY.format(pack_id=session.pack.id),
                value=claim.id,
                profile_id=session.profile_id,
            )
        self.claim_shown.emit(claim.id)

    def _best_effort(self, action: Callable[..., object], /, **kwargs: object) -> object | None:
        """Run a storage call whose failure must not interrupt practice (e.g. the server is down).

        The failure is reported on the status line; ``None`` is returned.
        """
        try:
            return action(**kwargs)
        except Exception as exc:  # noqa: BLE001 - reported, practice goes on
            self.status_message.emit(describe(exc))
            return None

    def refresh_sidebar(self) -> None:
        session = self._require_session()
        if not self.service.writes.offline:  # offline, keep the statuses shown so far
            attempts = self._best_effort(self.service.results.list_attempts, profile_id=session.profile_id, pack_id=session.pack.id)
            if attempts is not None:
                self._statuses = claim_statuses(session.pack, attempts)
            self._assigned = self._read_assigned(session.profile_id, session.pack.id)
        self._show_sidebar()

    def _read_assigned(self, profile_id: int, pack_id: str) -> tuple[dict[str, bool], str]:
        """The claims of this pack assigned to the student, each with whether it is done, and the line under the list."""
        assigned: dict[str, bool] = {}
        lines = []
        for a in self._best_effort(lambda: self.service.assignments.for_profile(profile_id)) or []:
            if a.pack_id != pack_id:
                continue
            done = self._best_effort(lambda a=a: self.service.assignments.done(a, profile_id)) or set()
            for claim_id in a.claim_ids:
                assigned[claim_id] = assigned.get(claim_id, False) or claim_id in done
            lines.append(f"📌 {a.title}: {len(done)} of {len(a.claim_ids)} done, due {due_text(a.due_on)}")
        return assigned, "\n".join(lines)

    def _show_sidebar(self) -> None:
        session = self._require_session()
        assigned, text = self._assigned
        self.sidebar.show_claims(session.pack, session.claim_ids, self._statuses, session.current.id, assigned=assigned, assignment_text=text)

    def _show_checklist(self, claim_id: str) -> None:
        """Beside the editor: the verdicts of the attempt being revised, if "Try again" opened this claim."""
        self._cancel_live()
        revising = self._revising.get(claim_id)
        if revising is None:
            self.practice_view.hide_checklist()
            return
        attempt, result = revising
        claim = self._require_session().pack.claim(claim_id)
        covered = sum(1 for kp in claim.key_points if (v := result.verdict_for(kp.id)) is not None and v.verdict == "covered")
        summary = f"Scored {format_score(result.score)}: {covered} of {len(claim.key_points)} key points covered."
        self.practice_view.show_checklist(claim=claim, result=result, summary=summary)
        if self.practice_view.checklist.is_live() and attempt.text != self.practice_view.text():
            self.live_timer.start(0)

    def show_feedback(self, attempt: AttemptInfo, result: MatchResult) -> None:
        session = self._require_session()
        self._last_feedback = (attempt, result)
        disputes = [] if attempt.pending else self._best_effort(self.service.results.list_disputes, attempt_id=attempt.id) or []
        self.feedback_view.show_attempt(pack=session.pack, attempt=attempt, result=result, disputes=disputes, at_end=session.at_end)
        self.stack.setCurrentWidget(self.feedback_view)
        self.feedback_view.key_point_list.setFocus()
        self.feedback_shown.emit()

    # -- drafts ----------------------------------------------------------------
    def _schedule_draft_save(self) -> None:
        """Debounce, but never let unsaved text get older than DRAFT_MAX_WAIT_MS."""
        self._dirty = True
        if not self._unsaved_for.isValid():
            self._unsaved_for.start()
        left = DRAFT_MAX_WAIT_MS - self._unsaved_for.elapsed()
        self.draft_timer.start(max(0, min(DRAFT_DELAY_MS, left)))

    def on_practice_view_text_edited(self) -> None:
        self._schedule_draft_save()
        self._schedule_live_check()

    def on_practice_view_perspective_chosen(self, perspective_id: str | None) -> None:
        if self.session is not None:
            self.session.choose_perspective(perspective_id)
        self._schedule_draft_save()
        self._schedule_live_check()

    # -- live check (a revision's draft, scored but never stored) ---------------------
    def _live_wanted(self, claim_id: str | None = None) -> bool:
        session = self.session
        if session is None or self.in_feedback or not self.practice_view.checklist.is_live():
            return False
        current = session.current.id
        return current in self._revising and (claim_id is None or claim_id == current)

    def _schedule_live_check(self) -> None:
        if self._live_wanted():
            self.live_timer.start()

    def check_live(self) -> None:
        """Score the draft now (the timer calls this on a typing pause). If a check is
        running, this draft waits, replacing any older one that was waiting."""
        self.live_timer.stop()
        if not self._live_wanted() or self.busy:
            return
        session = self._require_session()
        self._live_generation += 1
        request = LiveRequest(self._live_generation, session.pack.id, session.current.id, self.practice_view.text(), session.perspective_id)
        self.practice_view.checklist.set_checking(True)
        if self._live_running:
            self._live_waiting = request
            return
        self._run_live(request)

    def _run_live(self, request: LiveRequest) -> None:
        self._live_running = True
        self.tasks.run(
            lambda: self.service.scoring.score(
                pack_id=request.pack_id, claim_id=request.claim_id, text=request.text, perspective_id=request.perspective_id
            ),
            lambda result: self.on_live_done(request, result),
            lambda exc: self.on_live_failed(request, exc),
        )

    def _next_live(self) -> bool:
        """Start the check that waited, if it is still wanted; ``True`` if one started."""
        self._live_running = False
        waiting, self._live_waiting = self._live_waiting, None
        if waiting is not None and waiting.generation == self._live_generation and self._live_wanted(waiting.claim_id):
            self._run_live(waiting)
            return True
        return False

    def on_live_done(self, request: LiveRequest, result: MatchResult) -> None:
        if self._next_live():
            return  # a newer draft is being checked: this result is already stale
        if request.generation == self._live_generation and self._live_wanted(request.claim_id):
            self.practice_view.checklist.show_live(result)
            self.live_checked.emit(result)
        self.practice_view.checklist.set_checking(self._live_running)

    def on_live_failed(self, request: LiveRequest, _exc: BaseException) -> None:
        if self._next_live():
            return
        if request.generation == self._live_generation and self._live_wanted(request.claim_id):
            self.practice_view.checklist.show_live_failed()
        self.practice_view.checklist.set_checking(self._live_running)

    def _cancel_live(self) -> None:
        """Forget pending checks (another claim, a submission, Live check off)."""
        self.live_timer.stop()
        self._live_generation += 1
        self._live_waiting = None
        self.practice_view.checklist.set_checking(False)

    def on_checklist_live_toggled(self, live: bool) -> None:
        self._cancel_live()
        if live and self._live_wanted():
            self.check_live()

    def save_draft(self) -> bool:
        """Save the editor's text as the current claim's draft; ``False`` (text kept) on failure."""
        self.draft_timer.stop()
        if self.session is None or not self._dirty or self.in_feedback:
            return True
        session = self.session
        claim_id = session.current.id
        text = self.practice_view.text()
        try:
            if text.strip() or session.perspective_id is not None:
                self.service.practice.save_draft(
                    profile_id=session.profile_id,
                    pack_id=session.pack.id,
                    claim_id=claim_id,
                    text=text,
                    cursor_position=self.practice_view.cursor_position(),
                    perspective_id=session.perspective_id,
                    started_at=self._opened_at.get(claim_id),
                )
            else:
                self.service.practice.delete_draft(profile_id=session.profile_id, pack_id=session.pack.id, claim_id=claim_id)
        except Exception as exc:  # noqa: BLE001 - the text stays in the editor
            dialogs.show_error(self, "Your draft could not be saved", f"{describe(exc)}\n\nYour text is still in the editor.")
            return False
        self._dirty = False
        self._unsaved_for.invalidate()
        self.draft_saved.emit()
        return True

    # -- navigation ------------------------------------------------------------
    def _leave(self) -> bool:
        return not self.busy and self.save_draft()

    def go_previous(self) -> None:
        if self.session is None or not self._leave():
            return
        if not self.session.at_start:
            self._move_to(self.session.position - 1)
        elif self.in_feedback:
            self._move_to(self.session.position)

    def go_next(self) -> None:
        if self.session is None or not self._leave():
            return
        if not self.session.at_end:
            self._move_to(self.session.position + 1)
        else:
            self.pack_finished.emit()

    def skip(self) -> None:
        self.go_next()

    def go_to(self, claim_id: str) -> None:
        if self.session is None or not self._leave():
            return
        self._move_to(self.session.claim_ids.index(claim_id))

    def on_sidebar_claim_chosen(self, claim_id: str) -> None:
        if self.session is not None and (claim_id != self.session.current.id or self.in_feedback):
            self.go_to(claim_id)

    def try_again(self) -> None:
        """Back to the editor with the previous answer, and its verdicts beside it (the checklist)."""
        if self.session is None:
            return
        previous = self.feedback_view.attempt
        if self._last_feedback is not None and self._last_feedback[0].claim_id == self.session.current.id:
            self._revising[self.session.current.id] = self._last_feedback
        self._opened_at.pop(self.session.current.id, None)
        self.show_current()
        if previous is not None and not self.practice_view.text():
            self.practice_view.response_editor.setPlainText(previous.text)
            self.practice_view.response_editor.moveCursor(QTextCursor.MoveOperation.End)

    # -- submitting ------------------------------------------------------------
    def submit(self) -> None:
        if self.session is None or self.busy or self.in_feedback:
            return
        text = self.practice_view.text()
        if not text.strip():
            self.status_message.emit("Write your counterargument first, then submit.")
            self.practice_view.focus_editor()
            return
        if self._dirty and not self.save_draft():
            return
        session = self.session
        claim_id = session.current.id
        started = self._opened_at.get(claim_id)
        kwargs = dict(
            profile_id=session.profile_id,
            pack_id=session.pack.id,
            claim_id=claim_id,
            text=text,
            perspective_id=session.perspective_id,
            started_at=started,
        )
        self._cancel_live()
        self._set_busy(True)
        self.status_message.emit("Scoring your response…")
        self.tasks.run(
            lambda: self.service.practice.submit_attempt(**kwargs),
            lambda outcome: self.on_submit_done(outcome, session=session),
            self.on_submit_failed,
        )

    def on_submit_done(self, outcome: tuple[AttemptInfo, MatchResult], *, session: PracticeSession | None = None) -> None:
        """Show the feedback, unless the page has moved on to another session
        or claim meanwhile (the attempt is stored either way)."""
        self._set_busy(False)
        attempt, result = outcome
        current = self.session
        if current is None or (session is not None and current is not session):
            self.status_message.emit("Your earlier answer was scored and saved; see it in History.")
            self.attempt_submitted.emit(attempt)
            return
        self._opened_at.pop(attempt.claim_id, None)
        self._revising.pop(attempt.claim_id, None)  # submitted: the revision is done
        if current.current.id != attempt.claim_id:
            self.refresh_sidebar()
            self.status_message.emit("Your earlier answer was scored and saved; see it in History.")
            self.attempt_submitted.emit(attempt)
            return
        self._dirty = False
        self.refresh_sidebar()
        self.show_feedback(attempt, result)
        if attempt.pending:
            self.status_message.emit(self.service.writes.offline_message or "Saved on this computer; it will be stored when the database is back.")
        else:
            self.status_message.emit(f"Scored: {round(100 * result.score)}%")
        self.attempt_submitted.emit(attempt)

    def on_submit_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = describe(exc)
        dialogs.show_error(self, "Your response could not be scored", f"{message}\n\nYour text is kept as a draft.")
        self.practice_view.focus_editor()
        self.submission_failed.emit(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.practice_view.set_busy(busy)
        self.sidebar.setEnabled(not busy)
        self.busy_changed.emit(busy)

    def _require_session(self) -> PracticeSession:
        if self.session is None:
            raise RuntimeError("no practice session has been started")
        return self.session
