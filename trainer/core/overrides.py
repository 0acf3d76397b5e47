"""A coach's verdict on one key point of a stored attempt, and the score that follows.

When a coach accepts a dispute, the key point gets the coach's verdict and the
attempt's score changes by exactly that key point's share of the matcher's
score (no model runs; see ``docs/guide.md``, "For coaches")::

    new score = old score + w / W x (p_coach - p_matcher) x (1 - f)

``w`` is the key point's weight (doubled when the student argued as one of its
perspectives, as in the matcher), ``W`` the sum over the claim's key points,
``p`` the probabilities (a coach's "covered" counts 1, "partly" 0.4, "missed"
0) and ``f`` the share of the response's words that argue *for* the claim,
which the matcher takes off every point (read from the stored sentence notes).

The breakdown keeps what the matcher said: the key point's entry gets an
``override`` with the original verdict and probability, and the breakdown an
``overrides`` list; the score before the override is kept by the storage layer
in the attempt's score history.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# The same numbers as the matcher's (trainer/core/matching/types.py), which
# imports numpy with its package: a coach resolving disputes does not need it.
PERSPECTIVE_BOOST = 1.0
COACH_PROBABILITY = {"covered": 1.0, "partly": 0.4, "missed": 0.0}
_NOT_ARGUING = ("no-argument", "reports")


class OverrideError(ValueError):
    """The override cannot be applied to this breakdown (the key point is not in it)."""


@dataclass(frozen=True, slots=True)
class Override:
    """What an accepting coach decided (from an accepted dispute)."""

    key_point_id: str
    verdict: str
    dispute_id: int
    coach: str
    at: datetime
    note: str = ""


def _split_words(text: str) -> int:
    return len(text.split())


def for_share(breakdown: Mapping[str, Any], text: str, *, count: Callable[[str], int] = _split_words) -> float:
    """The share of the response's arguing words that support the claim (words counted by ``count``)."""
    arguing = supporting = 0
    for note in breakdown.get("sentences", ()) or ():
        if not isinstance(note, Mapping) or note.get("role") in _NOT_ARGUING:
            continue
        span = note.get("span") or {}
        try:
            n = max(count(text[int(span["start"]):int(span["end"])]), 1)
        except (KeyError, TypeError, ValueError):
            continue
        arguing += n
        if note.get("role") == "supports":
            supporting += n
    return supporting / arguing if arguing else 0.0


def apply_override(
    score: float | None,
    breakdown: Mapping[str, Any],
    override: Override,
    *,
    text: str,
    weights: Mapping[str, float],
) -> tuple[float, dict[str, Any]]:
    """The new score and breakdown once ``override`` is applied.

    ``weights`` are the pack's key point weights (a key point missing from it,
    say from a pack no longer installed, weighs 1). Raises ``OverrideError`` if
    the breakdown has no verdict for the key point.
    """
    if override.verdict not in COACH_PROBABILITY:
        raise OverrideError(f"verdict must be one of {', '.join(COACH_PROBABILITY)}")
    result = copy.deepcopy(dict(breakdown))
    key_points = [k for k in result.get("key_points", ()) or () if isinstance(k, dict)]
    entry = next((k for k in key_points if k.get("key_point_id") == override.key_point_id), None)
    if entry is None:
        raise OverrideError(f"the feedback on this attempt has no verdict for key point {override.key_point_id!r}")
    mine = set(result.get("perspective_key_points", ()) or ())

    def weight(kp_id: str) -> float:
        w = max(float(weights.get(kp_id, 1.0)), 0.0)
        return w * (1.0 + PERSPECTIVE_BOOST) if kp_id in mine else w

    total = sum(weight(str(k.get("key_point_id"))) for k in key_points)
    before = float(entry.get("probability", 0.0) or 0.0)
    after = COACH_PROBABILITY[override.verdict]
    share = weight(override.key_point_id) / total if total > 0 else 0.0
    old = float(score if score is not None else result.get("score", 0.0) or 0.0)
    new = round(min(max(old + share * (after - before) * (1.0 - for_share(result, text)), 0.0), 1.0), 4)

    original = entry.get("override") or {"verdict": entry.get("verdict"), "probability": before}
    entry.update(verdict=override.verdict, probability=after)
    entry["override"] = {
        "verdict": original["verdict"],
        "probability": original["probability"],
        "dispute_id": override.dispute_id,
        "coach": override.coach,
    }
    if override.verdict == "missed":
        entry["spans"] = []
    result["score"] = new
    result.setdefault("overrides", []).append({
        "key_point_id": override.key_point_id,
        "verdict": override.verdict,
        "original_verdict": original["verdict"],
        "original_probability": original["probability"],
        "score_before": old,
        "dispute_id": override.dispute_id,
        "coach": override.coach,
        "at": override.at.isoformat(),
        "note": override.note,
    })
    return new, result


def apply_overrides(
    score: float | None,
    breakdown: Mapping[str, Any],
    overrides: Iterable[Override],
    *,
    text: str,
    weights: Mapping[str, float],
) -> tuple[float | None, dict[str, Any]]:
    """Every override in turn (after a re-score: the coach's verdicts stay).
    An override whose key point the new breakdown lacks is skipped."""
    result: dict[str, Any] = dict(breakdown)
    for override in overrides:
        try:
            score, result = apply_override(score, result, override, text=text, weights=weights)
        except OverrideError:
            continue
    return score, result


def overrides_in(breakdown: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The coach's overrides recorded in a breakdown, by key point (the latest wins)."""
    found: dict[str, dict[str, Any]] = {}
    for item in breakdown.get("overrides", ()) or ():
        if isinstance(item, Mapping) and isinstance(item.get("key_point_id"), str):
            found[item["key_point_id"]] = dict(item)
    return found
