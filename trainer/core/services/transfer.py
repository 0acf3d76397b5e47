"""Results that travel between laptops: ``.steelresults`` files out and in.

* ``export_results``: one student's work (unlocked, or with the PIN), or every
  student on this laptop (the PIN-protected ones only while a coach is
  unlocked; otherwise they are left out and named).
* ``import_results``: a coach (unlocked) merges files, each exactly once and in
  one transaction, and gets a plain report. A file whose student's name is
  taken here asks ``decide`` (the window asks the coach; the CLI has a flag).

The format is ``trainer/core/results_file.py`` and ``docs/results-format.md``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Progress
from ..results_file import ResultsFile, ResultsFileError, read_results_file, write_results_file
from ..storage import CoachRequiredError, StorageError
from ..storage.transfer import Decision
from .data import Data
from .profiles import Profiles

LAPTOP_SETTING = "results/laptop_id"


@dataclass(frozen=True, slots=True)
class Conflict:
    """An incoming student whose name a different student has here."""

    uuid: str
    name: str
    existing_id: int
    existing_name: str


@dataclass(frozen=True, slots=True)
class ResultsExport:
    attempts: int
    students: int
    excluded: tuple[str, ...]
    """PIN-protected students left out (no coach unlocked)."""


@dataclass(slots=True)
class ImportReport:
    new_attempts: int = 0
    known_attempts: int = 0
    new_disputes: int = 0
    students: set[str] = field(default_factory=set)
    new_profiles: list[str] = field(default_factory=list)
    imported_files: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    """``(file name, why)`` for each file refused; nothing of it was written."""

    def summary(self) -> str:
        """"42 new attempts from 3 students; 5 already imported; 1 file refused: not a results file"."""
        parts = [f"{self.new_attempts} new attempt{'s' if self.new_attempts != 1 else ''} from "
                 f"{len(self.students)} student{'s' if len(self.students) != 1 else ''}"]
        if self.known_attempts:
            parts.append(f"{self.known_attempts} already imported")
        if self.new_disputes:
            parts.append(f"{self.new_disputes} dispute{'s' if self.new_disputes != 1 else ''}")
        if self.new_profiles:
            parts.append(f"new student{'s' if len(self.new_profiles) != 1 else ''}: {', '.join(self.new_profiles)}")
        if self.refused:
            reasons = "; ".join(why for _, why in self.refused)
            parts.append(f"{len(self.refused)} file{'s' if len(self.refused) != 1 else ''} refused: {reasons}")
        return "; ".join(parts)


class Transfer:
    def __init__(self, data: Data, profiles: Profiles, *, app_version: str) -> None:
        self._data = data
        self._profiles = profiles
        self._app_version = app_version

    def laptop_id(self) -> str:
        """This installation's id (made once, kept in the database's settings)."""
        store = self._data.store
        found = store.get_setting(key=LAPTOP_SETTING)
        if not found:
            found = str(uuid.uuid4())
            store.set_setting(key=LAPTOP_SETTING, value=found)
        return found

    # -- out -------------------------------------------------------------------------
    def export_results(self, out: Path, *, profile_id: int | None = None, pin: str | None = None,
                       progress: Progress | None = None) -> ResultsExport:
        """Write one student's work (``profile_id``) or every student's to ``out``;
        ``progress`` as in :func:`write_results_file` (False cancels, nothing written)."""
        if profile_id is not None:
            self._profiles.require_unlocked(profile_id, pin)
            chosen, excluded = [profile_id], ()
        else:
            locked = {p.id for p in self._profiles.locked()}
            students = [p for p in self._profiles.list() if not p.is_coach]
            chosen = [p.id for p in students if p.id not in locked]
            excluded = tuple(p.name for p in students if p.id in locked)
        profiles, attempts, disputes = self._data.transfer.collect(profile_ids=chosen)
        from ..storage.review import ReviewStore  # the review schedules travel too (the coach rebuilds them on import)

        cards = ReviewStore(self._data.database, clock=self._data.clock).export_rows(profile_ids=chosen)
        write_results_file(
            out, laptop_id=self.laptop_id(), created=self._data.clock(), app_version=self._app_version,
            profiles=profiles, attempts=attempts, disputes=disputes, review_cards=cards, progress=progress,
        )
        return ResultsExport(len(attempts), len(profiles), excluded)

    # -- in --------------------------------------------------------------------------
    def read(self, path: Path) -> ResultsFile:
        """The file's checked contents (``ResultsFileError`` says what is wrong);
        attempts already stored here are only counted."""
        return read_results_file(path, known=self._data.transfer.known_attempts, all_here=self._data.transfer.all_here)

    def conflicts(self, results: ResultsFile) -> list[Conflict]:
        """Incoming students not known here whose name another student has."""
        self._require_coach()
        matched = self._data.transfer.match_profiles(results)
        here = {p.name.casefold(): p for p in self._profiles.list()}
        found = []
        for p in results.profiles:
            taken = here.get(p["name"].strip().casefold())
            if matched[p["uuid"]] is None and taken is not None:
                found.append(Conflict(p["uuid"], p["name"], taken.id, taken.name))
        return found

    def import_results(
        self,
        paths: Sequence[Path],
        *,
        decide: Callable[[Conflict], Decision | None],
        progress: Callable[[int, int, str], bool] | None = None,
    ) -> ImportReport:
        """Merge each file, in its own transaction; a refused file writes nothing.

        ``decide(conflict)`` returns a ``Decision`` or ``None`` (the file is
        then refused). ``progress(done, total, name)`` is called before each file;
        returning False stops before that file (files merged so far stay).
        """
        self._require_coach()
        report = ImportReport()
        for done, path in enumerate(paths):
            path = Path(path)
            if progress is not None and not progress(done, len(paths), path.name):
                break
            try:
                results = self.read(path)
                decisions = {}
                for conflict in self.conflicts(results):
                    decision = decide(conflict)
                    if decision is None:
                        raise ResultsFileError(f"{path.name}: {conflict.name!r} is already a student here, and no choice was made")
                    decisions[conflict.uuid] = decision
                counts = self._data.transfer.merge(results, decisions)
            except (ResultsFileError, StorageError) as exc:
                report.refused.append((path.name, _reason(exc, path.name)))
                continue
            report.imported_files.append(path.name)
            report.new_attempts += counts.new_attempts
            report.known_attempts += counts.known_attempts
            report.new_disputes += counts.new_disputes
            report.students |= counts.students
            report.new_profiles += counts.new_profiles
        if progress is not None:
            progress(len(paths), len(paths), "")
        return report

    def _require_coach(self) -> None:
        if self._profiles.coach() is None:
            raise CoachRequiredError("import results")


def _reason(exc: Exception, name: str) -> str:
    text = str(exc)
    return text[len(name) + 2:] if text.startswith(f"{name}: ") else text

