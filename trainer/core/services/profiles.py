"""Profiles and who may see them: names, PINs, unlocking for this session.

Other services call :meth:`Profiles.require_unlocked` before reading or
writing a profile's work.

A coach is a profile with ``role = "coach"`` and a required PIN. While a coach
is unlocked, every student's work may be read and exported (PIN or not), and
the coach may reset a student's forgotten PIN without deleting any work.

On a shared laptop an unlock does not last: the window locks a profile again
when its student leaves it, and :meth:`Profiles.lock_idle` locks every profile
idle for longer than the idle time. After :data:`PIN_FREE_TRIES` wrong PINs in
a row, each further try must wait longer (30 s, 60 s, 120 s… up to an hour);
the count is stored with the profile, so restarting the app does not reset it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import security
from ..records import ProfileInfo
from ..storage import (
    CoachRequiredError,
    DatabaseUnavailableError,
    InvalidInputError,
    NotFoundError,
    PinBackoffError,
    ProfileLockedError,
    StorageError,
)
from .data import Data
from .writes import Writes

PIN_FREE_TRIES = 5
PIN_FIRST_WAIT = timedelta(seconds=30)
PIN_LONGEST_WAIT = timedelta(hours=1)
IDLE_SETTING = "privacy/idle_minutes"
DEFAULT_IDLE_MINUTES = 5
_FAILURES = "pin/failures"
_LAST_FAILURE = "pin/last_failure"


class Profiles:
    def __init__(self, data: Data, writes: Writes) -> None:
        self._data = data
        self._writes = writes
        self._unlocked: set[int] = set()
        self._active_at: dict[int, datetime] = {}  # last sign of the student at an unlocked profile
        self._idle_limit: timedelta | None = None  # read once: lock_idle runs on a timer
        self._coach: int | None = None  # the unlocked coach, if any
        self._seen: dict[int, ProfileInfo] = {}

    # -- names -------------------------------------------------------------
    def list(self) -> list[ProfileInfo]:
        return self._data.store.list_profiles()

    def add(self, name: str) -> ProfileInfo:
        """A new profile (``DuplicateProfileError`` if the name is taken)."""
        profile = self._data.store.add_profile(name=name)
        self._seen[profile.id] = profile
        return profile

    def add_coach(self, name: str, *, pin: str) -> ProfileInfo:
        """A new coach profile, with its (required) PIN; it starts unlocked."""
        profile = self._data.store.add_profile(name=name, role="coach", pin_hash=security.hash_pin(pin))
        self._seen[profile.id] = profile
        self._mark_unlocked(profile.id)
        return profile

    def coaches(self) -> list[ProfileInfo]:
        return [p for p in self.list() if p.is_coach]

    def coach(self) -> ProfileInfo | None:
        """The coach unlocked in this session, if any."""
        return self.find(self._coach) if self._coach is not None else None

    @property
    def coach_id(self) -> int | None:
        """The unlocked coach's id, without asking the database."""
        return self._coach

    def reset_pin(self, *, profile_id: int) -> ProfileInfo:
        """A student forgot their PIN: an unlocked coach removes it; every
        attempt, draft and dispute stays. The student can set a new one."""
        coach = self.coach()
        if coach is None:
            raise CoachRequiredError("reset a student's PIN")
        profile = self.get(profile_id)
        if profile.is_coach:
            raise InvalidInputError("profile", "a coach's PIN cannot be reset this way; use Forgot the PIN on that profile")
        updated = self._data.store.set_pin_hash(profile_id=profile_id, pin_hash=None)
        self._forget_failures(profile_id)
        return updated

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
        self._mark_unlocked(profile_id)
        return updated

    def clear_pin(self, *, profile_id: int, current_pin: str) -> ProfileInfo:
        if self.get(profile_id).is_coach:
            raise InvalidInputError("pin", "a coach profile must keep its PIN (change it instead)")
        self._check_pin(profile_id, current_pin)
        return self._data.store.set_pin_hash(profile_id=profile_id, pin_hash=None)

    def unlock(self, *, profile_id: int, pin: str) -> None:
        """Unlock a PIN-protected profile for this session; ``ProfileLockedError`` if wrong."""
        self._check_pin(profile_id, pin)
        self._mark_unlocked(profile_id)

    def lock(self, *, profile_id: int) -> None:
        """Forget an unlock (the window calls this when the student leaves the profile)."""
        self._unlocked.discard(profile_id)
        self._active_at.pop(profile_id, None)
        if self._coach == profile_id:
            self._coach = None

    def lock_all(self) -> None:
        self._unlocked.clear()
        self._active_at.clear()
        self._coach = None

    def note_activity(self, profile_id: int) -> None:
        """The student is still at this profile (typing, clicking): restart its idle time."""
        if profile_id in self._unlocked:
            self._active_at[profile_id] = self._data.clock()

    def idle_limit(self) -> timedelta:
        """How long an unlocked profile may sit idle (the ``privacy/idle_minutes`` setting, 5 by default)."""
        if self._idle_limit is None:
            try:
                minutes = float(self._data.store.get_setting(key=IDLE_SETTING) or DEFAULT_IDLE_MINUTES)
            except (ValueError, StorageError):
                minutes = DEFAULT_IDLE_MINUTES
            self._idle_limit = timedelta(minutes=max(1.0, min(minutes, 24 * 60)))
        return self._idle_limit

    def set_idle_limit(self, minutes: int) -> None:
        if not 1 <= minutes <= 24 * 60:
            raise ValueError("the idle time must be between 1 minute and 24 hours")
        self._data.store.set_setting(key=IDLE_SETTING, value=str(minutes))
        self._idle_limit = timedelta(minutes=minutes)

    def lock_idle(self, limit: timedelta | None = None) -> list[int]:
        """Lock every unlocked profile idle for ``limit`` or longer; return their ids."""
        if not self._unlocked:
            return []
        limit = self.idle_limit() if limit is None else limit
        now = self._data.clock()
        idle = [pid for pid in self._unlocked if now - self._active_at.get(pid, now) >= limit]
        for pid in idle:
            self.lock(profile_id=pid)
        return sorted(idle)

    def pin_wait(self, profile_id: int) -> float:
        """Seconds before the next PIN try is allowed (0 while tries are free)."""
        failures, last = self._failures(profile_id)
        if failures < PIN_FREE_TRIES or last is None:
            return 0.0
        wait = min(PIN_FIRST_WAIT * 2 ** (failures - PIN_FREE_TRIES), PIN_LONGEST_WAIT)
        return max(0.0, (last + wait - self._data.clock()).total_seconds())

    def _failures(self, profile_id: int) -> tuple[int, datetime | None]:
        store = self._data.store
        try:
            failures = int(store.get_setting(key=_FAILURES, profile_id=profile_id) or 0)
            stamp = store.get_setting(key=_LAST_FAILURE, profile_id=profile_id)
            return failures, datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            return 0, None

    def _forget_failures(self, profile_id: int) -> None:
        store = self._data.store
        store.set_setting(key=_FAILURES, value=None, profile_id=profile_id)
        store.set_setting(key=_LAST_FAILURE, value=None, profile_id=profile_id)

    def _mark_unlocked(self, profile_id: int) -> None:
        self._unlocked.add(profile_id)
        self._active_at[profile_id] = self._data.clock()
        profile = self._seen.get(profile_id)
        if profile is not None and profile.is_coach:
            self._coach = profile_id

    def is_unlocked(self, *, profile_id: int) -> bool:
        return profile_id in self._unlocked or self._coach is not None or not self.get(profile_id).has_pin

    def locked(self) -> list[ProfileInfo]:
        """PIN-protected profiles not unlocked in this session (none while a coach is)."""
        if self._coach is not None:
            return []
        return [p for p in self.list() if p.has_pin and p.id not in self._unlocked]

    def reset(self, *, profile_id: int) -> ProfileInfo:
        """The forgotten-PIN way out: delete the profile's attempts, drafts,
        disputes, settings and PIN; the profile and its name stay. The caller
        must have asked the user to confirm (no PIN is needed)."""
        self.lock(profile_id=profile_id)
        return self._data.store.reset_profile(profile_id=profile_id)

    def require_unlocked(self, profile_id: int, pin: str | None = None) -> None:
        """Return if the profile may be used now; unlock it with ``pin`` if
        given; else ``ProfileLockedError``."""
        if profile_id in self._unlocked or self._coach is not None:
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
        """Check ``pin``, counting wrong ones: after PIN_FREE_TRIES in a row,
        ``PinBackoffError`` until the wait is over (the PIN is not even tried)."""
        profile = self.get(profile_id)
        if not profile.has_pin:
            return
        wait = self.pin_wait(profile_id)
        if wait > 0:
            raise PinBackoffError(profile.name, wait)
        store = self._data.store
        failures, _last = self._failures(profile_id)
        if self.verify_pin(profile_id=profile_id, pin=pin):
            if failures:
                self._forget_failures(profile_id)
            return
        failures += 1
        store.set_setting(key=_FAILURES, value=str(failures), profile_id=profile_id)
        store.set_setting(key=_LAST_FAILURE, value=self._data.clock().isoformat(), profile_id=profile_id)
        if failures >= PIN_FREE_TRIES:
            raise PinBackoffError(profile.name, self.pin_wait(profile_id))
        raise ProfileLockedError(profile.name, wrong_pin=True)
