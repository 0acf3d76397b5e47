"""Results that travel: reading a laptop's students' work out, and merging a
results file in, exactly once (``docs/results-format.md``).

Students are matched by ``profiles.uuid`` (or an alias a coach chose earlier),
attempts by ``client_uuid`` and disputes by ``uuid``: what is already here is
left as it is, so importing a file twice adds nothing. A merge is one
transaction: a file that fails half-way leaves the database as it was.
Breakdowns are written as the file has them: ``results_file`` parsed them from
JSON, so they are JSON values already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trainer.core.results_file import ResultsFile

from .database import Database
from .errors import DuplicateProfileError, InvalidInputError
from .models import Attempt, AttemptScore, AttemptVerdict, Dispute, Profile, Setting
from .repository import _profile_name, _Sessions, clean_text, utc_now
from .verdicts import verdict_pairs

ALIAS_PREFIX = "results/alias/"
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with an incoming student whose name is taken here: ``merge``
    into ``profile_id`` (remembered for the next file) or keep ``separate``."""

    action: str  # "merge" | "separate"
    profile_id: int | None = None


@dataclass(slots=True)
class MergeCounts:
    new_attempts: int = 0
    known_attempts: int = 0
    new_disputes: int = 0
    new_profiles: list[str] = field(default_factory=list)
    students: set[str] = field(default_factory=set)
    """Names (as stored here) of the students who got new attempts."""


class TransferStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._sessions = _Sessions(database.sessions, database.url)
        self._clock = clock

    # --- out ---------------------------------------------------------------------------

    def collect(self, *, profile_ids: Iterable[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The profiles, attempts (with score history) and disputes of ``profile_ids``, as JSON values."""
        ids = sorted(set(profile_ids))
        profiles: list[dict[str, Any]] = []
        attempts: list[dict[str, Any]] = []
        disputes: list[dict[str, Any]] = []
        with self._sessions.begin() as s:
            for chunk in _chunks(ids):
                for p in s.scalars(select(Profile).where(Profile.id.in_(chunk)).order_by(Profile.id)):
                    profiles.append({"uuid": p.uuid, "name": p.name, "created_at": p.created_at.isoformat()})
            owner = {p.id: p.uuid for p in s.scalars(select(Profile).where(Profile.id.in_(ids)))} if ids else {}
            history: dict[int, list[dict[str, Any]]] = {}
            rows = s.execute(
                select(AttemptScore.attempt_id, AttemptScore.scored_at, AttemptScore.score, AttemptScore.matcher_version,
                       AttemptScore.breakdown)
                .join(Attempt, Attempt.id == AttemptScore.attempt_id)
                .where(Attempt.profile_id.in_(ids))
                .order_by(AttemptScore.scored_at, AttemptScore.id)
            )
            for attempt_id, scored_at, score, version, breakdown in rows:
                history.setdefault(attempt_id, []).append(
                    {"scored_at": scored_at.isoformat(), "score": score, "matcher_version": version, "breakdown": breakdown})
            uuids: dict[int, str] = {}
            for a in s.scalars(select(Attempt).where(Attempt.profile_id.in_(ids)).order_by(Attempt.submitted_at, Attempt.id)):
                uuids[a.id] = a.client_uuid or ""
                attempts.append({
                    "client_uuid": a.client_uuid, "profile_uuid": owner[a.profile_id], "pack_id": a.pack_id,
                    "pack_version": a.pack_version, "claim_id": a.claim_id, "perspective_id": a.perspective_id,
                    "text": a.text, "started_at": a.started_at.isoformat(), "submitted_at": a.submitted_at.isoformat(),
                    "duration_seconds": a.duration_seconds, "score": a.score,
                    "scored_at": a.scored_at.isoformat() if a.scored_at else None, "matcher_version": a.matcher_version,
                    "breakdown": a.breakdown, "score_history": history.get(a.id, []),
                })
            for d in s.scalars(
                select(Dispute).join(Attempt, Attempt.id == Dispute.attempt_id).where(Attempt.profile_id.in_(ids))
                .order_by(Dispute.created_at, Dispute.id)
            ):
                disputes.append({
                    "uuid": d.uuid, "attempt_uuid": uuids[d.attempt_id], "key_point_id": d.key_point_id, "kind": d.kind,
                    "comment": d.comment, "created_at": d.created_at.isoformat(), "status": d.status,
                    "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None, "resolved_by": d.resolved_by,
                    "resolution_note": d.resolution_note, "override_verdict": d.override_verdict,
                })
        return profiles, attempts, disputes

    # --- in ----------------------------------------------------------------------------

    def match_profiles(self, results: ResultsFile) -> dict[str, int | None]:
        """Each incoming profile uuid's student here (by uuid, then by a remembered
        alias), or ``None`` if the file brings a student not seen before."""
        found: dict[str, int | None] = {}
        with self._sessions.begin() as s:
            for p in results.profiles:
                found[p["uuid"]] = _local_profile(s, p["uuid"])
        return found

    def merge(self, results: ResultsFile, decisions: Mapping[str, Decision]) -> MergeCounts:
        """Merge the file in one transaction. An incoming student not known here
        is added, unless the name is taken: then ``decisions[uuid]`` says what to
        do (``InvalidInputError`` if it does not)."""
        counts = MergeCounts()
        with self._sessions.begin() as s:
            local = {p["uuid"]: self._profile_for(s, p, decisions.get(p["uuid"]), counts) for p in results.profiles}
            names = {pid: name for pid, name in s.execute(select(Profile.id, Profile.name).where(Profile.id.in_(set(local.values()))))}
            incoming = [a["client_uuid"] for a in results.attempts]
            known = _existing(s, Attempt.client_uuid, incoming)
            new = [a for a in results.attempts if a["client_uuid"] not in known]
            counts.known_attempts = len(incoming) - len(new)
            ids: dict[str, int] = {}
            for chunk in _chunks(new):
                rows = [_attempt_row(a, local[a["profile_uuid"]]) for a in chunk]
                returned = s.execute(insert(Attempt).returning(Attempt.id, Attempt.client_uuid, sort_by_parameter_order=True), rows)
                ids.update({u: i for i, u in returned})
            verdicts = [{"attempt_id": ids[a["client_uuid"]], "key_point_id": k, "verdict": v}
                        for a in new for k, v in verdict_pairs(a["breakdown"])]
            scores = [{"attempt_id": ids[a["client_uuid"]], "scored_at": h["scored_at"], "score": h["score"],
                       "matcher_version": h["matcher_version"], "breakdown": h["breakdown"]}
                      for a in new for h in a["score_history"]]
            for table, rows in ((AttemptVerdict, verdicts), (AttemptScore, scores)):
                for chunk in _chunks(rows):
                    s.execute(insert(table), chunk)
            counts.new_attempts = len(new)
            counts.students = {names[local[a["profile_uuid"]]] for a in new}
            counts.new_disputes = self._merge_disputes(s, results, ids)
        return counts

    def _merge_disputes(self, s: Session, results: ResultsFile, ids: dict[str, int]) -> int:
        known = _existing(s, Dispute.uuid, [d["uuid"] for d in results.disputes])
        new = [d for d in results.disputes if d["uuid"] not in known]
        missing = sorted({d["attempt_uuid"] for d in new} - set(ids))
        for chunk in _chunks(missing):  # disputes on attempts imported before
            ids.update({u: i for u, i in s.execute(select(Attempt.client_uuid, Attempt.id).where(Attempt.client_uuid.in_(chunk)))})
        rows = [{**{k: v for k, v in d.items() if k != "attempt_uuid"}, "attempt_id": ids[d["attempt_uuid"]],
                 "comment": clean_text("comment", d["comment"])} for d in new]
        for chunk in _chunks(rows):
            s.execute(insert(Dispute), chunk)
        return len(rows)

    def _profile_for(self, s: Session, incoming: dict[str, Any], decision: Decision | None, counts: MergeCounts) -> int:
        uuid, name = incoming["uuid"], _profile_name(incoming["name"])
        found = _local_profile(s, uuid)
        if found is not None:
            return found
        taken = next((p for p in s.scalars(select(Profile)) if p.name.casefold() == name.casefold()), None)
        if taken is not None and decision is None:
            raise InvalidInputError("profile", f"the name {name!r} is taken here: merge the student or keep them separate")
        if taken is not None and decision is not None and decision.action == "merge":
            target = decision.profile_id if decision.profile_id is not None else taken.id
            s.add(Setting(profile_id=None, key=ALIAS_PREFIX + uuid, value=str(target)))
            return target
        if taken is not None:  # keep separate: the same name, told apart
            name = _free_name(s, name)
        created = Profile(name=name, created_at=incoming["created_at"], pin_hash=None, role="student", uuid=uuid)
        s.add(created)
        s.flush()
        counts.new_profiles.append(name)
        return created.id


def _local_profile(s: Session, uuid: str) -> int | None:
    found = s.scalar(select(Profile.id).where(Profile.uuid == uuid))
    if found is not None:
        return found
    alias = s.scalar(select(Setting.value).where(Setting.profile_id.is_(None), Setting.key == ALIAS_PREFIX + uuid))
    if alias is not None and s.get(Profile, int(alias)) is not None:
        return int(alias)
    return None


def _free_name(s: Session, name: str) -> str:
    taken = {n.casefold() for n in s.scalars(select(Profile.name))}
    for n in range(2, 1000):
        candidate = f"{name[:50]} ({n})"
        if candidate.casefold() not in taken:
            return candidate
    raise DuplicateProfileError(name)


def _existing(s: Session, column: Any, values: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(values))):
        found.update(v for (v,) in s.execute(select(column).where(column.in_(chunk))))
    return found


def _attempt_row(a: dict[str, Any], profile_id: int) -> dict[str, Any]:
    return {
        "profile_id": profile_id, "pack_id": a["pack_id"], "pack_version": a["pack_version"], "claim_id": a["claim_id"],
        "perspective_id": a["perspective_id"], "text": clean_text("text", a["text"]), "started_at": a["started_at"],
        "submitted_at": a["submitted_at"], "duration_seconds": a["duration_seconds"], "score": a["score"],
        "breakdown": a["breakdown"], "matcher_version": a["matcher_version"],
        "scored_at": a["scored_at"] or a["submitted_at"], "client_uuid": a["client_uuid"],
    }


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
