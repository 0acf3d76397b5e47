"""Load and validate a pack, reporting every problem at once."""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..rendering import MAX_MARKDOWN_CHARS, markdown_problem
from .lines import LineIndex
from .model import (
    CLAIM_KINDS,
    Citation,
    SCHEMA_VERSION,
    WEAK_KINDS,
    Claim,
    KeyPoint,
    Pack,
    Perspective,
    Source,
    WeakExample,
)
from .problems import PackValidationError, Problem
from .source import PackFiles, read_pack_files

_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")  # ASCII digits only: \d also matches other scripts
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
# Text holds no control characters but tab, newline and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Pack ids name the installed file: not a device name on Windows.
_RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


# Documented limits on plain text fields (docs/packs.md): long enough for any
# real pack, short enough that a label, a list or the matcher never chokes.
SHORT = 200  # titles, names, ids, author, outlet
LINE = 1_000  # key point statements, licence, attribution, URLs
TEXT = 4_000  # descriptions, tips, notes, quotes, weak examples
MAX_ARTICLE_CHARS = 300_000
MAX_KEY_POINTS = 24  # per claim
MAX_PERSPECTIVES = 24
MAX_WEAK_EXAMPLES = 50  # per claim
MAX_SOURCES = 10  # per key point, and for a claim's note


class _Doc:
    """One TOML file being validated: its values, its lines, its problems."""

    def __init__(self, name: str, data: dict[str, Any], text: str, problems: list[Problem]) -> None:
        self.name = name
        self.data = data
        self.lines = LineIndex(text)
        self._problems = problems

    def problem(self, field: str, message: str, *, line_field: str | None = None) -> None:
        self._problems.append(Problem(self.name, self.lines.line_of(line_field or field), field, message))

    def get(
        self,
        table: dict[str, Any],
        key: str,
        prefix: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
        limit: int = LINE,
    ) -> Any:
        field = f"{prefix}{key}"
        if key not in table:
            if required:
                self.problem(field, "missing", line_field=prefix.rstrip(".") or key)
            return default
        value = table[key]
        if isinstance(value, bool) and kind is not bool:
            ok = False
        else:
            ok = isinstance(value, kind)
        if not ok:
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            names = names.replace("str", "text").replace("int", "integer").replace("float", "number")
            self.problem(field, f"must be {names}, not {type(value).__name__}")
            return default
        if isinstance(value, str):
            if required and not value.strip():
                self.problem(field, "must not be empty")
                return default
            if len(value) > limit:
                self.problem(field, f"is {len(value):,} characters; at most {limit:,} allowed")
                return default
            if (bad := _CONTROL.search(value)) is not None:
                self.problem(field, f"holds the control character U+{ord(bad.group()):04X}")
                return default
            return value.strip()
        return value


MAX_WEIGHT = 10.0


def _real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day that exists (not 2024-13-45)."""
    if not _DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _url_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed http(s) address, or None."""
    from urllib.parse import urlsplit

    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return f"{url!r} holds spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"{url!r} is not a web address ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} must start with http:// or https://"
    if not parts.hostname or "." not in parts.hostname:
        return f"{url!r} has no host name"
    return None


def _citations(doc: _Doc, raw: Any, prefix: str) -> tuple[Citation, ...]:
    """The ``sources`` array of tables at ``prefix`` (``"key_points[0].sources"``)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        doc.problem(prefix, "must be an array of tables ([[key_points.sources]] or [[note_sources]])")
        return ()
    if len(raw) > MAX_SOURCES:
        doc.problem(prefix, f"{len(raw)} sources; at most {MAX_SOURCES} allowed")
        return ()
    citations: list[Citation] = []
    for j, table in enumerate(raw):
        at = f"{prefix}[{j}]"
        if not isinstance(table, dict):
            doc.problem(at, "must be a table with title, publisher, date and url")
            continue
        title = doc.get(table, "title", f"{at}.", str, limit=LINE)
        publisher = doc.get(table, "publisher", f"{at}.", str, limit=SHORT)
        date = doc.get(table, "date", f"{at}.", str, required=False, limit=SHORT)
        url = doc.get(table, "url", f"{at}.", str, required=False, limit=LINE)
        supports = doc.get(table, "supports", f"{at}.", str, required=False, limit=LINE)
        ok = title is not None and publisher is not None
        if date is not None and not _real_date(date):
            doc.problem(f"{at}.date", f"{date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
            ok = False
        if url is not None and (bad := _url_problem(url)) is not None:
            doc.problem(f"{at}.url", bad)
            ok = False
        if ok:
            citations.append(Citation(title=title, publisher=publisher, date=date or None, url=url or None, supports=supports or None))
    return tuple(citations)


def _decode(name: str, raw: bytes, problems: list[Problem]) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        )
        return None
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        problems.append(Problem(name, line, "(file)", f"holds the control character U+{ord(bad.group()):04X}: is it really a text file?"))
        return None
    return text


# Cheap checks before a file is parsed: inputs that are valid TOML but make the
# parser recurse past Python's limit, use gigabytes (a dotted key of 40,000
# parts) or choke on a 5,000-digit number are refused with their line.
MAX_NESTING = 32
MAX_DOTTED_PARTS = 16
MAX_DIGITS = 30
MAX_TABLES = 1_000  # a claim needs at most 24 key points with 10 sources each, and 50 weak examples


# Where a string that is open ends: its closing quote, skipping escapes in basic strings.
_STRING_END = {
    '"': re.compile(r'\\.|"'),
    '"""': re.compile(r'\\.|"""'),
    "'": re.compile("'"),
    "'''": re.compile("'''"),
}


def _precheck(name: str, text: str) -> Problem | None:
    """One linear pass over the text outside strings and comments: nesting
    depth, the longest run of dotted key parts (in a key, a header or an inline
    table, quoted parts included) and the longest run of digits."""
    depth = 0
    tables = 0
    quote: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if quote is None and depth == 0 and line.lstrip().startswith("["):
            tables += 1
            if tables > MAX_TABLES:
                return Problem(name, number, "(syntax)", f"more than {MAX_TABLES} [table] headers in one file")
        dots = 0  # dots in the current run of key parts
        digits = 0
        i = 0
        while i < len(line):
            if quote is not None:  # skip to the string's end at C speed
                end = _STRING_END[quote].search(line, i)
                while end is not None and end.group().startswith("\\"):
                    end = _STRING_END[quote].search(line, end.end())
                if end is None:
                    break  # the string goes on past this line
                i, quote = end.end(), None
                continue
            ch = line[i]
            if ch == "#":
                break
            if line.startswith(('"""', "'''"), i):
                quote = line[i:i + 3]
                i += 3
                continue
            if ch in "\"'":
                quote = ch
                i += 1
                continue
            if ch.isdigit():
                digits += 1
                if digits > MAX_DIGITS:
                    return Problem(name, number, "(syntax)", f"a number with more than {MAX_DIGITS} digits")
            elif ch != "_":
                digits = 0
            if ch == ".":
                dots += 1
                if dots >= MAX_DOTTED_PARTS:
                    return Problem(name, number, "(syntax)", f"a key with more than {MAX_DOTTED_PARTS} dotted parts")
            elif not (ch.isalnum() or ch in "_- \t"):
                dots = 0  # '=', ',', brackets and braces end a run of key parts
            if ch in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return Problem(name, number, "(syntax)", f"arrays or tables nested more than {MAX_NESTING} deep")
            elif ch in "]}":
                depth = max(0, depth - 1)
            i += 1
        if quote in ('"', "'"):
            quote = None  # a one-line string ends with its line (TOML reports the error itself)
    return None


def _parse_toml(name: str, raw: bytes, problems: list[Problem]) -> _Doc | None:
    text = _decode(name, raw, problems)
    if text is None:
        return None
    refused = _precheck(name, text)
    if refused is not None:
        problems.append(refused)
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else None
        if line is None and "end of document" in message:
            line = text.count("\n") + 1 - (1 if text.endswith("\n") else 0)
        problems.append(Problem(name, line, "(syntax)", _TOML_POSITION.sub("", message).strip()))
        return None
    except (RecursionError, ValueError, OverflowError, MemoryError) as exc:
        problems.append(Problem(name, None, "(syntax)", f"cannot be parsed: {type(exc).__name__}: {str(exc)[:200]}"))
        return None
    return _Doc(name, data, text, problems)


def load_pack(path: Path | str) -> Pack:
    """Load the pack at ``path`` or raise :class:`PackValidationError` listing every problem.

    Nothing else escapes: an unexpected error while reading or building the
    pack becomes a problem naming the pack (a broken pack never takes the app,
    or the other packs, down with it)."""
    path = Path(path)
    try:
        files = read_pack_files(path)
        pack, problems = _build(files)
    except PackValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bad pack is a problem, never a crash
        raise PackValidationError(
            [Problem(path.name, None, "(pack)", f"cannot be loaded: {type(exc).__name__}: {str(exc)[:200]}")], origin=str(path)
        ) from exc
    if problems or pack is None:
        raise PackValidationError(problems, origin=files.origin)
    return pack


def validate_pack(path: Path | str) -> list[Problem]:
    """Return every problem of the pack at ``path`` (an empty list when it is valid)."""
    try:
        load_pack(path)
    except PackValidationError as exc:
        return list(exc.problems)
    return []


def _build(files: PackFiles) -> tuple[Pack | None, list[Problem]]:
    problems: list[Problem] = []
    if "pack.toml" not in files.files:
        problems.append(Problem("pack.toml", None, "(file)", "missing: a pack folder needs pack.toml"))
    if "article.txt" not in files.files:
        problems.append(Problem("article.txt", None, "(file)", "missing: a pack needs the article text"))
    if not files.claim_names():
        problems.append(Problem("claims/", None, "(folder)", "no claim files (claims/*.toml)"))

    meta = _parse_toml("pack.toml", files.files["pack.toml"], problems) if "pack.toml" in files.files else None
    article = _decode("article.txt", files.files["article.txt"], problems) if "article.txt" in files.files else None
    if article is not None:
        article = article.replace("\r\n", "\n")
        if not article.strip():
            problems.append(Problem("article.txt", 1, "(file)", "the article is empty"))
        elif len(article) > MAX_ARTICLE_CHARS:
            problems.append(Problem("article.txt", None, "(file)", f"the article is {len(article):,} characters; at most {MAX_ARTICLE_CHARS:,} allowed"))
            article = None

    seen_ids: dict[str, str] = {}  # "kind:id" -> "file:line"

    def claim_id_once(doc: _Doc, field: str, value: str, kind: str) -> None:
        if not _ID.match(value):
            doc.problem(field, f"invalid id {value!r}: use lower-case letters, digits and '-' (at most 64)")
            return
        if kind == "pack" and value in _RESERVED_IDS:
            doc.problem(field, f"the id {value!r} is a device name on Windows, where the pack could not be installed; choose another")
            return
        key = f"{kind}:{value}"
        here = f"{doc.name}:{doc.lines.line_of(field)}"
        if key in seen_ids:
            doc.problem(field, f"duplicate {kind} id {value!r} (first in {seen_ids[key]})")
        else:
            seen_ids[key] = here

    fields, perspectives, perspective_ids = _build_meta(meta, claim_id_once) if meta else (None, None, set())
    check_perspectives = perspectives is not None

    claims: list[Claim] = []
    previous: tuple[int, str] | None = None  # (end offset, file) of the previous quote
    for name in files.claim_names():
        doc = _parse_toml(name, files.files[name], problems)
        if doc is None:
            continue
        claim = _build_claim(doc, perspective_ids, check_perspectives, claim_id_once)
        if claim is None:
            continue
        position = -1
        if article is not None:
            start = previous[0] if previous else 0
            position = article.find(claim.quote, start)
            if position < 0:
                earlier = article.find(claim.quote)
                if earlier < 0:
                    doc.problem("quote", "not found verbatim in article.txt (check quotes, dashes and spaces)")
                else:
                    doc.problem("quote", f"appears before the quote of {previous[1]}; claims must follow article order (rename the files)")
                    position = earlier
        claims.append(replace(claim, position=position))
        if position >= 0:
            previous = (position + 1, name)

    if problems or fields is None or article is None:
        return None, problems
    pack = Pack(article=article, perspectives=perspectives or (), claims=tuple(claims), origin=files.origin, **fields)
    return pack, problems


def _build_meta(
    doc: _Doc, check_id: Callable[[_Doc, str, str, str], None]
) -> tuple[dict[str, Any] | None, tuple[Perspective, ...] | None, set[str]]:
    """The pack's fields (``None`` if any is wrong), its perspectives (``None``
    if unknown) and every perspective id declared, even by a perspective with
    a wrong field (so claims naming it get no second, misleading problem)."""
    d = doc.data
    ok = True
    version = d.get("schema_version")
    if version is None:
        doc.problem("schema_version", "missing")
        return None, None, set()
    if not isinstance(version, int) or isinstance(version, bool) or version != SCHEMA_VERSION:
        doc.problem("schema_version", f"unsupported schema version {version!r} (this app reads {SCHEMA_VERSION})")
        return None, None, set()
    fields: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key in ("id", "title", "language", "version", "licence", "attribution"):
        fields[key] = doc.get(d, key, "", str, limit=LINE if key in ("licence", "attribution") else SHORT)
        ok = ok and fields[key] is not None
    fields["description"] = doc.get(d, "description", "", str, required=False, limit=TEXT)
    if fields["id"] is not None:
        check_id(doc, "id", fields["id"], "pack")
    source = d.get("source")
    if not isinstance(source, dict):
        doc.problem("source", "missing: add a [source] table with author, outlet and date")
        ok = False
    else:
        author = doc.get(source, "author", "source.", str, limit=SHORT)
        outlet = doc.get(source, "outlet", "source.", str, limit=SHORT)
        date = doc.get(source, "date", "source.", str, limit=SHORT)
        if date is not None and not _real_date(date):
            doc.problem("source.date", f"{date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        url = doc.get(source, "url", "source.", str, required=False)
        if url and (bad := _url_problem(url)) is not None:
            doc.problem("source.url", bad)
            url = None
        reprint = doc.get(source, "reprint", "source.", str, required=False)
        if author and outlet and date:
            fields["source"] = Source(author=author, outlet=outlet, date=date, url=url, reprint=reprint)
        else:
            ok = False
    raw_perspectives = d.get("perspectives", [])
    if not isinstance(raw_perspectives, list) or not raw_perspectives:
        doc.problem("perspectives", "missing: add at least one [[perspectives]] table")
        raw_perspectives = []
    elif len(raw_perspectives) > MAX_PERSPECTIVES:
        doc.problem("perspectives", f"{len(raw_perspectives)} perspectives; at most {MAX_PERSPECTIVES} allowed", line_field=f"perspectives[{MAX_PERSPECTIVES}]")
        raw_perspectives = []
    perspectives: list[Perspective] = []
    declared: set[str] = set()
    for i, table in enumerate(raw_perspectives):
        prefix = f"perspectives[{i}]."
        if not isinstance(table, dict):
            doc.problem(prefix.rstrip("."), "must be a table")
            continue
        pid = doc.get(table, "id", prefix, str, limit=SHORT)
        name = doc.get(table, "name", prefix, str, limit=SHORT)
        description = doc.get(table, "description", prefix, str, limit=TEXT)
        tip = doc.get(table, "tip", prefix, str, required=False, limit=TEXT)
        if pid is not None:
            check_id(doc, f"{prefix}id", pid, "perspective")
            declared.add(pid)
        if pid and name and description:
            perspectives.append(Perspective(id=pid, name=name, description=description, tip=(tip or "").strip() or None))
    return (fields if ok else None), tuple(perspectives), declared


def _build_claim(
    doc: _Doc,
    perspective_ids: set[str],
    check_perspectives: bool,
    check_id: Callable[[_Doc, str, str, str], None],
) -> Claim | None:
    d = doc.data
    cid = doc.get(d, "id", "", str, limit=SHORT)
    if cid is not None:
        check_id(doc, "id", cid, "claim")
    quote = d.get("quote")
    if quote is None:
        doc.problem("quote", "missing")
    elif not isinstance(quote, str) or not quote.strip():
        doc.problem("quote", "must be non-empty text")
        quote = None
    elif len(quote) > TEXT:
        doc.problem("quote", f"is {len(quote):,} characters; at most {TEXT:,} allowed")
        quote = None
    kind = doc.get(d, "kind", "", str, limit=SHORT)
    if kind is not None and kind not in CLAIM_KINDS:
        doc.problem("kind", f"{kind!r} is not one of: {', '.join(CLAIM_KINDS)}")
        kind = None
    difficulty = d.get("difficulty")
    if difficulty is None:
        doc.problem("difficulty", "missing")
    elif isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 3:
        doc.problem("difficulty", "must be an integer from 1 to 3")
        difficulty = None
    note = doc.get(d, "note", "", str, required=False, limit=TEXT)
    note_sources = _citations(doc, d.get("note_sources"), "note_sources")

    raw_kps = d.get("key_points")
    key_points: list[KeyPoint] = []
    if not isinstance(raw_kps, list) or not raw_kps:
        doc.problem("key_points", "a claim needs at least one [[key_points]] table", line_field="id")
        raw_kps = []
    elif len(raw_kps) > MAX_KEY_POINTS:
        doc.problem("key_points", f"a claim has {len(raw_kps)} key points; at most {MAX_KEY_POINTS} allowed", line_field=f"key_points[{MAX_KEY_POINTS}]")
        raw_kps = []
    for i, table in enumerate(raw_kps):
        prefix = f"key_points[{i}]."
        if not isinstance(table, dict):
            doc.problem(prefix.rstrip("."), "must be a table")
            continue
        kid = doc.get(table, "id", prefix, str, limit=SHORT)
        statement = doc.get(table, "statement", prefix, str)
        rebuttal = doc.get(table, "rebuttal", prefix, str, limit=MAX_MARKDOWN_CHARS)
        perspectives = doc.get(table, "perspectives", prefix, list, default=[])
        weight = doc.get(table, "weight", prefix, (int, float), required=False, default=1.0)
        if kid is not None:
            check_id(doc, f"{prefix}id", kid, "key point")
        if rebuttal is not None and (costly := markdown_problem(rebuttal)) is not None:
            doc.problem(f"{prefix}rebuttal", f"{costly}: Markdown this complex would freeze the feedback view")
            rebuttal = None
        clean_perspectives: list[str] = []
        for pid in perspectives or []:
            if not isinstance(pid, str):
                doc.problem(f"{prefix}perspectives", f"{pid!r} is not a perspective id (text)")
            elif check_perspectives and pid not in perspective_ids:
                doc.problem(f"{prefix}perspectives", f"unknown perspective id {pid!r}")
            else:
                clean_perspectives.append(pid)
        if weight is not None and not (0 < weight <= MAX_WEIGHT):  # also refuses NaN and infinity
            doc.problem(f"{prefix}weight", f"must be a number greater than 0 and at most {MAX_WEIGHT:g}")
            weight = None
        sources = _citations(doc, table.get("sources"), f"{prefix}sources")
        if kid and statement and rebuttal and weight is not None:
            key_points.append(
                KeyPoint(
                    id=kid,
                    statement=statement,
                    perspectives=tuple(clean_perspectives),
                    weight=float(weight),
                    rebuttal_markdown=rebuttal,
                    sources=sources,
                )
            )

    raw_weak = d.get("weak_examples", [])
    weak: list[WeakExample] = []
    if not isinstance(raw_weak, list):
        doc.problem("weak_examples", "must be an array of tables ([[weak_examples]])")
        raw_weak = []
    elif len(raw_weak) > MAX_WEAK_EXAMPLES:
        doc.problem("weak_examples", f"{len(raw_weak)} weak examples; at most {MAX_WEAK_EXAMPLES} allowed", line_field=f"weak_examples[{MAX_WEAK_EXAMPLES}]")
        raw_weak = []
    for i, table in enumerate(raw_weak):
        prefix = f"weak_examples[{i}]."
        if not isinstance(table, dict):
            doc.problem(prefix.rstrip("."), "must be a table")
            continue
        wkind = doc.get(table, "kind", prefix, str, limit=SHORT)
        text = doc.get(table, "text", prefix, str, limit=TEXT)
        if wkind is not None and wkind not in WEAK_KINDS:
            doc.problem(f"{prefix}kind", f"{wkind!r} is not one of: {', '.join(WEAK_KINDS)}")
            wkind = None
        if wkind and text:
            weak.append(WeakExample(kind=wkind, text=text))

    if cid is None or quote is None or kind is None or difficulty is None:
        return None
    return Claim(
        id=cid,
        quote=quote,
        kind=kind,
        difficulty=difficulty,
        note=note,
        key_points=tuple(key_points),
        weak_examples=tuple(weak),
        note_sources=note_sources,
    )
