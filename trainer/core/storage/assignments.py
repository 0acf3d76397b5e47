"""Assignments in the database, and which assigned claims each student has done.

One transaction per method, plain records out (``AssignmentInfo``). A claim
counts as done for an assignment when the student submitted an attempt at it
after the assignment was set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import select

from trainer.core.records import AssignmentInfo

from .database import Database
from .models import Assignment, Attempt
from .repository import _aware, _Sessions, utc_now


class AssignmentStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._sessions = _Sessions(database.sessions, database.url)
        self._clock = clock

    def add(
        self, *, uuid: str, title: str, pack_id: str, claim_ids: list[str], due_on: date,
        students: list[tuple[str, str]] | None, created_at: datetime, created_by: str,
    ) -> tuple[AssignmentInfo, bool]:
        """Store it, or return the one already stored with this ``uuid`` (and ``False``)."""
        with self._sessions.begin() as s:
            found = s.scalar(select(Assignment).where(Assignment.uuid == uuid))
            if found is not None:
                return _info(found), False
            row = Assignment(
                uuid=uuid, title=title, pack_id=pack_id, claim_ids=list(claim_ids), due_on=due_on,
                students=None if students is None else [{"uuid": u, "name": n} for u, n in students],
                created_at=_aware(created_at, "created_at"), created_by=created_by,
            )
            s.add(row)
            s.flush()
            return _info(row), True

    def all(self) -> list[AssignmentInfo]:
        """Every assignment, the soonest due first."""
        with self._sessions.begin() as s:
            return [_info(a) for a in s.scalars(select(Assignment).order_by(Assignment.due_on, Assignment.id))]

    def get(self, *, assignment_id: int) -> AssignmentInfo | None:
        with self._sessions.begin() as s:
            row = s.get(Assignment, assignment_id)
            return _info(row) if row is not None else None

    def done(self, assignment: AssignmentInfo, *, profile_ids: Iterable[int]) -> dict[int, set[str]]:
        """The assigned claims each student has submitted an attempt at since it was set."""
        ids = sorted(set(profile_ids))
        found: dict[int, set[str]] = {pid: set() for pid in ids}
        if not ids or not assignment.claim_ids:
            return found
        with self._sessions.begin() as s:
            rows = s.execute(
                select(Attempt.profile_id, Attempt.claim_id).distinct().where(
                    Attempt.profile_id.in_(ids), Attempt.pack_id == assignment.pack_id,
                    Attempt.claim_id.in_(assignment.claim_ids), Attempt.submitted_at >= assignment.created_at,
                )
            )
            for profile_id, claim_id in rows:
                found[profile_id].add(claim_id)
        return found


def _info(a: Assignment) -> AssignmentInfo:
    return AssignmentInfo(
        id=a.id, uuid=a.uuid, title=a.title, pack_id=a.pack_id, claim_ids=tuple(a.claim_ids), due_on=a.due_on,
        students=None if a.students is None else tuple((s["uuid"], s["name"]) for s in a.students),
        created_at=a.created_at, created_by=a.created_by,
    )
