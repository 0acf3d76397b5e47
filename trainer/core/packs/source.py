"""Reading a pack's files from a folder or a ``.steelpack`` zip, with limits.

Packs travel between clubs, so the reader trusts nothing: names with ``..`` or
absolute paths are refused, sizes are capped before anything is read in full,
and only the files the format defines are read at all.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .problems import PackValidationError, Problem

ARCHIVE_SUFFIX = ".steelpack"
MAX_FILE_BYTES = 2 * 1024 * 1024  # one pack file (article, claim, pack.toml)
MAX_TOTAL_BYTES = 16 * 1024 * 1024  # a whole pack, uncompressed
MAX_FILES = 500
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True)
class PackFiles:
    """The raw bytes of a pack's files, keyed by their relative POSIX name."""

    origin: str
    files: dict[str, bytes]

    def claim_names(self) -> list[str]:
        return sorted(n for n in self.files if n.startswith("claims/") and n.endswith(".toml"))


def _wanted(name: str) -> bool:
    path = PurePosixPath(name)
    if name in ("pack.toml", "article.txt"):
        return True
    return len(path.parts) == 2 and path.parts[0] == "claims" and path.suffix == ".toml"


def read_pack_files(path: Path) -> PackFiles:
    """Read the pack at ``path`` (a folder or a ``.steelpack`` file)."""
    if path.is_dir():
        return _read_folder(path)
    if path.is_file():
        return _read_archive(path)
    raise PackValidationError([Problem(str(path), None, "(pack)", "no such folder or file")])


def _too_big(origin: str, name: str, size: int) -> Problem:
    return Problem(
        name,
        None,
        "(file)",
        f"is {size / 1_048_576:.1f} MB; a pack file may be at most {MAX_FILE_BYTES // 1_048_576} MB",
    )


def _read_folder(folder: Path) -> PackFiles:
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    candidates = [folder / "pack.toml", folder / "article.txt"]
    claims_dir = folder / "claims"
    if claims_dir.is_symlink():  # no path inside a pack may lead outside it
        raise PackValidationError(
            [Problem("claims/", None, "(folder)", "is a link; links are not followed (copy the claim files into the pack)")],
            origin=str(folder),
        )
    if claims_dir.is_dir():
        candidates += sorted(claims_dir.glob("*.toml"))
    if len(candidates) > MAX_FILES:  # what the archive reader refuses, the folder reader refuses too
        raise PackValidationError(
            [Problem("claims/", None, "(pack)", f"holds {len(candidates) - 2} claim files; at most {MAX_FILES - 2} allowed")],
            origin=str(folder),
        )
    root = folder.resolve()
    total = 0
    for file in candidates:
        name = file.relative_to(folder).as_posix()
        try:
            info = file.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(name, None, "(file)", "is not a regular file (links are not followed)"))
            continue
        if not _inside(file, root):
            problems.append(Problem(name, None, "(file)", "leads outside the pack (links are not followed)"))
            continue
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_big(str(folder), name, info.st_size))
            continue
        total += info.st_size
        if total > MAX_TOTAL_BYTES:  # checked before reading: memory stays bounded
            problems.append(Problem(name, None, "(pack)", "the pack is larger than 16 MB"))
            break
        try:
            files[name] = file.read_bytes()
        except OSError as exc:
            problems.append(Problem(name, None, "(file)", f"cannot be read: {exc.strerror or exc}"))
    if problems:
        raise PackValidationError(problems, origin=str(folder))
    return PackFiles(str(folder), files)


def _archive_prefix(names: list[str]) -> str:
    """Files may sit at the archive root or inside one top-level folder."""
    if "pack.toml" in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    for top in sorted(tops):
        if f"{top}/pack.toml" in names:
            return f"{top}/"
    return ""


def _inside(file: Path, root: Path) -> bool:
    try:
        return file.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _read_archive(path: Path) -> PackFiles:
    origin = str(path)
    problems: list[Problem] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackValidationError(
            [Problem(path.name, None, "(archive)", f"is not a readable {ARCHIVE_SUFFIX} (zip) file: {exc}")],
            origin=origin,
        ) from None
    files: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_FILES:
            raise PackValidationError(
                [Problem(path.name, None, "(archive)", f"holds {len(infos)} entries; at most {MAX_FILES} allowed")],
                origin=origin,
            )
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name)
            if name.startswith(("/", "\\")) or ".." in pure.parts or "\\" in name or ":" in name:
                problems.append(Problem(name, None, "(archive)", "unsafe path in archive (absolute, '..', a backslash or a drive letter)"))
        if problems:
            raise PackValidationError(problems, origin=origin)
        names = [i.filename for i in infos if not i.is_dir()]
        seen: set[str] = set()
        for name in names:
            if name in seen:  # which copy would count? refuse rather than guess
                problems.append(Problem(name, None, "(archive)", "appears twice in the archive"))
            seen.add(name)
        if problems:
            raise PackValidationError(problems, origin=origin)
        prefix = _archive_prefix(names)
        total = 0
        for info in infos:
            if info.is_dir() or not info.filename.startswith(prefix):
                continue
            name = info.filename[len(prefix):]
            if not _wanted(name):
                continue
            if info.file_size > MAX_FILE_BYTES:
                problems.append(_too_big(origin, name, info.file_size))
                continue
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 1_000_000:
                problems.append(Problem(name, None, "(archive)", "compression ratio is implausible (zip bomb?)"))
                continue
            try:
                with archive.open(info) as stream:
                    data = stream.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                problems.append(Problem(name, None, "(archive)", f"cannot be read: {exc}"))
                continue
            if len(data) > MAX_FILE_BYTES:
                problems.append(_too_big(origin, name, len(data)))
                continue
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                problems.append(Problem(path.name, None, "(archive)", "the pack is larger than 16 MB uncompressed"))
                break
            files[name] = data
    if problems:
        raise PackValidationError(problems, origin=origin)
    return PackFiles(origin, files)


def build_archive(source: Path, out: Path) -> Path:
    """Write the pack at ``source`` (a folder or an archive) as a ``.steelpack``
    zip at ``out``, holding only the files the reader reads: what the writer
    produces, the reader accepts (at most MAX_FILES entries, 16 MB)."""
    pack_files = read_pack_files(source)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(pack_files.files):
                archive.writestr(name, pack_files.files[name])
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
