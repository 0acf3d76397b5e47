"""The storage of a club's shared work: the class overview's rows and disputes a coach resolves.

Like :class:`~trainer.core.storage.repository.Repository` (whose session and
record helpers it shares), every public method is one transaction returning
plain records. Who may call them is decided by ``services/club.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from trainer.core.records import DISPUTE_STATUSES, VERDICTS, AttemptSummary, DisputeCase, DisputeInfo

from .database import Database
from .errors import InvalidInputError, NotFoundError
from .models import Attempt, Dispute, Profile
from .repository import (
    _aware,
    _attempt_info,
    _check_text,
    _dispute_info,
    _json_object,
    _previous_score,
    _score,
    _score_history,
    _Sessions,
    utc_now,
)

Rescore = Callable[[float | None, Mapping[str, Any], str], tuple[float | None, Mapping[str, Any]]]
"""``(score, breakdown, text) -> (score, breakdown)``: the attempt after an override."""

_SUMMARY_COLUMNS = (
    Attempt.id, Attempt.profile_id, Attempt.pack_id, Attempt.claim_id, Attempt.perspective_id,
    Attempt.score, Attempt.submitted_at, Attempt.duration_seconds, Attempt.breakdown,
)


class DisputeResolvedError(InvalidInputError):
    """Someone (another coach, on another laptop) resolved the dispute first."""

    def __init__(self, dispute_id: int, status: str) -> None:
        super().__init__("dispute", f"dispute {dispute_id} was already {status}")
        self.status = status


class ClubStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._sessions = _Sessions(database.sessions, database.url)
        self._clock = clock

    # --- the class overview ------------------------------------------------------

    def attempt_summaries(
        self,
        *,
        pack_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[AttemptSummary]:
        """Every attempt submitted in ``[since, until)`` (of ``pack_id``), oldest first, without its text."""
        query = select(*_SUMMARY_COLUMNS)
        if pack_id is not None:
            query = query.where(Attempt.pack_id == pack_id)
        if since is not None:
            query = query.where(Attempt.submitted_at >= _aware(since, "since"))
        if until is not None:
            query = query.where(Attempt.submitted_at < _aware(until, "until"))
        with self._sessions.begin() as s:
            rows = s.execute(query.order_by(Attempt.submitted_at, Attempt.id)).all()
        return [
            AttemptSummary(
                id=r[0], profile_id=r[1], pack_id=r[2], claim_id=r[3], perspective_id=r[4], score=r[5],
                submitted_at=r[6], duration_seconds=r[7], verdicts=_verdicts(r[8]),
            )
            for r in rows
        ]

    def attempt_texts(self, *, attempt_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(attempt_ids))
        if not ids:
            return {}
        with self._sessions.begin() as s:
            return {row[0]: row[1] for row in s.execute(select(Attempt.id, Attempt.text).where(Attempt.id.in_(ids)))}

    # --- disputes ------------------------------------------------------------------

    def count_disputes(self, *, status: str = "open") -> int:
        with self._sessions.begin() as s:
            return int(s.scalar(select(func.count()).select_from(Dispute).where(Dispute.status == status)) or 0)

    def dispute_case(self, *, dispute_id: int) -> DisputeCase:
        """One dispute and its attempt (``NotFoundError`` if there is none)."""
        found = self.dispute_cases(status=None, dispute_id=dispute_id)
        if not found:
            raise NotFoundError("dispute", dispute_id)
        return found[0]

    def dispute_cases(
        self, *, status: str | None = "open", profile_id: int | None = None, dispute_id: int | None = None
    ) -> list[DisputeCase]:
        """Disputes (with ``status``, or all) and their attempts, oldest first."""
        if status is not None and status not in DISPUTE_STATUSES:
            raise InvalidInputError("status", f"must be one of {', '.join(DISPUTE_STATUSES)}")
        query = (
            select(Dispute, Attempt, Profile.name)
            .join(Attempt, Dispute.attempt_id == Attempt.id)
            .join(Profile, Attempt.profile_id == Profile.id)
        )
        if status is not None:
            query = query.where(Dispute.status == status)
        if profile_id is not None:
            query = query.where(Attempt.profile_id == profile_id)
        if dispute_id is not None:
            query = query.where(Dispute.id == dispute_id)
        with self._sessions.begin() as s:
            rows = s.execute(query.order_by(Dispute.created_at, Dispute.id)).all()
            attempts = select(Attempt).where(Attempt.id.in_({a.id for _, a, _ in rows}))
            history = _score_history(s, attempts) if rows else {}
            return [
                DisputeCase(_dispute_info(d), _attempt_info(a, name, history.get(a.id, ()))) for d, a, name in rows
            ]

    def resolve_dispute(
        self,
        *,
        dispute_id: int,
        accept: bool,
        coach: str,
        note: str = "",
        verdict: str | None = None,
        rescore: Rescore | None = None,
    ) -> DisputeCase:
        """Accept (the key point gets ``verdict``, the attempt ``rescore``'s
        score; the old score goes to its history) or reject an open dispute.

        One transaction: a dispute resolved meanwhile (``DisputeResolvedError``)
        changes nothing. ``rescore`` runs inside it, on the attempt as stored.
        """
        _check_text("note", note)
        if accept and verdict not in VERDICTS:
            raise InvalidInputError("verdict", f"must be one of {', '.join(VERDICTS)}")
        now = _aware(self._clock(), "clock()")
        with self._sessions.begin() as s:
            dispute = s.get(Dispute, dispute_id)
            if dispute is None:
                raise NotFoundError("dispute", dispute_id)
            claimed = s.execute(
                update(Dispute)
                .where(Dispute.id == dispute_id, Dispute.status == "open")
                .values(
                    status="accepted" if accept else "rejected",
                    resolved_at=now,
                    resolved_by=coach,
                    resolution_note=note,
                    override_verdict=verdict if accept else None,
                )
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                s.refresh(dispute)
                raise DisputeResolvedError(dispute_id, dispute.status)
            s.refresh(dispute)
            attempt = s.execute(select(Attempt).where(Attempt.id == dispute.attempt_id).with_for_update()).scalar_one()
            if accept and rescore is not None:
                score, breakdown = rescore(attempt.score, attempt.breakdown, attempt.text)
                s.add(_previous_score(attempt))
                attempt.score = _score(score)
                attempt.breakdown = _json_object("breakdown", breakdown)
                attempt.scored_at = now
                s.flush()
            name = s.get_one(Profile, attempt.profile_id).name
            history = _score_history(s, select(Attempt).where(Attempt.id == attempt.id))
            return DisputeCase(_dispute_info(dispute), _attempt_info(attempt, name, history.get(attempt.id, ())))

    def accepted_disputes(self, *, attempt_id: int) -> list[DisputeInfo]:
        """The accepted disputes of an attempt, in the order they were resolved."""
        with self._sessions.begin() as s:
            rows = s.scalars(
                select(Dispute)
                .where(Dispute.attempt_id == attempt_id, Dispute.status == "accepted")
                .order_by(Dispute.resolved_at, Dispute.id)
            )
            return [_dispute_info(d) for d in rows]


def _verdicts(breakdown: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(breakdown, Mapping):
        return ()
    found = []
    for kp in breakdown.get("key_points", ()) or ():
        if isinstance(kp, Mapping) and isinstance(kp.get("key_point_id"), str) and kp.get("verdict") in VERDICTS:
            found.append((kp["key_point_id"], kp["verdict"]))
    return tuple(found)
