"""Find the line of a field in a hand-written TOML file.

``tomllib`` gives values but no positions, so the validator asks this index
where ``key_points[2].perspectives`` stands. It understands the subset of TOML
a pack uses: top-level keys, ``[table]`` headers, ``[[array]]`` headers and
multi-line strings (whose contents are skipped).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class LineIndex:
    def __init__(self, text: str) -> None:
        # block name -> list of (header line, {key: line})
        self._blocks: dict[str, list[tuple[int, dict[str, int]]]] = {"": [(1, {})]}
        current = self._blocks[""][0][1]
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                name = header.group(2).strip().strip("\"'")
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
        """``"quote"``, ``"source.author"``, ``"key_points[1].weight"`` or ``"key_points[1]"``."""
        block, index, key = "", 0, field
        match = re.fullmatch(r"([A-Za-z_]+)\[(\d+)\](?:\.(.+))?", field)
        if match:
            block, index, key = match.group(1), int(match.group(2)), match.group(3) or ""
        elif "." in field:
            block, key = field.split(".", 1)
        entries = self._blocks.get(block)
        if not entries or index >= len(entries):
            return self._blocks[""][0][1].get(block) or (1 if not block else None)
        header_line, keys = entries[index]
        if not key:
            return header_line
        return keys.get(key, header_line)
