"""The facade the UI and the CLI call.

``Service`` groups the app's nouns the way Anki's ``Collection`` does:
``service.store`` (profiles, drafts, attempts, disputes, settings; every
method one transaction returning plain records), the installed packs, and the
matcher, which is loaded lazily because it takes a fraction of a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .packs import Pack, PackEntry, discover_packs, load_pack
from .paths import Locations
from .records import AttemptInfo
from .storage import Database, Repository, open_database

if TYPE_CHECKING:
    from .matching import MatchResult, Matcher


def utc_now() -> datetime:
    return datetime.now(UTC)


def builtin_packs_dir() -> Path:
    from ..resources import resource_path

    return resource_path("packs")


class UnknownPackError(LookupError):
    """No installed pack has this id (and it is not a path to a pack)."""


class Service:
    def __init__(
        self,
        *,
        locations: Locations,
        database: Database,
        clock: Callable[[], datetime] = utc_now,
        matcher_loader: Callable[[], Matcher] | None = None,
        pack_folders: list[tuple[Path, bool]] | None = None,
    ) -> None:
        self.locations = locations
        self.database = database
        self.clock = clock
        self.store = Repository(database, clock=clock)
        self._matcher_loader = matcher_loader
        self._matcher: Matcher | None = None
        self._matcher_lock = threading.Lock()
        self._pack_folders = pack_folders
        self._packs: list[PackEntry] | None = None

    @classmethod
    def open(cls, locations: Locations, **kwargs: object) -> Service:
        """Open (and if needed create or upgrade) the database at ``locations``."""
        locations.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(locations=locations, database=open_database(locations.database_url), **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.database.close()

    # -- packs -------------------------------------------------------------
    def pack_folders(self) -> list[tuple[Path, bool]]:
        if self._pack_folders is not None:
            return self._pack_folders
        return [(builtin_packs_dir(), True), (self.locations.packs_dir, False)]

    def pack_entries(self, *, reload: bool = False) -> list[PackEntry]:
        """Every pack found, loaded or with its problems (a broken pack never hides the others)."""
        if self._packs is None or reload:
            self._packs = discover_packs(self.pack_folders())
        return self._packs

    def packs(self) -> list[Pack]:
        return [e.pack for e in self.pack_entries() if e.pack is not None]

    def pack(self, pack_id: str) -> Pack:
        """The installed pack with this id, or the pack at this path."""
        for pack in self.packs():
            if pack.id == pack_id:
                return pack
        candidate = Path(pack_id)
        if candidate.exists():
            return load_pack(candidate)
        known = ", ".join(p.id for p in self.packs()) or "none"
        raise UnknownPackError(f"no installed pack has the id {pack_id!r} (installed: {known})")

    # -- matching ----------------------------------------------------------
    def matcher(self) -> Matcher:
        """The matcher, loaded on first use (safe to call from a worker thread)."""
        with self._matcher_lock:
            if self._matcher is None:
                if self._matcher_loader is not None:
                    self._matcher = self._matcher_loader()
                else:
                    from .matching import Matcher

                    self._matcher = Matcher.load()
            return self._matcher

    def score_response(self, *, pack_id: str, claim_id: str, text: str) -> MatchResult:
        from .matching import KeyPointInput

        claim = self.pack(pack_id).claim(claim_id)
        key_points = [
            KeyPointInput(id=k.id, statement=k.statement, rebuttal_markdown=k.rebuttal_markdown, weight=k.weight)
            for k in claim.key_points
        ]
        return self.matcher().score(claim=claim.quote, key_points=key_points, response=text)

    def submit_attempt(
        self,
        *,
        profile_id: int,
        pack_id: str,
        claim_id: str,
        text: str,
        perspective_id: str | None = None,
        started_at: datetime | None = None,
    ) -> tuple[AttemptInfo, MatchResult]:
        """Score ``text`` and store it as a new attempt (the draft is cleared)."""
        pack = self.pack(pack_id)
        result = self.score_response(pack_id=pack_id, claim_id=claim_id, text=text)
        submitted = self.clock()
        attempt = self.store.record_attempt(
            profile_id=profile_id,
            pack_id=pack.id,
            pack_version=pack.version,
            claim_id=claim_id,
            perspective_id=perspective_id,
            text=text,
            started_at=started_at or submitted,
            submitted_at=submitted,
            score=result.score,
            breakdown=result.to_dict(),
            matcher_version=result.matcher_version,
        )
        return attempt, result

    def rescore_attempts(self, *, profile_id: int | None = None) -> tuple[int, int]:
        """Re-score stored attempts with the current matcher; old scores stay in history.

        Returns ``(rescored, skipped)``; attempts whose pack or claim is no
        longer installed are skipped.
        """
        rescored = skipped = 0
        for attempt in self.store.list_attempts(profile_id=profile_id):
            try:
                result = self.score_response(pack_id=attempt.pack_id, claim_id=attempt.claim_id, text=attempt.text)
            except (UnknownPackError, KeyError):
                skipped += 1
                continue
            self.store.rescore_attempt(
                attempt_id=attempt.id,
                score=result.score,
                breakdown=result.to_dict(),
                matcher_version=result.matcher_version,
            )
            rescored += 1
        return rescored, skipped
