"""Exporting attempts to JSON (everything) or CSV (one row per attempt).

A coach's overrides travel with the attempts: the JSON has each dispute with
its outcome and the attempt's ``coach_overrides`` (the score is the one after
them; ``score_history`` holds the one before); the CSV a ``coach_overrides`` column.

Files are written to a temporary file in the target folder and moved into
place with ``os.replace``, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from trainer.core.records import AttemptInfo, DisputeInfo
from trainer.core.storage import InvalidInputError, NotFoundError, Repository

EXPORT_FORMAT = "steelman-attempts"
EXPORT_VERSION = 1
CSV_COLUMNS = (
    "id",
    "profile",
    "pack_id",
    "pack_version",
    "claim_id",
    "perspective_id",
    "submitted_at",
    "duration_seconds",
    "score",
    "matcher_version",
    "coach_overrides",
    "text",
)


def export_attempts(
    repo: Repository,
    *,
    fmt: Literal["json", "csv"],
    out: Path,
    profile_name: str | None = None,
    now: datetime | None = None,
    exclude_profile_ids: Collection[int] = (),
    sources_for: Callable[[str, str], dict[str, list[dict[str, Any]]]] | None = None,
) -> int:
    """Write the attempts (of one profile, or of all) to ``out``; return how many.

    ``sources_for(pack_id, claim_id)`` gives the sources of the claim's key
    points (``{key_point_id: [source, …]}``, the note's under ``"(note)"``), which
    the JSON carries with each attempt so that the evidence travels with it.

    ``exclude_profile_ids`` leaves those profiles out (``Service.export_attempts``
    passes the PIN-protected profiles that were not unlocked)."""
    if fmt not in ("json", "csv"):
        raise InvalidInputError("fmt", "must be 'json' or 'csv'")
    profile_id = None
    if profile_name is not None:
        profile = repo.get_profile(name=profile_name)
        if profile is None:
            raise NotFoundError("profile", profile_name)
        profile_id = profile.id
    excluded = set(exclude_profile_ids)
    attempts = [a for a in repo.list_attempts(profile_id=profile_id) if a.profile_id not in excluded]
    if fmt == "json":
        kept = {a.id for a in attempts}
        disputes: dict[int, list[DisputeInfo]] = {}
        for dispute in repo.list_disputes(profile_id=profile_id):
            if dispute.attempt_id not in kept:
                continue
            disputes.setdefault(dispute.attempt_id, []).append(dispute)
        exported_at = (now or repo.now()).astimezone(UTC)
        document = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": exported_at.isoformat(),
            "attempts": [_attempt_json(a, disputes.get(a.id, []), sources_for) for a in attempts],
        }
        content = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_attempt_row(a) for a in attempts)
        content = buffer.getvalue()
    _write_atomically(Path(out), content)
    return len(attempts)


def attempt_summary(a: AttemptInfo) -> dict[str, Any]:
    """An attempt as JSON-safe values, without its score breakdown or history."""
    return {
        "id": a.id,
        "profile": a.profile_name,
        "pack_id": a.pack_id,
        "pack_version": a.pack_version,
        "claim_id": a.claim_id,
        "perspective_id": a.perspective_id,
        "text": a.text,
        "started_at": a.started_at.isoformat(),
        "submitted_at": a.submitted_at.isoformat(),
        "duration_seconds": a.duration_seconds,
        "score": a.score,
        "scored_at": a.scored_at.isoformat() if a.scored_at else None,
        "matcher_version": a.matcher_version,
    }


def _attempt_json(
    a: AttemptInfo, disputes: list[DisputeInfo], sources_for: Callable[[str, str], dict[str, list[dict[str, Any]]]] | None = None
) -> dict[str, Any]:
    return {
        **attempt_summary(a),
        "sources": sources_for(a.pack_id, a.claim_id) if sources_for else {},
        "breakdown": a.breakdown,
        "score_history": [
            {
                "scored_at": s.scored_at.isoformat(),
                "score": s.score,
                "matcher_version": s.matcher_version,
                "breakdown": s.breakdown,
            }
            for s in a.superseded_scores
        ],
        "disputes": [
            {
                "id": d.id,
                "key_point_id": d.key_point_id,
                "kind": d.kind,
                "comment": d.comment,
                "created_at": d.created_at.isoformat(),
                "status": d.status,
                "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None,
                "resolved_by": d.resolved_by,
                "resolution_note": d.resolution_note,
                "override_verdict": d.override_verdict,
            }
            for d in disputes
        ],
        "coach_overrides": list(a.breakdown.get("overrides", []) or []),
    }


def _attempt_row(a: AttemptInfo) -> list[object]:
    return [
        a.id,
        a.profile_name,
        a.pack_id,
        a.pack_version,
        a.claim_id,
        a.perspective_id or "",
        a.submitted_at.isoformat(),
        repr(a.duration_seconds),
        "" if a.score is None else repr(a.score),
        a.matcher_version or "",
        _overrides_cell(a),
        a.text,
    ]


def _overrides_cell(a: AttemptInfo) -> str:
    """``"cost-cheaper: missed → covered (Coach Lee); …"``: the coach's verdicts on this attempt."""
    parts = []
    for o in a.breakdown.get("overrides", []) or []:
        if isinstance(o, dict):
            parts.append(f"{o.get('key_point_id')}: {o.get('original_verdict')} → {o.get('verdict')} ({o.get('coach')})")
    return "; ".join(parts)


def _write_atomically(out: Path, content: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; an export is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, out)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
