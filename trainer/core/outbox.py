"""A local outbox for writes the database could not take (server unreachable).

``Service.save_draft`` and ``Service.submit_attempt`` put a record here when
the database raises ``DatabaseUnavailableError``; ``Writes.flush``
writes the records, oldest first, once it is back. The outbox is a small
SQLite file in the data folder (``outbox.sqlite3``) written with
``synchronous=FULL`` and a rollback journal, so each put is durable (fsync)
and atomic before the call returns.

Attempts carry a client UUID, so writing one twice (a crash between writing
it and crossing it off) stores it once. A newer draft for the same claim
replaces an older one waiting here. An entry the database refuses for good
(say its profile was deleted meanwhile) is kept, marked failed, and no
longer retried: nothing is thrown away silently.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTBOX_FILE = "outbox.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('draft', 'attempt')),
    draft_key TEXT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    failed TEXT
)
"""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    kind: str
    payload: dict[str, Any]
    created_at: str
    failed: str | None


def draft_key(profile_id: int, pack_id: str, claim_id: str) -> str:
    return json.dumps([profile_id, pack_id, claim_id])


class Outbox:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / OUTBOX_FILE
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            try:
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute(_SCHEMA)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    # --- writing -----------------------------------------------------------------

    def put_draft(self, payload: dict[str, Any], *, created_at: str) -> None:
        key = draft_key(payload["profile_id"], payload["pack_id"], payload["claim_id"])
        with self._connect() as conn:
            conn.execute("DELETE FROM entries WHERE kind = 'draft' AND draft_key = ? AND failed IS NULL", (key,))
            conn.execute(
                "INSERT INTO entries (kind, draft_key, payload, created_at) VALUES ('draft', ?, ?, ?)",
                (key, json.dumps(payload, ensure_ascii=False), created_at),
            )

    def put_attempt(self, payload: dict[str, Any], *, created_at: str) -> None:
        key = draft_key(payload["profile_id"], payload["pack_id"], payload["claim_id"])
        with self._connect() as conn:
            # The attempt supersedes its draft, as in the database.
            conn.execute("DELETE FROM entries WHERE kind = 'draft' AND draft_key = ? AND failed IS NULL", (key,))
            conn.execute(
                "INSERT INTO entries (kind, payload, created_at) VALUES ('attempt', ?, ?)",
                (json.dumps(payload, ensure_ascii=False), created_at),
            )

    def remove(self, seq: int) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM entries WHERE seq = ?", (seq,))

    def mark_failed(self, seq: int, reason: str) -> None:
        with self._connect() as conn:
            conn.execute("UPDATE entries SET failed = ? WHERE seq = ?", (reason, seq))

    # --- reading -----------------------------------------------------------------

    def pending(self) -> list[OutboxEntry]:
        """Entries still to write, oldest first."""
        return self._select("failed IS NULL")

    def failed(self) -> list[OutboxEntry]:
        """Entries the database refused for good (kept, never retried)."""
        return self._select("failed IS NOT NULL")

    def pending_count(self) -> int:
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            return int(conn.execute("SELECT count(*) FROM entries WHERE failed IS NULL").fetchone()[0])

    def pending_draft(self, profile_id: int, pack_id: str, claim_id: str) -> OutboxEntry | None:
        key = draft_key(profile_id, pack_id, claim_id)
        found = [e for e in self._select("failed IS NULL AND kind = 'draft' AND draft_key = ?", (key,))]
        return found[-1] if found else None

    def _select(self, where: str, params: tuple[Any, ...] = ()) -> list[OutboxEntry]:
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT seq, kind, payload, created_at, failed FROM entries WHERE {where} ORDER BY seq", params
            ).fetchall()
        return [OutboxEntry(seq, kind, json.loads(payload), created, failed) for seq, kind, payload, created, failed in rows]
