"""The one write path for drafts and attempts, and the outbox behind it.

Every draft save, draft delete and submitted attempt goes through
:meth:`Writes.write`: straight to the database when nothing older waits in the
outbox (so writes stay in order), otherwise, or when the server cannot be
reached, into the outbox on this computer. :meth:`Writes.flush` replays the
outbox, oldest first. A reader that finds the server unreachable calls
:meth:`Writes.read`, which also turns ``offline`` on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from ..outbox import Outbox, OutboxEntry
from ..records import DraftInfo
from ..storage import DatabaseUnavailableError, StorageError
from .data import Data

T = TypeVar("T")

OFFLINE_MESSAGE = (
    "The database server cannot be reached. Your work is kept on this computer "
    "and will be saved to the server when it is back."
)


@dataclass(frozen=True, slots=True)
class FlushOutcome:
    """What ``Writes.flush`` did."""

    written: int
    failed: int
    remaining: int
    error: str | None = None
    """Why the flush stopped early (the database is still unreachable), or None."""


class Writes:
    defer_while_offline: bool = False
    """When True (the window sets it), writes made while ``offline`` go
    straight to the outbox without trying the server, so a save never waits
    for a connection timeout; only ``flush`` (the window's periodic retry on
    its worker) tries the server. When False (the CLI, scripts), every write
    tries the server first, after what waits in the outbox."""

    def __init__(self, data: Data) -> None:
        self._data = data
        self.outbox = Outbox(data.locations.data_dir)
        self._lock = threading.RLock()
        self._offline_reason: str | None = None

    # -- state -------------------------------------------------------------
    @property
    def offline(self) -> bool:
        """True since a read or write found the server unreachable, until a flush empties the outbox."""
        return self._offline_reason is not None

    @property
    def offline_message(self) -> str | None:
        return OFFLINE_MESSAGE if self._offline_reason is not None else None

    def deferring(self) -> bool:
        return self.defer_while_offline and self.offline

    def pending_count(self) -> int:
        return self.outbox.pending_count()

    def pending_draft(self, profile_id: int, pack_id: str, claim_id: str) -> OutboxEntry | None:
        return self.outbox.pending_draft(profile_id, pack_id, claim_id)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No write reaches the database inside this block (a backup restore swaps the file)."""
        with self._lock:
            yield

    # -- the path ----------------------------------------------------------
    def read(self, action: Callable[..., T], /, **kwargs: Any) -> T:
        """Call the store; an unreachable database also turns ``offline`` on (and is re-raised)."""
        try:
            return action(**kwargs)
        except DatabaseUnavailableError as exc:
            self._offline_reason = str(exc)
            raise

    def write(self, direct: Callable[[], T], queue: Callable[[], T]) -> T:
        """Run ``direct`` (a store write) if it may go straight to the
        database and the database answers; otherwise run ``queue``, which puts
        the write in the outbox and returns what the caller shows meanwhile.

        Deferred writes only append to the outbox (which has its own lock), so
        they never wait for a flush that is waiting for the server."""
        deferred = self.deferring()
        with nullcontext() if deferred else self._lock:
            if not deferred and self._may_write_through():
                try:
                    return direct()
                except DatabaseUnavailableError as exc:
                    self._offline_reason = str(exc)
            return queue()

    def _may_write_through(self) -> bool:
        if self.outbox.pending_count() == 0:
            return True
        return self.flush().remaining == 0

    def flush(self) -> FlushOutcome:
        """Write what waits in the outbox, oldest first. Safe to call often
        (the UI: every few seconds while ``offline``, and at start); returns
        quickly when the outbox is empty. Never raises for an outage."""
        written = failed = 0
        with self._lock:
            # Loop until empty: a deferred write may arrive while flushing.
            while entries := self.outbox.pending():
                for entry in entries:
                    try:
                        _replay(self._data, entry)
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


def _replay(data: Data, entry: OutboxEntry) -> None:
    store = data.store
    p = entry.payload
    if entry.kind == "attempt":
        store.record_attempt(**attempt_args(p))
    elif p.get("deleted"):
        store.delete_draft(profile_id=p["profile_id"], pack_id=p["pack_id"], claim_id=p["claim_id"])
    else:
        draft = draft_from_payload(p)
        store.save_draft(
            profile_id=draft.profile_id,
            pack_id=draft.pack_id,
            claim_id=draft.claim_id,
            text=draft.text,
            cursor_position=draft.cursor_position,
            perspective_id=draft.perspective_id,
            started_at=draft.started_at,
        )


# -- the outbox's payloads (JSON) --------------------------------------------
def attempt_args(payload: dict[str, Any]) -> dict[str, Any]:
    """``Repository.record_attempt`` arguments from an attempt payload."""
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


def draft_from_payload(p: dict[str, Any]) -> DraftInfo:
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
