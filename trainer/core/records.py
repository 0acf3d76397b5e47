"""Plain, frozen records that the storage layer hands out.

These are what the UI, the CLI and the exporters see: no ORM objects, nothing
that lazy-loads, nothing tied to a database session. Every datetime is
timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Literal

DisputeKind = Literal["did-make-point", "verdict-wrong"]
DISPUTE_KINDS: Final[tuple[str, ...]] = ("did-make-point", "verdict-wrong")
DISPUTE_STATUSES: Final[tuple[str, ...]] = ("open", "accepted", "rejected")
VERDICTS: Final[tuple[str, ...]] = ("covered", "partly", "missed")


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    id: int
    name: str
    created_at: datetime
    has_pin: bool
    role: str = "student"  # or "coach"
    uuid: str = ""
    """Stable across laptops: results files match students by it."""

    @property
    def is_coach(self) -> bool:
        return self.role == "coach"


@dataclass(frozen=True, slots=True)
class ScoreInfo:
    """An earlier score of an attempt, kept when the attempt was re-scored."""

    scored_at: datetime
    score: float | None
    matcher_version: str | None
    breakdown: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    id: int
    profile_id: int
    profile_name: str
    pack_id: str
    pack_version: str
    claim_id: str
    perspective_id: str | None
    text: str
    started_at: datetime
    submitted_at: datetime
    duration_seconds: float
    score: float | None
    breakdown: dict[str, Any]
    matcher_version: str | None
    superseded_scores: tuple[ScoreInfo, ...] = ()
    """Earlier scores, oldest first; empty unless the attempt was re-scored."""
    scored_at: datetime | None = None
    """When the current score was computed (``submitted_at`` unless re-scored)."""
    client_uuid: str | None = None
    """The id the client gave the attempt; a second write with it returns the first."""
    pending: bool = False
    """True when the database was unreachable and the attempt waits in the local
    outbox (``id`` is then 0); ``service.writes.flush()`` writes it later."""


@dataclass(frozen=True, slots=True)
class DraftInfo:
    profile_id: int
    pack_id: str
    claim_id: str
    text: str
    cursor_position: int
    perspective_id: str | None
    updated_at: datetime
    started_at: datetime
    pending: bool = False
    """True when the database was unreachable and this draft waits in the local outbox."""


@dataclass(frozen=True, slots=True)
class DisputeInfo:
    id: int
    attempt_id: int
    key_point_id: str
    kind: str
    comment: str
    created_at: datetime
    status: str = "open"  # or "accepted", "rejected"
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    """The coach's name when they resolved the dispute."""
    resolution_note: str = ""
    override_verdict: str | None = None
    """The verdict an accepting coach gave the key point (the attempt's score follows it)."""
    uuid: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True, slots=True)
class DisputeCase:
    """A dispute with what a coach needs to judge it: the attempt and who wrote it."""

    dispute: DisputeInfo
    attempt: AttemptInfo


@dataclass(frozen=True, slots=True)
class CellFigures:
    """A student's attempts at one claim: the best score (and its perspective), how many, the last."""

    profile_id: int
    pack_id: str
    claim_id: str
    best: float | None
    attempts: int
    last: datetime
    perspective_id: str | None


@dataclass(frozen=True, slots=True)
class StudentTotals:
    profile_id: int
    attempts: int
    average: float | None
    seconds: float
    last: datetime


@dataclass(frozen=True, slots=True)
class WeekFigures:
    profile_id: int
    week: date  # the Monday (UTC)
    average: float
    attempts: int  # scored attempts that week


@dataclass(frozen=True, slots=True)
class KeyPointFigures:
    """How the club did on one key point: attempts with a verdict on it, misses, students."""

    pack_id: str
    claim_id: str
    key_point_id: str
    attempts: int
    missed: int
    students_tried: int
    students_made: int  # with at least one "covered" verdict


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """What the storage layer counts for the class overview (students only, filters applied)."""

    cells: tuple[CellFigures, ...]
    students: tuple[StudentTotals, ...]
    weeks: tuple[WeekFigures, ...]
    key_points: tuple[KeyPointFigures, ...]


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    id: int
    uuid: str
    title: str
    pack_id: str
    claim_ids: tuple[str, ...]
    due_on: date
    students: tuple[tuple[str, str], ...] | None
    """``(uuid, name)`` of each student it is for; ``None``: the whole club."""
    created_at: datetime
    created_by: str

    def is_for(self, profile: ProfileInfo) -> bool:
        """For this student? Matched by uuid, or by name (a student the coach added by hand has another uuid)."""
        if profile.is_coach:
            return False
        if self.students is None:
            return True
        return any(u == profile.uuid or n.casefold() == profile.name.casefold() for u, n in self.students)


@dataclass(frozen=True, slots=True)
class ReviewCardInfo:
    """When a student's claim is due for review (``core/review.py``, FSRS's card)."""

    profile_id: int
    pack_id: str
    claim_id: str
    due: datetime
    state: int
    """FSRS's state: 1 learning, 2 review, 3 relearning."""
    step: int | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    """Answers counted as reviews (a try again within 12 hours is not one)."""
    lapses: int
    """Reviews rated Again after the first."""
    last_rating: int | None
    """1 Again, 2 Hard, 3 Good, 4 Easy."""
    updated_at: datetime
