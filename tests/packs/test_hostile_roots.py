"""Root fixes for hostile packs (issue 13, first part): the line index runs in
linear time, files are checked before they are parsed, nothing but a problem
escapes the loader, one broken pack never hides the others, and a failed
import leaves the installed pack as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.core.packs import PackValidationError, discover_packs, load_pack, validate_pack
from trainer.core.paths import resolve_locations
from trainer.core.service import Service

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 120  # a guard against hangs, not a timing: the fixed code takes milliseconds


def copy_tiny(tmp_path: Path, name: str = "pack") -> Path:
    target = tmp_path / name
    shutil.copytree(ROOT / "tests" / "data" / "packs" / "tiny", target)
    return target


def tiny_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the tiny pack whose ``file`` has ``old`` replaced by ``new`` (once)."""
    pack = copy_tiny(tmp_path)
    path = pack / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


def test_a_long_run_of_spaces_in_a_header_loads_without_hanging(tmp_path: Path) -> None:
    pack = copy_tiny(tmp_path)
    toml = pack / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[source]", "[" + " " * 5000 + "source" + " " * 5000 + "]"), encoding="utf-8")
    script = (
        "import sys; from trainer.core.packs import load_pack; from trainer.core.packs.lines import LineIndex\n"
        f"print(load_pack({str(pack)!r}).id)\n"
        "LineIndex('[' + ' ' * 20000 + '\\n[a' + ' ' * 20000 + 'b\\n')\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.stdout.split() == ["tiny-uniforms", "ok"], run.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = " + "[" * 100_000 + "]" * 100_000, "nested more than"),
        ("x = " + "7" * 5000, "more than 30 digits"),
        (".".join(f"k{i}" for i in range(40_000)) + " = 1", "dotted parts"),
    ],
)
def test_files_that_would_exhaust_the_parser_are_refused_with_their_line(tmp_path: Path, line: str, expected: str) -> None:
    pack = copy_tiny(tmp_path)
    toml = pack / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[extra]\n" + line + "\n", encoding="utf-8")
    lines = toml.read_text(encoding="utf-8").count("\n")
    problems = validate_pack(pack)
    assert [(p.file, p.line) for p in problems] == [("pack.toml", lines)]
    assert expected in problems[0].message


def test_ordinary_nesting_and_numbers_are_still_accepted(tmp_path: Path) -> None:
    pack = copy_tiny(tmp_path)
    claim = pack / "claims" / "01-expression.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace('note = "', 'note = "[[[x]]] 12345678901234567890123456789012345 '), encoding="utf-8")
    assert load_pack(pack).id == "tiny-uniforms"


def test_one_broken_pack_never_hides_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    good = copy_tiny(folder, "good")
    broken = copy_tiny(folder, "broken")
    (broken / "pack.toml").write_text('schema_version = 1\nid = "x"\nweight = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    entries = {e.path.name: e for e in discover_packs([(folder, False)])}
    assert entries["good"].pack is not None and entries["good"].pack.id == "tiny-uniforms"
    assert entries["broken"].pack is None and "nested" in entries["broken"].problems[0].message
    # Even an error the loader does not expect comes back as that pack's problem.
    from trainer.core.packs import registry

    real = registry.load_pack

    def explode(path: Path):  # noqa: ANN202
        if path.name == "broken":
            raise RuntimeError("something nobody foresaw")
        return real(path)

    monkeypatch.setattr(registry, "load_pack", explode)
    entries = {e.path.name: e for e in discover_packs([(folder, False)])}
    assert entries["good"].pack is not None
    assert "RuntimeError: something nobody foresaw" in entries["broken"].problems[0].message
    assert good.exists()


def test_unexpected_errors_in_the_loader_become_problems_naming_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.core.packs import loader

    def overflow(_files):  # noqa: ANN001, ANN202
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(loader, "_build", overflow)
    with pytest.raises(PackValidationError) as caught:
        load_pack(copy_tiny(tmp_path))
    (problem,) = caught.value.problems
    assert problem.file == "pack" and "OverflowError" in problem.message


@pytest.fixture
def service(tmp_path: Path):  # noqa: ANN201
    svc = Service.open(resolve_locations(data_dir=tmp_path / "data"))
    yield svc
    svc.close()


def test_a_pack_the_reader_would_refuse_is_never_written_over_the_installed_one(service: Service, tmp_path: Path) -> None:
    installed = service.packs.import_pack(copy_tiny(tmp_path, "v1"))
    target = service.locations.packs_dir / f"{installed.id}.steelpack"
    before = target.read_bytes()
    big = copy_tiny(tmp_path, "big")
    one = (big / "claims" / "01-expression.toml").read_text(encoding="utf-8")
    for n in range(501):
        (big / "claims" / f"{n:03d}-c.toml").write_text(one.replace('id = "expression"', f'id = "c{n}"', 1)
                                                        .replace("expression-", f"c{n}-"), encoding="utf-8")
    with pytest.raises(PackValidationError, match="at most"):
        service.packs.import_pack(big, replace=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in service.locations.packs_dir.iterdir() if p.is_file()) == [target.name]
    assert not (service.locations.packs_dir / ".staging").exists()


def test_replacing_keeps_the_earlier_version_in_replaced(service: Service, tmp_path: Path) -> None:
    v1 = copy_tiny(tmp_path, "v1")
    service.packs.import_pack(v1)
    target = service.locations.packs_dir / "tiny-uniforms.steelpack"
    old = target.read_bytes()
    toml = v1 / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.2.0"'), encoding="utf-8")
    assert service.packs.import_pack(v1, replace=True).version == "0.2.0"
    (kept,) = (service.locations.packs_dir / "replaced").iterdir()
    assert kept.name.startswith("tiny-uniforms.steelpack-") and kept.read_bytes() == old
    assert load_pack(target).version == "0.2.0"

    # the list of packs is updated in place; it must be what reading them all again gives
    def listing() -> list[tuple[str, str | None, str | None, str | None]]:
        return [(e.path.name, e.pack and e.pack.id, e.pack and e.pack.version, e.pack and e.pack.origin) for e in service.packs.entries()]

    other = copy_tiny(tmp_path, "other")
    (other / "pack.toml").write_text((other / "pack.toml").read_text(encoding="utf-8").replace('id = "tiny-uniforms"', 'id = "a-first"'), encoding="utf-8")
    service.packs.import_pack(other)
    updated = listing()
    service.packs.entries(reload=True)
    assert updated == listing() and [name for name, *_ in updated][-2:] == ["a-first.steelpack", "tiny-uniforms.steelpack"]


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("claims/01-expression.toml", "weight = 1.5", "weight = inf", "weight"),
        ("claims/01-expression.toml", "weight = 1.5", "weight = nan", "weight"),
        ("claims/01-expression.toml", "weight = 1.5", "weight = 1e308", "weight"),
        ("pack.toml", "schema_version = 1", "schema_version = 1.0", "schema_version"),
        ("pack.toml", 'date = "2024-05-01"', 'date = "2024-13-45"', "source.date"),
    ],
)
def test_values_that_would_break_scoring_or_lie_are_refused(tmp_path: Path, file: str, old: str, new: str, field: str) -> None:
    problems = validate_pack(tiny_with(tmp_path, file, old, new))
    assert [p.field.split(".")[-1] for p in problems] == [field.split(".")[-1]], problems
    assert problems[0].file == file and problems[0].line is not None


def test_no_path_inside_a_pack_leads_outside_it(tmp_path: Path) -> None:
    """A claims/ folder that is a link to a folder outside the pack is refused
    (its files once went into the installed archive), and so is any file that
    resolves outside the pack."""
    outside = tmp_path / "outside"
    shutil.copytree(ROOT / "tests" / "data" / "packs" / "tiny" / "claims", outside)
    pack = copy_tiny(tmp_path)
    shutil.rmtree(pack / "claims")
    (pack / "claims").symlink_to(outside, target_is_directory=True)
    problems = validate_pack(pack)
    assert [(p.file, p.field) for p in problems] == [("claims/", "(folder)")]
    assert "link" in problems[0].message

    service = Service.open(resolve_locations(data_dir=tmp_path / "data"))
    try:
        with pytest.raises(PackValidationError):
            service.packs.import_pack(pack)
        assert not (tmp_path / "data" / "packs").exists() or not any((tmp_path / "data" / "packs").glob("*.steelpack"))
    finally:
        service.close()

    # a pack whose own folder sits behind a link still loads: only paths inside it are checked
    real = copy_tiny(tmp_path, "real")
    (tmp_path / "via-link").symlink_to(real, target_is_directory=True)
    assert load_pack(tmp_path / "via-link").id == "tiny-uniforms"


def test_missing_fields_are_reported_at_their_table(tmp_path: Path) -> None:
    """A field missing from [source] is reported at the [source] line (it was
    line 1), one missing from the second [[key_points]] at that table's header,
    and a missing top-level field without a line rather than a wrong one."""
    pack = copy_tiny(tmp_path)
    toml = pack / "pack.toml"
    text = toml.read_text(encoding="utf-8").replace('author = "A. Writer"\n', "").replace('language = "en"\n', "")
    toml.write_text(text, encoding="utf-8")
    claim = pack / "claims" / "01-expression.toml"
    ctext = claim.read_text(encoding="utf-8")
    second = ctext.index("[[key_points]]", ctext.index("[[key_points]]") + 1)
    ctext = ctext[:second] + ctext[second:].replace('statement = "School uniform reduces bullying"\n', "", 1)
    claim.write_text(ctext, encoding="utf-8")
    found = {(p.file, p.field): p.line for p in validate_pack(pack)}
    source_line = text.splitlines().index("[source]") + 1
    header_line = ctext[:second].count("\n") + 1
    assert found == {
        ("pack.toml", "source.author"): source_line,
        ("pack.toml", "language"): None,
        ("claims/01-expression.toml", "key_points[1].statement"): header_line,
    }


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "expected"),
    [
        ("claims/01-expression.toml", 'rebuttal = "When', 'rebuttal = "' + "[" * 50_000 + ' When', "key_points[1].rebuttal", "at most 8,000"),
        ("claims/01-expression.toml", 'rebuttal = "When', 'rebuttal = "' + "[" * 5_000 + ' When', "key_points[1].rebuttal", "'[' characters"),
        ("claims/01-expression.toml", 'rebuttal = "When', 'rebuttal = "' + "[a](" * 12_500 + ' When', "key_points[1].rebuttal", "characters"),
        ("claims/01-expression.toml", 'rebuttal = "When', 'rebuttal = "' + "<" * 5_000 + ' When', "key_points[1].rebuttal", "'<' and '&'"),
        ("claims/01-expression.toml", 'statement = "School', 'statement = "' + "x" * 5000 + ' School', "key_points[1].statement", "at most 1,000"),
        ("claims/01-expression.toml", 'note = "The', 'note = "' + "n" * 5000 + ' The', "note", "at most 4,000"),
        ("pack.toml", 'name = "A parent', 'name = "' + "p" * 300 + ' A parent', "perspectives[0].name", "at most 200"),
    ],
    ids=["long-brackets", "brackets", "open-links", "angles", "statement", "note", "perspective-name"],
)
def test_text_that_would_freeze_a_view_is_refused_with_its_field_and_line(
    tmp_path: Path, file: str, old: str, new: str, field: str, expected: str
) -> None:
    text = (ROOT / "tests" / "data" / "packs" / "tiny" / file).read_text(encoding="utf-8")
    problems = validate_pack(tiny_with(tmp_path, file, old, new))
    line = text[: text.index(old)].count("\n") + 1
    assert [(p.file, p.field, p.line) for p in problems] == [(file, field, line)]
    assert expected in problems[0].message


def test_a_claim_with_too_many_key_points_or_an_oversized_article_is_refused(tmp_path: Path) -> None:
    from trainer.core.packs.loader import MAX_ARTICLE_CHARS, MAX_KEY_POINTS

    pack = copy_tiny(tmp_path)
    claim = pack / "claims" / "02-cost.toml"
    extra = "".join(f'\n[[key_points]]\nid = "extra-{i}"\nstatement = "s{i}"\nrebuttal = "r{i}"\n' for i in range(MAX_KEY_POINTS))
    claim.write_text(claim.read_text(encoding="utf-8") + extra, encoding="utf-8")
    article = pack / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + "word " * (MAX_ARTICLE_CHARS // 5), encoding="utf-8")
    found = {(p.file, p.field) for p in validate_pack(pack)}
    assert found == {("claims/02-cost.toml", "key_points"), ("article.txt", "(file)")}


def test_an_import_installs_only_the_pack_files_of_an_archive(tmp_path: Path, service: Service) -> None:
    """An archive may carry other entries (the reader ignores them); the
    installed copy holds only the pack's own files, so what is installed is
    what the reader accepts and no junk is copied into the data folder."""
    import zipfile

    archive = tmp_path / "club.steelpack"
    tiny = ROOT / "tests" / "data" / "packs" / "tiny"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(tiny.rglob("*")):
            if file.is_file():
                zf.write(file, "club/" + file.relative_to(tiny).as_posix())
        zf.writestr("club/notes/big.bin", b"\0" * 3_000_000)
    service.packs.import_pack(archive)
    installed = service.locations.packs_dir / "tiny-uniforms.steelpack"
    with zipfile.ZipFile(installed) as zf:
        assert sorted(zf.namelist()) == ["article.txt", "claims/01-expression.toml", "claims/02-cost.toml", "pack.toml"]


def test_a_folder_over_the_total_size_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from trainer.core.packs.source import MAX_FILE_BYTES, MAX_TOTAL_BYTES

    pack = copy_tiny(tmp_path)
    claims = pack / "claims"
    filler = "# " + "x" * (MAX_FILE_BYTES - 100) + "\n"
    for i in range(MAX_TOTAL_BYTES // MAX_FILE_BYTES + 1):
        (claims / f"{i + 3:02d}-filler.toml").write_text(filler, encoding="utf-8")
    problems = validate_pack(pack)
    assert [(p.field, p.message) for p in problems] == [("(pack)", "the pack is larger than 16 MB")]
