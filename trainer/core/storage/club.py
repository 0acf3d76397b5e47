"""The storage of a club's shared work: the class overview's rows and disputes a coach resolves.

Like :class:`~trainer.core.storage.repository.Repository` (whose session and
record helpers it shares), every public method is one transaction returning
plain records. Who may call them is decided by ``services/club.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Select, and_, case, cast, distinct, func, or_, select, update
from sqlalchemy.orm import Session

from trainer.core.records import (
    DISPUTE_STATUSES,
    VERDICTS,
    CellFigures,
    DisputeCase,
    DisputeInfo,
    KeyPointFigures,
    OverviewFigures,
    StudentTotals,
    WeekFigures,
)

from .database import Database
from .errors import InvalidInputError, NotFoundError
from .models import Attempt, AttemptVerdict, Dispute, Profile
from .repository import (
    replace_score,
    _aware,
    _attempt_info,
    _check_text,
    _dispute_info,
    _score_history,
    _Sessions,
    utc_now,
)

Rescore = Callable[[float | None, Mapping[str, Any], str], tuple[float | None, Mapping[str, Any]]]
"""``(score, breakdown, text) -> (score, breakdown)``: the attempt after an override."""



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

    def overview_figures(
        self,
        *,
        pack_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> OverviewFigures:
        """The students' attempts submitted in ``[since, until)`` (of ``pack_id``),
        counted in SQL: a few hundred grouped rows instead of every attempt."""
        where = self._where(pack_id, since, until)
        with self._sessions.begin() as s:
            return OverviewFigures(
                cells=tuple(_cells(s, where)),
                students=tuple(_students(s, where)),
                weeks=tuple(_weeks(s, where)),
                key_points=tuple(_key_points(s, where)),
            )

    def missed_examples(
        self,
        *,
        keys: Iterable[tuple[str, str, str]],
        pack_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> dict[tuple[str, str, str], tuple[int, str]]:
        """For each ``(pack_id, claim_id, key_point_id)``: the latest student
        attempt in the range that missed it, as ``(profile_id, text)``."""
        keys = list(keys)
        if not keys:
            return {}
        part = (Attempt.pack_id, Attempt.claim_id, AttemptVerdict.key_point_id)
        rank = func.row_number().over(partition_by=part, order_by=(Attempt.submitted_at.desc(), Attempt.id.desc()))
        chosen = or_(*(and_(Attempt.pack_id == p, Attempt.claim_id == c, AttemptVerdict.key_point_id == k) for p, c, k in keys))
        inner = (
            _students_attempts(select(*part, Attempt.id, Attempt.profile_id, rank.label("rank")))
            .join(AttemptVerdict, AttemptVerdict.attempt_id == Attempt.id)
            .where(*self._where(pack_id, since, until), AttemptVerdict.verdict == "missed", chosen)
            .subquery()
        )
        with self._sessions.begin() as s:
            latest = s.execute(select(inner).where(inner.c.rank == 1)).all()  # without the texts: they are big
            texts = {i: t for i, t in s.execute(select(Attempt.id, Attempt.text).where(Attempt.id.in_({r[3] for r in latest})))}
        return {(r[0], r[1], r[2]): (r[4], texts.get(r[3], "")) for r in latest}

    @staticmethod
    def _where(pack_id: str | None, since: datetime | None, until: datetime | None) -> list[Any]:
        where: list[Any] = []
        if pack_id is not None:
            where.append(Attempt.pack_id == pack_id)
        if since is not None:
            where.append(Attempt.submitted_at >= _aware(since, "since"))
        if until is not None:
            where.append(Attempt.submitted_at < _aware(until, "until"))
        return where

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
                replace_score(s, attempt, score=score, breakdown=breakdown, matcher_version=attempt.matcher_version, now=now)
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


def _students_attempts(query: Select[Any]) -> Select[Any]:
    """``query`` over students' attempts only (a coach's own tries are not the class's)."""
    return query.select_from(Attempt).join(Profile, Attempt.profile_id == Profile.id).where(Profile.role == "student")


def _cells(s: Session, where: list[Any]) -> list[CellFigures]:
    """Best score, attempts and last date per student and claim (GROUP BY), then
    the perspective of each best attempt (the earliest one, on a tie)."""
    part = (Attempt.profile_id, Attempt.pack_id, Attempt.claim_id)
    grouped = _students_attempts(
        select(*part, func.max(Attempt.score).label("best"), func.count().label("attempts"),
               func.max(Attempt.submitted_at).label("last"))
    ).where(*where).group_by(*part).subquery()
    best_of = s.execute(
        select(*part, Attempt.perspective_id)
        .join(grouped, and_(grouped.c.profile_id == Attempt.profile_id, grouped.c.pack_id == Attempt.pack_id,
                            grouped.c.claim_id == Attempt.claim_id, grouped.c.best == Attempt.score))
        .where(*where)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )
    perspective = {(p, k, c): view for p, k, c, view in best_of}  # the earliest best attempt is written last
    return [
        CellFigures(profile_id=r.profile_id, pack_id=r.pack_id, claim_id=r.claim_id, best=r.best,
                    attempts=int(r.attempts), last=r.last, perspective_id=perspective.get((r.profile_id, r.pack_id, r.claim_id)))
        for r in s.execute(select(grouped))
    ]


def _students(s: Session, where: list[Any]) -> list[StudentTotals]:
    rows = s.execute(
        _students_attempts(
            select(Attempt.profile_id, func.count(), func.avg(Attempt.score), func.sum(Attempt.duration_seconds),
                   func.max(Attempt.submitted_at))
        ).where(*where).group_by(Attempt.profile_id)
    )
    return [
        StudentTotals(profile_id=p, attempts=int(n), average=None if avg is None else float(avg), seconds=float(secs or 0.0), last=last)
        for p, n, avg, secs, last in rows
    ]


def _week_start(dialect: str) -> Any:
    """The Monday (UTC) of ``submitted_at``, as an SQL expression."""
    if dialect == "sqlite":  # stored as naive UTC text: 'weekday 0' is the next (or same) Sunday
        return func.date(Attempt.submitted_at, "weekday 0", "-6 days")
    return cast(func.date_trunc("week", func.timezone("UTC", Attempt.submitted_at)), Date)


def _weeks(s: Session, where: list[Any]) -> list[WeekFigures]:
    week = _week_start(s.get_bind().dialect.name).label("week")
    rows = s.execute(
        _students_attempts(select(Attempt.profile_id, week, func.avg(Attempt.score), func.count(Attempt.score)))
        .where(*where, Attempt.score.is_not(None))
        .group_by(Attempt.profile_id, week)
        .order_by(Attempt.profile_id, week)
    )
    return [
        WeekFigures(profile_id=p, week=w if isinstance(w, date) else date.fromisoformat(str(w)), average=float(avg), attempts=int(n))
        for p, w, avg, n in rows
    ]


def _key_points(s: Session, where: list[Any]) -> list[KeyPointFigures]:
    missed = func.sum(case((AttemptVerdict.verdict == "missed", 1), else_=0))
    made_by = func.count(distinct(case((AttemptVerdict.verdict == "covered", Attempt.profile_id))))
    part = (Attempt.pack_id, Attempt.claim_id, AttemptVerdict.key_point_id)
    rows = s.execute(
        _students_attempts(select(*part, func.count(), missed, func.count(distinct(Attempt.profile_id)), made_by))
        .join(AttemptVerdict, AttemptVerdict.attempt_id == Attempt.id)
        .where(*where)
        .group_by(*part)
        .having(missed > 0)
    )
    return [
        KeyPointFigures(pack_id=p, claim_id=c, key_point_id=k, attempts=int(n), missed=int(m), students_tried=int(t), students_made=int(made))
        for p, c, k, n, m, t, made in rows
    ]
