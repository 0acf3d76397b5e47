"""Finding installed packs: the built-in ones and those a coach added."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .loader import load_pack
from .model import Pack
from .problems import PackValidationError, Problem
from .source import ARCHIVE_SUFFIX


@dataclass(frozen=True)
class PackEntry:
    """One pack found on disk: loaded, or with the reasons it could not be."""

    path: Path
    pack: Pack | None
    problems: tuple[Problem, ...] = ()
    builtin: bool = False


def _candidates(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if (p.is_dir() and (p / "pack.toml").exists()) or p.suffix == ARCHIVE_SUFFIX]
    return sorted(found, key=lambda p: p.name)


def discover_packs(folders: list[tuple[Path, bool]]) -> list[PackEntry]:
    """Load every pack in ``folders`` (``(folder, is_builtin)`` pairs).

    A broken pack never stops the others from loading: it comes back as an
    entry with its problems. When two packs share an id the first one wins
    (built-in folders are listed first) and the second reports the clash.
    """
    entries: list[PackEntry] = []
    seen: dict[str, Path] = {}
    for folder, builtin in folders:
        for path in _candidates(folder):
            try:
                pack = load_pack(path)
            except PackValidationError as exc:
                entries.append(PackEntry(path, None, exc.problems, builtin))
                continue
            except Exception as exc:  # noqa: BLE001 - one broken pack never hides the others
                problem = Problem(path.name, None, "(pack)", f"could not be loaded: {type(exc).__name__}: {str(exc)[:200]}")
                entries.append(PackEntry(path, None, (problem,), builtin))
                continue
            if pack.id in seen:
                problem = Problem("pack.toml", None, "id", f"pack id {pack.id!r} is already used by {seen[pack.id]}")
                entries.append(PackEntry(path, None, (problem,), builtin))
                continue
            seen[pack.id] = path
            entries.append(PackEntry(path, pack, (), builtin))
    return entries
