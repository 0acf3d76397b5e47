"""The installed packs: the built-in ones, then those imported into the data folder."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..packs import (
    Pack,
    PackEntry,
    PackValidationError,
    Problem,
    discover_packs,
    load_pack,
)
from ..paths import Locations


def builtin_packs_dir() -> Path:
    from ...resources import resource_path

    return resource_path("packs")


class PackExistsError(ValueError):
    """An installed pack already has the id of the pack being imported."""


class UnknownPackError(LookupError):
    """No installed pack has this id (and it is not a path to a pack)."""


class PackLibrary:
    def __init__(
        self,
        locations: Locations,
        *,
        clock: Callable[[], datetime],
        folders: list[tuple[Path, bool]] | None = None,
    ) -> None:
        self._locations = locations
        self._clock = clock
        self._folders = folders
        self._entries: list[PackEntry] | None = None

    def folders(self) -> list[tuple[Path, bool]]:
        """Where packs are read from, as ``(folder, builtin)``: the built-in
        ones (or the folders given), then the data folder's ``packs/``, where
        imported packs go."""
        folders = self._folders if self._folders is not None else [(builtin_packs_dir(), True)]
        if all(folder != self._locations.packs_dir for folder, _ in folders):
            folders = [*folders, (self._locations.packs_dir, False)]
        return folders

    def entries(self, *, reload: bool = False) -> list[PackEntry]:
        """Every pack found, loaded or with its problems (a broken pack never hides the others)."""
        if self._entries is None or reload:
            self._entries = discover_packs(self.folders())
        return self._entries

    def all(self) -> list[Pack]:
        return [e.pack for e in self.entries() if e.pack is not None]

    def get(self, pack_id: str) -> Pack:
        """The installed pack with this id, or the pack at this path."""
        for pack in self.all():
            if pack.id == pack_id:
                return pack
        candidate = Path(pack_id)
        if candidate.exists():
            return load_pack(candidate)
        known = ", ".join(p.id for p in self.all()) or "none"
        raise UnknownPackError(f"no installed pack has the id {pack_id!r} (installed: {known})")

    def import_pack(self, source: Path, *, replace: bool = False) -> Pack:
        """Validate the pack at ``source`` (a folder or a ``.steelpack``) and install
        it into the data folder's ``packs/`` as a ``.steelpack`` named after its id.

        Raises :class:`PackValidationError` (every problem) if it is invalid,
        :class:`PackExistsError` if a built-in pack has the id, or if an imported
        one has it and ``replace`` is False. Nothing is written unless it loads.
        """
        from ..packs import ARCHIVE_SUFFIX, build_archive

        pack = load_pack(source)
        target_dir = self._locations.packs_dir
        target = target_dir / f"{pack.id}{ARCHIVE_SUFFIX}"
        older: list[Path] = []
        for entry in self.entries(reload=True):
            if entry.pack is None or entry.pack.id != pack.id:
                continue
            if entry.builtin:
                raise PackExistsError(f"a built-in pack already has the id {pack.id!r}; give the imported pack another id")
            if not replace:
                raise PackExistsError(f"a pack with the id {pack.id!r} is already installed ({entry.path.name})")
            if entry.path != target:
                older.append(entry.path)
        # Written to a staging file first and read back with the same reader;
        # only then does it replace the installed pack, whose earlier version
        # is kept in packs/replaced/. A failed import changes nothing.
        staging = target_dir / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        staged = staging / target.name
        try:
            build_archive(Path(source), staged)  # only the pack's own files, never the rest of an archive
            installed = load_pack(staged)
            if installed.id != pack.id:
                raise PackValidationError([Problem(target.name, None, "id", "changed while the pack was being imported")])
            stamp = self._clock().strftime("%Y%m%d-%H%M%S")
            for path in [*older, *([target] if target.exists() else [])]:  # never deleted: kept where packs are not loaded from
                (target_dir / "replaced").mkdir(exist_ok=True)
                kept = target_dir / "replaced" / f"{path.name}-{stamp}"
                if path == target:
                    shutil.copy2(path, kept)  # the installed one stays until the new one replaces it atomically
                else:
                    path.rename(kept)
            os.replace(staged, target)
        finally:
            staged.unlink(missing_ok=True)
            try:
                staging.rmdir()  # only when empty
            except OSError:
                pass
        # The list changes by one pack: update it rather than read every pack again.
        gone = {*older, target}
        kept = [e for e in self.entries() if e.path not in gone]
        added = PackEntry(path=target, pack=dataclasses.replace(installed, origin=str(target)))
        imported = sorted([e for e in kept if e.path.parent == target_dir] + [added], key=lambda e: e.path.name)
        self._entries = [e for e in kept if e.path.parent != target_dir] + imported
        return added.pack
