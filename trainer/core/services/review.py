"""Spaced review: which claims a student should answer again today (issue 17).

The schedule (``core/review.py``, FSRS, one card per profile × claim) moves on
with every submitted attempt, in the attempt's own transaction
(``storage/review.py``); this service reads it:

* ``due_counts`` for the start page ("Review: 6 claims due today"): counts
  only, so no PIN is asked, like the assignment notice;
* ``due`` and ``schedule``: which claims and when, the student's own work,
  so their profile must be unlocked;
* ``thresholds`` / ``set_thresholds``: the scores that rate an answer Again,
  Hard, Good or Easy, global settings; they apply to answers from then on
  (``rebuild`` applies them to the past too).

Only claims of installed packs are counted or listed, in the pack's order.
"Today" ends at local midnight (``tz``, default this computer's zone).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from ..records import ReviewCardInfo
from ..review import SETTING_KEYS, Thresholds, day_end
from .data import Data
from .packs import PackLibrary
from .profiles import Profiles
from .settings import Settings

if TYPE_CHECKING:
    from ..storage.review import ReviewStore


class Review:
    def __init__(self, data: Data, profiles: Profiles, packs: PackLibrary, settings: Settings, *, tz: tzinfo | None = None) -> None:
        self._data = data
        self._profiles = profiles
        self._packs = packs
        self._settings = settings
        self._tz = tz

    def _store(self) -> ReviewStore:
        from ..storage.review import ReviewStore

        return ReviewStore(self._data.database, clock=self._data.clock)

    def _order(self) -> dict[tuple[str, str], int]:
        """``(pack_id, claim_id) → position`` over the installed packs, in their order."""
        order: dict[tuple[str, str], int] = {}
        for pack in self._packs.all():
            for claim in pack.claims:
                order.setdefault((pack.id, claim.id), len(order))
        return order

    def _installed(self, cards: list[ReviewCardInfo]) -> list[ReviewCardInfo]:
        order = self._order()
        known = [c for c in cards if (c.pack_id, c.claim_id) in order]
        return sorted(known, key=lambda c: order[(c.pack_id, c.claim_id)])

    def day_end(self, now: datetime | None = None) -> datetime:
        """When "today" ends (UTC): a card due before then is due today."""
        return day_end(now or self._data.clock(), self._tz)

    # -- what is due --------------------------------------------------------------
    def due(self, profile_id: int, pack_id: str | None = None, now: datetime | None = None, *, pin: str | None = None) -> list[ReviewCardInfo]:
        """The student's claims due for review today (of ``pack_id``), in pack order."""
        self._profiles.require_unlocked(profile_id, pin)
        return self._installed(self._store().due(profile_id=profile_id, before=self.day_end(now), pack_id=pack_id))

    def due_claim_ids(self, profile_id: int, pack_id: str, now: datetime | None = None) -> list[str]:
        """The claim ids of ``due`` for one pack: what a review session walks through."""
        return [c.claim_id for c in self.due(profile_id, pack_id, now)]

    def due_counts(self, profile_id: int, now: datetime | None = None) -> dict[str, int]:
        """``{pack_id: claims due today}`` (packs with none left out). No PIN needed: counts only."""
        counts: dict[str, int] = {}
        for card in self._installed(self._store().due(profile_id=profile_id, before=self.day_end(now))):
            counts[card.pack_id] = counts.get(card.pack_id, 0) + 1
        return counts

    def schedule(self, profile_id: int, pack_id: str, *, pin: str | None = None) -> list[ReviewCardInfo]:
        """Every card of the student's in ``pack_id`` (the claims tried), in pack order."""
        self._profiles.require_unlocked(profile_id, pin)
        return self._installed(self._store().cards(profile_id=profile_id, pack_id=pack_id))

    def rebuild(self, profile_id: int | None = None) -> int:
        """Make the schedule again from the submitted attempts (one profile, or every
        profile when a coach is unlocked); returns the cards written."""
        if profile_id is None:
            from ..storage import CoachRequiredError

            if self._profiles.coach() is None:
                raise CoachRequiredError("rebuild everyone's review schedule")
            ids = [p.id for p in self._profiles.list()]
        else:
            self._profiles.require_unlocked(profile_id, None)
            ids = [profile_id]
        return self._store().rebuild(profile_ids=ids)

    # -- the thresholds -------------------------------------------------------------
    def thresholds(self) -> Thresholds:
        """The scores (whole percents) that rate an answer; the defaults until changed."""
        return Thresholds.from_settings({key: self._settings.get(key) for key in SETTING_KEYS.values()})

    def may_change_thresholds(self) -> bool:
        """The thresholds are everyone's on this database: where there is a coach, only an unlocked coach changes them."""
        return not self._profiles.coaches() or self._profiles.coach() is not None

    def _require_may_change(self) -> None:
        if not self.may_change_thresholds():
            from ..storage import CoachRequiredError

            raise CoachRequiredError("change the review thresholds")

    def set_thresholds(self, *, again: int, hard: int, good: int) -> Thresholds:
        """Store new thresholds (``ValueError`` says what is wrong); they rate answers from now on.
        Where there is a coach, only an unlocked coach may (``CoachRequiredError``)."""
        self._require_may_change()
        chosen = Thresholds(again=again, hard=hard, good=good)
        for key, value in chosen.to_settings().items():
            self._settings.set(key, value)
        return chosen

    def reset_thresholds(self) -> Thresholds:
        """Back to the defaults (as :meth:`set_thresholds`, an unlocked coach where there is one)."""
        self._require_may_change()
        for key in SETTING_KEYS.values():
            self._settings.set(key, None)
        return Thresholds()
