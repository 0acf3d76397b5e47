"""Practising: drafts saved as the user types, and submitted attempts.

Every write goes through :class:`Writes` (the database, or the outbox while
the server cannot be reached); every read and write checks the profile's PIN
through :class:`Profiles`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..records import AttemptInfo, DraftInfo
from ..storage import DatabaseUnavailableError
from .data import Data
from .packs import PackLibrary
from .profiles import Profiles
from .scoring import Scoring
from .writes import Writes, attempt_args, draft_from_payload

if TYPE_CHECKING:
    from ..matching import MatchResult


def _clean(text: str) -> str:
    from ..storage.repository import clean_text

    return clean_text("text", text)


class Practice:
    def __init__(self, data: Data, writes: Writes, profiles: Profiles, packs: PackLibrary, scoring: Scoring) -> None:
        self._data = data
        self._writes = writes
        self._profiles = profiles
        self._packs = packs
        self._scoring = scoring

    # -- drafts ------------------------------------------------------------
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
        text = _clean(text)
        cursor_position = min(max(0, cursor_position), len(text))
        self._profiles.note_seen(profile_id)

        def direct() -> DraftInfo:
            return self._data.store.save_draft(
                profile_id=profile_id,
                pack_id=pack_id,
                claim_id=claim_id,
                text=text,
                cursor_position=cursor_position,
                perspective_id=perspective_id,
                started_at=started_at,
            )

        def queue() -> DraftInfo:
            now = self._data.clock()
            first = started_at
            earlier = self._writes.pending_draft(profile_id, pack_id, claim_id)
            if earlier is not None and not earlier.payload.get("deleted"):
                first = datetime.fromisoformat(earlier.payload["started_at"])
            payload = {
                "profile_id": profile_id,
                "pack_id": pack_id,
                "claim_id": claim_id,
                "text": text,
                "cursor_position": cursor_position,
                "perspective_id": perspective_id,
                "started_at": (first or now).astimezone(UTC).isoformat(),
                "updated_at": now.astimezone(UTC).isoformat(),
            }
            self._writes.outbox.put_draft(payload, created_at=payload["updated_at"])
            return draft_from_payload(payload)

        return self._writes.write(direct, queue)

    def delete_draft(self, *, profile_id: int, pack_id: str, claim_id: str) -> None:
        """Delete the claim's draft, in order with the writes waiting in the
        outbox: a draft for the claim still waiting there is dropped, and when
        the database cannot be reached the delete itself waits there."""

        def direct() -> None:
            self._data.store.delete_draft(profile_id=profile_id, pack_id=pack_id, claim_id=claim_id)

        def queue() -> None:
            now = self._data.clock().astimezone(UTC).isoformat()
            marker = {"profile_id": profile_id, "pack_id": pack_id, "claim_id": claim_id, "deleted": True, "updated_at": now}
            self._writes.outbox.put_draft(marker, created_at=now)  # replaces a waiting draft for the claim

        self._writes.write(direct, queue)

    def get_draft(self, *, profile_id: int, pack_id: str, claim_id: str, pin: str | None = None) -> DraftInfo | None:
        """The draft, preferring one still waiting in the outbox (it is newer).

        When the database cannot be reached, only the outbox answers (``None``
        if it holds nothing for the claim) and ``offline`` turns True."""
        self._profiles.require_unlocked(profile_id, pin)
        entry = self._writes.pending_draft(profile_id, pack_id, claim_id)
        if entry is not None:
            return None if entry.payload.get("deleted") else draft_from_payload(entry.payload)
        try:
            return self._writes.read(self._data.store.get_draft, profile_id=profile_id, pack_id=pack_id, claim_id=claim_id)
        except DatabaseUnavailableError:
            return None

    def list_drafts(self, *, profile_id: int, pack_id: str | None = None, pin: str | None = None) -> list[DraftInfo]:
        self._profiles.require_unlocked(profile_id, pin)
        return self._data.store.list_drafts(profile_id=profile_id, pack_id=pack_id)

    # -- attempts ----------------------------------------------------------
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
        returned record has ``pending=True`` and ``id`` 0, ``writes.offline``
        turns True, and ``writes.flush`` stores it later (exactly once, by its
        ``client_uuid``)."""
        pack = self._packs.get(pack_id)
        text = _clean(text)
        result = self._scoring.score(pack_id=pack_id, claim_id=claim_id, text=text, perspective_id=perspective_id)
        submitted = self._data.clock()
        self._profiles.note_seen(profile_id)
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

        def direct() -> AttemptInfo:
            return self._data.store.record_attempt(**attempt_args(payload))

        def queue() -> AttemptInfo:
            self._writes.outbox.put_attempt(payload, created_at=payload["submitted_at"])
            return self._pending_attempt(payload)

        return self._writes.write(direct, queue), result

    def _pending_attempt(self, payload: dict[str, Any]) -> AttemptInfo:
        args = attempt_args(payload)
        seen = self._profiles.seen(payload["profile_id"])
        return AttemptInfo(
            id=0,
            profile_id=args["profile_id"],
            profile_name=seen.name if seen else "",
            pack_id=args["pack_id"],
            pack_version=args["pack_version"],
            claim_id=args["claim_id"],
            perspective_id=args["perspective_id"],
            text=args["text"],
            started_at=args["started_at"],
            submitted_at=args["submitted_at"],
            duration_seconds=max(0.0, (args["submitted_at"] - args["started_at"]).total_seconds()),
            score=args["score"],
            breakdown=args["breakdown"],
            matcher_version=args["matcher_version"],
            scored_at=args["submitted_at"],
            client_uuid=args["client_uuid"],
            pending=True,
        )
