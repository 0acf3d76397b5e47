"""Loading packs, and every class of validation error with file, line and field."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from trainer.core.packs import PackValidationError, Problem, build_archive, load_pack, validate_pack


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_problem(pack: Path) -> Problem:
    problems = validate_pack(pack)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_tiny_pack_loads_with_every_field(tiny_pack_dir: Path) -> None:
    pack = load_pack(tiny_pack_dir)
    assert pack.id == "tiny-uniforms"
    assert pack.source.url == "https://example.org/uniforms"
    assert [p.id for p in pack.perspectives] == ["parent", "student"]
    assert [c.id for c in pack.claims] == ["expression", "cost"]
    first = pack.claims[0]
    assert first.kind == "causal" and first.difficulty == 1 and first.note
    assert pack.article[first.position : first.position + len(first.quote)] == first.quote
    assert [k.weight for k in first.key_points] == [1.5, 1.0]
    assert first.key_points[0].rebuttal_markdown.startswith("**Self-expression")
    assert [w.kind for w in first.weak_examples] == ["agrees", "off-topic"]
    assert pack.claims[1].key_points[1].perspectives == ()


def test_pack_json_has_the_documented_shape(tiny_pack_dir: Path) -> None:
    data = json.loads(json.dumps(load_pack(tiny_pack_dir).to_dict()))
    assert set(data) >= {"schema_version", "id", "title", "language", "version", "licence", "attribution", "source", "article", "perspectives", "claims"}
    claim = data["claims"][0]
    assert set(claim) == {"id", "quote", "kind", "difficulty", "note", "note_sources", "key_points", "weak_examples"}
    assert set(claim["key_points"][0]) == {"id", "statement", "perspectives", "weight", "rebuttal_markdown", "sources"}


def test_archive_round_trip(tiny_pack_dir: Path, tmp_path: Path) -> None:
    archive = build_archive(tiny_pack_dir, tmp_path / "tiny.steelpack")
    assert load_pack(archive).to_dict() == load_pack(tiny_pack_dir).to_dict()


def test_archive_with_a_top_level_folder(tiny_pack_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "nested.steelpack"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in tiny_pack_dir.rglob("*"):
            if file.is_file():
                zf.write(file, "tiny/" + file.relative_to(tiny_pack_dir).as_posix())
    assert load_pack(archive).id == "tiny-uniforms"


def test_unknown_perspective(tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "01-expression.toml"
    edit(claim, 'perspectives = ["student"]', 'perspectives = ["studnet"]')
    problem = only_problem(tiny_pack_dir)
    assert problem.file == "claims/01-expression.toml"
    assert problem.line == line_of(claim, '"studnet"')
    assert problem.field == "key_points[0].perspectives"
    assert "unknown perspective id 'studnet'" in problem.message


def test_duplicate_key_point_id_names_both_places(tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    edit(claim, 'id = "cost-second-hand"', 'id = "expression-bullying"')
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.field) == ("claims/02-cost.toml", "key_points[1].id")
    assert problem.line == line_of(claim, '"expression-bullying"')
    assert "duplicate key point id 'expression-bullying'" in problem.message
    assert "claims/01-expression.toml:" in problem.message


def test_duplicate_claim_id(tiny_pack_dir: Path) -> None:
    edit(tiny_pack_dir / "claims" / "02-cost.toml", 'id = "cost"', 'id = "expression"')
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.line, problem.field) == ("claims/02-cost.toml", 1, "id")


def test_quote_not_in_article(tiny_pack_dir: Path) -> None:
    edit(tiny_pack_dir / "claims" / "02-cost.toml", "cost families more money", "cost families much more money")
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.line, problem.field) == ("claims/02-cost.toml", 2, "quote")
    assert "not found verbatim in article.txt" in problem.message


def test_quotes_out_of_article_order(tiny_pack_dir: Path) -> None:
    claims = tiny_pack_dir / "claims"
    (claims / "01-expression.toml").rename(claims / "03-expression.toml")
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.field) == ("claims/03-expression.toml", "quote")
    assert "article order" in problem.message


def test_missing_key_points(tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text[: text.index("[[key_points]]")] + text[text.index("[[weak_examples]]") :], encoding="utf-8")
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.field) == ("claims/02-cost.toml", "key_points")
    assert problem.line == 1
    assert "at least one" in problem.message


def test_missing_field_points_at_its_table(tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    edit(claim, 'statement = "Second-hand uniform schemes lower the cost"\n', "")
    problem = only_problem(tiny_pack_dir)
    assert (problem.field, problem.message) == ("key_points[1].statement", "missing")
    assert problem.line == line_of(claim, 'id = "cost-second-hand"') - 1  # the [[key_points]] header


def test_bad_schema_version(tiny_pack_dir: Path) -> None:
    edit(tiny_pack_dir / "pack.toml", "schema_version = 1", "schema_version = 2")
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.line, problem.field) == ("pack.toml", 2, "schema_version")
    assert "unsupported schema version 2" in problem.message


def test_unreadable_encoding(tiny_pack_dir: Path) -> None:
    article = tiny_pack_dir / "article.txt"
    article.write_bytes(article.read_bytes() + "\nCaf\u00e9 society.\n".encode("latin-1"))
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.field) == ("article.txt", "(file)")
    assert problem.line == 5  # the article has 3 lines, then a blank one
    assert "not valid UTF-8" in problem.message


def test_toml_syntax_error_has_a_line(tiny_pack_dir: Path) -> None:
    edit(tiny_pack_dir / "claims" / "02-cost.toml", "difficulty = 2", "difficulty = = 2")
    problem = only_problem(tiny_pack_dir)
    assert (problem.file, problem.line, problem.field) == ("claims/02-cost.toml", 4, "(syntax)")


def test_bad_enum_values(tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    edit(claim, 'kind = "factual"', 'kind = "opinion"')
    edit(claim, "difficulty = 2", "difficulty = 7")
    edit(claim, 'kind = "bare-assertion"', 'kind = "rude"')
    problems = {p.field: p for p in validate_pack(tiny_pack_dir)}
    assert set(problems) == {"kind", "difficulty", "weak_examples[0].kind"}
    assert problems["difficulty"].line == 4


def test_every_error_is_reported_at_once(tiny_pack_dir: Path) -> None:
    edit(tiny_pack_dir / "pack.toml", 'author = "A. Writer"\n', "")
    edit(tiny_pack_dir / "claims" / "01-expression.toml", '["student"]', '["nobody"]')
    edit(tiny_pack_dir / "claims" / "02-cost.toml", "ordinary clothes.", "ordinary shoes.")
    with pytest.raises(PackValidationError) as caught:
        load_pack(tiny_pack_dir)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["key_points[0].perspectives", "quote", "source.author"]
    assert "pack.toml:" in str(caught.value)


def test_missing_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    files = {p.file for p in validate_pack(tmp_path / "empty")}
    assert files == {"pack.toml", "article.txt", "claims/"}


@pytest.mark.parametrize("name", ["../evil.toml", "/etc/passwd"])
def test_archive_refuses_unsafe_paths(tmp_path: Path, tiny_pack_dir: Path, name: str) -> None:
    archive = build_archive(tiny_pack_dir, tmp_path / "x.steelpack")
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(name, "x")
    problems = validate_pack(archive)
    assert any("unsafe path" in p.message for p in problems)


def test_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.steelpack"
    bogus.write_bytes(b"not a zip at all")
    (problem,) = validate_pack(bogus)
    assert problem.field == "(archive)"


def test_oversized_file_is_refused_without_reading_it(tiny_pack_dir: Path) -> None:
    article = tiny_pack_dir / "article.txt"
    with article.open("ab") as handle:
        handle.truncate(20 * 1024 * 1024)
    (problem,) = validate_pack(tiny_pack_dir)
    assert (problem.file, problem.field) == ("article.txt", "(file)")
    assert "20.0 MB" in problem.message


def test_zip_bomb_is_refused(tmp_path: Path, tiny_pack_dir: Path) -> None:
    archive = tmp_path / "bomb.steelpack"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in tiny_pack_dir.rglob("*.toml"):
            zf.write(file, file.relative_to(tiny_pack_dir).as_posix())
        zf.writestr("article.txt", b"A" * (50 * 1024 * 1024))  # compresses to ~50 KB
    problems = validate_pack(archive)
    assert [p.file for p in problems] == ["article.txt"]
    assert "MB" in problems[0].message


def test_symlinks_are_not_followed(tiny_pack_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    (tiny_pack_dir / "article.txt").unlink()
    (tiny_pack_dir / "article.txt").symlink_to(secret)
    (problem,) = validate_pack(tiny_pack_dir)
    assert problem.file == "article.txt" and "not a regular file" in problem.message
