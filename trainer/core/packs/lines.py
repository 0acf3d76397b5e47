"""Find the line of a field in a hand-written TOML file.

``tomllib`` gives values but no positions, so the validator asks this index
where ``key_points[2].perspectives`` stands. It understands the subset of TOML
a pack uses: top-level keys, ``[table]`` headers, ``[[array]]`` headers and
multi-line strings (whose contents are skipped).
"""

from __future__ import annotations

import re

_HEADER_NAME = re.compile(r"[A-Za-z0-9_.\-\"' ]+")


def _header(line: str) -> str | None:
    """The table name of a ``[name]`` / ``[[name]]`` header line, or None.

    Parsed by hand in linear time: the regex this replaces backtracked on a
    long run of spaces (a valid pack could hang the app)."""
    s = line.strip()
    if not s.startswith("["):
        return None
    double = s.startswith("[[")
    body = s[2:] if double else s[1:]
    end = body.find("]")
    if end < 0:
        return None
    name, rest = body[:end].strip(), body[end + 1:]
    if double:
        if not rest.startswith("]"):
            return None
        rest = rest[1:]
    rest = rest.strip()
    if (rest and not rest.startswith("#")) or not name or not _HEADER_NAME.fullmatch(name):
        return None
    return name.strip("\"'")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class LineIndex:
    def __init__(self, text: str) -> None:
        # block name -> list of (header line, {key: line})
        self._blocks: dict[str, list[tuple[int, dict[str, int]]]] = {"": [(1, {})]}
        current = self._blocks[""][0][1]
        in_multiline: str | None = None
        for number, line in enumerate(text.split("\n"), start=1):  # TOML lines end at \n only (not U+2028)
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            name = _header(line)
            if name is not None and not _KEY.match(line):
                entry: tuple[int, dict[str, int]] = (number, {})
                self._blocks.setdefault(name, []).append(entry)
                current = entry[1]
                continue
            key = _KEY.match(line)
            if key:
                current.setdefault(key.group(1).strip('"'), number)
                rest = line[key.end():]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote
                        break

    def line_of(self, field: str) -> int | None:
        """``"quote"``, ``"source.author"``, ``"key_points[1].weight"``, ``"key_points[1]"``
        or ``"key_points[1].sources[0].url"`` (a ``[[key_points.sources]]`` table)."""
        nested = re.fullmatch(r"([A-Za-z_]+)\[(\d+)\]\.([A-Za-z_]+)\[(\d+)\](?:\.(.+))?", field)
        if nested:
            return self._nested_line(nested.group(1), int(nested.group(2)), nested.group(3), int(nested.group(4)), nested.group(5) or "")
        block, index, key = "", 0, field
        match = re.fullmatch(r"([A-Za-z_]+)\[(\d+)\](?:\.(.+))?", field)
        if match:
            block, index, key = match.group(1), int(match.group(2)), match.group(3) or ""
        elif "." in field:
            block, key = field.split(".", 1)
        top = self._blocks[""][0][1]
        if not block and key not in top and key in self._blocks:
            block, key = key, ""  # "source": the line of the [source] header
        entries = self._blocks.get(block)
        if not entries or index >= len(entries):
            # an inline table (source = {...}) or a field in a missing table
            return top.get(block) if block else None
        header_line, keys = entries[index]
        if not block:
            return keys.get(key)  # a missing top-level field has no line of its own
        if not key:
            return header_line
        return keys.get(key, header_line)  # a missing field: the line of its table

    def _nested_line(self, parent: str, index: int, child: str, child_index: int, key: str) -> int | None:
        parents = self._blocks.get(parent, [])
        if index >= len(parents):
            return None
        start, parent_keys = parents[index]
        end = parents[index + 1][0] if index + 1 < len(parents) else float("inf")
        children = [entry for entry in self._blocks.get(f"{parent}.{child}", []) if start < entry[0] < end]
        if child_index >= len(children):
            return parent_keys.get(child, start)  # an inline array, or a missing table
        header_line, keys = children[child_index]
        return keys.get(key, header_line) if key else header_line
