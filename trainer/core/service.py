"""The facade the UI and the CLI call.

``Service`` groups the app's nouns the way Anki's ``Collection`` does:
``service.store`` (profiles, drafts, attempts, disputes, settings; every
method one transaction returning plain records), the installed packs, and the
matcher, which is loaded lazily because it takes a fraction of a second.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import security
from .outbox import Outbox
from .packs import Pack, PackEntry, discover_packs, load_pack
from .paths import Locations
from .records import AttemptInfo, DisputeInfo, DraftInfo, ProfileInfo
from .storage import (
    Database,
    DatabaseUnavailableError,
    NotFoundError,
    ProfileLockedError,
    Repository,
    StorageError,
    open_database,
)
from .storage.repository import clean_text, utc_now

if TYPE_CHECKING:
    from .instance import InstanceLock
    from .matching import MatchResult, Matcher


def builtin_packs_dir() -> Path:
    from ..resources import resource_path

    return resource_path("packs")


class PackExistsError(ValueError):
    """An installed pack already has the id of the pack being imported."""


class UnknownPackError(LookupError):
    """No installed pack has this id (and it is not a path to a pack)."""


OFFLINE_MESSAGE = (
    "The database server cannot be reached. Your work is kept on this computer "
    "and will be saved to the server when it is back."
)


@dataclass(frozen=True, slots=True)
class FlushOutcome:
    """What ``Service.flush_outbox`` did."""

    written: int
    failed: int
    remaining: int
    error: str | None = None
    """Why the flush stopped early (the database is still unreachable), or None."""


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    count: int
    excluded_profiles: tuple[str, ...]
    """PIN-protected profiles left out because they were not unlocked."""


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
        self.outbox = Outbox(locations.data_dir)
        self._outbox_lock = threading.RLock()
        self._offline_reason: str | None = None
        self._unlocked: set[int] = set()
        self._profiles_seen: dict[int, ProfileInfo] = {}
        self.instance_lock: InstanceLock | None = None
        """Set by ``open_service_with_recovery``; released by ``close``."""

    @classmethod
    def open(cls, locations: Locations, **kwargs: object) -> Service:
        """Open (and if needed create or upgrade) the database at ``locations``."""
        locations.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(locations=locations, database=open_database(locations.database_url), **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.database.close()
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    def reopen_database(self) -> None:
        """Close and open the database again (after ``restore_backup``)."""
        self.database.close()
        self.database = open_database(self.locations.database_url)
        self.store = Repository(self.database, clock=self.clock)
        self._unlocked.clear()

    def restore_backup(self, name: str) -> Any:
        """Restore a backup from inside the running app: the database is closed,
        the current file moved aside, the backup copied in, and the database
        opened again. Returns a ``backups.RestoreOutcome``. Every view must
        reload afterwards, and unlocked profiles are locked again."""
        from .backups import restore_backup

        with self._outbox_lock:  # no write goes through while the file is swapped
            self.database.close()
            try:
                return restore_backup(self.locations, name, now=self.clock(), lock=self.instance_lock)
            finally:
                self.reopen_database()

    # -- packs -------------------------------------------------------------
    def pack_folders(self) -> list[tuple[Path, bool]]:
        """Where packs are read from: the built-in ones (or the folders given), then
        the data folder's ``packs/``, where imported packs go."""
        folders = self._pack_folders if self._pack_folders is not None else [(builtin_packs_dir(), True)]
        if all(folder != self.locations.packs_dir for folder, _ in folders):
            folders = [*folders, (self.locations.packs_dir, False)]
        return folders

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

    def import_pack(self, source: Path, *, replace: bool = False) -> Pack:
        """Validate the pack at ``source`` (a folder or a ``.steelpack``) and install
        it into the data folder's ``packs/`` as a ``.steelpack`` named after its id.

        Raises :class:`PackValidationError` (every problem) if it is invalid,
        :class:`PackExistsError` if a built-in pack has the id, or if an imported
        one has it and ``replace`` is False. Nothing is written unless it loads.
        """
        from .packs import ARCHIVE_SUFFIX, build_archive

        pack = load_pack(source)
        target_dir = self.locations.packs_dir
        target = target_dir / f"{pack.id}{ARCHIVE_SUFFIX}"
        older: list[Path] = []
        for entry in self.pack_entries(reload=True):
            if entry.pack is None or entry.pack.id != pack.id:
                continue
            if entry.builtin:
                raise PackExistsError(f"a built-in pack already has the id {pack.id!r}; give the imported pack another id")
            if not replace:
                raise PackExistsError(f"a pack with the id {pack.id!r} is already installed ({entry.path.name})")
            if entry.path != target:
                older.append(entry.path)
        target_dir.mkdir(parents=True, exist_ok=True)
        if Path(source).is_dir():
            build_archive(Path(source), target)
        else:
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(Path(source).read_bytes())
            tmp.replace(target)
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        for path in older:  # never deleted: moved where packs are not loaded from
            (target_dir / "replaced").mkdir(exist_ok=True)
            path.rename(target_dir / "replaced" / f"{path.name}-{stamp}")
        self.pack_entries(reload=True)
        return self.pack(pack.id)

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

    def score_response(self, *, pack_id: str, claim_id: str, text: str, perspective_id: str | None = None) -> MatchResult:
        from .scoring import score_claim

        pack = self.pack(pack_id)
        return score_claim(self.matcher(), pack, pack.claim(claim_id), text, perspective_id)

    def rescore_attempts(
        self,
        *,
        profile_id: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Re-score stored attempts with the current matcher; old scores stay in history.

        Returns ``(rescored, skipped)``; attempts whose pack or claim is no
        longer installed are skipped. ``progress(done, total)`` is called after
        each attempt (rescored or skipped), on the calling thread. No PIN is
        checked: the UI calls :meth:`rescore_profile_attempts`.
        """
        rescored = skipped = 0
        attempts = self.store.list_attempts(profile_id=profile_id)
        total = len(attempts)
        for done, attempt in enumerate(attempts, start=1):
            try:
                result = self.score_response(pack_id=attempt.pack_id, claim_id=attempt.claim_id, text=attempt.text,
                                             perspective_id=attempt.perspective_id)
            except (UnknownPackError, KeyError):
                skipped += 1
            else:
                self.store.rescore_attempt(
                    attempt_id=attempt.id,
                    score=result.score,
                    breakdown=result.to_dict(),
                    matcher_version=result.matcher_version,
                )
                rescored += 1
            if progress is not None:
                progress(done, total)
        return rescored, skipped

    def rescore_profile_attempts(
        self,
        *,
        profile_id: int,
        pin: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """``rescore_attempts`` for one profile (``ProfileLockedError`` unless
        it is unlocked or ``pin`` is right)."""
        self._require_unlocked(profile_id, pin)
        return self.rescore_attempts(profile_id=profile_id, progress=progress)

    # -- profile PINs ------------------------------------------------------
    def _profile(self, profile_id: int) -> ProfileInfo:
        if self._deferring() and profile_id in self._profiles_seen:
            return self._profiles_seen[profile_id]  # offline: do not wait for the server
        try:
            profile = self.store.get_profile_by_id(profile_id=profile_id)
        except DatabaseUnavailableError:
            # Offline: what this session last saw is good enough to show the
            # user the draft they are typing (it waits in the outbox).
            if profile_id in self._profiles_seen:
                return self._profiles_seen[profile_id]
            raise
        if profile is None:
            raise NotFoundError("profile", profile_id)
        self._profiles_seen[profile.id] = profile
        return profile

    def verify_pin(self, *, profile_id: int, pin: str) -> bool:
        """Whether ``pin`` is the profile's PIN (True for a profile without one)."""
        stored = self.store.get_pin_hash(profile_id=profile_id)
        return stored is None or security.verify_pin(pin, stored)

    def set_pin(self, *, profile_id: int, pin: str, current_pin: str | None = None) -> ProfileInfo:
        """Set or change the PIN; changing it needs the current one."""
        profile = self._profile(profile_id)
        if profile.has_pin and not self.verify_pin(profile_id=profile_id, pin=current_pin or ""):
            raise ProfileLockedError(profile.name, wrong_pin=True)
        updated = self.store.set_pin_hash(profile_id=profile_id, pin_hash=security.hash_pin(pin))
        self._unlocked.add(profile_id)
        return updated

    def clear_pin(self, *, profile_id: int, current_pin: str) -> ProfileInfo:
        profile = self._profile(profile_id)
        if profile.has_pin and not self.verify_pin(profile_id=profile_id, pin=current_pin):
            raise ProfileLockedError(profile.name, wrong_pin=True)
        return self.store.set_pin_hash(profile_id=profile_id, pin_hash=None)

    def unlock_profile(self, *, profile_id: int, pin: str) -> None:
        """Unlock a PIN-protected profile for this session; ``ProfileLockedError`` if wrong."""
        profile = self._profile(profile_id)
        if profile.has_pin and not self.verify_pin(profile_id=profile_id, pin=pin):
            raise ProfileLockedError(profile.name, wrong_pin=True)
        self._unlocked.add(profile_id)

    def lock_profile(self, *, profile_id: int) -> None:
        """Forget an unlock (call when the user switches profile)."""
        self._unlocked.discard(profile_id)

    def is_unlocked(self, *, profile_id: int) -> bool:
        return profile_id in self._unlocked or not self._profile(profile_id).has_pin

    def locked_profiles(self) -> list[ProfileInfo]:
        """PIN-protected profiles not unlocked in this session."""
        return [p for p in self.store.list_profiles() if p.has_pin and p.id not in self._unlocked]

    def reset_profile(self, *, profile_id: int) -> ProfileInfo:
        """The forgotten-PIN way out: delete the profile's attempts, drafts,
        disputes, settings and PIN; the profile and its name stay. The caller
        must have asked the user to confirm (no PIN is needed)."""
        self._unlocked.discard(profile_id)
        return self.store.reset_profile(profile_id=profile_id)

    def _require_unlocked(self, profile_id: int, pin: str | None) -> None:
        if profile_id in self._unlocked:
            return
        profile = self._profile(profile_id)
        if not profile.has_pin:
            return
        if pin is None:
            raise ProfileLockedError(profile.name)
        self.unlock_profile(profile_id=profile_id, pin=pin)

    # -- PIN-gated reads ---------------------------------------------------
    def list_attempts(self, *, profile_id: int | None = None, pin: str | None = None, **filters: Any) -> list[AttemptInfo]:
        """Attempts of one profile (``ProfileLockedError`` unless unlocked or
        ``pin`` is right), or of every profile except the locked ones."""
        if profile_id is not None:
            self._require_unlocked(profile_id, pin)
            return self.store.list_attempts(profile_id=profile_id, **filters)
        hidden = {p.id for p in self.locked_profiles()}
        return [a for a in self.store.list_attempts(**filters) if a.profile_id not in hidden]

    def list_drafts(self, *, profile_id: int, pack_id: str | None = None, pin: str | None = None) -> list[DraftInfo]:
        self._require_unlocked(profile_id, pin)
        return self.store.list_drafts(profile_id=profile_id, pack_id=pack_id)

    def get_draft(self, *, profile_id: int, pack_id: str, claim_id: str, pin: str | None = None) -> DraftInfo | None:
        """The draft, preferring one still waiting in the outbox (it is newer).

        When the database cannot be reached, only the outbox answers (``None``
        if it holds nothing for the claim) and ``offline`` turns True."""
        self._require_unlocked(profile_id, pin)
        entry = self.outbox.pending_draft(profile_id, pack_id, claim_id)
        if entry is not None:
            return None if entry.payload.get("deleted") else _draft_from_payload(entry.payload)
        try:
            return self.store.get_draft(profile_id=profile_id, pack_id=pack_id, claim_id=claim_id)
        except DatabaseUnavailableError as exc:
            self._offline_reason = str(exc)
            return None

    def get_attempt(self, *, attempt_id: int, pin: str | None = None) -> AttemptInfo | None:
        """One stored attempt, or ``None``; ``ProfileLockedError`` unless its
        profile is unlocked or ``pin`` is right. An attempt still waiting in
        the outbox has no id yet (``id`` 0) and is not found here."""
        if attempt_id == 0:
            return None
        attempt = self._read(self.store.get_attempt, attempt_id=attempt_id)
        if attempt is not None:
            self._require_unlocked(attempt.profile_id, pin)
        return attempt

    def list_disputes(
        self, *, profile_id: int | None = None, attempt_id: int | None = None, pin: str | None = None
    ) -> list[DisputeInfo]:
        """The disputes of one profile or of one attempt (whose profile must
        be unlocked, or ``pin`` right). An attempt waiting in the outbox has none."""
        if profile_id is None and attempt_id is None:
            raise TypeError("list_disputes needs profile_id or attempt_id")
        if attempt_id is not None:
            attempt = self.get_attempt(attempt_id=attempt_id, pin=pin)
            if attempt is None or (profile_id is not None and attempt.profile_id != profile_id):
                return []
            return self._read(self.store.list_disputes, attempt_id=attempt_id)
        assert profile_id is not None
        self._require_unlocked(profile_id, pin)
        return self._read(self.store.list_disputes, profile_id=profile_id)

    def add_dispute(
        self, *, attempt_id: int, key_point_id: str, kind: str, comment: str = "", pin: str | None = None
    ) -> DisputeInfo:
        """Dispute a verdict on a stored attempt (its profile must be unlocked, or ``pin`` right)."""
        if self.get_attempt(attempt_id=attempt_id, pin=pin) is None:
            raise NotFoundError("attempt", attempt_id)
        return self._read(
            self.store.add_dispute, attempt_id=attempt_id, key_point_id=key_point_id, kind=kind, comment=comment
        )

    def _read(self, action: Callable[..., Any], /, **kwargs: Any) -> Any:
        """Call the store; an unreachable database also turns ``offline`` True."""
        try:
            return action(**kwargs)
        except DatabaseUnavailableError as exc:
            self._offline_reason = str(exc)
            raise

    def export_attempts(
        self,
        *,
        fmt: Literal["json", "csv"],
        out: Path,
        profile_id: int | None = None,
        pin: str | None = None,
    ) -> ExportOutcome:
        """Export one profile (needs it unlocked or ``pin``) or every profile
        except the locked ones, which are named in the outcome."""
        from .export import export_attempts

        if profile_id is not None:
            self._require_unlocked(profile_id, pin)
            name = self._profile(profile_id).name
            count = export_attempts(self.store, fmt=fmt, out=out, profile_name=name, now=self.clock())
            return ExportOutcome(count, ())
        locked = self.locked_profiles()
        count = export_attempts(
            self.store, fmt=fmt, out=out, now=self.clock(), exclude_profile_ids={p.id for p in locked}
        )
        return ExportOutcome(count, tuple(p.name for p in locked))

    # -- writes that survive an outage -------------------------------------
    defer_writes_while_offline: bool = False
    """When True (the window sets it), writes made while ``offline`` go
    straight to the outbox without trying the server, so a save never waits
    for a connection timeout; only ``flush_outbox`` (the window's periodic
    retry on its worker) tries the server. When False (the CLI, scripts),
    every write tries the server first, after what waits in the outbox."""

    def _deferring(self) -> bool:
        return self.defer_writes_while_offline and self.offline

    @property
    def offline(self) -> bool:
        """True since a write went to the outbox, until a flush empties it."""
        return self._offline_reason is not None

    @property
    def offline_message(self) -> str | None:
        return OFFLINE_MESSAGE if self._offline_reason is not None else None

    def pending_writes(self) -> int:
        return self.outbox.pending_count()

    def save_draft(
        self,
        *,
        profile_id: int,
        pack_id: str,
        claim_id: str,
        text: str,
        cursor_position: int = 0,
        perspective_id: str | None = None,
        started_at: datetime | None = None,
    ) -> DraftInfo:
        """Save the draft; when the database is unreachable it goes to the
        outbox instead (the returned draft then has ``pending=True``)."""
        from contextlib import nullcontext

        text = clean_text("text", text)
        cursor_position = min(max(0, cursor_position), len(text))
        deferred = self._deferring()
        if profile_id not in self._profiles_seen and not deferred:
            try:
                self._profile(profile_id)
            except StorageError:
                pass  # unknown or unreachable: the write below says which
        # Deferred writes only append to the outbox (which has its own lock),
        # so they never wait for a flush that is waiting for the server.
        with nullcontext() if deferred else self._outbox_lock:
            if not deferred and self._write_through():
                try:
                    return self.store.save_draft(
                        profile_id=profile_id,
                        pack_id=pack_id,
                        claim_id=claim_id,
                        text=text,
                        cursor_position=cursor_position,
                        perspective_id=perspective_id,
                        started_at=started_at,
                    )
                except DatabaseUnavailableError as exc:
                    self._offline_reason = str(exc)
            now = self.clock()
            earlier = self.outbox.pending_draft(profile_id, pack_id, claim_id)
            if earlier is not None and not earlier.payload.get("deleted"):
                started_at = datetime.fromisoformat(earlier.payload["started_at"])
            payload = {
                "profile_id": profile_id,
                "pack_id": pack_id,
                "claim_id": claim_id,
                "text": text,
                "cursor_position": cursor_position,
                "perspective_id": perspective_id,
                "started_at": (started_at or now).astimezone(UTC).isoformat(),
                "updated_at": now.astimezone(UTC).isoformat(),
            }
            self.outbox.put_draft(payload, created_at=payload["updated_at"])
            return _draft_from_payload(payload)

    def delete_draft(self, *, profile_id: int, pack_id: str, claim_id: str) -> None:
        """Delete the claim's draft, in order with the writes waiting in the
        outbox: a draft for the claim still waiting there is dropped, and when
        the database cannot be reached the delete itself waits there."""
        from contextlib import nullcontext

        deferred = self._deferring()
        with nullcontext() if deferred else self._outbox_lock:
            if not deferred and self._write_through():
                try:
                    self.store.delete_draft(profile_id=profile_id, pack_id=pack_id, claim_id=claim_id)
                    return
                except DatabaseUnavailableError as exc:
                    self._offline_reason = str(exc)
            now = self.clock().astimezone(UTC).isoformat()
            marker = {"profile_id": profile_id, "pack_id": pack_id, "claim_id": claim_id, "deleted": True, "updated_at": now}
            self.outbox.put_draft(marker, created_at=now)  # replaces a waiting draft for the claim

    def submit_attempt(
        self,
        *,
        profile_id: int,
        pack_id: str,
        claim_id: str,
        text: str,
        perspective_id: str | None = None,
        started_at: datetime | None = None,
        client_uuid: str | None = None,
    ) -> tuple[AttemptInfo, MatchResult]:
        """Score ``text`` and store it as a new attempt (the draft is cleared).

        When the database is unreachable the attempt goes to the outbox: the
        returned record has ``pending=True`` and ``id`` 0, ``service.offline``
        turns True, and ``flush_outbox`` stores it later (exactly once, by its
        ``client_uuid``)."""
        pack = self.pack(pack_id)
        text = clean_text("text", text)
        result = self.score_response(pack_id=pack_id, claim_id=claim_id, text=text, perspective_id=perspective_id)
        submitted = self.clock()
        if profile_id not in self._profiles_seen and not self._deferring():
            try:
                self._profile(profile_id)
            except StorageError:
                pass
        payload: dict[str, Any] = {
            "profile_id": profile_id,
            "pack_id": pack.id,
            "pack_version": pack.version,
            "claim_id": claim_id,
            "perspective_id": perspective_id,
            "text": text,
            "started_at": (started_at or submitted).astimezone(UTC).isoformat(),
            "submitted_at": submitted.astimezone(UTC).isoformat(),
            "score": result.score,
            "breakdown": result.to_dict(),
            "matcher_version": result.matcher_version,
            "client_uuid": client_uuid or str(uuid.uuid4()),
        }
        from contextlib import nullcontext

        deferred = self._deferring()
        with nullcontext() if deferred else self._outbox_lock:
            if not deferred and self._write_through():
                try:
                    return self.store.record_attempt(**_attempt_args(payload)), result
                except DatabaseUnavailableError as exc:
                    self._offline_reason = str(exc)
            self.outbox.put_attempt(payload, created_at=payload["submitted_at"])
        args = _attempt_args(payload)
        pending = AttemptInfo(
            id=0,
            profile_id=profile_id,
            profile_name=p.name if (p := self._profiles_seen.get(profile_id)) else "",
            pack_id=pack.id,
            pack_version=pack.version,
            claim_id=claim_id,
            perspective_id=perspective_id,
            text=text,
            started_at=args["started_at"],
            submitted_at=args["submitted_at"],
            duration_seconds=max(0.0, (args["submitted_at"] - args["started_at"]).total_seconds()),
            score=result.score,
            breakdown=result.to_dict(),
            matcher_version=result.matcher_version,
            scored_at=args["submitted_at"],
            client_uuid=payload["client_uuid"],
            pending=True,
        )
        return pending, result

    def _write_through(self) -> bool:
        """Whether a new write may go straight to the database: only when
        nothing older waits in the outbox (so writes stay in order)."""
        if self.outbox.pending_count() == 0:
            return True
        return self.flush_outbox().remaining == 0

    def flush_outbox(self) -> FlushOutcome:
        """Write what waits in the outbox, oldest first. Safe to call often
        (the UI: every few seconds while ``offline``, and at start); returns
        quickly when the outbox is empty. Never raises for an outage."""
        written = failed = 0
        with self._outbox_lock:
            # Loop until empty: a deferred write may arrive while flushing.
            while entries := self.outbox.pending():
                for entry in entries:
                    try:
                        if entry.kind == "attempt":
                            self.store.record_attempt(**_attempt_args(entry.payload))
                        elif entry.payload.get("deleted"):
                            p = entry.payload
                            self.store.delete_draft(profile_id=p["profile_id"], pack_id=p["pack_id"], claim_id=p["claim_id"])
                        else:
                            draft = _draft_from_payload(entry.payload)
                            self.store.save_draft(
                                profile_id=draft.profile_id,
                                pack_id=draft.pack_id,
                                claim_id=draft.claim_id,
                                text=draft.text,
                                cursor_position=draft.cursor_position,
                                perspective_id=draft.perspective_id,
                                started_at=draft.started_at,
                            )
                    except DatabaseUnavailableError as exc:
                        self._offline_reason = str(exc)
                        return FlushOutcome(written, failed, self.outbox.pending_count(), str(exc))
                    except StorageError as exc:
                        self.outbox.mark_failed(entry.seq, str(exc))
                        failed += 1
                        continue
                    self.outbox.remove(entry.seq)
                    written += 1
            self._offline_reason = None
            return FlushOutcome(written, failed, 0)


def _attempt_args(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "profile_id": payload["profile_id"],
        "pack_id": payload["pack_id"],
        "pack_version": payload["pack_version"],
        "claim_id": payload["claim_id"],
        "perspective_id": payload["perspective_id"],
        "text": payload["text"],
        "started_at": datetime.fromisoformat(payload["started_at"]),
        "submitted_at": datetime.fromisoformat(payload["submitted_at"]),
        "score": payload["score"],
        "breakdown": payload["breakdown"],
        "matcher_version": payload["matcher_version"],
        "client_uuid": payload["client_uuid"],
    }


def _draft_from_payload(p: dict[str, Any]) -> DraftInfo:
    return DraftInfo(
        profile_id=p["profile_id"],
        pack_id=p["pack_id"],
        claim_id=p["claim_id"],
        text=p["text"],
        cursor_position=p["cursor_position"],
        perspective_id=p["perspective_id"],
        updated_at=datetime.fromisoformat(p["updated_at"]),
        started_at=datetime.fromisoformat(p["started_at"]),
        pending=True,
    )
