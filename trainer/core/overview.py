"""The class overview a coach reads: every figure computed here, from plain records.

``build_overview`` takes the figures the storage layer counts in SQL
(``OverviewFigures``: grouped rows, never every attempt), the students and the
installed packs, and returns:

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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from .packs import Pack
from .records import OverviewFigures, ProfileInfo

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


def _columns(packs: Mapping[str, Pack], tried: set[tuple[str, str]], pack_id: str | None) -> list[Column]:
    """The chosen pack's claims, or every pack's claims that were tried, in pack order."""
    columns: list[Column] = []
    pack_ids = [pack_id] if pack_id is not None else sorted({p for p, _ in tried})
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


Key = tuple[str, str, str]


def build_overview(
    figures: OverviewFigures,
    students: Iterable[ProfileInfo],
    packs: Mapping[str, Pack],
    *,
    pack_id: str | None = None,
    examples: Callable[[list[Key]], Mapping[Key, tuple[int, str]]] = lambda keys: {},
    limit: int = MOST_MISSED,
) -> ClassOverview:
    """The overview of ``students`` from the figures the storage layer counted
    (already filtered by pack and date; coaches' attempts left out).

    ``examples(keys)`` returns, for the most-missed key points chosen, the
    latest response that missed each one as ``(profile_id, text)``.
    """
    people = {p.id: p for p in students if not p.is_coach}
    cells = {
        (c.profile_id, c.pack_id, c.claim_id): Cell(c.best, c.attempts, c.last, c.perspective_id)
        for c in figures.cells
        if c.profile_id in people
    }
    tried: dict[int, int] = defaultdict(int)
    for profile_id, _, _ in cells:
        tried[profile_id] += 1
    totals = {t.profile_id: t for t in figures.students}
    weeks: dict[int, list[WeekPoint]] = defaultdict(list)
    for w in figures.weeks:
        weeks[w.profile_id].append(WeekPoint(w.week, w.average, w.attempts))
    rows = []
    for pid, profile in people.items():
        t = totals.get(pid)
        rows.append(StudentFigures(
            profile_id=pid, name=profile.name, attempts=t.attempts if t else 0, claims_tried=tried.get(pid, 0),
            average=t.average if t else None, time_seconds=t.seconds if t else 0.0, last_active=t.last if t else None,
            weeks=tuple(sorted(weeks.get(pid, []), key=lambda w: w.week)),
        ))
    rows.sort(key=lambda f: (f.name.casefold(), f.profile_id))
    return ClassOverview(
        students=tuple(rows),
        columns=tuple(_columns(packs, {(p, c) for _, p, c in cells}, pack_id)),
        cells=cells,
        most_missed=_most_missed(figures, packs, people, examples, limit),
        attempts=sum(r.attempts for r in rows),
        pack_titles={pid: p.title for pid, p in packs.items()},
    )


def _most_missed(
    figures: OverviewFigures,
    packs: Mapping[str, Pack],
    people: Mapping[int, ProfileInfo],
    examples: Callable[[list[Key]], Mapping[Key, tuple[int, str]]],
    limit: int,
) -> tuple[MissedKeyPoint, ...]:
    ranked = sorted(
        (k for k in figures.key_points if k.missed > 0),
        key=lambda k: (-(k.students_tried - k.students_made), -k.missed, k.pack_id, k.claim_id, k.key_point_id),
    )[:limit]
    found_examples = examples([(k.pack_id, k.claim_id, k.key_point_id) for k in ranked]) if ranked else {}
    found = []
    for k in ranked:
        pack = packs.get(k.pack_id)
        number, statement = 0, k.key_point_id
        if pack is not None:
            for n, claim in enumerate(pack.claims, start=1):
                if claim.id == k.claim_id:
                    number = n
                    statement = next((kp.statement for kp in claim.key_points if kp.id == k.key_point_id), k.key_point_id)
        example_profile, example_text = found_examples.get((k.pack_id, k.claim_id, k.key_point_id), (None, ""))
        student = people.get(example_profile) if example_profile is not None else None
        found.append(MissedKeyPoint(
            pack_id=k.pack_id, claim_id=k.claim_id, claim_number=number, key_point_id=k.key_point_id, statement=statement,
            students_never_made=k.students_tried - k.students_made, students_tried=k.students_tried,
            attempts_missed=k.missed, attempts=k.attempts,
            example=shorten(example_text), example_student=student.name if student else "",
        ))
    return tuple(found)


def shorten(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """One line of at most ``limit`` characters (whitespace collapsed, "…" when cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
