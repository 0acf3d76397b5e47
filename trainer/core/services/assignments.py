"""Assignments: claims (or a whole pack) a coach sets for the club or for chosen students, with a due date.

On a shared database an assignment is simply there for every laptop. For
offline laptops it travels as a ``.steelassign`` file (JSON, described in
``docs/results-format.md``) that a student opens with File ▸ Open Assignment;
opening the same file twice stores it once (by its ``uuid``).

Setting, listing everyone's progress and exporting need an unlocked coach;
opening a file and reading one's own assignments do not.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid as uuid_
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..records import AssignmentInfo, ProfileInfo
from ..storage import CoachRequiredError, InvalidInputError
from .data import Data
from .packs import PackLibrary, UnknownPackError
from .profiles import Profiles

FORMAT = "steelman-assignment"
VERSION = 1
SUFFIX = ".steelassign"
MAX_FILE_BYTES = 1024 * 1024
MAX_CLAIMS = 1000


class AssignmentFileError(ValueError):
    """The file is not an assignment this Steelman can open; the message says why."""


class Assignments:
    def __init__(self, data: Data, profiles: Profiles, packs: PackLibrary) -> None:
        self._data = data
        self._profiles = profiles
        self._packs = packs

    def _store(self):  # noqa: ANN202 - AssignmentStore, imported lazily with SQLAlchemy
        from ..storage.assignments import AssignmentStore

        return AssignmentStore(self._data.database, clock=self._data.clock)

    def _coach(self, what: str) -> ProfileInfo:
        coach = self._profiles.coach()
        if coach is None:
            raise CoachRequiredError(what)
        return coach

    # -- the coach ---------------------------------------------------------------
    def create(
        self, *, pack_id: str, due_on: date, claim_ids: list[str] | None = None, student_ids: list[int] | None = None,
        title: str = "",
    ) -> AssignmentInfo:
        """Set ``claim_ids`` of ``pack_id`` (``None``: the whole pack) for ``student_ids`` (``None``: everyone)."""
        coach = self._coach("set assignments")
        pack = self._packs.get(pack_id)
        known = [c.id for c in pack.claims]
        chosen = known if claim_ids is None else [c for c in known if c in set(claim_ids)]
        unknown = sorted(set(claim_ids or ()) - set(known))
        if unknown:
            raise InvalidInputError("claim_ids", f"not in {pack.title}: {', '.join(unknown)}")
        if not chosen:
            raise InvalidInputError("claim_ids", "choose at least one claim")
        students = None
        if student_ids is not None:
            people = [self._profiles.get(pid) for pid in student_ids]
            if not people:
                raise InvalidInputError("students", "choose at least one student, or the whole club")
            students = [(p.uuid, p.name) for p in people if not p.is_coach]
        title = title.strip() or f"{len(chosen)} claim{'s' if len(chosen) != 1 else ''} of {pack.title}"
        info, _ = self._store().add(
            uuid=str(uuid_.uuid4()), title=title[:120], pack_id=pack_id, claim_ids=chosen, due_on=due_on,
            students=students, created_at=self._data.clock(), created_by=coach.name,
        )
        return info

    def all(self) -> list[AssignmentInfo]:
        self._coach("see every assignment")
        return self._store().all()

    def club_progress(self) -> dict[int, dict[int, int]]:
        """``{assignment_id: {profile_id: claims done}}`` for each student it is for."""
        self._coach("see the club's assignments")
        store = self._store()
        students = [p for p in self._profiles.list() if not p.is_coach]
        progress: dict[int, dict[int, int]] = {}
        for a in store.all():
            those = [p.id for p in students if a.is_for(p)]
            progress[a.id] = {pid: len(done) for pid, done in store.done(a, profile_ids=those).items()}
        return progress

    def export_file(self, assignment_id: int, out: Path) -> Path:
        """Write the assignment as a ``.steelassign`` file for offline laptops."""
        self._coach("export assignments")
        a = self._store().get(assignment_id=assignment_id)
        if a is None:
            raise InvalidInputError("assignment", f"no assignment with the id {assignment_id}")
        document = {
            "format": FORMAT, "version": VERSION, "uuid": a.uuid, "title": a.title, "pack_id": a.pack_id,
            "claim_ids": list(a.claim_ids), "due_on": a.due_on.isoformat(),
            "students": None if a.students is None else [{"uuid": u, "name": n} for u, n in a.students],
            "created_at": a.created_at.isoformat(), "created_by": a.created_by,
        }
        out = Path(out)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
        return out

    # -- a student -----------------------------------------------------------------
    def open_file(self, path: Path) -> tuple[AssignmentInfo, bool]:
        """Store the assignment in ``path`` (``AssignmentFileError`` says what is wrong);
        ``False`` when it was stored before."""
        fields = read_assignment_file(Path(path))
        try:
            pack = self._packs.get(fields["pack_id"])
        except UnknownPackError:
            pack = None  # stored anyway: it shows once the coach's pack is imported
        if pack is not None:
            missing = sorted(set(fields["claim_ids"]) - {c.id for c in pack.claims})
            if missing:
                raise AssignmentFileError(f"{Path(path).name}: claims not in {pack.title} as installed here: {', '.join(missing[:5])}")
        return self._store().add(**fields)

    def for_profile(self, profile_id: int) -> list[AssignmentInfo]:
        """The assignments for this student, the soonest due first (no PIN needed: no work is read)."""
        profile = self._profiles.get(profile_id)
        return [a for a in self._store().all() if a.is_for(profile)]

    def done(self, assignment: AssignmentInfo, profile_id: int) -> set[str]:
        """The assigned claims this student has done since it was set (their profile must be unlocked)."""
        self._profiles.require_unlocked(profile_id, None)
        return self._store().done(assignment, profile_ids=[profile_id])[profile_id]


def read_assignment_file(path: Path) -> dict[str, Any]:
    """The checked fields of a ``.steelassign`` file, ready for ``AssignmentStore.add``."""
    name = path.name

    def fail(problem: str) -> AssignmentFileError:
        return AssignmentFileError(f"{name}: {problem}")

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is {size:,} bytes; an assignment file is at most {MAX_FILE_BYTES:,}")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise fail("not an assignment file (not JSON text)") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise fail(f"not an assignment file (format is not {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("version: must be a whole number")
    if version > VERSION:
        raise fail(f"made by a newer Steelman (assignment format {version}): update Steelman to open it")

    def text(key: str, limit: int = 200) -> str:
        value = doc.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > limit or "\x00" in value:
            raise fail(f"{key}: must be a text of at most {limit} characters")
        return value

    claims = doc.get("claim_ids")
    if not isinstance(claims, list) or not claims or len(claims) > MAX_CLAIMS or not all(isinstance(c, str) and 0 < len(c) <= 200 for c in claims):
        raise fail(f"claim_ids: must be a list of 1 to {MAX_CLAIMS} claim ids")
    try:
        due_on = date.fromisoformat(text("due_on", 10))
        created_at = datetime.fromisoformat(text("created_at", 40))
    except ValueError as exc:
        raise fail(f"a date is not valid ({exc})") from exc
    if created_at.tzinfo is None:
        raise fail("created_at: has no time zone")
    students = doc.get("students")
    if students is not None:
        if not isinstance(students, list) or len(students) > 10_000 or not all(
            isinstance(s, dict) and isinstance(s.get("uuid"), str) and isinstance(s.get("name"), str) for s in students
        ):
            raise fail("students: must be null (the whole club) or a list of {uuid, name}")
        students = [(s["uuid"][:100], s["name"][:200]) for s in students]
    return {
        "uuid": text("uuid", 100), "title": text("title", 120), "pack_id": text("pack_id"), "claim_ids": list(dict.fromkeys(claims)),
        "due_on": due_on, "students": students, "created_at": created_at, "created_by": text("created_by"),
    }
