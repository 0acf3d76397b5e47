"""The class overview a coach reads: every figure computed here, from plain records.

``build_overview`` takes the attempts (``AttemptSummary``, no text), the
students and the installed packs, and returns:

* the student × claim grid of best scores (a cell per claim a student tried:
  best score, attempts, last date, the perspective of the best attempt);
* each student's progress: the average score per week, and the change from
  their first week in the range to their last;
* the key points most often missed across the club: how many of the students
  who tried the claim have never made the point, in how many attempts it was
  missed, and one recent response that missed it;
* the time each student spent (the sum of their attempts' writing time).

No Qt and no database: ``services/club.py`` reads the records, and the tests
build them by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .packs import Pack
from .records import AttemptSummary, ProfileInfo

MOST_MISSED = 10
EXAMPLE_CHARS = 240
# The grid's colour bands, set on the matcher's scale: a score is the weighted
# share of *all* a claim's key points made, so the best answers written for the
# Korea pack's dev set (bench/data/korea_feedback_dev.jsonl, grade 4) score
# 0.34-0.82, median 0.43; answers that make one point score about 0.1-0.4;
# agreeing, off-topic and keyword answers score under 0.05.
STRONG_FROM = 0.40
SOME_FROM = 0.15


def score_band(score: float | None) -> str | None:
    """``"strong"``, ``"some"`` or ``"little"`` (``None`` for no score)."""
    if score is None:
        return None
    return "strong" if score >= STRONG_FROM else "some" if score >= SOME_FROM else "little"


@dataclass(frozen=True, slots=True)
class Column:
    """A claim in the grid: its pack, its number in the pack (1-based) and its quote."""

    pack_id: str
    claim_id: str
    number: int
    quote: str


@dataclass(frozen=True, slots=True)
class Cell:
    best: float | None
    attempts: int
    last: datetime
    perspective_id: str | None
    """The perspective the best attempt argued as (``None``: the student's own view)."""


@dataclass(frozen=True, slots=True)
class WeekPoint:
    week: date  # the Monday
    average: float
    attempts: int


@dataclass(frozen=True, slots=True)
class StudentFigures:
    profile_id: int
    name: str
    attempts: int
    claims_tried: int
    average: float | None
    time_seconds: float
    last_active: datetime | None
    weeks: tuple[WeekPoint, ...]

    @property
    def change(self) -> float | None:
        """Average of the last week with scores minus that of the first (``None`` with fewer than two)."""
        return self.weeks[-1].average - self.weeks[0].average if len(self.weeks) >= 2 else None


@dataclass(frozen=True, slots=True)
class MissedKeyPoint:
    pack_id: str
    claim_id: str
    claim_number: int
    key_point_id: str
    statement: str
    students_never_made: int
    """Students who tried the claim and never made the point (no "covered" verdict)."""
    students_tried: int
    attempts_missed: int
    attempts: int
    example: str
    """A recent response that missed the point (shortened), or "" if none could be read."""
    example_student: str


@dataclass(frozen=True, slots=True)
class ClassOverview:
    students: tuple[StudentFigures, ...]
    columns: tuple[Column, ...]
    cells: Mapping[tuple[int, str, str], Cell]
    most_missed: tuple[MissedKeyPoint, ...]
    attempts: int
    pack_titles: Mapping[str, str] = field(default_factory=dict)

    def cell(self, profile_id: int, column: Column) -> Cell | None:
        return self.cells.get((profile_id, column.pack_id, column.claim_id))


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _columns(packs: Mapping[str, Pack], attempts: Sequence[AttemptSummary], pack_id: str | None) -> list[Column]:
    """The chosen pack's claims, or every pack's claims that were tried, in pack order."""
    tried = {(a.pack_id, a.claim_id) for a in attempts}
    columns: list[Column] = []
    pack_ids = [pack_id] if pack_id is not None else sorted({a.pack_id for a in attempts})
    for pid in pack_ids:
        pack = packs.get(pid)
        if pack is not None:
            for n, claim in enumerate(pack.claims, start=1):
                if pack_id is not None or (pid, claim.id) in tried:
                    columns.append(Column(pid, claim.id, n, claim.quote))
            known = {c.id for c in pack.claims}
        else:
            known = set()
        gone = sorted(cid for p, cid in tried if p == pid and cid not in known)  # pack not installed, or claim removed
        columns.extend(Column(pid, cid, len(known) + i, "") for i, cid in enumerate(gone, start=1))
    return columns


def build_overview(
    attempts: Iterable[AttemptSummary],
    students: Iterable[ProfileInfo],
    packs: Mapping[str, Pack],
    *,
    pack_id: str | None = None,
    texts: Callable[[Iterable[int]], Mapping[int, str]] = lambda ids: {},
    limit: int = MOST_MISSED,
) -> ClassOverview:
    """The overview of ``students``' ``attempts`` (already filtered by pack and date).

    Attempts by profiles not in ``students`` (a coach's own tries) are left out.
    ``texts(ids)`` returns the responses of the attempts chosen as examples.
    """
    people = {p.id: p for p in students if not p.is_coach}
    rows = [a for a in attempts if a.profile_id in people]

    cells: dict[tuple[int, str, str], Cell] = {}
    by_student: dict[int, list[AttemptSummary]] = defaultdict(list)
    for a in rows:  # oldest first
        by_student[a.profile_id].append(a)
        key = (a.profile_id, a.pack_id, a.claim_id)
        old = cells.get(key)
        better = old is None or (a.score is not None and (old.best is None or a.score > old.best))
        cells[key] = Cell(
            best=a.score if better else old.best,  # type: ignore[union-attr]
            attempts=(old.attempts if old else 0) + 1,
            last=a.submitted_at,
            perspective_id=a.perspective_id if better else old.perspective_id,  # type: ignore[union-attr]
        )

    figures = [_student(people[pid], by_student.get(pid, [])) for pid in people]
    figures.sort(key=lambda f: (f.name.casefold(), f.profile_id))
    return ClassOverview(
        students=tuple(figures),
        columns=tuple(_columns(packs, rows, pack_id)),
        cells=cells,
        most_missed=_most_missed(rows, packs, people, texts, limit),
        attempts=len(rows),
        pack_titles={pid: p.title for pid, p in packs.items()},
    )


def _student(profile: ProfileInfo, attempts: list[AttemptSummary]) -> StudentFigures:
    scored = [a.score for a in attempts if a.score is not None]
    weeks: dict[date, list[float]] = defaultdict(list)
    for a in attempts:
        if a.score is not None:
            weeks[_monday(a.submitted_at)].append(a.score)
    return StudentFigures(
        profile_id=profile.id,
        name=profile.name,
        attempts=len(attempts),
        claims_tried=len({(a.pack_id, a.claim_id) for a in attempts}),
        average=sum(scored) / len(scored) if scored else None,
        time_seconds=sum(a.duration_seconds for a in attempts),
        last_active=attempts[-1].submitted_at if attempts else None,
        weeks=tuple(WeekPoint(w, sum(s) / len(s), len(s)) for w, s in sorted(weeks.items())),
    )


def _most_missed(
    rows: list[AttemptSummary],
    packs: Mapping[str, Pack],
    people: Mapping[int, ProfileInfo],
    texts: Callable[[Iterable[int]], Mapping[int, str]],
    limit: int,
) -> tuple[MissedKeyPoint, ...]:
    missed: dict[tuple[str, str, str], int] = defaultdict(int)
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    tried: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    made: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    latest_miss: dict[tuple[str, str, str], AttemptSummary] = {}
    for a in rows:
        for kp_id, verdict in a.verdicts:
            key = (a.pack_id, a.claim_id, kp_id)
            seen[key] += 1
            tried[key].add(a.profile_id)
            if verdict == "covered":
                made[key].add(a.profile_id)
            elif verdict == "missed":
                missed[key] += 1
                latest_miss[key] = a
    ranked = sorted(
        (key for key in missed),
        key=lambda k: (-len(tried[k] - made[k]), -missed[k], k),
    )[:limit]
    examples = texts([latest_miss[k].id for k in ranked]) if ranked else {}
    found = []
    for key in ranked:
        pack_id, claim_id, kp_id = key
        pack = packs.get(pack_id)
        number, statement = 0, kp_id
        if pack is not None:
            for n, claim in enumerate(pack.claims, start=1):
                if claim.id == claim_id:
                    number = n
                    statement = next((k.statement for k in claim.key_points if k.id == kp_id), kp_id)
        example = latest_miss[key]
        found.append(MissedKeyPoint(
            pack_id=pack_id, claim_id=claim_id, claim_number=number, key_point_id=kp_id, statement=statement,
            students_never_made=len(tried[key] - made[key]), students_tried=len(tried[key]),
            attempts_missed=missed[key], attempts=seen[key],
            example=shorten(examples.get(example.id, "")), example_student=people[example.profile_id].name,
        ))
    return tuple(found)


def shorten(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """One line of at most ``limit`` characters (whitespace collapsed, "…" when cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
