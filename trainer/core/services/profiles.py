"""Profiles and who may see them: names, PINs, unlocking for this session.

Other services call :meth:`Profiles.require_unlocked` before reading or
writing a profile's work. The coach role will live here too.
"""

from __future__ import annotations

from .. import security
from ..records import ProfileInfo
from ..storage import DatabaseUnavailableError, NotFoundError, ProfileLockedError, StorageError
from .data import Data
from .writes import Writes


class Profiles:
    def __init__(self, data: Data, writes: Writes) -> None:
        self._data = data
        self._writes = writes
        self._unlocked: set[int] = set()
        self._seen: dict[int, ProfileInfo] = {}

    # -- names -------------------------------------------------------------
    def list(self) -> list[ProfileInfo]:
        return self._data.store.list_profiles()

    def add(self, name: str) -> ProfileInfo:
        """A new profile (``DuplicateProfileError`` if the name is taken)."""
        profile = self._data.store.add_profile(name=name)
        self._seen[profile.id] = profile
        return profile

    def by_name(self, name: str) -> ProfileInfo | None:
        return self._data.store.get_profile(name=name)

    def find(self, profile_id: int) -> ProfileInfo | None:
        """The profile, or ``None`` if there is none with this id."""
        try:
            return self.get(profile_id)
        except NotFoundError:
            return None

    def get(self, profile_id: int) -> ProfileInfo:
        """The profile (``NotFoundError`` if none). Offline, what this session
        last saw is good enough to show the user the draft they are typing."""
        if self._writes.deferring() and profile_id in self._seen:
            return self._seen[profile_id]  # do not wait for the server
        try:
            profile = self._data.store.get_profile_by_id(profile_id=profile_id)
        except DatabaseUnavailableError:
            if profile_id in self._seen:
                return self._seen[profile_id]
            raise
        if profile is None:
            raise NotFoundError("profile", profile_id)
        self._seen[profile.id] = profile
        return profile

    def seen(self, profile_id: int) -> ProfileInfo | None:
        """The profile as this session last read it, without asking the database."""
        return self._seen.get(profile_id)

    # -- PINs --------------------------------------------------------------
    def verify_pin(self, *, profile_id: int, pin: str) -> bool:
        """Whether ``pin`` is the profile's PIN (True for a profile without one)."""
        stored = self._data.store.get_pin_hash(profile_id=profile_id)
        return stored is None or security.verify_pin(pin, stored)

    def set_pin(self, *, profile_id: int, pin: str, current_pin: str | None = None) -> ProfileInfo:
        """Set or change the PIN; changing it needs the current one."""
        self._check_pin(profile_id, current_pin or "")
        updated = self._data.store.set_pin_hash(profile_id=profile_id, pin_hash=security.hash_pin(pin))
        self._unlocked.add(profile_id)
        return updated

    def clear_pin(self, *, profile_id: int, current_pin: str) -> ProfileInfo:
        self._check_pin(profile_id, current_pin)
        return self._data.store.set_pin_hash(profile_id=profile_id, pin_hash=None)

    def unlock(self, *, profile_id: int, pin: str) -> None:
        """Unlock a PIN-protected profile for this session; ``ProfileLockedError`` if wrong."""
        self._check_pin(profile_id, pin)
        self._unlocked.add(profile_id)

    def lock(self, *, profile_id: int) -> None:
        """Forget an unlock (call when the user switches profile)."""
        self._unlocked.discard(profile_id)

    def lock_all(self) -> None:
        self._unlocked.clear()

    def is_unlocked(self, *, profile_id: int) -> bool:
        return profile_id in self._unlocked or not self.get(profile_id).has_pin

    def locked(self) -> list[ProfileInfo]:
        """PIN-protected profiles not unlocked in this session."""
        return [p for p in self.list() if p.has_pin and p.id not in self._unlocked]

    def reset(self, *, profile_id: int) -> ProfileInfo:
        """The forgotten-PIN way out: delete the profile's attempts, drafts,
        disputes, settings and PIN; the profile and its name stay. The caller
        must have asked the user to confirm (no PIN is needed)."""
        self._unlocked.discard(profile_id)
        return self._data.store.reset_profile(profile_id=profile_id)

    def require_unlocked(self, profile_id: int, pin: str | None = None) -> None:
        """Return if the profile may be used now; unlock it with ``pin`` if
        given; else ``ProfileLockedError``."""
        if profile_id in self._unlocked:
            return
        profile = self.get(profile_id)
        if not profile.has_pin:
            return
        if pin is None:
            raise ProfileLockedError(profile.name)
        self.unlock(profile_id=profile_id, pin=pin)

    def note_seen(self, profile_id: int) -> None:
        """Read the profile once while the server answers, so it can be shown offline later."""
        if profile_id in self._seen or self._writes.deferring():
            return
        try:
            self.get(profile_id)
        except StorageError:
            pass  # unknown or unreachable: the write that follows says which

    def _check_pin(self, profile_id: int, pin: str) -> None:
        profile = self.get(profile_id)
        if profile.has_pin and not self.verify_pin(profile_id=profile_id, pin=pin):
            raise ProfileLockedError(profile.name, wrong_pin=True)
