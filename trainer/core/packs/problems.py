"""Validation problems: each names the file, the line and the field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

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
