"""Progress figures computed from stored attempts (no Qt, no storage access).

The UI asks the repository for ``AttemptInfo`` records and hands them here:

* ``claim_statuses`` — each claim's best score so far (the sidebar);
* ``profile_overview`` — claims tried, average and best score, and the
  points of the "scores over time" chart;
* ``pack_summary`` — the end-of-pack summary: average score, the key points
  most often missed, time spent, the weakest claims and the ones not tried yet;
* ``weakest_claims`` / ``not_tried_claims`` — the claims to practise again
  (tried, lowest best score first) and the claims never tried: two lists that
  never share a claim;
* ``progress_by_perspective`` / ``progress_by_kind`` — average and best score
  per perspective argued and per kind of claim (the history page);
* ``practice_calendar`` — attempts per local day over the last weeks (the
  calendar of practice days).

Days are local days: an attempt's ``submitted_at`` (UTC) is turned into the
user's time zone (``tz``; ``None`` is the system's, as everywhere in the UI).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from .packs import CLAIM_KINDS, Pack
from .packs.model import CLAIM_KIND_LABELS
from .records import AttemptInfo

#: A tried claim whose best score is below this is "weak" (practise it again).
WEAK_BELOW = 0.8
#: At most this many weakest claims are offered.
WEAKEST_LIMIT = 5
OWN_VIEW = "My own view"


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
    #: Tried claims to practise again, weakest first (``weakest_claims``).
    weakest: tuple[ClaimStatus, ...] = ()
    #: Claims of the session never tried, in pack order (``not_tried_claims``).
    not_tried: tuple[ClaimStatus, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupProgress:
    """Figures for one group of attempts: a perspective argued, or a kind of claim."""

    key: str
    label: str
    attempts: int
    claims: int
    average_score: float | None
    best_score: float | None


@dataclass(frozen=True, slots=True)
class PracticeCalendar:
    """Attempts per local day, for the ``weeks`` weeks (Monday to Sunday) up to ``today``'s."""

    first: date
    """The Monday the calendar starts on."""
    today: date
    counts: Mapping[date, int] = field(default_factory=dict)
    """Only days with attempts, inside the calendar."""

    @property
    def weeks(self) -> int:
        return (self.today - self.first).days // 7 + 1

    @property
    def days(self) -> list[date]:
        """Every day shown, Monday of the first week to ``today``."""
        return [self.first + timedelta(days=i) for i in range((self.today - self.first).days + 1)]

    def count(self, day: date) -> int:
        return self.counts.get(day, 0)

    @property
    def attempts(self) -> int:
        return sum(self.counts.values())

    @property
    def days_practised(self) -> int:
        return len(self.counts)

    @property
    def streak(self) -> int:
        """Days in a row with attempts, ending today (or yesterday, if today has none yet)."""
        day = self.today if self.count(self.today) else self.today - timedelta(days=1)
        n = 0
        while day >= self.first and self.count(day):
            n += 1
            day -= timedelta(days=1)
        return n

    @property
    def busiest(self) -> tuple[date, int] | None:
        """The day with the most attempts (the latest of equals), or ``None``."""
        if not self.counts:
            return None
        return max(self.counts.items(), key=lambda item: (item[1], item[0]))


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
    history: Iterable[AttemptInfo] | None = None,
) -> PackSummary:
    """The end-of-pack summary for ``attempts`` (one profile's, usually one session's).

    The figures count ``attempts``; the weakest and the not-tried claims come
    from ``history`` (all of the profile's attempts at the pack, this session's
    included; default ``attempts``), so a claim answered in an earlier session
    is never "not tried yet", and the two lists never share a claim.
    """
    wanted_order = [c.id for c in pack.claims if claim_ids is None or c.id in set(claim_ids)]
    wanted = set(wanted_order)
    attempts = list(attempts)
    past = list(history) if history is not None else attempts
    statuses = claim_statuses(pack, past)
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
        weakest=tuple(statuses[cid] for cid in weakest_claims(pack, past, claim_ids=list(wanted_order))),
        not_tried=tuple(statuses[cid] for cid in not_tried_claims(pack, past, claim_ids=list(wanted_order))),
    )


def weakest_claims(
    pack: Pack,
    attempts: Iterable[AttemptInfo],
    *,
    claim_ids: Sequence[str] | None = None,
    limit: int = WEAKEST_LIMIT,
    below: float = WEAK_BELOW,
) -> list[str]:
    """The tried claims to practise again: lowest best score first, at most ``limit``.

    Only claims with a scored attempt count, and only those whose best score is
    below ``below``; a claim never tried is not weak, it is not tried yet
    (:func:`not_tried_claims`). Equal scores keep the pack's order.
    """
    pool = list(claim_ids) if claim_ids is not None else [c.id for c in pack.claims]
    statuses = claim_statuses(pack, attempts)
    tried = [cid for cid in pool if cid in statuses and statuses[cid].best_score is not None]
    weak = [cid for cid in tried if (statuses[cid].best_score or 0.0) < below]
    ranked = sorted(weak, key=lambda cid: (statuses[cid].best_score or 0.0, pack.claim_index(cid)))
    return ranked[: max(0, limit)]


def not_tried_claims(pack: Pack, attempts: Iterable[AttemptInfo], *, claim_ids: Sequence[str] | None = None) -> list[str]:
    """The claims of ``claim_ids`` (default: the pack's) with no attempt in ``attempts``, in pack order."""
    wanted = set(claim_ids) if claim_ids is not None else None
    statuses = claim_statuses(pack, attempts)
    return [c.id for c in pack.claims if (wanted is None or c.id in wanted) and not statuses[c.id].tried]


def _group(key: str, label: str, attempts: list[AttemptInfo]) -> GroupProgress:
    scores = [a.score for a in attempts if a.score is not None]
    return GroupProgress(
        key=key,
        label=label,
        attempts=len(attempts),
        claims=len({(a.pack_id, a.claim_id) for a in attempts}),
        average_score=(sum(scores) / len(scores)) if scores else None,
        best_score=max(scores, default=None),
    )


def progress_by_perspective(attempts: Iterable[AttemptInfo], packs: Mapping[str, Pack]) -> list[GroupProgress]:
    """Average and best score per perspective argued: "My own view" first, then the most practised.

    Perspectives are grouped by the name the pack gives them (the same name in
    two packs is one row); one whose pack is not installed is named by its id.
    """
    groups: dict[str, list[AttemptInfo]] = {}
    for a in attempts:
        if a.perspective_id is None:
            label = OWN_VIEW
        else:
            pack = packs.get(a.pack_id)
            names = {p.id: p.name for p in pack.perspectives} if pack is not None else {}
            label = names.get(a.perspective_id, a.perspective_id)
        groups.setdefault(label, []).append(a)
    rows = [_group("" if label == OWN_VIEW else label, label, these) for label, these in groups.items()]
    return sorted(rows, key=lambda g: (g.label != OWN_VIEW, -g.attempts, g.label.casefold()))


def progress_by_kind(attempts: Iterable[AttemptInfo], packs: Mapping[str, Pack]) -> list[GroupProgress]:
    """Average and best score per kind of claim (Factual, Causal, Prediction…), every kind listed.

    A kind not tried yet has 0 attempts and no scores. Attempts at a pack or a
    claim that is no longer installed have no kind and are left out.
    """
    groups: dict[str, list[AttemptInfo]] = {kind: [] for kind in CLAIM_KINDS}
    for a in attempts:
        pack = packs.get(a.pack_id)
        kind = next((c.kind for c in pack.claims if c.id == a.claim_id), None) if pack is not None else None
        if kind is not None:
            groups.setdefault(kind, []).append(a)
    return [_group(kind, CLAIM_KIND_LABELS.get(kind, kind), these) for kind, these in groups.items()]


def local_day(when: datetime, tz: tzinfo | None = None) -> date:
    """The day ``when`` falls on in ``tz`` (``None``: the system's time zone)."""
    return when.astimezone(tz).date()


def practice_calendar(
    attempts: Iterable[AttemptInfo],
    *,
    today: date,
    weeks: int = 16,
    tz: tzinfo | None = None,
) -> PracticeCalendar:
    """Attempts per local day for the ``weeks`` weeks up to ``today`` (Monday-first weeks)."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=max(1, weeks) - 1)
    counts: Counter[date] = Counter()
    for a in attempts:
        day = local_day(a.submitted_at, tz)
        if first <= day <= today:
            counts[day] += 1
    return PracticeCalendar(first=first, today=today, counts=dict(counts))


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
