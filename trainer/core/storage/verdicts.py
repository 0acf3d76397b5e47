"""Each attempt's key point verdicts, kept beside its breakdown for the class overview.

The breakdown (the whole feedback, about 2.5 KB of JSON) stays the record of
what the matcher said; ``attempt_verdicts`` holds one small row per key point
(a coach's override included), so the overview counts verdicts in SQL instead
of decoding every breakdown (``bench/class_overview.py``). Every write of a
breakdown calls :func:`store_verdicts` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from trainer.core.records import VERDICTS

from .models import Attempt, AttemptVerdict


def verdict_pairs(breakdown: Any) -> list[tuple[str, str]]:
    """``(key_point_id, verdict)`` of each key point in a breakdown (malformed entries skipped)."""
    if not isinstance(breakdown, Mapping):
        return []
    found: dict[str, str] = {}
    for kp in breakdown.get("key_points", ()) or ():
        if isinstance(kp, Mapping) and isinstance(kp.get("key_point_id"), str) and kp.get("verdict") in VERDICTS:
            found.setdefault(kp["key_point_id"], kp["verdict"])
    return list(found.items())


def store_verdicts(s: Session, attempt: Attempt, *, replace: bool = True) -> None:
    """Write the attempt's verdict rows from its breakdown (after a flush gave it an id)."""
    if replace:
        s.execute(delete(AttemptVerdict).where(AttemptVerdict.attempt_id == attempt.id))
    s.add_all(
        AttemptVerdict(attempt_id=attempt.id, key_point_id=kp_id, verdict=verdict)
        for kp_id, verdict in verdict_pairs(attempt.breakdown)
    )
