"""Progress figures computed from stored attempts (no Qt, no storage access).

The UI asks the repository for ``AttemptInfo`` records and hands them here:

* ``claim_statuses`` — each claim's best score so far (the sidebar);
* ``profile_overview`` — claims tried, average and best score, and the
  points of the "scores over time" chart;
* ``pack_summary`` — the end-of-pack summary: average score, the key points
  most often missed, time spent;
* ``weakest_claims`` — the claims to practise again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .packs import Pack
from .records import AttemptInfo


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    claim_id: str
    attempts: int
    best_score: float | None

    @property
    def tried(self) -> bool:
        return self.attempts > 0


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One attempt on the "scores over time" chart."""

    when: datetime
    score: float
    running_average: float
    best_so_far: float


@dataclass(frozen=True, slots=True)
class ProfileOverview:
    claims_tried: int
    attempts: int
    average_score: float | None
    best_score: float | None
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True, slots=True)
class MissedPoint:
    claim_id: str
    key_point_id: str
    statement: str
    times_missed: int


@dataclass(frozen=True, slots=True)
class PackSummary:
    attempts: int
    claims_tried: int
    claims_total: int
    average_score: float | None
    best_score: float | None
    time_spent_seconds: float
    most_missed: tuple[MissedPoint, ...]


def _scored(attempts: Iterable[AttemptInfo]) -> list[AttemptInfo]:
    return [a for a in attempts if a.score is not None]


def claim_statuses(pack: Pack, attempts: Iterable[AttemptInfo]) -> dict[str, ClaimStatus]:
    """Every claim of ``pack`` with its attempt count and best score (``None`` when not tried)."""
    counts: Counter[str] = Counter()
    best: dict[str, float] = {}
    for a in attempts:
        if a.pack_id != pack.id:
            continue
        counts[a.claim_id] += 1
        if a.score is not None:
            best[a.claim_id] = max(best.get(a.claim_id, 0.0), a.score)
    return {c.id: ClaimStatus(c.id, counts[c.id], best.get(c.id)) for c in pack.claims}


def profile_overview(attempts: Iterable[AttemptInfo]) -> ProfileOverview:
    """Overall figures for one profile's attempts (any pack), oldest first on the chart."""
    all_attempts = list(attempts)
    scored = sorted(_scored(all_attempts), key=lambda a: (a.submitted_at, a.id))
    points: list[ChartPoint] = []
    total = 0.0
    best = 0.0
    for i, a in enumerate(scored, start=1):
        assert a.score is not None
        total += a.score
        best = max(best, a.score)
        points.append(ChartPoint(a.submitted_at, a.score, total / i, best))
    claims = {(a.pack_id, a.claim_id) for a in all_attempts}
    return ProfileOverview(
        claims_tried=len(claims),
        attempts=len(all_attempts),
        average_score=(total / len(scored)) if scored else None,
        best_score=best if scored else None,
        points=tuple(points),
    )


def pack_summary(
    pack: Pack,
    attempts: Iterable[AttemptInfo],
    *,
    claim_ids: Sequence[str] | None = None,
    limit: int = 5,
) -> PackSummary:
    """The end-of-pack summary for ``attempts`` (one profile's, usually one session's)."""
    wanted = set(claim_ids) if claim_ids is not None else {c.id for c in pack.claims}
    relevant = [a for a in attempts if a.pack_id == pack.id and a.claim_id in wanted]
    scored = _scored(relevant)
    missed: Counter[tuple[str, str]] = Counter()
    for a in relevant:
        for kp in a.breakdown.get("key_points", ()) or ():
            if isinstance(kp, dict) and kp.get("verdict") == "missed":
                missed[(a.claim_id, str(kp.get("key_point_id")))] += 1
    statements = {(c.id, k.id): k.statement for c in pack.claims for k in c.key_points}
    most_missed = tuple(
        MissedPoint(claim_id, kp_id, statements.get((claim_id, kp_id), kp_id), n)
        for (claim_id, kp_id), n in sorted(missed.items(), key=lambda item: (-item[1], item[0]))[:limit]
    )
    return PackSummary(
        attempts=len(relevant),
        claims_tried=len({a.claim_id for a in relevant}),
        claims_total=len(wanted),
        average_score=(sum(a.score for a in scored if a.score is not None) / len(scored)) if scored else None,
        best_score=max((a.score for a in scored if a.score is not None), default=None),
        time_spent_seconds=sum(a.duration_seconds for a in relevant),
        most_missed=most_missed,
    )


def weakest_claims(
    pack: Pack,
    attempts: Iterable[AttemptInfo],
    *,
    claim_ids: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """The claims to practise again, weakest first, returned in pack order.

    A claim's strength is its best score; a claim not tried (skipped) counts as
    0. By default the weaker third of the claims is returned (at least one,
    at most all), never a claim whose best score is already 0.9 or more
    unless every claim is that strong.
    """
    pool = list(claim_ids) if claim_ids is not None else [c.id for c in pack.claims]
    if not pool:
        return []
    statuses = claim_statuses(pack, attempts)
    strength = {cid: (statuses[cid].best_score or 0.0) if cid in statuses else 0.0 for cid in pool}
    ranked = sorted(pool, key=lambda cid: (strength[cid], pack.claim_index(cid)))
    count = limit if limit is not None else max(1, -(-len(pool) // 3))
    chosen = [cid for cid in ranked[:count] if strength[cid] < 0.9] or ranked[:count]
    order = {cid: i for i, cid in enumerate(c.id for c in pack.claims)}
    return sorted(chosen, key=order.__getitem__)


def format_duration(seconds: float) -> str:
    """``"1 h 05 min"``, ``"12 min 30 s"``, ``"45 s"``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def format_score(score: float | None) -> str:
    return "—" if score is None else f"{round(100 * score)}%"
