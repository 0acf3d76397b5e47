"""The matcher, loaded once, and scoring responses (new ones and stored ones)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..records import AttemptInfo
from .data import Data
from .packs import PackLibrary, UnknownPackError
from .profiles import Profiles

if TYPE_CHECKING:
    from ..matching import Matcher, MatchResult


class Scoring:
    def __init__(
        self,
        data: Data,
        packs: PackLibrary,
        profiles: Profiles,
        *,
        loader: Callable[[], Matcher] | None = None,
    ) -> None:
        self._data = data
        self._packs = packs
        self._profiles = profiles
        self._loader = loader
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()

    def matcher(self) -> Matcher:
        """The matcher, loaded on first use (safe to call from a worker thread)."""
        with self._lock:
            if self._matcher is None:
                if self._loader is not None:
                    self._matcher = self._loader()
                else:
                    from ..matching import Matcher

                    self._matcher = Matcher.load()
            return self._matcher

    def use(self, matcher: Matcher | None) -> Matcher | None:
        """Put ``matcher`` in place of the loaded one (``None``: load again on
        next use) and return the one it replaces. For tests' doubles."""
        with self._lock:
            previous, self._matcher = self._matcher, matcher
            return previous

    def score(self, *, pack_id: str, claim_id: str, text: str, perspective_id: str | None = None) -> MatchResult:
        """Compare ``text`` with the claim's key points (argued as ``perspective_id``, if any)."""
        from ..scoring import score_claim

        pack = self._packs.get(pack_id)
        return score_claim(self.matcher(), pack, pack.claim(claim_id), text, perspective_id)

    def prepare(self, *, pack_id: str, claim_id: str) -> None:
        """Do the claim's side of scoring now (on a worker, while the user
        reads the claim): the first claim of a pack embeds the pack's
        background texts, which takes a few seconds on a slow laptop."""
        from ..scoring import prepare_claim

        pack = self._packs.get(pack_id)
        prepare_claim(self.matcher(), pack, pack.claim(claim_id))

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
        checked: the UI calls :meth:`rescore_profile`.
        """
        store = self._data.store
        rescored = skipped = 0
        attempts = store.list_attempts(profile_id=profile_id)
        total = len(attempts)
        for done, attempt in enumerate(attempts, start=1):
            try:
                result = self.score(pack_id=attempt.pack_id, claim_id=attempt.claim_id, text=attempt.text,
                                    perspective_id=attempt.perspective_id)
            except (UnknownPackError, KeyError):
                skipped += 1
            else:
                score, breakdown = self._keep_overrides(attempt, result.score, result.to_dict())
                store.rescore_attempt(
                    attempt_id=attempt.id,
                    score=score,
                    breakdown=breakdown,
                    matcher_version=result.matcher_version,
                )
                rescored += 1
            if progress is not None:
                progress(done, total)
        return rescored, skipped

    def _keep_overrides(self, attempt: AttemptInfo, score: float | None, breakdown: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
        """A coach's accepted verdicts survive a re-score (``overrides.py``)."""
        accepted = self._data.club.accepted_disputes(attempt_id=attempt.id)
        if not accepted:
            return score, breakdown
        from ..overrides import Override, apply_overrides

        pack = self._packs.get(attempt.pack_id)
        weights = {k.id: k.weight for k in pack.claim(attempt.claim_id).key_points}
        overrides = [
            Override(d.key_point_id, d.override_verdict or "covered", d.id, d.resolved_by or "", d.resolved_at or attempt.scored_at or attempt.submitted_at, d.resolution_note)
            for d in accepted
        ]
        return apply_overrides(score, breakdown, overrides, text=attempt.text, weights=weights)

    def rescore_profile(
        self,
        *,
        profile_id: int,
        pin: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """``rescore_attempts`` for one profile (``ProfileLockedError`` unless
        it is unlocked or ``pin`` is right)."""
        self._profiles.require_unlocked(profile_id, pin)
        return self.rescore_attempts(profile_id=profile_id, progress=progress)
