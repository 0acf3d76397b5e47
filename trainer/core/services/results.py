"""A profile's results: stored attempts, disputed verdicts and export files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

from ..errors import Progress
from ..records import AttemptInfo, DisputeInfo
from ..storage import NotFoundError
from .data import Data
from .packs import PackLibrary
from .profiles import Profiles
from .writes import Writes


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    count: int
    excluded_profiles: tuple[str, ...]
    """PIN-protected profiles left out because they were not unlocked."""


class Results:
    def __init__(self, data: Data, writes: Writes, profiles: Profiles, packs: PackLibrary | None = None) -> None:
        self._data = data
        self._writes = writes
        self._profiles = profiles
        self._packs = packs

    def list_attempts(self, *, profile_id: int | None = None, pin: str | None = None, **filters: Any) -> list[AttemptInfo]:
        """Attempts of one profile (``ProfileLockedError`` unless unlocked or
        ``pin`` is right), or of every profile except the locked ones."""
        store = self._data.store
        if profile_id is not None:
            self._profiles.require_unlocked(profile_id, pin)
            return store.list_attempts(profile_id=profile_id, **filters)
        hidden = {p.id for p in self._profiles.locked()}
        return [a for a in store.list_attempts(**filters) if a.profile_id not in hidden]

    def get_attempt(self, *, attempt_id: int, pin: str | None = None) -> AttemptInfo | None:
        """One stored attempt, or ``None``; ``ProfileLockedError`` unless its
        profile is unlocked or ``pin`` is right. An attempt still waiting in
        the outbox has no id yet (``id`` 0) and is not found here."""
        if attempt_id == 0:
            return None
        attempt = self._writes.read(self._data.store.get_attempt, attempt_id=attempt_id)
        if attempt is not None:
            self._profiles.require_unlocked(attempt.profile_id, pin)
        return attempt

    def list_disputes(
        self, *, profile_id: int | None = None, attempt_id: int | None = None, pin: str | None = None
    ) -> list[DisputeInfo]:
        """The disputes of one profile or of one attempt (whose profile must
        be unlocked, or ``pin`` right). An attempt waiting in the outbox has none."""
        store = self._data.store
        if profile_id is None and attempt_id is None:
            raise TypeError("list_disputes needs profile_id or attempt_id")
        if attempt_id is not None:
            attempt = self.get_attempt(attempt_id=attempt_id, pin=pin)
            if attempt is None or (profile_id is not None and attempt.profile_id != profile_id):
                return []
            return self._writes.read(store.list_disputes, attempt_id=attempt_id)
        assert profile_id is not None
        self._profiles.require_unlocked(profile_id, pin)
        return self._writes.read(store.list_disputes, profile_id=profile_id)

    def add_dispute(
        self, *, attempt_id: int, key_point_id: str, kind: str, comment: str = "", pin: str | None = None
    ) -> DisputeInfo:
        """Dispute a verdict on a stored attempt (its profile must be unlocked, or ``pin`` right)."""
        if self.get_attempt(attempt_id=attempt_id, pin=pin) is None:
            raise NotFoundError("attempt", attempt_id)
        return self._writes.read(
            self._data.store.add_dispute, attempt_id=attempt_id, key_point_id=key_point_id, kind=kind, comment=comment
        )

    def export_attempts(
        self,
        *,
        fmt: Literal["json", "csv"],
        out: Path,
        profile_id: int | None = None,
        pin: str | None = None,
        progress: Progress | None = None,
    ) -> ExportOutcome:
        """Export one profile (needs it unlocked or ``pin``) or every profile
        except the locked ones, which are named in the outcome. ``progress``
        as in :func:`trainer.core.export.export_attempts` (False cancels)."""
        from ..export import export_attempts

        store, now = self._data.store, self._data.clock()
        sources = self._sources_lookup()
        if profile_id is not None:
            self._profiles.require_unlocked(profile_id, pin)
            name = self._profiles.get(profile_id).name
            count = export_attempts(store, fmt=fmt, out=out, profile_name=name, now=now, sources_for=sources, progress=progress)
            return ExportOutcome(count, ())
        locked = self._profiles.locked()
        count = export_attempts(store, fmt=fmt, out=out, now=now, exclude_profile_ids={p.id for p in locked}, sources_for=sources,
                                progress=progress)
        return ExportOutcome(count, tuple(p.name for p in locked))

    def _sources_lookup(self) -> Callable[[str, str], dict[str, list[dict[str, Any]]]]:
        """Sources of a claim's key points, from the installed packs (an attempt
        whose pack is gone, or was replaced without that claim, gets none)."""
        packs = {p.id: p for p in self._packs.all()} if self._packs is not None else {}

        def sources_for(pack_id: str, claim_id: str) -> dict[str, list[dict[str, Any]]]:
            pack = packs.get(pack_id)
            try:
                claim = pack.claim(claim_id) if pack else None
            except KeyError:
                claim = None
            if claim is None:
                return {}
            found = {kp.id: [s.to_dict() for s in kp.sources] for kp in claim.key_points if kp.sources}
            if claim.note_sources:
                found["(note)"] = [s.to_dict() for s in claim.note_sources]
            return found

        return sources_for
