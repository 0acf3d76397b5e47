"""Exporting attempts to JSON (everything, for programs) or CSV (for a coach's spreadsheet).

JSON is a machine format: scores are fractions as stored (``0.622``), and
each attempt carries its breakdown, its score history, its disputes with
their outcome and its ``coach_overrides`` (the score is the one after them;
``score_history`` holds the one before).

CSV is for people: ``export_attempts(fmt="csv", out=Path("results.csv"))``
writes three files next to each other (:func:`companion_paths` names the
last two):

- ``results.csv``, one row per attempt (:data:`CSV_COLUMNS`). ``score`` is a
  percentage as the app shows it (``62%``, rounded as
  :func:`trainer.core.progress.format_score` rounds; empty when the attempt
  has no score); ``coach_overrides`` sums up the coach's verdicts.
- ``results-key-points.csv``, one row per attempt and key point
  (:data:`KEY_POINT_COLUMNS`): the verdict, the sentences the matcher
  credited to the key point, and the coach's override if there is one.
- ``results-disputes.csv``, one row per dispute (:data:`DISPUTE_COLUMNS`),
  with its outcome.

Every text cell of the three (names, ids, comments, the response itself) goes
through :func:`neutralise_cell`, so that a spreadsheet never runs a cell as a
formula ("CSV injection"). Numbers the app writes (ids, scores, seconds) are
left as they are: they come from finite numbers, hold only digits, ``.``,
``%`` and perhaps a leading ``-`` (a negative score cannot come from the
matcher or a coach, only from a tampered database, and is then written as
``-5%``, which a spreadsheet reads as the number -0.05; durations are never
negative, the storage refuses them), so no formula can hide in them.

Files are written to temporary files in the target folder and moved into
place with ``os.replace`` once all of them are written, so a crash never
leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from trainer.core.errors import Progress, check_progress
from trainer.core.overrides import overrides_in
from trainer.core.progress import format_score
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
KEY_POINT_COLUMNS = (
    "attempt_id",
    "profile",
    "pack_id",
    "claim_id",
    "perspective_id",
    "submitted_at",
    "key_point_id",
    "verdict",
    "matched_sentences",
    "matcher_verdict",
    "override_by",
    "override_at",
    "override_note",
)
"""``verdict`` is the one that counts (the coach's, after an override);
``matcher_verdict`` the matcher's; ``override_by`` is empty unless a coach
overrode it. ``matched_sentences`` joins the credited sentences with `` … ``."""
DISPUTE_COLUMNS = (
    "dispute_id",
    "attempt_id",
    "profile",
    "pack_id",
    "claim_id",
    "key_point_id",
    "kind",
    "comment",
    "created_at",
    "status",
    "resolved_at",
    "resolved_by",
    "resolution_note",
    "override_verdict",
)
SENTENCE_SEPARATOR = " … "

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is neutralised (OWASP, "CSV Injection")."""
_FORMULA_SIGNS = ("=", "+", "-", "@")


def neutralise_cell(value: str) -> str:
    """``value`` made safe to open in a spreadsheet: ``'`` in front if it could be read as a formula.

    A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
    a formula (``=HYPERLINK(…)``, DDE payloads), and some also one that starts
    with a tab or a carriage return. The OWASP "CSV Injection" page
    (https://owasp.org/www-community/attacks/CSV_Injection) recommends
    prefixing such a cell with a single quote, which makes the spreadsheet
    take it as text. This function does exactly that, for a cell that

    - starts with ``=``, ``+``, ``-``, ``@``, a tab (U+0009) or a carriage
      return (U+000D), or
    - starts with whitespace (anything ``str.isspace`` accepts: spaces,
      newlines, no-break spaces…) followed by ``=``, ``+``, ``-`` or ``@``,
      because a spreadsheet that trims leading spaces on import would see the
      formula.

    The quote goes in front of the whole cell; nothing else changes (some
    spreadsheets show it, which is the price of never running the cell).
    Every other cell (an empty one too, and one that already starts with a
    quote) is returned unchanged. The CSV writer then quotes the cell as usual
    when it holds a comma, a quote or a line break.
    """
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(_FORMULA_SIGNS):
        return "'" + value
    return value


class _Number(str):
    """A number the app formatted itself (a score as ``62%``): written as it is, not neutralised."""


def companion_paths(out: Path) -> tuple[Path, Path]:
    """The key point and dispute files a CSV export to ``out`` also writes:
    ``results.csv`` -> ``results-key-points.csv``, ``results-disputes.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-key-points.csv"), out.with_name(f"{out.stem}-disputes.csv")


def export_attempts(
    repo: Repository,
    *,
    fmt: Literal["json", "csv"],
    out: Path,
    profile_name: str | None = None,
    now: datetime | None = None,
    exclude_profile_ids: Collection[int] = (),
    sources_for: Callable[[str, str], dict[str, list[dict[str, Any]]]] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the attempts (of one profile, or of all) to ``out``; return how many.

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` attempts
    while the files are built; when it returns False the export stops with
    :class:`~trainer.core.errors.Cancelled` before any file is moved into place,
    so every target is left as it was.

    A CSV export also writes the two files :func:`companion_paths` names (the
    key points and the disputes of the same attempts), all or none of them.

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
    kept = {a.id for a in attempts}
    disputes = [d for d in repo.list_disputes(profile_id=profile_id) if d.attempt_id in kept]
    out = Path(out)
    if fmt == "json":
        by_attempt: dict[int, list[DisputeInfo]] = {}
        for dispute in disputes:
            by_attempt.setdefault(dispute.attempt_id, []).append(dispute)
        exported_at = (now or repo.now()).astimezone(UTC)
        document = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": exported_at.isoformat(),
            "attempts": [_attempt_json(a, by_attempt.get(a.id, []), sources_for) for a in _reported(attempts, progress, 0, 1)],
        }
        _write_files_atomically([(out, json.dumps(document, ensure_ascii=False, indent=2) + "\n")])
        return len(attempts)
    by_id = {a.id: a for a in attempts}
    key_points_out, disputes_out = companion_paths(out)
    _write_files_atomically([
        (out, _csv(CSV_COLUMNS, (_attempt_row(a) for a in _reported(attempts, progress, 0, 2)))),
        (key_points_out, _csv(KEY_POINT_COLUMNS, (row for a in _reported(attempts, progress, 1, 2) for row in _key_point_rows(a)))),
        (disputes_out, _csv(DISPUTE_COLUMNS, (_dispute_row(d, by_id[d.attempt_id]) for d in disputes))),
    ])
    return len(attempts)


PROGRESS_EVERY = 250


def _reported(attempts: list[AttemptInfo], progress: Progress | None, part: int, parts: int) -> Iterable[AttemptInfo]:
    """``attempts``, reporting progress as pass ``part`` of ``parts`` over them (and stopping on a cancel)."""
    total = len(attempts) * parts
    for i, attempt in enumerate(attempts):
        if i % PROGRESS_EVERY == 0:
            check_progress(progress, part * len(attempts) + i, total, "the export")
        yield attempt
    if part == parts - 1:
        check_progress(progress, total, total, "the export")


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


def _csv(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(_csv_cells(row) for row in rows)
    return buffer.getvalue()


def _csv_cells(row: Iterable[object]) -> list[str]:
    """Numbers the app wrote as they are; every text cell through :func:`neutralise_cell`."""
    cells = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, _Number) or (isinstance(value, int | float) and not isinstance(value, bool)):
            cells.append(str(value))
        else:
            cells.append(neutralise_cell(str(value)))
    return cells


def _percent(score: float | None) -> str:
    """``62%`` (rounded as the app shows scores), or empty for no score."""
    return "" if score is None else _Number(format_score(score))


def _attempt_row(a: AttemptInfo) -> list[object]:
    return [
        a.id,
        a.profile_name,
        a.pack_id,
        a.pack_version,
        a.claim_id,
        a.perspective_id,
        a.submitted_at.isoformat(),
        a.duration_seconds,
        _percent(a.score),
        a.matcher_version,
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


def _key_point_rows(a: AttemptInfo) -> list[list[object]]:
    """One row per key point in the attempt's breakdown (none for an attempt without one)."""
    overrides = overrides_in(a.breakdown)
    rows: list[list[object]] = []
    for entry in a.breakdown.get("key_points", ()) or ():
        if not isinstance(entry, Mapping):
            continue
        kp_id = str(entry.get("key_point_id") or "")
        verdict = str(entry.get("verdict") or "")
        recorded = overrides.get(kp_id, {})
        marker = entry.get("override") if isinstance(entry.get("override"), Mapping) else {}
        matcher_verdict = marker.get("verdict") or recorded.get("original_verdict") or verdict
        rows.append([
            a.id,
            a.profile_name,
            a.pack_id,
            a.claim_id,
            a.perspective_id,
            a.submitted_at.isoformat(),
            kp_id,
            verdict,
            SENTENCE_SEPARATOR.join(_span_texts(a.text, entry.get("spans"))),
            matcher_verdict,
            recorded.get("coach") or marker.get("coach"),
            recorded.get("at"),
            recorded.get("note"),
        ])
    return rows


def _span_texts(text: str, spans: object) -> list[str]:
    """The text of each well-formed span, in the order of the response (stripped; empty ones left out)."""
    found = []
    for span in spans if isinstance(spans, list | tuple) else ():
        try:
            start, end = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            found.append((start, end))
    return [piece for start, end in sorted(found) if (piece := text[start:end].strip())]


def _dispute_row(d: DisputeInfo, a: AttemptInfo) -> list[object]:
    return [
        d.id,
        d.attempt_id,
        a.profile_name,
        a.pack_id,
        a.claim_id,
        d.key_point_id,
        d.kind,
        d.comment,
        d.created_at.isoformat(),
        d.status,
        d.resolved_at.isoformat() if d.resolved_at else None,
        d.resolved_by,
        d.resolution_note,
        d.override_verdict,
    ]


def _write_files_atomically(files: list[tuple[Path, str]]) -> None:
    """Write every file to a temporary file next to it, then move them all into
    place: a failure while writing leaves every target as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for out, content in files:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
            staged.append((tmp_name, out))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                os.chmod(tmp_name, 0o644)  # mkstemp makes it private; an export is an ordinary file
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        while staged:
            tmp_name, out = staged[0]
            os.replace(tmp_name, out)
            staged.pop(0)
    except BaseException:
        for tmp_name, _ in staged:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
        raise

