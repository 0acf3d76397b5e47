"""Generate the hostile content-pack corpus (issue 13) in ``tests/data/hostile/``.

    python scripts/make_hostile_corpus.py           # (re)write the corpus
    python scripts/make_hostile_corpus.py --check   # exit 1 if the committed corpus differs
    python scripts/make_hostile_corpus.py --list    # one line per case

Packs travel between clubs by e-mail and USB stick, so the loader must refuse
every hostile one with a problem (file, line, field) and never hang, crash or
eat the machine's memory. Every case here is the tiny test pack (embedded
below, so that the corpus does not move when that fixture does) with one thing
made hostile. Each case is a folder ``NNN-short-name/`` that is either the pack
folder itself or holds ``pack.steelpack``; ``MANIFEST.json`` lists them:

``name``, ``class`` (1-8 as in issue 13, or ``"extra"``), ``what`` (one line),
``path`` (relative to the corpus folder), ``expect`` (``"load"`` or
``"refuse"``) and, for refusals, ``file`` (the ``Problem.file`` of at least one
problem; ``file_match`` ``"prefix"`` or ``"any"`` loosens that), ``field`` (a
substring of that problem's field) and ``line`` (``true``: it must carry a
line; a number: exactly that line). ``import`` ``"exists"`` marks a pack that
loads but may not be imported (it has a built-in pack's id).

What git cannot hold, or would hold at a cost, is built at test time by
:func:`materialise` from the committed files and the case's ``make``: links
(``symlink-*``), a named pipe, files of exactly 2 MB and just over, a folder of
501 claim files and a zip whose files add up to more than 16 MB; a case over
60 KB is committed zipped. The committed corpus stays near 2 MB. Everything is
deterministic (fixed seeds, fixed zip timestamps; a zip that another zlib
compresses differently still passes when its entries are the same), and
``--check`` (run by tests/packs/test_hostile_corpus.py) keeps the committed
corpus in step with this script.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import struct
import sys
import warnings
import zipfile
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "hostile"
MANIFEST = "MANIFEST.json"
ARCHIVE = "pack.steelpack"
ZIP_ABOVE = 60_000  # a case larger than this is committed as a .steelpack
MAX_FILE_BYTES = 2 * 1024 * 1024  # the reader's limit for one pack file (trainer/core/packs/source.py)

P, A = "pack.toml", "article.txt"
C1, C2 = "claims/01-expression.toml", "claims/02-cost.toml"

# The tiny test pack (tests/data/packs/tiny), byte for byte.
BASE: dict[str, str] = {
    P: '''# A tiny pack that exercises every field of the format (docs/pack-format.md).
schema_version = 1
id = "tiny-uniforms"
title = "School uniforms (test pack)"
language = "en"
version = "0.1.0"
licence = "CC0 1.0: written for Steelman's tests."
attribution = "Steelman test fixture"
description = "Two claims about school uniforms, for tests."

[source]
author = "A. Writer"
outlet = "The Test Gazette"
date = "2024-05-01"
url = "https://example.org/uniforms"
reprint = "Reprinted in the Steelman test suite"

[[perspectives]]
id = "parent"
name = "A parent on a tight budget"
description = """
Cares about what uniforms cost and whether they save money on everyday clothes.
"""

[[perspectives]]
id = "student"
name = "A student council member"
description = "Cares about self-expression, comfort and whether rules are fair."
''',
    A: (
        "Schools should abandon uniforms. Uniforms stop children from expressing who they are.\n"
        "\n"
        "Uniforms also cost families more money than ordinary clothes. Most parents would save money without them.\n"
    ),
    C1: '''id = "expression"
quote = "Uniforms stop children from expressing who they are."
kind = "causal"
difficulty = 1
note = "The central claim of the piece."

[[key_points]]
id = "expression-other-means"
statement = "Children can still express themselves using other means"
perspectives = ["student"]
weight = 1.5
rebuttal = """
**Self-expression does not live in a shirt.** Students express themselves through
hair, accessories, art, music, clubs and what they say in class.
"""

[[key_points]]
id = "expression-bullying"
statement = "School uniform reduces bullying"
perspectives = ["parent", "student"]
rebuttal = "When everyone wears the same clothes, nobody is mocked for cheap or unfashionable ones."

[[weak_examples]]
kind = "agrees"
text = "Yes, uniforms are terrible for self-expression."

[[weak_examples]]
kind = "off-topic"
text = "School lunches should be healthier."
''',
    C2: '''id = "cost"
quote = "Uniforms also cost families more money than ordinary clothes."
kind = "factual"
difficulty = 2

[[key_points]]
id = "cost-cheaper"
statement = "School uniforms are cheaper than buying fashionable clothes"
perspectives = ["parent"]
rebuttal = "A few uniform sets replace a wardrobe of branded clothes that children outgrow."

[[key_points]]
id = "cost-second-hand"
statement = "Second-hand uniform schemes lower the cost"
perspectives = []
weight = 0.5
rebuttal = "Many schools run second-hand uniform sales."

[[weak_examples]]
kind = "bare-assertion"
text = "That is false."
''',
}

REB1 = 'rebuttal = "When everyone wears the same clothes, nobody is mocked for cheap or unfashionable ones."'
QUOTE1 = "Uniforms stop children from expressing who they are."
LINE_OF_SOURCE = 11  # [source] in pack.toml

Files = dict[str, "str | bytes"]


# -- building blocks ---------------------------------------------------------------
def tiny() -> Files:
    return dict(BASE)


def edit(files: Files, name: str, old: str, new: str, count: int = 1) -> Files:
    """A copy of ``files`` with ``old`` replaced by ``new`` in ``name``."""
    text = files[name]
    assert isinstance(text, str) and old in text, (name, old)
    return {**files, name: text.replace(old, new, count)}


def change(name: str, old: str, new: str, count: int = 1) -> Files:
    return edit(tiny(), name, old, new, count)


def append(name: str, extra: str) -> Files:
    files = tiny()
    return {**files, name: str(files[name]) + extra}


def without(*names: str) -> Files:
    return {k: v for k, v in tiny().items() if k not in names}


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line (counting ``\\n`` only, as TOML does) of the ``nth`` ``needle``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def rebuttal(content: str, name: str = C1) -> Files:
    """Key point 1 of claim 01 with ``content`` as its rebuttal (a one-line TOML string)."""
    assert '"' not in content and "\\" not in content and "\n" not in content
    return change(name, REB1, f'rebuttal = "{content}"')


def rebuttal_lines(content: str) -> Files:
    """Key point 1 of claim 01 with ``content`` (several lines) as its rebuttal, in a literal multi-line string."""
    assert "'''" not in content
    return change(C1, REB1, "rebuttal = '''\n" + content + "'''")


def encode(files: Files) -> dict[str, bytes]:
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def zipped(
    files: Files | list[tuple[str, str | bytes]],
    *,
    method: int = zipfile.ZIP_DEFLATED,
    prefix: str = "",
    comment: bytes = b"",
    zip64: bool = False,
    attrs: dict[str, int] | None = None,
    dirs: tuple[str, ...] = (),
) -> bytes:
    """A deterministic zip: fixed timestamps, Unix attributes, sorted names
    unless a list gives the order."""
    items = sorted(files.items()) if isinstance(files, dict) else list(files)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are a case here
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in dirs:
                info = zipfile.ZipInfo(prefix + name, date_time=(2024, 5, 1, 12, 0, 0))
                info.create_system = 3
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            for name, data in items:
                info = zipfile.ZipInfo(prefix + name, date_time=(2024, 5, 1, 12, 0, 0))
                info.create_system = 3
                info.external_attr = (attrs or {}).get(name, 0o100644) << 16
                info.compress_type = method
                raw = data.encode("utf-8") if isinstance(data, str) else data
                if zip64:
                    with archive.open(info, "w", force_zip64=True) as stream:
                        stream.write(raw)
                else:
                    archive.writestr(info, raw, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
            archive.comment = comment
    return buffer.getvalue()


def _central(data: bytes, name: str) -> int:
    """Offset of the central-directory record of ``name``."""
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == name.encode():
            return at
        at += 4


def patch_zip(data: bytes, name: str, *, central: dict[int, tuple[str, int]] | None = None,
              local: dict[int, tuple[str, int]] | None = None, local_name: bytes | None = None) -> bytes:
    """Overwrite fields of ``name``'s central-directory record and local header
    (``{offset: (struct format, value)}``), or the name in its local header."""
    out = bytearray(data)
    record = _central(data, name)
    header = struct.unpack_from("<I", data, record + 42)[0]
    for offset, (fmt, value) in (central or {}).items():
        struct.pack_into(fmt, out, record + offset, value)
    for offset, (fmt, value) in (local or {}).items():
        struct.pack_into(fmt, out, header + offset, value)
    if local_name is not None:
        length = struct.unpack_from("<H", data, header + 26)[0]
        assert len(local_name) == length
        out[header + 30:header + 30 + length] = local_name
    return bytes(out)


def padding(size: int, seed: int) -> str:
    """``size`` characters of text-like filler (for a TOML ''' string or a comment),
    one line in twelve random so that it compresses about 20:1, not 1000:1."""
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        line = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(79)) if n % 12 == 0 else "x" * 79
        lines.append(line + "\n")
        total += 80
    return "".join(lines)[:size]


def pad_toml(raw: bytes, size: int, seed: int = 13) -> bytes:
    """``raw`` (a TOML file) grown to exactly ``size`` bytes by a ''' string."""
    head = raw + b"\npadding = '''\n"
    tail = b"'''\n"
    fill = size - len(head) - len(tail)
    assert fill > 0
    return head + padding(fill, seed).encode("ascii") + tail


def many_claims(count: int, *, width: int = 3) -> Files:
    """A valid pack with ``count`` claims, each quoting its own sentence in order."""
    sentences = [f"Sentence number {n} says something about uniforms." for n in range(count)]
    files: Files = {P: BASE[P], A: " ".join(sentences) + "\n"}
    for n, sentence in enumerate(sentences):
        files[f"claims/{n:0{width}d}-c.toml"] = (
            f'id = "c{n}"\nquote = "{sentence}"\nkind = "factual"\ndifficulty = 1\n\n'
            f'[[key_points]]\nid = "c{n}-kp"\nstatement = "Point {n}"\nperspectives = ["parent"]\nrebuttal = "Because {n}."\n'
        )
    return files


def key_points(count: int, *, prefix: str = "kp") -> str:
    return "".join(
        f'\n[[key_points]]\nid = "{prefix}-{n}"\nstatement = "S{n}"\nperspectives = []\nrebuttal = "R{n}"\n' for n in range(count)
    )


def claim_with_key_points(count: int) -> Files:
    text = str(BASE[C2])
    head = text[:text.index("[[key_points]]")]
    return {**tiny(), C2: head + key_points(count).lstrip("\n")}


def perspectives(count: int) -> str:
    return "".join(f'\n[[perspectives]]\nid = "p{n}"\nname = "P{n}"\ndescription = "D{n}"\n' for n in range(count))


# -- the cases -------------------------------------------------------------------------
@dataclass
class Case:
    short: str
    cls: int | str
    what: str
    expect: str
    files: Files | None = None  # a pack folder ...
    archive: bytes | None = None  # ... or a .steelpack
    file: str | None = None
    field: str | None = None
    line: bool | int | None = None
    make: str | None = None
    extra: dict[str, Any] = dataclass_field(default_factory=dict)


CASES: list[Case] = []


def case(short: str, cls: int | str, what: str, expect: str, *, files: Files | None = None, archive: bytes | None = None,
         file: str | None = None, field: str | None = None, line: bool | int | None = None, make: str | None = None,
         **extra: Any) -> None:
    assert expect in ("load", "refuse")
    assert (files is None) != (archive is None)
    assert expect == "load" or file is not None or extra.get("file_match") == "any", short
    if files is not None and not make and not extra.pop("keep_folder", False) and sum(map(len, encode(files).values())) > ZIP_ABOVE:
        archive, files = zipped(files), None  # keeps the committed corpus small; the reader is the same
        what += " (zipped)" if "(zipped)" not in what else ""
    CASES.append(Case(short, cls, what, expect, files, archive, file, field, line, make, extra))


def refuse(short: str, cls: int | str, what: str, files: Files, file: str, field: str | None = None,
           line: bool | int | None = True, **extra: Any) -> None:
    case(short, cls, what, "refuse", files=files, file=file, field=field, line=line, **extra)


def load(short: str, cls: int | str, what: str, files: Files, **extra: Any) -> None:
    case(short, cls, what, "load", files=files, **extra)


def build_cases() -> None:  # one long list, read top to bottom
    CASES.clear()
    pack = str(BASE[P])
    c1 = str(BASE[C1])
    c2 = str(BASE[C2])

    # 1. Hangs from the line index (a regex that backtracked on runs of spaces).
    load("header-spaces", 1, "[ + 5000 spaces + source + 5000 spaces + ] as the [source] header",
         change(P, "[source]", "[" + " " * 5000 + "source" + " " * 5000 + "]"))
    load("array-header-spaces", 1, "[[ + 5000 spaces + key_points + 5000 spaces + ]] as a key point header",
         edit(tiny(), C1, "[[key_points]]\nid = \"expression-bullying\"",
              "[[" + " " * 5000 + "key_points" + " " * 5000 + "]]\nid = \"expression-bullying\""))
    load("header-tabs", 1, "[source] written with 5000 tabs either side of the name",
         change(P, "[source]", "[" + "\t" * 5000 + "source" + "\t" * 5000 + "]"))
    load("header-spaces-comment", 1, "[source] followed by 5000 spaces and a comment",
         change(P, "[source]", "[source]" + " " * 5000 + "# the source"))
    load("array-value-spaces", 1, "perspectives = [ + 5000 spaces + \"student\"]",
         change(C1, 'perspectives = ["student"]', 'perspectives = [' + " " * 5000 + '"student"]'))
    refuse("array-value-spaces-unclosed", 1, "extra = [ + 5000 spaces, never closed",
           append(P, "extra = [" + " " * 5000 + "\n"), P, "(syntax)")
    refuse("header-open-spaces", 1, "a line of [ and 20,000 spaces (never closed)",
           append(P, "[" + " " * 20_000 + "\n"), P, "(syntax)")
    refuse("header-name-spaces", 1, "a header [a + 20,000 spaces + b (never closed)",
           append(P, "[a" + " " * 20_000 + "b\n"), P, "(syntax)")
    refuse("array-header-open-spaces", 1, "[[ and 20,000 spaces (never closed)",
           append(C1, "[[" + " " * 20_000 + "\n"), C1, "(syntax)")
    refuse("spaces-without-equals", 1, "50,000 spaces then a bare word, no =",
           append(P, " " * 50_000 + "x\n"), P, "(syntax)")
    refuse("letters-spaces-no-equals", 1, "50,000 letters then 50,000 spaces, no =",
           append(P, "a" * 50_000 + " " * 50_000 + "\n"), P, "(syntax)")
    load("quoted-key-spaces", 1, "an unknown quoted key of 10,000 spaces",
         append(P, '"' + " " * 10_000 + '" = 1\n'))
    load("comment-triple-quotes", 1, "a comment of 10,000 \"\"\" (the index counts them to find multi-line strings)",
         edit(tiny(), P, "[source]", '# ' + '"""' * 10_000 + "\n[source]"))
    load("comment-brackets", 1, "a comment of 20,000 [[ pairs",
         edit(tiny(), C1, "[[key_points]]", "# " + "[[" * 20_000 + "\n[[key_points]]"))
    load("multiline-50k-lines", 1, "an unknown multi-line string of 50,000 lines before [source]",
         edit(tiny(), P, "[source]", 'extra = """\n' + "line\n" * 50_000 + '"""\n\n[source]'))
    load("digit-runs-in-string", 1, "a note of 3,000 digits in groups (the long-number check scans strings)",
         change(C1, 'note = "The central claim of the piece."', 'note = "' + "1234567890" * 300 + '"'))
    case("comment-lines-100k", 1, "100,000 comment lines before the first key (zipped)", "load",
         archive=zipped(edit(tiny(), P, "schema_version", "#\n" * 100_000 + "schema_version")))

    # 2. Pathological Markdown in a rebuttal, and text longer than any label can show.
    kp1 = "key_points[1].rebuttal"
    refuse("rebuttal-50k-brackets", 2, "a rebuttal of 50,000 [", rebuttal("[" * 50_000), C1, kp1)
    refuse("rebuttal-open-links", 2, "a rebuttal of 12,500 [a](", rebuttal("[a](" * 12_500), C1, kp1)
    refuse("rebuttal-50k-angles", 2, "a rebuttal of 50,000 <", rebuttal("<" * 50_000), C1, kp1)
    refuse("rebuttal-brackets-letters", 2, "200 [ then 9,800 letters", rebuttal("[" * 200 + "a" * 9_800), C1, kp1)
    refuse("rebuttal-nested-brackets", 2, "5,000 nested [ ... ]", rebuttal("[" * 5_000 + "x" + "]" * 5_000), C1, kp1)
    refuse("rebuttal-images", 2, "![ repeated 25,000 times", rebuttal("![" * 25_000), C1, kp1)
    refuse("rebuttal-ampersands", 2, "&amp; repeated 10,000 times", rebuttal("&amp;" * 10_000), C1, kp1)
    refuse("rebuttal-8001", 2, "a plain rebuttal of 8,001 characters", rebuttal(("word " * 1601)[:8_001]), C1, kp1)
    load("rebuttal-8000", 2, "a plain rebuttal of exactly 8,000 characters (the limit)", rebuttal(("word " * 1600)[:8_000]))
    load("rebuttal-100-brackets", 2, "a rebuttal with 100 links (100 [, the limit)",
         rebuttal(" ".join(f"[source {n}](https://example.org/{n})" for n in range(100))))
    refuse("rebuttal-101-brackets", 2, "a rebuttal with 101 links (101 [)",
           rebuttal(" ".join(f"[source {n}](https://example.org/{n})" for n in range(101))), C1, kp1)
    load("rebuttal-1000-escapes", 2, "500 < and 500 & (1,000 together, the limit)", rebuttal("a < b & " * 500))
    refuse("rebuttal-1001-escapes", 2, "501 < and 500 &", rebuttal("a < b & " * 500 + "<"), C1, kp1)
    # Within the limits, but as costly to render as Markdown gets (bench/hostile_packs.py --commands render):
    refuse("rebuttal-setext-headings", 2, "2,000 setext headings (a, =) in 7,999 characters (over 200 lines)", rebuttal_lines(("a\n=\n" * 2000)[:7999]), C1, "key_points[1].rebuttal")
    load("rebuttal-setext-headings-200", 2, "100 setext headings: 200 lines, at the limit", rebuttal_lines(("a\n=\n" * 100)[:-1]))
    load("rebuttal-100-brackets-then-text", 2, "100 [ then 7,800 letters (each [ scans to the end)", rebuttal("[" * 100 + "a" * 7800))
    load("rebuttal-nested-quotes", 2, "block quotes nested 3,999 deep", rebuttal("> " * 3999 + "x"))
    load("rebuttal-emphasis-runs", 2, "*_ repeated 3,999 times", rebuttal("*_" * 3999))
    refuse("rebuttal-table-rows", 2, "a table of 1,300 rows (over 200 lines)", rebuttal_lines(("|a|b|\n|-|-|\n" + "|x|y|\n" * 1300)[:7999]), C1, "key_points[1].rebuttal")
    refuse("rebuttal-third-kp", 2, "50,000 [ in a third key point",
           append(C1, '\n[[key_points]]\nid = "third"\nstatement = "Third"\nperspectives = []\nrebuttal = "' + "[" * 50_000 + '"\n'),
           C1, "key_points[2].rebuttal")
    case("rebuttal-900k", 2, "a rebuttal of 900,000 characters (zipped)", "refuse",
         archive=zipped(rebuttal("lorem ipsum " * 75_000)), file=C1, field=kp1, line=True)
    big = "x" * 100_000
    refuse("long-perspective-name", 2, "a perspective name of 100,000 characters",
           change(P, 'name = "A parent on a tight budget"', f'name = "{big}"'), P, "perspectives[0].name")
    refuse("long-perspective-description", 2, "a perspective description of 100,000 characters",
           change(P, 'description = "Cares about self-expression, comfort and whether rules are fair."', f'description = "{big}"'),
           P, "perspectives[1].description")
    refuse("long-tip", 2, "a perspective tip of 100,000 characters",
           change(P, 'name = "A parent on a tight budget"', f'name = "A parent on a tight budget"\ntip = "{big}"'), P, "perspectives[0].tip")
    refuse("long-statement", 2, "a key point statement of 100,000 characters",
           change(C1, 'statement = "Children can still express themselves using other means"', f'statement = "{big}"'),
           C1, "key_points[0].statement")
    refuse("long-note", 2, "a note of 100,000 characters", change(C1, 'note = "The central claim of the piece."', f'note = "{big}"'), C1, "note")
    long_quote = "Uniforms " + "really " * 14_285 + "matter."
    refuse("long-quote", 2, "a quote of 100,000 characters, verbatim in the article",
           {**change(C2, 'quote = "Uniforms also cost families more money than ordinary clothes."', f'quote = "{long_quote}"'),
            A: str(BASE[A]) + "\n" + long_quote + "\n"}, C2, "quote")
    refuse("long-title", 2, "a pack title of 100,000 characters", change(P, 'title = "School uniforms (test pack)"', f'title = "{big}"'), P, "title")
    refuse("long-description", 2, "a pack description of 100,000 characters",
           change(P, 'description = "Two claims about school uniforms, for tests."', f'description = "{big}"'), P, "description")
    refuse("long-author", 2, "a source author of 100,000 characters", change(P, 'author = "A. Writer"', f'author = "{big}"'), P, "source.author")
    refuse("long-url", 2, "a source URL of 100,000 characters",
           change(P, 'url = "https://example.org/uniforms"', f'url = "https://example.org/{big}"'), P, "source.url")
    refuse("long-licence", 2, "a licence of 100,000 characters",
           change(P, "licence = \"CC0 1.0: written for Steelman's tests.\"", f'licence = "{big}"'), P, "licence")
    refuse("long-weak-example", 2, "a weak example of 100,000 characters",
           change(C1, 'text = "Yes, uniforms are terrible for self-expression."', f'text = "{big}"'), C1, "weak_examples[0].text")
    refuse("long-claim-id", 2, "a claim id of 100,000 characters", change(C1, 'id = "expression"', f'id = "{"a" * 100_000}"'), C1, "id")
    refuse("long-kind", 2, "a claim kind of 100,000 characters", change(C1, 'kind = "causal"', f'kind = "{big}"'), C1, "kind")
    refuse("long-unknown-perspective", 2, "a key point naming a perspective id of 100,000 characters",
           change(C1, 'perspectives = ["student"]', f'perspectives = ["{"p" * 100_000}"]'), C1, "key_points[0].perspectives")
    case("article-300001", 2, "an article of 300,001 characters (zipped)", "refuse",
         archive=zipped({**tiny(), A: str(BASE[A]) + "z" * (300_001 - len(str(BASE[A])))}), file=A, line=None)
    case("article-300000", 2, "an article of exactly 300,000 characters (zipped)", "load",
         archive=zipped({**tiny(), A: str(BASE[A]) + "z" * (300_000 - len(str(BASE[A])) - 1) + "\n"}))
    load("key-points-24", 2, "a claim with 24 key points (the limit)", claim_with_key_points(24))
    refuse("key-points-25", 2, "a claim with 25 key points", claim_with_key_points(25), C2, "key_points")
    case("key-points-10000", 2, "a claim with 10,000 key points (zipped)", "refuse",
         archive=zipped(claim_with_key_points(10_000)), file=C2, field="(syntax)", line=True)  # refused before parsing
    refuse("perspectives-25", 2, "25 perspectives", append(P, perspectives(23)), P, "perspectives")
    refuse("weak-examples-51", 2, "a claim with 51 weak examples",
           append(C2, "".join(f'\n[[weak_examples]]\nkind = "agrees"\ntext = "W{n}"\n' for n in range(50))), C2, "weak_examples")

    # 3. Memory: keys that make the TOML parser quadratic.
    parts = ".".join("a" * 40_000)
    refuse("dotted-key-40000", 3, "one dotted key of 40,000 parts (80 KB)", append(P, f"{parts} = 1\n"), P, "(syntax)", keep_folder=True)
    refuse("dotted-key-17", 3, "a dotted key of 17 parts", append(P, ".".join(f"k{n}" for n in range(17)) + " = 1\n"), P, "(syntax)")
    load("dotted-key-16", 3, "a dotted key of 16 parts (the limit)", append(P, ".".join(f"k{n}" for n in range(16)) + " = 1\n"))
    refuse("dotted-header-40000", 3, "a [table] header of 40,000 dotted parts", append(P, f"[{parts}]\n"), P, "(syntax)")
    refuse("dotted-array-header-40000", 3, "a [[table]] header of 40,000 dotted parts", append(C1, f"[[{parts}]]\n"), C1, "(syntax)")
    refuse("dotted-key-in-inline-table", 3, "x = { <40,000 dotted parts> = 1 }", append(P, f"x = {{ {parts} = 1 }}\n"), P, "(syntax)")
    refuse("dotted-key-after-quoted-key", 3, "\"q\".<40,000 dotted parts> = 1 (starts with a quote)",
           append(P, f'"q".{parts} = 1\n'), P, "(syntax)")
    refuse("dotted-key-spaced", 3, "a dotted key of 20,000 parts with spaces around the dots",
           append(P, " . ".join(f"k{n}" for n in range(20_000)) + " = 1\n"), P, "(syntax)")
    refuse("dotted-key-in-claim", 3, "a claim file with a 40,000-part dotted key", append(C2, f"{parts} = 1\n"), C2, "(syntax)")
    refuse("dotted-key-in-array", 3, "x = [{ <40,000 dotted parts> = 1 }]", append(C2, f"x = [{{ {parts} = 1 }}]\n"), C2, "(syntax)")
    nel = "\u2028"
    refuse("dotted-key-after-line-separator", 3, "a U+2028 in the description, then a 40,000-part key: reported at its line",
           change(P, 'description = "Two claims about school uniforms, for tests."',
                  f'description = "Two claims{nel}about uniforms."\n{parts} = 1'), P, "(syntax)", 10)
    case("tables-2000", 3, "2,000 distinct unknown tables (zipped): more than 1,000 headers", "refuse",
         archive=zipped(append(P, "".join(f"\n[t{n}]\nk = 1\n" for n in range(2_000)))), file=P, field="(syntax)", line=True)
    load("tables-900", 3, "900 distinct unknown tables: under the 1,000 headers", append(P, "".join(f"\n[t{n}]\nk = 1\n" for n in range(900))))
    case("inline-table-5000-keys", 3, "an inline table of 5,000 keys (zipped)", "load",
         archive=zipped(append(P, "x = {" + ", ".join(f"k{n} = 1" for n in range(5_000)) + "}\n")))

    # 4. Inputs that made the parser or the validator raise.
    refuse("arrays-100000-deep", 4, "arrays nested 100,000 deep", append(P, "x = " + "[" * 100_000 + "]" * 100_000 + "\n"), P, "(syntax)",
           keep_folder=True)
    refuse("inline-tables-100000-deep", 4, "inline tables nested 100,000 deep",
           append(P, "x = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n"), P, "(syntax)")
    refuse("mixed-nesting-50000", 4, "[{a = [{a = ... nested 50,000 deep",
           append(C1, "x = " + "[{a = " * 25_000 + "1" + "}]" * 25_000 + "\n"), C1, "(syntax)")
    refuse("arrays-33-deep", 4, "arrays nested 33 deep", append(P, "x = " + "[" * 33 + "]" * 33 + "\n"), P, "(syntax)")
    load("arrays-32-deep", 4, "arrays nested 32 deep (the limit)", append(P, "x = " + "[" * 32 + "]" * 32 + "\n"))
    refuse("weight-10e400", 4, "weight = 10**400 written out", change(C1, "weight = 1.5", "weight = 1" + "0" * 400), C1, "(syntax)")
    refuse("weight-5000-digits", 4, "weight = a 5,000-digit integer", change(C1, "weight = 1.5", "weight = " + "7" * 5000), C1, "(syntax)")
    refuse("int-31-digits", 4, "an unknown key holding a 31-digit integer", append(P, "x = " + "1" * 31 + "\n"), P, "(syntax)")
    load("int-30-digits", 4, "an unknown key holding a 30-digit integer (the limit)", append(P, "x = " + "1" * 30 + "\n"))
    refuse("digits-with-underscores", 4, "a 5,000-digit integer written with underscores",
           append(P, "x = " + "1_000" * 1250 + "\n"), P, "(syntax)")
    refuse("digits-then-quote-comment", 4, "a 5,000-digit weight with a quote in a comment after it",
           change(C1, "weight = 1.5", "weight = " + "7" * 5000 + "  # don't"), C1, "(syntax)")
    refuse("digits-in-array-with-string", 4, "x = [<5,000 digits>, \"a\"]", append(P, 'x = [' + "7" * 5000 + ', "a"]\n'), P, "(syntax)")
    refuse("hex-5000-digits", 4, "weight = 0x + 5,000 hex digits", change(C1, "weight = 1.5", "weight = 0x" + "f" * 5000), C1)
    refuse("float-5000-digit-fraction", 4, "weight = 1.000...001 with 5,000 fraction digits",
           change(C1, "weight = 1.5", "weight = 1." + "0" * 5000 + "1"), C1, "(syntax)")
    refuse("float-exponent-overflow", 4, "weight = 1e99999 (infinity)", change(C1, "weight = 1.5", "weight = 1e99999"), C1, "key_points[0].weight")
    refuse("float-exponent-underflow", 4, "weight = 1e-99999 (zero)", change(C1, "weight = 1.5", "weight = 1e-99999"), C1, "key_points[0].weight")
    refuse("date-year-zero-literal", 4, "an unknown key holding the date 0000-01-01", append(P, "x = 0000-01-01\n"), P, "(syntax)")
    refuse("offset-24h", 4, "a date-time with offset +24:00", append(P, "x = 1979-05-27T07:32:00+24:00\n"), P, "(syntax)")
    refuse("escape-surrogate", 4, "a string with the escape \\uD800", change(C1, 'note = "The', 'note = "\\uD800 The'), C1, "(syntax)")
    refuse("escape-beyond-unicode", 4, "a string with the escape \\U00110000", change(C1, 'note = "The', 'note = "\\U00110000 The'), C1, "(syntax)")
    refuse("title-is-table", 4, "title = { a = 1 }", change(P, 'title = "School uniforms (test pack)"', "title = { a = 1 }"), P, "title")
    refuse("title-is-header", 4, "title given as a [title] table",
           edit(change(P, 'title = "School uniforms (test pack)"\n', ""), P, "[source]", "[title]\nx = 1\n\n[source]"), P, "title")
    refuse("quote-is-array", 4, "quote = [\"...\"]", change(C1, f'quote = "{QUOTE1}"', f'quote = ["{QUOTE1}"]'), C1, "quote")
    refuse("rebuttal-is-number", 4, "rebuttal = 5", change(C1, REB1, "rebuttal = 5"), C1, "key_points[1].rebuttal")
    refuse("statement-is-table", 4, "statement = {}", change(C1, 'statement = "School uniform reduces bullying"', "statement = {}"), C1, "key_points[1].statement")
    refuse("claim-id-is-array", 4, "a claim id that is an array", change(C1, 'id = "expression"', 'id = ["expression"]'), C1, "id")
    refuse("kp-perspectives-is-string", 4, "perspectives = \"student\"", change(C1, 'perspectives = ["student"]', 'perspectives = "student"'),
           C1, "key_points[0].perspectives")
    refuse("kp-perspectives-mixed", 4, "perspectives = [1, {a = 1}, [\"x\"]]", change(C1, 'perspectives = ["student"]', 'perspectives = [1, {a = 1}, ["x"]]'),
           C1, "key_points[0].perspectives")
    refuse("key-points-is-string", 4, "key_points = \"x\" and no tables",
           {**tiny(), C2: c2[:c2.index("[[key_points]]")] + 'key_points = "x"\n'}, C2, "key_points")
    refuse("key-points-not-tables", 4, "key_points = [1, \"a\"]",
           {**tiny(), C2: c2[:c2.index("[[key_points]]")] + 'key_points = [1, "a"]\n'}, C2, "key_points[0]")
    refuse("source-is-string", 4, "source = \"x\" instead of a table",
           {**tiny(), P: pack[:pack.index("[source]")].replace("description =", 'source = "x"\ndescription =') + pack[pack.index("[[perspectives]]"):]},
           P, "source")
    refuse("perspectives-is-table", 4, "perspectives = {} in pack.toml",
           {**tiny(), P: pack[:pack.index("[[perspectives]]")].replace("description =", "perspectives = {}\ndescription =")}, P, "perspectives")
    refuse("perspectives-not-tables", 4, "perspectives = [1]",
           {**tiny(), P: pack[:pack.index("[[perspectives]]")].replace("description =", "perspectives = [1]\ndescription =")}, P, "perspectives[0]")
    refuse("weak-examples-is-table", 4, "weak_examples = {}",
           {**tiny(), C2: c2[:c2.index("[[weak_examples]]")].replace("difficulty = 2", "difficulty = 2\nweak_examples = {}")}, C2, "weak_examples")
    refuse("schema-version-true", 4, "schema_version = true", change(P, "schema_version = 1", "schema_version = true"), P, "schema_version")
    refuse("schema-version-array-of-tables", 4, "schema_version given as [[schema_version]]",
           edit(change(P, "schema_version = 1\n", ""), P, "[source]", "[[schema_version]]\nx = 1\n\n[source]"), P, "schema_version")
    refuse("difficulty-true", 4, "difficulty = true", change(C1, "difficulty = 1", "difficulty = true"), C1, "difficulty")
    refuse("difficulty-float", 4, "difficulty = 2.0", change(C1, "difficulty = 1", "difficulty = 2.0"), C1, "difficulty")
    refuse("weight-true", 4, "weight = true", change(C1, "weight = 1.5", "weight = true"), C1, "key_points[0].weight")
    refuse("weight-string", 4, "weight = \"1.5\"", change(C1, "weight = 1.5", 'weight = "1.5"'), C1, "key_points[0].weight")
    refuse("note-is-number", 4, "note = 5", change(C1, 'note = "The central claim of the piece."', "note = 5"), C1, "note")

    # 5. Imports.
    case("claims-501-folder", 5, "a valid folder with 501 claim files (built at test time)", "refuse",
         files=tiny(), file="claims/", line=None, make="many-claims:501")
    entries = [(n, BASE[n]) for n in (P, A)] + [
    (f"claims/{n:03d}-c.toml", f'id = "c{n}"\n') for n in range(501)]
    case("claims-501-archive", 5, "a .steelpack with 503 entries", "refuse", archive=zipped(entries), file=ARCHIVE, field="(archive)", line=None)
    case("junk-600-archive", 5, "a .steelpack with the tiny pack and 600 junk entries", "refuse",
         archive=zipped([*sorted(tiny().items()), *[(f"junk/{n:03d}", b"") for n in range(600)]]), file=ARCHIVE, line=None)
    load("claims-100", 5, "a valid pack with 100 claims in article order", many_claims(100))
    load("new-version", 5, "the tiny pack at version 0.2.0 (replaces the installed one)", change(P, 'version = "0.1.0"', 'version = "0.2.0"'))
    load("other-id", 5, "a valid pack with another id (installed beside it)", change(P, 'id = "tiny-uniforms"', 'id = "other-uniforms"'))
    load("builtin-id", 5, "a valid pack with the built-in pack's id: loads, but import refuses it",
         change(P, 'id = "tiny-uniforms"', 'id = "korea-summit-2019"'), **{"import": "exists"})
    refuse("id-path-traversal", 5, "pack id ../../evil (the installed file is named after it)",
           change(P, 'id = "tiny-uniforms"', 'id = "../../evil"'), P, "id")
    refuse("id-windows-device", 5, "pack id nul (installed as nul.steelpack: a device on Windows)",
           change(P, 'id = "tiny-uniforms"', 'id = "nul"'), P, "id")
    refuse("id-65", 5, "a pack id of 65 characters", change(P, 'id = "tiny-uniforms"', f'id = "{"a" * 65}"'), P, "id")
    load("id-64", 5, "a pack id of 64 characters (the limit)", change(P, 'id = "tiny-uniforms"', f'id = "{"a" * 64}"'))
    case("archive-root", 5, "a .steelpack with the files at its root", "load", archive=zipped(tiny()))
    case("archive-top-folder", 5, "a .steelpack with the files in one top folder", "load",
         archive=zipped(tiny(), prefix="tiny/", dirs=("", "claims/")))
    case("archive-macosx", 5, "a .steelpack made on a Mac: one top folder and __MACOSX/._ files", "load",
         archive=zipped([*[(f"tiny/{k}", v) for k, v in sorted(tiny().items())],
                         *[(f"__MACOSX/tiny/._{k}".replace("._claims/", "claims/._"), b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
                           for k in sorted(tiny())]]))
    case("archive-junk-50mb", 5, "a .steelpack with an unread 50 MB entry of zeros", "load",
         archive=zipped([*sorted(tiny().items()), ("zeros.bin", bytes(50_000_000))]))
    case("archive-lzma", 5, "a .steelpack compressed with LZMA", "load", archive=zipped(tiny(), method=zipfile.ZIP_LZMA))
    case("archive-bzip2", 5, "a .steelpack compressed with bzip2", "load", archive=zipped(tiny(), method=zipfile.ZIP_BZIP2))
    case("archive-zip64", 5, "a .steelpack with Zip64 records", "load", archive=zipped(tiny(), zip64=True))
    case("archive-comment", 5, "a .steelpack with a 65,535-byte comment", "load", archive=zipped(tiny(), comment=b"c" * 65_535))
    case("archive-prepended", 5, "a .steelpack with 4 KB of junk before the zip (a self-extractor)", "load",
         archive=b"MZ" + b"\x90" * 4094 + zipped(tiny(), method=zipfile.ZIP_STORED))
    load("folder-named-steelpack", 5, "a pack folder whose name ends in .steelpack", tiny(), folder_name="pack.steelpack")

    # 6. Values that would break scoring or lie, and links out of the pack.
    for short, value in [("inf", "inf"), ("minus-inf", "-inf"), ("nan", "nan"), ("1e308", "1e308"), ("zero", "0"),
                         ("minus-zero", "-0.0"), ("minus-one", "-1"), ("eleven", "11"), ("just-over-ten", "10.000001")]:
        refuse(f"weight-{short}", 6, f"weight = {value}", change(C1, "weight = 1.5", f"weight = {value}"), C1, "key_points[0].weight")
    load("weight-ten", 6, "weight = 10 (the limit)", change(C1, "weight = 1.5", "weight = 10"))
    for short, value in [("float", "1.0"), ("string", '"1"'), ("two", "2"), ("zero", "0"), ("array", "[1]")]:
        refuse(f"schema-version-{short}", 6, f"schema_version = {value}",
               change(P, "schema_version = 1", f"schema_version = {value}"), P, "schema_version")
    refuse("schema-version-long-string", 6, "schema_version = a string of 100,000 ones",
           change(P, "schema_version = 1", f'schema_version = "{"1" * 100_000}"'), P, "schema_version")
    for short, value in [("13-45", "2024-13-45"), ("02-30", "2024-02-30"), ("year-zero", "0000-01-01"),
                         ("unpadded", "2024-1-5"), ("with-time", "2024-05-01T10:00:00"),
                         ("fullwidth", "\uff12\uff10\uff12\uff14-\uff10\uff15-\uff10\uff11"), ("arabic-indic", "\u0662\u0660\u0662\u0664")]:
        refuse(f"date-{short}", 6, f"source date {value!r}", change(P, 'date = "2024-05-01"', f'date = "{value}"'), P, "source.date")
    refuse("date-literal", 6, "source date as a TOML date, not text", change(P, 'date = "2024-05-01"', "date = 2024-05-01"), P, "source.date")
    load("date-leap-day", 6, "source date 2024-02-29", change(P, 'date = "2024-05-01"', 'date = "2024-02-29"'))
    load("date-year-only", 6, "source date 2024", change(P, 'date = "2024-05-01"', 'date = "2024"'))
    refuse("difficulty-four", 6, "difficulty = 4", change(C1, "difficulty = 1", "difficulty = 4"), C1, "difficulty")
    refuse("difficulty-zero", 6, "difficulty = 0", change(C1, "difficulty = 1", "difficulty = 0"), C1, "difficulty")
    refuse("kind-capitalised", 6, "kind = \"Causal\"", change(C1, 'kind = "causal"', 'kind = "Causal"'), C1, "kind")
    refuse("weak-kind-unknown", 6, "a weak example of kind \"rude\"", change(C2, 'kind = "bare-assertion"', 'kind = "rude"'), C2, "weak_examples[0].kind")
    case("symlink-claims-dir", 6, "claims/ is a link to a folder outside the pack (built at test time)", "refuse",
         files=tiny(), file="claims/", line=None, make="symlink-claims-dir")
    case("symlink-pack-toml", 6, "pack.toml is a link to a file outside the pack (built at test time)", "refuse",
         files=tiny(), file=P, line=None, make=f"symlink-outside:{P}")
    case("symlink-claim-file", 6, "a claim file is a link to a file outside the pack (built at test time)", "refuse",
         files=tiny(), file=C1, line=None, make=f"symlink-outside:{C1}")
    case("symlink-article", 6, "article.txt is a link to a file outside the pack (built at test time)", "refuse",
         files=tiny(), file=A, line=None, make=f"symlink-outside:{A}")
    case("symlink-article-dev-zero", 6, "article.txt is a link to /dev/zero (built at test time)", "refuse",
         files=tiny(), file=A, line=None, make=f"symlink-dev-zero:{A}")
    case("symlink-loop", 6, "a claim file is a link to itself (built at test time)", "refuse",
         files=tiny(), file=C2, line=None, make=f"symlink-loop:{C2}")
    case("symlink-claims-dir-inside", 6, "claims/ is a link to a folder inside the pack (built at test time)", "refuse",
         files=tiny(), file="claims/", line=None, make="symlink-claims-dir-inside")
    case("fifo-article", 6, "article.txt is a named pipe (reading it would block; built at test time)", "refuse",
         files=tiny(), file=A, line=None, make=f"fifo:{A}")
    case("archive-symlink-entry", 6, "a .steelpack whose pack.toml entry is a symlink to /etc/passwd", "refuse",
         archive=zipped({**tiny(), P: "/etc/passwd"}, attrs={P: 0o120777}), file=P)
    refuse("pack-toml-is-folder", 6, "pack.toml is a folder", {**without(P), f"{P}/README.txt": "not a file\n"}, P, line=None)
    refuse("claim-is-folder", 6, "claims/01-expression.toml is a folder", {**without(C1), f"{C1}/README.txt": "not a file\n"}, C1, line=None)

    # 7. Line numbers: a missing field at its table, a field after tricky strings at its own line.
    refuse("missing-author", 7, "[source] without author: reported at the [source] line",
           change(P, 'author = "A. Writer"\n', ""), P, "source.author", LINE_OF_SOURCE)
    refuse("missing-outlet", 7, "[source] without outlet", change(P, 'outlet = "The Test Gazette"\n', ""), P, "source.outlet", LINE_OF_SOURCE)
    moved = pack[:pack.index("[source]")] + pack[pack.index("[[perspectives]]"):] + "\n[source]\nauthor = \"A\"\noutlet = \"B\"\n"
    refuse("missing-date-late-source", 7, "[source] at the end of the file, without date", {**tiny(), P: moved}, P, "source.date",
           line_of(moved, "[source]"))
    refuse("missing-statement", 7, "the second key point without statement: reported at its [[key_points]] line",
           change(C1, 'statement = "School uniform reduces bullying"\n', ""), C1, "key_points[1].statement", 17)
    refuse("missing-rebuttal", 7, "the first key point without rebuttal",
           change(C1, 'rebuttal = """\n**Self-expression does not live in a shirt.** Students express themselves through\n'
                      'hair, accessories, art, music, clubs and what they say in class.\n"""\n', ""), C1, "key_points[0].rebuttal", 7)
    refuse("missing-kp-perspectives", 7, "the second key point without perspectives",
           change(C2, "perspectives = []\n", ""), C2, "key_points[1].perspectives", 12)
    refuse("missing-perspective-name", 7, "the second perspective without name",
           change(P, 'name = "A student council member"\n', ""), P, "perspectives[1].name", 25)
    refuse("missing-weak-text", 7, "the second weak example without text",
           change(C1, 'text = "School lunches should be healthier."\n', ""), C1, "weak_examples[1].text", 27)
    padded = "# comment\n" * 55 + pack + "oops = \n"
    refuse("syntax-error-late", 7, "a value missing after 55 comment lines", {**tiny(), P: padded}, P, "(syntax)", line_of(padded, "oops"))
    fake = c1.replace(REB1, 'rebuttal = """\n[[key_points]]\nid = "fake"\nperspectives = ["ghost"]\n"""') + \
        '\n[[key_points]]\nid = "real"\nstatement = "Real"\nperspectives = ["ghost"]\nrebuttal = "R"\n'
    refuse("fake-header-in-string", 7, "a rebuttal holding [[key_points]] lines, then a real unknown perspective",
           {**tiny(), C1: fake}, C1, "key_points[2].perspectives", line_of(fake, 'perspectives = ["ghost"]', 1))
    escaped = c1.replace(REB1, 'rebuttal = """\nShe wrote \\""" in the middle.\n"""').replace(
        'perspectives = ["parent", "student"]', 'perspectives = ["parent", "ghost"]')
    refuse("escaped-triple-quote", 7, "a multi-line rebuttal holding \\\"\"\", then an unknown perspective after it",
           {**tiny(), C1: escaped.replace('kind = "agrees"', 'kind = "agrees"\nlater = 1')}, C1, "key_points[1].perspectives",
           line_of(escaped, '"ghost"'))
    literal = c1.replace(REB1, "rebuttal = '''\nHe said \"\"\" and left.\n'''").replace(
        'text = "School lunches should be healthier."\n', "")
    refuse("literal-string-with-triple-quotes", 7, "a ''' rebuttal holding \"\"\", then a weak example without text",
           {**tiny(), C1: literal}, C1, "weak_examples[1].text", line_of(literal, "[[weak_examples]]", 1))
    for short, sep in [("line-separator", "\u2028"), ("next-line", "\u0085"), ("paragraph-separator", "\u2029")]:
        text = c1.replace("The central claim of the piece.", f"The central{sep}claim.").replace(
            'perspectives = ["parent", "student"]', 'perspectives = ["parent", "ghost"]')
        refuse(f"{short}-in-note", 7, f"a note holding U+{ord(sep):04X} (a line break to Python, not to TOML), then an unknown perspective",
               {**tiny(), C1: text}, C1, "key_points[1].perspectives", line_of(text, '"ghost"'))
    crlf = c1.replace('perspectives = ["parent", "student"]', 'perspectives = ["parent", "ghost"]').replace("\n", "\r\n")
    refuse("crlf-line-number", 7, "a CRLF claim file with an unknown perspective", {**tiny(), C1: crlf}, C1,
           "key_points[1].perspectives", line_of(crlf, '"ghost"'))
    inline_source = pack[:pack.index("[source]")] + 'source = { author = "A", date = "2024" }\n\n' + pack[pack.index("[[perspectives]]"):]
    refuse("inline-source-missing-outlet", 7, "source = { ... } without outlet: reported at its line", {**tiny(), P: inline_source}, P,
           "source.outlet", line_of(inline_source, "source = {"))
    inline_kps = c2[:c2.index("[[key_points]]")] + (
        'key_points = [\n  { id = "cost-a", statement = "A", perspectives = [], rebuttal = "R" },\n'
        '  { id = "cost-b", perspectives = [], rebuttal = "R" },\n]\n')
    refuse("inline-key-points-missing-statement", 7, "key_points = [ {...}, {...} ] with a statement missing",
           {**tiny(), C2: inline_kps}, C2, "key_points[1].statement", line_of(inline_kps, "key_points = ["))
    refuse("unknown-perspective-line", 7, "an unknown perspective id at its own line",
           change(C2, 'perspectives = ["parent"]', 'perspectives = ["parnet"]'), C2, "key_points[0].perspectives", 9)
    refuse("header-comment-missing-field", 7, "[[key_points]] # a comment, and the id missing",
           change(C2, "[[key_points]]\nid = \"cost-second-hand\"\n", "[[key_points]]  # the second\n"),
           C2, "key_points[1].id", 12)

    # 8. HTML in text shown as plain text: it loads (the UI must show it as text, tested elsewhere).
    img = '<img src="file:///etc/passwd">'
    load("html-perspective-name", 8, "a perspective name holding an <img> tag", change(P, 'name = "A parent on a tight budget"', f"name = '{img}'"))
    load("html-perspective-description", 8, "a description holding <b> and <script>",
         change(P, "Cares about what uniforms cost", "<b>Cares</b> <script>alert(1)</script> about what uniforms cost"))
    load("html-title", 8, "a pack title holding <h1> and an <img>", change(P, 'title = "School uniforms (test pack)"', f"title = '<h1>Uniforms</h1>{img}'"))
    load("html-note", 8, "a note holding a javascript: link",
         change(C1, 'note = "The central claim of the piece."', "note = '<a href=\"javascript:alert(1)\">click</a> The central claim.'"))
    load("html-statement", 8, "a statement holding <img onerror>",
         change(C1, 'statement = "School uniform reduces bullying"', "statement = '<img src=x onerror=alert(1)> School uniform reduces bullying'"))
    load("html-author", 8, "a source author holding <b>", change(P, 'author = "A. Writer"', 'author = "<b>A. Writer</b>"'))
    load("html-weak-example", 8, "a weak example holding <style>", change(C2, 'text = "That is false."', 'text = "<style>*{display:none}</style>That is false."'))
    load("html-tip", 8, "a perspective tip holding an <iframe>",
         change(P, 'name = "A student council member"', "name = \"A student council member\"\ntip = '<iframe src=\"https://example.org\"></iframe>'"))
    load("html-entities", 8, "a description holding &lt;script&gt; and &#x3c;b&#x3e;",
         change(P, 'description = "Two claims', 'description = "&lt;script&gt;alert(1)&lt;/script&gt; &#x3c;b&#x3e; Two claims'))
    html_quote = "Uniforms stop <b>children</b> from expressing who they are."
    load("html-in-article-and-quote", 8, "the article and a quote holding <b>",
         {**change(C1, f'quote = "{QUOTE1}"', f'quote = "{html_quote}"'), A: str(BASE[A]).replace(QUOTE1, html_quote)})
    load("html-in-rebuttal", 8, "a rebuttal holding an <img>, a javascript: link and a remote image (under the limits)",
         rebuttal("<img src=file:///etc/passwd> [click](javascript:alert(1)) ![pixel](http://tracker.example/p.png) <b>bold</b>"))
    refuse("unicode-controls-in-name", 8, "a perspective name with a right-to-left override and an escape character (a control character: refused)",
           change(P, 'name = "A student council member"', 'name = "A student \\u202Elicnuoc\\u202C member \\u001b[31m"'), P, "perspectives[1].name", True)

    # Extra: encodings, bytes, empty and missing files, ids, order, TOML syntax, archives, sizes.
    latin = encode(change(P, 'title = "School uniforms (test pack)"', 'title = "Uniformes scolaires (élèves)"'))
    latin[P] = latin[P].decode().encode("latin-1")
    refuse("latin1-pack-toml", "extra", "pack.toml saved as Latin-1 (é at line 4)", latin, P, "(file)", 4)
    cp = encode(tiny())
    cp[A] = cp[A].replace(b"abandon uniforms.", b"abandon \x93uniforms\x94.")
    refuse("cp1252-article", "extra", "article.txt with Windows-1252 curly quotes", cp, A, "(file)", 1)
    bad = encode(tiny())
    bad[C2] = bad[C2].replace(b"That is false.", b"That is \xff false.")
    refuse("invalid-utf8-claim", "extra", "a claim file with a 0xFF byte at line 21", bad, C2, "(file)", 21)
    sur = encode(tiny())
    sur[C1] = sur[C1].replace(b"The central", b"The \xed\xa0\x80 central")
    refuse("utf8-surrogate", "extra", "a claim file holding an encoded surrogate (ED A0 80)", sur, C1, "(file)", 5)
    over = encode(tiny())
    over[P] = over[P].replace(b"Writer", b"Writer \xc0\xaf")
    refuse("utf8-overlong", "extra", "pack.toml holding an overlong encoding (C0 AF)", over, P, "(file)", 12)
    u16 = encode(tiny())
    u16[P] = b"\xff\xfe" + str(BASE[P]).encode("utf-16-le")
    refuse("utf16le-pack-toml", "extra", "pack.toml saved as UTF-16 LE with a BOM", u16, P, line=None)
    u16be = encode(tiny())
    u16be[C1] = b"\xfe\xff" + str(BASE[C1]).encode("utf-16-be")
    refuse("utf16be-claim", "extra", "a claim saved as UTF-16 BE with a BOM", u16be, C1, line=None)
    u32 = encode(tiny())
    u32[A] = str(BASE[A]).encode("utf-32")
    refuse("utf32-article", "extra", "article.txt saved as UTF-32", u32, A, line=None)
    load("utf8-bom-everywhere", "extra", "every file starts with a UTF-8 BOM", {k: b"\xef\xbb\xbf" + v for k, v in encode(tiny()).items()})
    double = encode(tiny())
    double[P] = b"\xef\xbb\xbf\xef\xbb\xbf" + double[P]
    refuse("double-bom", "extra", "pack.toml starting with two UTF-8 BOMs", double, P, "(syntax)")
    nul = encode(tiny())
    nul[P] = nul[P].replace(b'title = "School', b'title = "\x00School')
    refuse("nul-in-pack-toml", "extra", "a NUL byte inside the title in pack.toml", nul, P, "(file)", 4)
    nul_article = encode(tiny())
    nul_article[A] = nul_article[A].replace(b"Most parents", b"Most\x00 parents")
    refuse("nul-in-article", "extra", "article.txt holding a NUL byte (not text: a binary file, or UTF-16 without a BOM)", nul_article, A, line=None)
    refuse("nul-escape-in-statement", "extra", "a statement holding the escape \\u0000 (a NUL: not text)",
           change(C1, 'statement = "School uniform', 'statement = "School\\u0000 uniform'), C1, "key_points[1].statement")
    load("crlf-everywhere", "extra", "every file with CRLF line endings", {k: str(v).replace("\n", "\r\n") for k, v in tiny().items()})
    refuse("lone-cr-pack-toml", "extra", "pack.toml with old-Mac CR line endings", {**tiny(), P: pack.replace("\n", "\r")}, P, "(syntax)", 1)
    load("lone-cr-article", "extra", "article.txt with CR line endings", {**tiny(), A: str(BASE[A]).replace("\n", "\r")})
    refuse("empty-pack-toml", "extra", "an empty pack.toml", {**tiny(), P: ""}, P, "schema_version", None)
    refuse("empty-article", "extra", "an empty article.txt", {**tiny(), A: ""}, A, line=None)
    refuse("blank-article", "extra", "an article.txt of spaces and newlines", {**tiny(), A: "  \n\n \t\n"}, A, line=None)
    refuse("empty-claim", "extra", "an empty claim file", {**tiny(), C2: ""}, C2, line=None)
    refuse("missing-pack-toml", "extra", "no pack.toml", without(P), P, line=None)
    refuse("missing-article", "extra", "no article.txt", without(A), A, line=None)
    refuse("missing-claims-folder", "extra", "no claims/ folder", without(C1, C2), "claims/", line=None)
    refuse("claims-folder-without-toml", "extra", "claims/ holding only a README", {**without(C1, C2), "claims/README.md": "nothing\n"},
           "claims/", line=None)
    case("nonexistent-path", "extra", "a path that does not exist", "refuse", files={"README.txt": "The case's path does not exist.\n"},
         line=None, make="missing", file_match="any")
    refuse("folder-with-notes-only", "extra", "a folder holding only notes.txt", {"notes.txt": "not a pack\n"}, P, line=None)
    refuse("duplicate-claim-id", "extra", "two claims with the same id", change(C2, 'id = "cost"', 'id = "expression"'), C2, "id", 1)
    refuse("duplicate-key-point-id", "extra", "a key point id used in two claims",
           change(C2, 'id = "cost-cheaper"', 'id = "expression-bullying"'), C2, "key_points[0].id", 7)
    refuse("duplicate-perspective-id", "extra", "two perspectives with the same id", change(P, 'id = "student"', 'id = "parent"'),
           P, "perspectives[1].id", 26)
    for short, value in [("uppercase", "Expression"), ("space", "my claim"), ("leading-dash", "-claim"),
                         ("accented", "\u00e9l\u00e8ve"), ("dotdot", "..")]:
        refuse(f"bad-claim-id-{short}", "extra", f"claim id {value!r}", change(C1, 'id = "expression"', f'id = "{value}"'), C1, "id", 1)
    refuse("empty-claim-id", "extra", "claim id \"\"", change(C1, 'id = "expression"', 'id = ""'), C1, "id", 1)
    refuse("quote-not-in-article", "extra", "a quote that is not in the article",
           change(C1, QUOTE1, "Uniforms stop children from being who they are."), C1, "quote", 2)
    refuse("quote-straight-vs-curly", "extra", "a quote with a curly apostrophe where the article has none",
           {**change(C1, QUOTE1, "Uniforms stop children from expressing who they\u2019re."),
            A: str(BASE[A]).replace("who they are.", "who they're.")}, C1, "quote", 2)
    refuse("claims-out-of-order", "extra", "claim files named against article order",
           {P: BASE[P], A: BASE[A], "claims/01-cost.toml": BASE[C2], "claims/02-expression.toml": BASE[C1]},
           "claims/02-expression.toml", "quote", 2)
    nine_ten = many_claims(11, width=1)
    refuse("claims-9-before-10", "extra", "claim files 0..10 numbered without zero padding (10 sorts before 2)",
           nine_ten, "claims/2-c.toml", "quote", 2)
    for short, text, where in [("unclosed-string", 'title = "School uniforms\n', 4), ("missing-value", "title =\n", 4),
                               ("duplicate-key", 'title = "A"\ntitle = "B"\n', 5), ("invalid-escape", 'title = "a\\qb"\n', 4),
                               ("unicode-bare-key", '\u00e9t\u00e9 = "summer"\n', 4)]:
        text_pack = pack.replace('title = "School uniforms (test pack)"\n', text)
        refuse(f"syntax-{short}", "extra", f"pack.toml: {short.replace('-', ' ')}", {**tiny(), P: text_pack}, P, "(syntax)", where)
    refuse("syntax-table-redefined", "extra", "[source] defined twice", append(P, '\n[source]\nauthor = "B"\n'), P, "(syntax)",
           line_of(pack + '\n[source]\nauthor = "B"\n', "[source]", 1))
    refuse("syntax-array-of-tables-over-table", "extra", "[[source]] after [source]", append(P, '\n[[source]]\nauthor = "B"\n'), P, "(syntax)")
    world = ("Uniforms stop children \U0001F9D1\u200D\U0001F393 from expressing who they are \u2014 "
             "\u0627\u0644\u0632\u064A \u0627\u0644\u0645\u062F\u0631\u0633\u064A, e\u0301le\u0300ve, na\u0308i\u0308ve.")
    zalgo = "Z" + "\u0300\u0301\u0302\u0303\u0304" * 20 + "algo"
    load("emoji-rtl-combining", "extra", "emoji, Arabic (right to left) and combining marks in names, article and quotes",
         {**change(C1, f'quote = "{QUOTE1}"', f'quote = "{world}"'), A: str(BASE[A]).replace(QUOTE1, world),
          P: pack.replace('name = "A parent on a tight budget"', f'name = "\U0001F46A Parent \u0648\u0627\u0644\u062F {zalgo}"')})
    case("comment-line-900k", "extra", "a comment line of 900,000 characters (zipped)", "load",
         archive=zipped(append(P, "# " + "c" * 900_000 + "\n")))
    case("pack-toml-2mb", "extra", "pack.toml of exactly 2 MB (the limit; built at test time)", "load",
         files=tiny(), make=f"pad:{P}:{MAX_FILE_BYTES}")
    case("claim-over-2mb", "extra", "a claim file of 2 MB + 1 byte (built at test time)", "refuse",
         files=tiny(), file=C1, line=None, make=f"pad:{C1}:{MAX_FILE_BYTES + 1}")
    case("article-over-2mb", "extra", "an article.txt of 3 MB (built at test time)", "refuse",
         files=tiny(), file=A, line=None, make=f"pad:{A}:{3 * 1024 * 1024}")
    case("archive-2mb-entry", "extra", "a .steelpack whose pack.toml is exactly 2 MB, compressed 20:1 (built at test time)", "load",
         archive=zipped(tiny()), make=f"zip-pad:{P}:{MAX_FILE_BYTES}")
    case("archive-over-16mb", "extra", "a .steelpack of 9 claim files of 2 MB each, 18 MB in all (built at test time)", "refuse",
         archive=zipped(tiny()), file=ARCHIVE, field="(archive)", line=None, make="zip-total:9")
    stored = zipped(tiny(), method=zipfile.ZIP_STORED)
    case("archive-size-claims-3mb", "extra", "a .steelpack whose directory says article.txt is 3 MB", "refuse",
         archive=patch_zip(stored, A, central={24: ("<I", 3_000_000)}), file=A, line=None)
    case("archive-size-lie-small", "extra", "a .steelpack whose directory says article.txt is 50 bytes (it is more)", "refuse",
         archive=patch_zip(stored, A, central={24: ("<I", 50)}, local={22: ("<I", 50)}), file=A, line=None)
    case("archive-bomb-article", "extra", "a .steelpack whose article.txt is 1.9 MB of spaces (ratio 1000:1)", "refuse",
         archive=zipped({**tiny(), A: str(BASE[A]) + " " * 1_900_000}), file=A, line=None)
    case("archive-bomb-claim", "extra", "a .steelpack whose claim is 2 MB of newlines (ratio 1000:1)", "refuse",
         archive=zipped({**tiny(), C2: str(BASE[C2]) + "\n" * (MAX_FILE_BYTES - 1000)}), file=C2, line=None)
    for short, name in [("dotdot", "../../evil.toml"), ("absolute", "/etc/cron.d/evil"), ("backslash", "..\\..\\evil.toml"),
                        ("drive", "C:/Windows/evil.toml"), ("nested-dotdot", "claims/../../evil.toml")]:
        case(f"archive-path-{short}", "extra", f"a .steelpack with an entry named {name!r}", "refuse",
             archive=zipped([*sorted(tiny().items()), (name, "x = 1\n")]), file=name, field="(archive)", line=None)
    case("archive-name-newline", "extra", "a .steelpack with an entry named '../x' + newline + a fake message line", "refuse",
         archive=zipped([*sorted(tiny().items()), ("../x\nsteelman: all packs valid", "x = 1\n")]),
         file="../x", file_match="prefix", line=None)
    case("archive-name-escape", "extra", "a .steelpack with a broken claim whose name holds a newline and terminal escapes", "refuse",
         archive=zipped({**tiny(), "claims/03-\x1b[2J\nfake.toml": "this is = = not toml\n"}),
         file="claims/03-", file_match="prefix")
    case("archive-duplicate-names", "extra", "a .steelpack holding claims/02-cost.toml twice (which one counts?)", "refuse",
         archive=zipped([*sorted(tiny().items()), (C2, str(BASE[C2]).replace("That is false.", "Different."))]), file=C2, line=None)
    case("not-a-zip", "extra", "a text file named .steelpack", "refuse", archive=b"This is not a zip file.\n", file=ARCHIVE, line=None)
    case("empty-archive-file", "extra", "a .steelpack of 0 bytes", "refuse", archive=b"", file=ARCHIVE, line=None)
    case("empty-zip", "extra", "a valid zip with no entries", "refuse", archive=zipped({}), file=P, line=None)
    case("truncated-zip", "extra", "a .steelpack cut in half", "refuse", archive=stored[:len(stored) // 2], file=ARCHIVE, line=None)
    case("truncated-central-directory", "extra", "a .steelpack missing its last 10 bytes", "refuse", archive=stored[:-10], file=ARCHIVE, line=None)
    crc = bytearray(stored)
    at = crc.index(b"Schools should abandon")
    crc[at] = ord("X")
    case("archive-bad-crc", "extra", "a .steelpack whose article.txt fails its CRC", "refuse", archive=bytes(crc), file=A, line=None)
    case("archive-encrypted", "extra", "a .steelpack whose pack.toml is marked encrypted", "refuse",
         archive=patch_zip(stored, P, central={8: ("<H", 1)}, local={6: ("<H", 1)}), file=P, line=None)
    case("archive-deflate64", "extra", "a .steelpack using an unsupported compression method (Deflate64)", "refuse",
         archive=patch_zip(stored, P, central={10: ("<H", 9)}, local={8: ("<H", 9)}), file=P, line=None)
    case("archive-name-mismatch", "extra", "a .steelpack whose local header names another file", "refuse",
         archive=patch_zip(stored, P, local_name=b"pack.tomx"), file=P, line=None)
    first = struct.unpack_from("<I", stored, _central(stored, C1) + 42)[0]
    case("archive-overlapping-entries", "extra", "a .steelpack whose two claims share one local header", "refuse",
         archive=patch_zip(stored, C2, central={42: ("<I", first)}), file=C2, line=None)
    case("archive-nested", "extra", "a .steelpack holding only another .steelpack", "refuse",
         archive=zipped({"inner.steelpack": zipped(tiny())}), file=P, line=None)


def _build() -> list[dict[str, Any]]:
    if not CASES:
        build_cases()
    entries = []
    for number, c in enumerate(CASES, start=1):
        name = f"{number:03d}-{c.short}"
        folder_name = c.extra.get("folder_name")
        path = f"{name}/{ARCHIVE}" if c.archive is not None else (f"{name}/{folder_name}" if folder_name else name)
        if c.make == "missing":
            path = f"{name}/does-not-exist"
        entry: dict[str, Any] = {"name": name, "class": c.cls, "what": c.what, "path": path, "expect": c.expect}
        if c.expect == "refuse":
            entry["file"] = c.file
            if c.field is not None:
                entry["field"] = c.field
            if c.line is not None:
                entry["line"] = c.line
        if c.make:
            entry["make"] = c.make
        entry.update({k: v for k, v in c.extra.items() if k != "folder_name"})
        entries.append(entry)
    return entries


def generate() -> dict[str, bytes]:
    """Every file of the corpus, keyed by its path relative to the corpus folder."""
    out: dict[str, bytes] = {}
    entries = _build()
    for c, entry in zip(CASES, entries, strict=True):
        if c.archive is not None:
            out[f"{entry['name']}/{ARCHIVE}"] = c.archive
        else:
            base = entry["path"] if c.make != "missing" else entry["name"]
            for rel, data in encode(c.files or {}).items():
                out[f"{base}/{rel}"] = data
    # The cases are bytes, not text: git must not convert line endings (CRLF and lone-CR cases).
    out[".gitattributes"] = b"* -text\n"
    out[MANIFEST] = (json.dumps({"cases": entries}, indent=1, ensure_ascii=True) + "\n").encode("ascii")
    return out


def load_manifest(corpus: Path = CORPUS) -> list[dict[str, Any]]:
    return json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))["cases"]


# -- materialising a case (links, pipes and big files built where the tests want them) --
class Unsupported(Exception):
    """This platform cannot build the case (no symbolic links or named pipes)."""


def case_path(entry: dict[str, Any], into: Path, corpus: Path = CORPUS) -> Path:
    """The path to validate: the committed one, or a copy built in ``into``."""
    return materialise(entry, into, corpus) if entry.get("make") else corpus / entry["path"]


def materialise(entry: dict[str, Any], into: Path, corpus: Path = CORPUS) -> Path:
    """Copy the case into ``into`` (as ``into/<name>`` or ``into/<name>.steelpack``)
    and build what its ``make`` asks for. Returns the path to validate."""
    source = corpus / entry["path"]
    into.mkdir(parents=True, exist_ok=True)
    make = entry.get("make") or ""
    if make == "missing":
        return into / f"{entry['name']}-does-not-exist"
    archive = source.is_file()
    dest = into / (f"{entry['name']}.steelpack" if entry["path"].endswith(".steelpack") else entry["name"])
    if dest.exists() or dest.is_symlink():
        shutil.rmtree(dest) if dest.is_dir() and not dest.is_symlink() else dest.unlink()
    if archive:
        shutil.copyfile(source, dest)
    else:
        shutil.copytree(source, dest, symlinks=True)
    outside = into / f"{entry['name']}.outside"
    op, _, arg = make.partition(":")
    try:
        if op == "symlink-claims-dir":
            outside.mkdir(exist_ok=True)
            shutil.move(dest / "claims", outside / "claims")
            (dest / "claims").symlink_to(outside / "claims", target_is_directory=True)
        elif op == "symlink-claims-dir-inside":
            (dest / "claims").rename(dest / "real-claims")
            (dest / "claims").symlink_to("real-claims", target_is_directory=True)
        elif op == "symlink-outside":
            outside.mkdir(exist_ok=True)
            target = outside / Path(arg).name
            shutil.move(dest / arg, target)
            (dest / arg).symlink_to(target)
        elif op == "symlink-dev-zero":
            (dest / arg).unlink()
            (dest / arg).symlink_to("/dev/zero")
        elif op == "symlink-loop":
            (dest / arg).unlink()
            (dest / arg).symlink_to(Path(arg).name)
        elif op == "fifo":
            if not hasattr(os, "mkfifo"):
                raise Unsupported("no named pipes")
            (dest / arg).unlink()
            os.mkfifo(dest / arg)
        elif op == "pad":
            rel, size = arg.rsplit(":", 1)
            path = dest / rel
            path.write_bytes(pad_toml(path.read_bytes(), int(size)))
        elif op == "many-claims":
            one = (dest / C1).read_text(encoding="utf-8")
            for n in range(int(arg)):
                (dest / "claims" / f"{n:03d}-c.toml").write_text(
                    one.replace('id = "expression"', f'id = "c{n}"', 1).replace("expression-", f"c{n}-"), encoding="utf-8")
        elif op == "zip-pad":
            rel, size = arg.rsplit(":", 1)
            with zipfile.ZipFile(source) as z:
                files: Files = {n: z.read(n) for n in z.namelist()}
            files[rel] = pad_toml(bytes(files[rel]), int(size))
            dest.write_bytes(zipped(files))
        elif op == "zip-total":
            with zipfile.ZipFile(source) as z:
                files = {n: z.read(n) for n in z.namelist()}
            for n in range(int(arg)):
                files[f"claims/{n + 3:02d}-big.toml"] = pad_toml(b'id = "big"\n', MAX_FILE_BYTES - 1000, seed=n)
            dest.write_bytes(zipped(files))
        elif op:
            raise ValueError(f"unknown make {make!r}")
    except (NotImplementedError, OSError) as exc:
        if isinstance(exc, OSError) and op.startswith(("symlink", "fifo")) and sys.platform == "win32":
            raise Unsupported(str(exc)) from exc
        raise
    return dest


# -- writing and checking ----------------------------------------------------------
def committed(corpus: Path = CORPUS) -> dict[str, bytes]:
    if not corpus.is_dir():
        return {}
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file() and not p.is_symlink()}


def _same_zip(a: bytes, b: bytes) -> bool:
    """Two archives with the same entries and contents (zlib builds may compress differently)."""
    try:
        with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
            def listing(z: zipfile.ZipFile) -> list[tuple[Any, ...]]:
                return [(i.filename, i.file_size, i.CRC, i.compress_type, i.external_attr) for i in z.infolist()]
            return listing(za) == listing(zb) and za.comment == zb.comment
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def differences(corpus: Path = CORPUS) -> list[str]:
    want, have = generate(), committed(corpus)
    found = [f"missing: {n}" for n in sorted(want.keys() - have.keys())]
    found += [f"not generated: {n}" for n in sorted(have.keys() - want.keys())]
    for name in sorted(want.keys() & have.keys()):
        if want[name] != have[name] and not (name.endswith(".steelpack") and _same_zip(want[name], have[name])):
            found.append(f"differs: {name}")
    return found


def write(corpus: Path = CORPUS) -> int:
    files = generate()
    if corpus.exists():
        shutil.rmtree(corpus)
    for name, data in files.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed corpus differs from what this script writes")
    parser.add_argument("--list", action="store_true", help="print the cases")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.list:
        for entry in _build():
            print(f"{entry['name']:<48} {entry['class']!s:<6} {entry['expect']:<7} {entry['what']}")
        return 0
    if args.check:
        found = differences(args.corpus)
        for line in found[:50]:
            print(line)
        if found:
            print(f"{len(found)} difference(s): run python scripts/make_hostile_corpus.py", file=sys.stderr)
            return 1
        print(f"{args.corpus}: in step ({len(CASES)} cases)")
        return 0
    count = write(args.corpus)
    print(f"wrote {count} files, {len(CASES)} cases, to {args.corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
