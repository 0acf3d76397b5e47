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

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, Text, cast, insert, select
from sqlalchemy.orm import Session

from trainer.core.results_file import RawJSON, ResultsFile, gc_paused

from .database import Database
from .errors import DuplicateProfileError, InvalidInputError
from .models import UTCDateTime, Attempt, AttemptScore, AttemptVerdict, Dispute, Profile, Setting
from .repository import _profile_name, _Sessions, clean_text, utc_now
from .review import rebuild_in
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
                       cast(AttemptScore.breakdown, Text))
                .join(Attempt, Attempt.id == AttemptScore.attempt_id)
                .where(Attempt.profile_id.in_(ids))
                .order_by(AttemptScore.scored_at, AttemptScore.id)
            )
            for attempt_id, scored_at, score, version, breakdown in rows:
                history.setdefault(attempt_id, []).append(
                    {"scored_at": scored_at.isoformat(), "score": score, "matcher_version": version, "breakdown": RawJSON(breakdown)})
            uuids: dict[int, str] = {}
            columns = (Attempt.id, Attempt.client_uuid, Attempt.profile_id, Attempt.pack_id, Attempt.pack_version, Attempt.claim_id,
                       Attempt.perspective_id, Attempt.text, Attempt.started_at, Attempt.submitted_at, Attempt.duration_seconds,
                       Attempt.score, Attempt.scored_at, Attempt.matcher_version, cast(Attempt.breakdown, Text))
            query = select(*columns).where(Attempt.profile_id.in_(ids)).order_by(Attempt.submitted_at, Attempt.id)
            for (a_id, client_uuid, profile_id, pack_id, pack_version, claim_id, perspective_id, text, started_at, submitted_at,
                 duration, score, scored_at, matcher_version, breakdown) in s.execute(query):
                uuids[a_id] = client_uuid or ""
                attempts.append({
                    "client_uuid": client_uuid, "profile_uuid": owner[profile_id], "pack_id": pack_id,
                    "pack_version": pack_version, "claim_id": claim_id, "perspective_id": perspective_id,
                    "text": text, "started_at": started_at.isoformat(), "submitted_at": submitted_at.isoformat(),
                    "duration_seconds": duration, "score": score,
                    "scored_at": scored_at.isoformat() if scored_at else None, "matcher_version": matcher_version,
                    "breakdown": RawJSON(breakdown), "score_history": history.get(a_id, []),
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
        counts = MergeCounts(known_attempts=results.skipped)
        with gc_paused(), self._sessions.begin() as s:
            local = {p["uuid"]: self._profile_for(s, p, decisions.get(p["uuid"]), counts) for p in results.profiles}
            names = {pid: name for pid, name in s.execute(select(Profile.id, Profile.name).where(Profile.id.in_(set(local.values()))))}
            known = _existing(s, Attempt.client_uuid, [a["client_uuid"] for a in results.attempts])  # stored since the file was read
            new = [a for a in results.attempts if a["client_uuid"] not in known]
            counts.known_attempts += len(results.attempts) - len(new)
            ids: dict[str, int] = {}
            _bulk_insert(s, Attempt.__table__, [_attempt_row(a, local[a["profile_uuid"]]) for a in new])
            for chunk in _chunks([a["client_uuid"] for a in new]):
                ids.update({u: i for u, i in s.execute(select(Attempt.client_uuid, Attempt.id).where(Attempt.client_uuid.in_(chunk)))})
            verdicts = [{"attempt_id": ids[a["client_uuid"]], "key_point_id": k, "verdict": v}
                        for a in new for k, v in verdict_pairs(a["breakdown"])]
            scores = [{"attempt_id": ids[a["client_uuid"]], "scored_at": h["scored_at"], "score": h["score"],
                       "matcher_version": h["matcher_version"], "breakdown": h["breakdown"]}
                      for a in new for h in a["score_history"]]
            _bulk_insert(s, AttemptVerdict.__table__, verdicts)
            _bulk_insert(s, AttemptScore.__table__, scores)
            counts.new_attempts = len(new)
            counts.students = {names[local[a["profile_uuid"]]] for a in new}
            # The review schedule of each claim that got attempts, made again from all of
            # them here (a student's two laptops combine); the file's review_cards are not used.
            rebuild_in(s, keys={(local[a["profile_uuid"]], a["pack_id"], a["claim_id"]) for a in new}, now=self._clock())
            counts.new_disputes = self._merge_disputes(s, results, ids)
        return counts

    def all_here(self, attempt_uuids: list[str], uuids: list[str]) -> bool:
        """Whether every attempt and every profile or dispute uuid is stored here
        (a profile merged into another one counts by its remembered alias)."""
        with self._sessions.begin() as s:
            if len(_existing(s, Attempt.client_uuid, attempt_uuids)) != len(set(attempt_uuids)):
                return False
            rest = set(uuids) - _existing(s, Profile.uuid, list(uuids))
            rest -= _existing(s, Dispute.uuid, sorted(rest))
            aliases = _existing(s, Setting.key, [ALIAS_PREFIX + u for u in sorted(rest)])
            return len(aliases) == len(rest)

    def known_attempts(self, uuids: list[str]) -> set[str]:
        """Which of these attempts are stored here already."""
        with self._sessions.begin() as s:
            return _existing(s, Attempt.client_uuid, uuids)

    def _merge_disputes(self, s: Session, results: ResultsFile, ids: dict[str, int]) -> int:
        known = _existing(s, Dispute.uuid, [d["uuid"] for d in results.disputes])
        new = [d for d in results.disputes if d["uuid"] not in known]
        missing = sorted({d["attempt_uuid"] for d in new} - set(ids))
        for chunk in _chunks(missing):  # disputes on attempts imported before
            ids.update({u: i for u, i in s.execute(select(Attempt.client_uuid, Attempt.id).where(Attempt.client_uuid.in_(chunk)))})
        rows = [{**{k: v for k, v in d.items() if k != "attempt_uuid"}, "attempt_id": ids[d["attempt_uuid"]],
                 "comment": clean_text("comment", d["comment"])} for d in new]
        for chunk in _chunks(rows):
            s.execute(insert(Dispute.__table__), chunk)
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


def _bulk_insert(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL (psycopg's parameter handling of
    multi-row INSERTs took 6 of 8 s for 10,000 attempts), executemany on SQLite.
    Values are converted as the columns' types would: aware datetimes in UTC,
    JSON as text."""
    if not rows:
        return
    dialect = s.get_bind().dialect
    if dialect.name == "sqlite":
        _sqlite_insert(s, table, rows)
        return
    if dialect.name != "postgresql":
        for chunk in _chunks(rows, 5000):
            s.execute(insert(table), chunk)
        return
    columns = list(rows[0])
    kinds = [table.c[name].type for name in columns]
    converters = [
        (lambda v: None if v is None else json.dumps(v, ensure_ascii=False, allow_nan=False)) if isinstance(kind, JSON)
        else (lambda v: None if v is None else v.astimezone(UTC)) if isinstance(kind, UTCDateTime)
        else None
        for kind in kinds
    ]
    driver = s.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
        f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"  # names from our own table, never from the file
    ) as copy:
        for row in rows:
            copy.write_row([row[c] if convert is None else convert(row[c]) for c, convert in zip(columns, converters, strict=True)])


def _sqlite_insert(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``executemany`` on the sqlite3 cursor with each column's own bind
    processor (the same conversion as ``insert(table)``; SQLAlchemy's per-row
    parameter building was a third of a 10,000-attempt import)."""
    dialect = s.get_bind().dialect
    columns = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # our own names
    cursor = s.connection().connection.driver_connection.cursor()
    try:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, [
                tuple(row[c] if convert is None else convert(row[c]) for c, convert in zip(columns, processors, strict=True))
                for row in chunk
            ])
    finally:
        cursor.close()


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


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
