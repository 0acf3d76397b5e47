"""Random and mutated packs: the loader loads them or raises PackValidationError, never anything else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core.packs import PackValidationError, load_pack

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
ORIGINAL = {p.relative_to(TINY).as_posix(): p.read_bytes() for p in TINY.rglob("*") if p.is_file()}


def load_files(tmp: Path, files: dict[str, bytes]) -> None:
    archive = tmp / "fuzz.steelpack"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    archive.write_bytes(buffer.getvalue())
    try:
        load_pack(archive)
    except PackValidationError as exc:
        assert exc.problems, "a validation error must name at least one problem"
        for problem in exc.problems:
            assert problem.file and problem.field and problem.message


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(ORIGINAL)
    name = draw(st.sampled_from(sorted(files)))
    data = bytearray(files[name])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=20) | st.sampled_from([b'"""', b"[[key_points]]\n", b"= =", b"\n[source]\n", b"\xff\xfe"]))
        else:
            del data[at:]
    files[name] = bytes(data)
    if draw(st.booleans()) and len(files) > 1:
        files.pop(draw(st.sampled_from(sorted(files))))
    return files


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


def to_toml(value: object) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f'"{k.encode("unicode_escape").decode("ascii")}" = {to_toml(v)}' for k, v in value.items()) + "}"


@st.composite
def random_fields(draw: st.DrawFn) -> dict[str, bytes]:
    """Structurally plausible files whose values have random types."""
    files = dict(ORIGINAL)
    keys = ["schema_version", "id", "title", "quote", "kind", "difficulty", "key_points", "weak_examples", "perspectives", "source", "weight", "statement", "rebuttal"]
    lines = [f"{k} = {to_toml(draw(toml_values))}" for k in draw(st.lists(st.sampled_from(keys), unique=True, max_size=8))]
    target = draw(st.sampled_from(["pack.toml", "claims/01-expression.toml", "claims/02-cost.toml"]))
    files[target] = "\n".join(lines).encode("utf-8")
    return files


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=mutated())
def test_mutated_packs(tmp_path: Path, files: dict[str, bytes]) -> None:
    load_files(tmp_path, files)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=random_fields())
def test_packs_with_random_values(tmp_path: Path, files: dict[str, bytes]) -> None:
    load_files(tmp_path, files)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_an_archive(tmp_path: Path, data: bytes) -> None:
    archive = tmp_path / "random.steelpack"
    archive.write_bytes(data)
    try:
        load_pack(archive)
    except PackValidationError:
        pass


# Shapes that once hung the loader, filled memory or escaped as the wrong
# exception (issue 13), at random sizes and in random places: runs of spaces in
# headers and arrays, deep nesting, long dotted keys, long numbers, floats at
# the edges, and pathological Markdown. Each must load or be refused with its
# file and field; a hang would show as a test that never ends.
def _shape(kind: str, n: int) -> bytes:
    if kind == "header-spaces":
        return ("\n[" + " " * n + "source" + " " * n + "]\n").encode()
    if kind == "array-spaces":
        return ("\nx = [" + " " * n + "\n").encode()
    if kind == "nested-arrays":
        return ("\nx = " + "[" * n + "]" * n + "\n").encode()
    if kind == "nested-tables":
        return ("\nx = " + "{a = " * n + "1" + "}" * n + "\n").encode()
    if kind == "dotted-key":
        return ("\n" + ".".join("k" for _ in range(n)) + " = 1\n").encode()
    if kind == "digits":
        return ("\nweight = " + "9" * n + "\n").encode()
    if kind == "float":
        return ("\nweight = 1e" + str(n) + "\n").encode()
    if kind == "markdown":
        return ('\nrebuttal = """' + "[a](" * n + '"""\n').encode()
    if kind == "angles":
        return ('\nstatement = "' + "<" * n + '"\n').encode()
    return ("\n[[key_points]]\n" * n).encode()  # many empty key point tables


SHAPES = ["header-spaces", "array-spaces", "nested-arrays", "nested-tables", "dotted-key", "digits", "float", "markdown", "angles", "tables"]


@st.composite
def shaped(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(ORIGINAL)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(n for n in files if n.endswith(".toml"))))
        data = files[name]
        lines = data.split(b"\n")
        at = draw(st.integers(0, len(lines)))
        shape = _shape(draw(st.sampled_from(SHAPES)), draw(st.integers(1, 20_000) | st.sampled_from([1, 16, 17, 30, 31, 32, 33, 308, 309])))
        files[name] = b"\n".join(lines[:at]) + shape + b"\n".join(lines[at:])
    return files


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(files=shaped())
def test_hostile_sizes_and_nesting(tmp_path: Path, files: dict[str, bytes]) -> None:
    load_files(tmp_path, files)
