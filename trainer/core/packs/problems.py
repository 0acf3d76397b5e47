"""Validation problems: each names the file, the line and the field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_PROBLEM_PART = 300  # characters of a file name, field or message

# Control characters (a newline or a terminal escape in a zip entry's name
# could forge a line of output or clear the screen) and bidi overrides (which
# reorder what a terminal shows).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int = MAX_PROBLEM_PART) -> str:
    """``text`` safe for one line of a terminal or a dialog: control characters
    shown as escapes, and at most ``limit`` characters (a pack value of 100,000
    characters is named, not repeated)."""
    text = _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack. Every part is printable and bounded, since
    file names and quoted values come from the (untrusted) pack itself."""

    file: str
    line: int | None
    field: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", printable(self.file))
        object.__setattr__(self, "field", printable(self.field))
        object.__setattr__(self, "message", printable(self.message, 2 * MAX_PROBLEM_PART))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class PackValidationError(ValueError):
    """A pack could not be loaded; ``problems`` lists every reason at once."""

    def __init__(self, problems: Iterable[Problem], *, origin: str = "") -> None:
        self.problems = tuple(problems)
        self.origin = origin
        head = f"{origin}: " if origin else ""
        super().__init__(head + f"{len(self.problems)} problem(s)\n" + "\n".join(str(p) for p in self.problems))
