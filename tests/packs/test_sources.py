"""Sources behind key points and coach's notes (issue 14): optional, checked
with file:line: field messages, and carried into the JSON shape."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer.core.packs import Citation, load_pack, validate_pack

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"

GOOD = '''
[[key_points.sources]]
title = "Resolution 2397 (2017)"
publisher = "United Nations Security Council"
date = "2017-12-22"
url = "https://www.un.org/securitycouncil/s/res/2397-%282017%29"
supports = "the December 2017 sanctions"

[[key_points.sources]]
title = "A book with no web address"
publisher = "A Publisher"
'''


def with_sources(tmp_path: Path, block: str, *, note_block: str = "") -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(TINY, pack)
    claim = pack / "claims" / "01-expression.toml"
    text = claim.read_text(encoding="utf-8")
    second = text.index("[[key_points]]", text.index("[[key_points]]") + 1)
    weak = text.index("[[weak_examples]]")
    # sources of the second key point go after its fields, before the weak examples
    claim.write_text(text[:weak] + block + "\n" + text[weak:] + note_block, encoding="utf-8")
    assert second < weak
    return pack


def test_old_packs_without_sources_still_load() -> None:
    pack = load_pack(TINY)
    assert all(kp.sources == () for c in pack.claims for kp in c.key_points)
    assert pack.to_dict()["claims"][0]["key_points"][0]["sources"] == []


def test_sources_load_and_travel_in_the_json(tmp_path: Path) -> None:
    note = '\n[[note_sources]]\ntitle = "Note source"\npublisher = "Pub"\ndate = "2019-02"\nurl = "http://example.org/n"\n'
    pack = load_pack(with_sources(tmp_path, GOOD, note_block=note))
    claim = pack.claim("expression")
    assert claim.key_points[0].sources == ()
    first, second = claim.key_points[1].sources
    assert first == Citation(
        title="Resolution 2397 (2017)",
        publisher="United Nations Security Council",
        date="2017-12-22",
        url="https://www.un.org/securitycouncil/s/res/2397-%282017%29",
        supports="the December 2017 sanctions",
    )
    assert first.label() == "Resolution 2397 (2017), United Nations Security Council, 2017-12-22"
    assert second.date is None and second.url is None
    assert claim.note_sources == (Citation("Note source", "Pub", "2019-02", "http://example.org/n"),)
    data = pack.to_dict()["claims"][0]
    assert data["key_points"][1]["sources"][0]["url"].startswith("https://www.un.org/")
    assert data["note_sources"][0]["title"] == "Note source"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('url = "https://www.un.org', 'url = "javascript:alert(1)//www.un.org', "url", "http:// or https://"),
        ('url = "https://www.un.org', 'url = "file:///etc/passwd?www.un.org', "url", "http:// or https://"),
        ('url = "https://www.un.org', 'url = "https://www.un .org', "url", "spaces"),
        ('url = "https://www.un.org', 'url = "https://localhost/www.un.org', "url", "no host name"),
        ('date = "2017-12-22"', 'date = "2017-02-30"', "date", "is not a date"),
        ('title = "Resolution 2397 (2017)"\n', "", "title", "missing"),
        ('publisher = "United Nations Security Council"', "publisher = 7", "publisher", "must be text"),
    ],
    ids=["javascript", "file", "space", "no-host", "bad-date", "no-title", "publisher-number"],
)
def test_bad_sources_are_refused_at_their_line(tmp_path: Path, old: str, new: str, field: str, message: str) -> None:
    block = GOOD.replace(old, new, 1)
    assert block != GOOD
    pack = with_sources(tmp_path, block)
    problems = validate_pack(pack)
    assert [(p.file, p.field) for p in problems] == [("claims/01-expression.toml", f"key_points[1].sources[0].{field}")]
    assert message in problems[0].message
    lines = (pack / "claims" / "01-expression.toml").read_text(encoding="utf-8").splitlines()
    wanted = old.split(" =")[0] if new else "[[key_points.sources]]"  # a missing field: the table's header
    first_source = lines.index("[[key_points.sources]]")
    expected = next(i for i in range(first_source, len(lines)) if lines[i].startswith(wanted.split(" =")[0])) + 1
    assert problems[0].line == expected


def test_sources_must_be_tables_and_few(tmp_path: Path) -> None:
    pack = with_sources(tmp_path, "")
    claim = pack / "claims" / "02-cost.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace('id = "cost"', 'id = "cost"\nnote_sources = "see the web"', 1), encoding="utf-8")
    problems = validate_pack(pack)
    assert [(p.file, p.field) for p in problems] == [("claims/02-cost.toml", "note_sources")]
    assert problems[0].line == 2
