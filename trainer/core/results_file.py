"""The ``.steelresults`` file: a student's work on its way from a laptop to the coach.

A zip holding two entries (``docs/results-format.md``)::

    manifest.json   format, version, app version, created, the laptop's id,
                    the counts and the SHA-256 of results.json
    results.json    the profiles (by uuid), their attempts (by client_uuid,
                    with score history), their disputes (by uuid) and
                    their review schedules (``review_cards``, optional)

This module writes and reads the file and nothing else: no database. Reading
trusts nothing. The zip is refused when it holds anything but those two
entries, when an entry would unpack past its limit (a zip bomb), when the
checksum does not match (a file edited or cut short), when the format is newer
than this Steelman reads, and when any value has the wrong type, size or shape.
The message names the file and the field. PIN hashes never travel.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import Progress, check_progress

FORMAT = "steelman-results"
VERSION = 1
SUFFIX = ".steelresults"
MANIFEST = "manifest.json"
CONTENTS = "results.json"
MAX_FILE_BYTES = 256 * 1024 * 1024  # the zip itself
MAX_MANIFEST_BYTES = 64 * 1024
MAX_CONTENTS_BYTES = 512 * 1024 * 1024  # unpacked: about 200,000 attempts
MAX_TEXT_CHARS = 200_000  # one response (the editor keeps far less)
MAX_NAME_CHARS = 200


class ResultsFileError(ValueError):
    """The file cannot be imported; the message says why, naming the file and field."""


@dataclass(frozen=True, slots=True)
class ResultsFile:
    """What a results file holds, checked (datetimes parsed, sizes bounded)."""

    laptop_id: str
    created: datetime
    app_version: str
    profiles: list[dict[str, Any]]
    attempts: list[dict[str, Any]]
    disputes: list[dict[str, Any]]
    skipped: int = 0
    """Attempts already stored here (by ``client_uuid``): not checked further, not in ``attempts``."""
    review_cards: tuple[dict[str, Any], ...] = ()
    """The students' review schedules (checked; empty in a file from before they travelled)."""


class RawJSON(str):
    """JSON text taken as it is (a breakdown read from the database), not encoded again."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while millions of small dicts and lists are
    made (parsing or writing tens of MB of JSON): it found nothing to free
    and took three quarters of the time (``bench/results_io.py``)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _dumps(value: Any) -> str:
    if isinstance(value, RawJSON):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _attempt_json(a: dict[str, Any]) -> str:
    """One attempt: its breakdowns (``RawJSON`` from the database) spliced in as they are."""
    plain = {k: v for k, v in a.items() if k not in ("breakdown", "score_history")}
    history = ",".join(
        _dumps({k: v for k, v in h.items() if k != "breakdown"})[:-1] + ',"breakdown":' + _dumps(h["breakdown"]) + "}"
        for h in a.get("score_history", [])
    )
    return _dumps(plain)[:-1] + ',"breakdown":' + _dumps(a["breakdown"]) + ',"score_history":[' + history + "]}"


# -- writing -------------------------------------------------------------------------------


def write_results_file(
    out: Path,
    *,
    laptop_id: str,
    created: datetime,
    app_version: str,
    profiles: list[dict[str, Any]],
    attempts: list[dict[str, Any]],
    disputes: list[dict[str, Any]],
    review_cards: list[dict[str, Any]] | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the file atomically (a temporary file in the same folder, then renamed).

    ``progress(done, total)`` is called every 500 attempts while the JSON is
    built; False stops with :class:`~trainer.core.errors.Cancelled` before
    anything is written."""
    review_cards = review_cards or []

    def each_reported() -> Any:
        for i, a in enumerate(attempts):
            if i % 500 == 0:
                check_progress(progress, i, len(attempts), "the export")
            yield a
        check_progress(progress, len(attempts), len(attempts), "the export")

    with gc_paused():
        contents = (
            '{"profiles":' + _dumps(profiles) + ',"attempts":[' + ",".join(_attempt_json(a) for a in each_reported())
            + '],"disputes":' + _dumps(disputes) + ',"review_cards":' + _dumps(review_cards) + "}"
        ).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": app_version,
        "created": created.isoformat(),
        "laptop_id": laptop_id,
        "counts": {"profiles": len(profiles), "attempts": len(attempts), "disputes": len(disputes), "review_cards": len(review_cards)},
        "contents": CONTENTS,
        "sha256": hashlib.sha256(contents).hexdigest(),
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
                zf.writestr(CONTENTS, contents)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# -- reading -------------------------------------------------------------------------------


def read_results_file(
    path: Path,
    *,
    known: Callable[[list[str]], set[str]] | None = None,
    all_here: Callable[[list[str], list[str]], bool] | None = None,
) -> ResultsFile:
    """The checked contents of ``path`` (``ResultsFileError`` names what is wrong).

    ``known(client_uuids)`` returns the attempts already stored here: those are
    only counted (``skipped``), not checked or returned, so that importing a
    file again costs little.

    ``all_here(client_uuids, uuids)`` says whether every attempt, and every
    profile and dispute uuid, of the file is stored here already. It is asked
    (after the checksum) with the uuids found by :func:`_uuids_in` without
    parsing the JSON; when it says yes the file brings nothing new and is
    returned empty, with every attempt counted as ``skipped`` (a second import
    of a 10,000-attempt file then costs no JSON parse)."""
    with gc_paused():
        return _read(Path(path), known, all_here)


_CLIENT_UUID = re.compile(rb'"client_uuid":"([^"\\]{1,200})"')
_UUID = re.compile(rb'"uuid":"([^"\\]{1,200})"')


def _uuids_in(contents: bytes, counts: Any) -> tuple[list[str], list[str]] | None:
    """The attempts' ``client_uuid`` values and the other ``uuid`` values (profiles,
    disputes) of compact JSON as :func:`write_results_file` writes it, found by
    pattern, or ``None`` when they do not add up to the manifest's counts.

    A key inside a JSON string has its quotes escaped (``\\"uuid\\":``), so these
    patterns only meet real keys; a hostile file can at most add uuids, which
    makes the quick answer "something is new" and the file is read in full."""
    wanted = [counts.get(k) if isinstance(counts, dict) else None for k in ("attempts", "profiles", "disputes")]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in wanted):
        return None
    attempts = [m.decode("utf-8", "replace") for m in _CLIENT_UUID.findall(contents)]
    others = [m.decode("utf-8", "replace") for m in _UUID.findall(contents)]
    if len(attempts) != wanted[0] or len(others) != wanted[1] + wanted[2]:
        return None
    return attempts, others


def _read(path: Path, known: Callable[[list[str]], set[str]] | None,
          all_here: Callable[[list[str], list[str]], bool] | None = None) -> ResultsFile:
    name = path.name

    def fail(problem: str) -> ResultsFileError:
        return ResultsFileError(f"{name}: {problem}")

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise fail(f"is {size / 1e6:,.0f} MB; a results file may be at most {MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            names = [e.filename for e in entries]
            if sorted(names) != sorted([MANIFEST, CONTENTS]) or len(names) != 2:
                shown = ", ".join(repr(n[:80]) for n in names[:5]) or "nothing"
                raise fail(f"not a results file: it holds {shown}, not exactly {MANIFEST} and {CONTENTS}")
            manifest_bytes = _read_bounded(zf, zf.getinfo(MANIFEST), MAX_MANIFEST_BYTES, fail)
            manifest = _json(manifest_bytes, MANIFEST, fail)
            _check_manifest(manifest, fail)
            contents_bytes = _read_bounded(zf, zf.getinfo(CONTENTS), MAX_CONTENTS_BYTES, fail)
    except zipfile.BadZipFile as exc:
        raise fail("not a results file, or it is damaged or cut short (not a readable zip)") from exc
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise fail(f"cannot be unpacked ({exc})") from exc
    if hashlib.sha256(contents_bytes).hexdigest() != manifest["sha256"]:
        raise fail("its contents do not match their checksum: the file was changed or damaged after it was made")
    found = _uuids_in(contents_bytes, manifest.get("counts")) if all_here is not None else None
    if found is not None and all_here is not None and all_here(*found):
        return ResultsFile(
            laptop_id=manifest["laptop_id"], created=_datetime(manifest["created"], "manifest.created", fail),
            app_version=manifest["app_version"], profiles=[], attempts=[], disputes=[], skipped=len(found[0]),
        )
    contents = _json(contents_bytes, CONTENTS, fail)
    if not isinstance(contents, dict):
        raise fail(f"{CONTENTS} is not a JSON object")
    checked = _Checker(fail)
    profiles = checked.items(contents, "profiles", checked.profile)
    raw = contents.get("attempts")
    if not isinstance(raw, list):
        raise fail(f"{CONTENTS}.attempts: must be a list")
    uuids = [checked.text(a, "client_uuid", f"attempts[{i}]") if isinstance(a, dict) else checked.not_object(f"attempts[{i}]")
             for i, a in enumerate(raw)]
    here = known(list(set(uuids))) if known is not None else set()
    attempts = checked.items({"attempts": [a for a, u in zip(raw, uuids, strict=True) if u not in here]}, "attempts", checked.attempt)
    disputes = checked.items(contents, "disputes", checked.dispute)
    cards = checked.review_cards(contents) if "review_cards" in contents else []  # optional: added after version 1 came out
    if len(set(uuids)) != len(uuids):
        raise fail("attempts: a client_uuid appears twice")
    known_profiles = {p["uuid"] for p in profiles}
    for i, a in enumerate(attempts):
        if a["profile_uuid"] not in known_profiles:
            raise fail(f"attempts[{i}].profile_uuid: no profile in the file has this uuid")
    in_file = set(uuids)
    for i, d in enumerate(disputes):
        if d["attempt_uuid"] not in in_file:
            raise fail(f"disputes[{i}].attempt_uuid: no attempt in the file has this uuid")
    for i, c in enumerate(cards):
        if c["profile_uuid"] not in known_profiles:
            raise fail(f"review_cards[{i}].profile_uuid: no profile in the file has this uuid")
    return ResultsFile(
        laptop_id=manifest["laptop_id"], created=_datetime(manifest["created"], "manifest.created", fail),
        app_version=manifest["app_version"], profiles=profiles, attempts=attempts, disputes=disputes,
        skipped=len(raw) - len(attempts), review_cards=tuple(cards),
    )


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, fail: Any) -> bytes:
    """The entry's bytes, refused past ``limit`` whatever its header claims (zip bombs lie)."""
    if info.flag_bits & 0x1:
        raise fail(f"{info.filename} is encrypted")
    if info.file_size > limit:
        raise fail(f"{info.filename} would unpack to {info.file_size / 1e6:,.0f} MB; at most {limit // 2**20} MB")
    out = io.BytesIO()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out.write(chunk)
            if out.tell() > limit:
                raise fail(f"{info.filename} unpacks to more than {limit // 2**20} MB")
    return out.getvalue()


def _json(data: bytes, entry: str, fail: Any) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"{entry} is not UTF-8 text (byte {exc.start})") from exc
    try:
        return json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(f"{c} is not allowed")))
    except RecursionError as exc:  # thousands of nested brackets
        raise fail(f"{entry} nests too deeply to read") from exc
    except ValueError as exc:
        raise fail(f"{entry} is not valid JSON ({str(exc)[:120]})") from exc


def _check_manifest(m: Any, fail: Any) -> None:
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise fail(f"not a results file ({MANIFEST} does not say format {FORMAT!r})")
    version = m.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail(f"{MANIFEST}.version: must be a whole number, got {str(version)[:40]!r}")
    if version > VERSION:
        raise fail(f"made by a newer Steelman (results format {version}; this one reads up to {VERSION}): update Steelman to import it")
    for key in ("app_version", "created", "laptop_id", "sha256"):
        if not isinstance(m.get(key), str) or not m[key] or len(m[key]) > 200:
            raise fail(f"{MANIFEST}.{key}: missing or not a short text")
    if m.get("contents", CONTENTS) != CONTENTS:
        raise fail(f"{MANIFEST}.contents: must be {CONTENTS!r}")


def _datetime(value: Any, field: str, fail: Any) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise fail(f"{field}: must be a date and time (ISO 8601 text)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{field}: {value[:40]!r} is not a date and time") from exc
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise fail(f"{field}: {value[:40]!r} has no time zone")
    return parsed


class _Checker:
    """Each record's fields, type-checked and bounded; datetimes parsed."""

    def __init__(self, fail: Any) -> None:
        self.fail = fail

    def items(self, contents: dict[str, Any], key: str, check: Any) -> list[dict[str, Any]]:
        value = contents.get(key)
        if not isinstance(value, list):
            raise self.fail(f"{CONTENTS}.{key}: must be a list")
        seen: set[str] = set()
        out = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(f"{where}: must be an object")
            record = check(item, where)
            ident = record.get("uuid") or record.get("client_uuid")
            if ident in seen:
                raise self.fail(f"{where}: the uuid {ident!r} appears twice")
            seen.add(ident)
            out.append(record)
        return out

    def text(self, item: dict[str, Any], key: str, where: str, *, limit: int = MAX_NAME_CHARS, optional: bool = False,
             empty: bool = False) -> str | None:
        value = item.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}: must be text")
        if len(value) > limit:
            raise self.fail(f"{where}.{key}: is {len(value):,} characters; at most {limit:,}")
        if "\x00" in value:
            raise self.fail(f"{where}.{key}: contains a NUL character")
        if not empty and not value.strip():
            raise self.fail(f"{where}.{key}: must not be empty")
        return value

    def number(self, item: dict[str, Any], key: str, where: str, *, optional: bool = False, low: float = 0.0,
               high: float = math.inf) -> float | None:
        value = item.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
            raise self.fail(f"{where}.{key}: must be a number from {low:g} to {high:g}")
        return float(value)

    def when(self, item: dict[str, Any], key: str, where: str, *, optional: bool = False) -> datetime | None:
        if item.get(key) is None and optional:
            return None
        return _datetime(item.get(key), f"{where}.{key}", self.fail)

    def mapping(self, item: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        value = item.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"{where}.{key}: must be an object")
        return value

    def profile(self, item: dict[str, Any], where: str) -> dict[str, Any]:
        return {"uuid": self.text(item, "uuid", where), "name": self.text(item, "name", where),
                "created_at": self.when(item, "created_at", where)}

    def attempt(self, item: dict[str, Any], where: str) -> dict[str, Any]:
        history = item.get("score_history", [])
        if not isinstance(history, list) or len(history) > 1000:
            raise self.fail(f"{where}.score_history: must be a list (of at most 1,000 scores)")
        return {
            "client_uuid": self.text(item, "client_uuid", where),
            "profile_uuid": self.text(item, "profile_uuid", where),
            "pack_id": self.text(item, "pack_id", where),
            "pack_version": self.text(item, "pack_version", where),
            "claim_id": self.text(item, "claim_id", where),
            "perspective_id": self.text(item, "perspective_id", where, optional=True),
            "text": self.text(item, "text", where, limit=MAX_TEXT_CHARS, empty=True),
            "started_at": self.when(item, "started_at", where),
            "submitted_at": self.when(item, "submitted_at", where),
            "duration_seconds": self.number(item, "duration_seconds", where, high=366 * 86400),
            "score": self.number(item, "score", where, optional=True, high=1.0),
            "scored_at": self.when(item, "scored_at", where, optional=True),
            "matcher_version": self.text(item, "matcher_version", where, optional=True),
            "breakdown": self.mapping(item, "breakdown", where),
            "score_history": [
                {
                    "scored_at": self.when(h, "scored_at", f"{where}.score_history[{j}]"),
                    "score": self.number(h, "score", f"{where}.score_history[{j}]", optional=True, high=1.0),
                    "matcher_version": self.text(h, "matcher_version", f"{where}.score_history[{j}]", optional=True),
                    "breakdown": self.mapping(h, "breakdown", f"{where}.score_history[{j}]"),
                }
                for j, h in enumerate(history) if isinstance(h, dict) or self.not_object(f"{where}.score_history[{j}]")
            ],
        }

    def review_cards(self, contents: dict[str, Any]) -> list[dict[str, Any]]:
        """The optional ``review_cards`` list: one card per profile × claim."""
        value = contents["review_cards"]
        if not isinstance(value, list):
            raise self.fail(f"{CONTENTS}.review_cards: must be a list")
        seen: set[tuple[Any, ...]] = set()
        out = []
        for i, item in enumerate(value):
            where = f"review_cards[{i}]"
            if not isinstance(item, dict):
                self.not_object(where)
            card = {
                "profile_uuid": self.text(item, "profile_uuid", where),
                "pack_id": self.text(item, "pack_id", where),
                "claim_id": self.text(item, "claim_id", where),
                "due": self.when(item, "due", where),
                "state": self.whole(item, "state", where, low=1, high=3),
                "step": self.whole(item, "step", where, optional=True, high=1000),
                "stability": self.number(item, "stability", where, optional=True, high=1e6),
                "difficulty": self.number(item, "difficulty", where, optional=True, high=100),
                "last_review": self.when(item, "last_review", where, optional=True),
                "reps": self.whole(item, "reps", where, high=10**6),
                "lapses": self.whole(item, "lapses", where, high=10**6),
                "last_rating": self.whole(item, "last_rating", where, optional=True, low=1, high=4),
                "updated_at": self.when(item, "updated_at", where),
            }
            key = (card["profile_uuid"], card["pack_id"], card["claim_id"])
            if key in seen:
                raise self.fail(f"{where}: a second card for the same student and claim")
            seen.add(key)
            out.append(card)
        return out

    def whole(self, item: dict[str, Any], key: str, where: str, *, optional: bool = False, low: int = 0, high: int) -> int | None:
        value = item.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(f"{where}.{key}: must be a whole number from {low} to {high}")
        return value

    def not_object(self, where: str) -> Any:
        raise self.fail(f"{where}: must be an object")

    def dispute(self, item: dict[str, Any], where: str) -> dict[str, Any]:
        record = {
            "uuid": self.text(item, "uuid", where),
            "attempt_uuid": self.text(item, "attempt_uuid", where),
            "key_point_id": self.text(item, "key_point_id", where),
            "kind": self.text(item, "kind", where),
            "comment": self.text(item, "comment", where, limit=10_000, empty=True),
            "created_at": self.when(item, "created_at", where),
            "status": self.text(item, "status", where),
            "resolved_at": self.when(item, "resolved_at", where, optional=True),
            "resolved_by": self.text(item, "resolved_by", where, optional=True),
            "resolution_note": self.text(item, "resolution_note", where, limit=10_000, empty=True) if "resolution_note" in item else "",
            "override_verdict": self.text(item, "override_verdict", where, optional=True),
        }
        if record["kind"] not in ("did-make-point", "verdict-wrong"):
            raise self.fail(f"{where}.kind: must be 'did-make-point' or 'verdict-wrong'")
        if record["status"] not in ("open", "accepted", "rejected"):
            raise self.fail(f"{where}.status: must be 'open', 'accepted' or 'rejected'")
        if record["override_verdict"] not in (None, "covered", "partly", "missed"):
            raise self.fail(f"{where}.override_verdict: must be 'covered', 'partly' or 'missed'")
        return record
