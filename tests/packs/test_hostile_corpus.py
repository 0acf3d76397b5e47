"""The hostile-pack corpus (issue 13): every case in tests/data/hostile/
(made by scripts/make_hostile_corpus.py) is loaded or refused with a problem
that names its file, field and line, and never hangs, crashes or exhausts
memory; the rebuttals of a pack that loads render without an error; a
refused import changes nothing on disk; the CLI answers with one line per
problem; ``steelman packs`` lists broken packs beside good ones.

Validation (and rendering) runs first in one child process under a memory
limit and a generous timeout (a guard against hangs, not a timing). The
per-case assertions read its answers; the in-process tests (import, CLI) do
not run a case that exhausted memory or never finished there, so a
regression cannot take the test process down with it: such a case fails
with a pointer to the guard run instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from trainer.cli import main as cli
from trainer.core.matching.types import MatchResult
from trainer.core.packs import PackValidationError, load_pack
from trainer.core.paths import resolve_locations
from trainer.core.service import Service
from trainer.core.services import PackExistsError

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "packs" / "tiny"
GUARD_TIMEOUT_S = 600  # the whole corpus; a hang guard, not a timing (it takes seconds)
MEMORY_LIMIT = 2 * 1024**3  # address space of the child that validates the corpus
MAX_PROBLEM_CHARS = 2_000
EXHAUSTION = ("MemoryError", "RecursionError")


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


corpus = _load_generator()
CASES: list[dict[str, Any]] = corpus.load_manifest()
IDS = [c["name"] for c in CASES]


# -- the corpus itself -----------------------------------------------------------------
def test_the_committed_corpus_is_what_the_generator_writes(capsys: pytest.CaptureFixture[str]) -> None:
    assert corpus.main(["--check"]) == 0, capsys.readouterr().out


def test_the_corpus_covers_every_failure_class_of_issue_13() -> None:
    assert len(CASES) >= 100
    classes = {c["class"] for c in CASES}
    assert set(range(1, 9)) <= classes
    assert len(set(IDS)) == len(IDS)
    for entry in CASES:
        assert {"name", "class", "what", "path", "expect"} <= entry.keys(), entry
        assert entry["expect"] in ("load", "refuse")
        assert entry["expect"] == "load" or entry.get("file") or entry.get("file_match") == "any", entry
        assert entry.get("make") or (corpus.CORPUS / entry["path"]).exists(), entry
    size = sum(p.stat().st_size for p in corpus.CORPUS.rglob("*") if p.is_file())
    assert size < 4 * 1024 * 1024, f"the committed corpus is {size:,} bytes"


# -- materialised cases and the guarded validation run -----------------------------------
@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | None]:
    """Every case's path: the committed one, or one built with its links, pipe or big files."""
    into = tmp_path_factory.mktemp("hostile")
    found: dict[str, Path | None] = {}
    for entry in CASES:
        try:
            found[entry["name"]] = corpus.case_path(entry, into)
        except corpus.Unsupported:
            found[entry["name"]] = None
    return found


RUNNER = r"""
import json, sys
from trainer.core.packs import load_pack, validate_pack
from trainer.core.rendering import render_markdown
print("READY", flush=True)
for name, path in json.load(sys.stdin):
    print("START " + name, flush=True)
    try:
        problems = validate_pack(path)
        out = {"problems": [
            {"file": p.file, "line": p.line, "field": p.field, "message": p.message[:3000], "str_len": len(str(p))}
            for p in problems
        ]}
    except BaseException as exc:  # what must never happen: recorded, and the run goes on
        out = {"error": f"{type(exc).__name__}: {str(exc)[:500]}"}
    if out.get("problems") == []:  # what the validator lets through, the feedback view must render
        try:
            for claim in load_pack(path).claims:
                for point in claim.key_points:
                    render_markdown(point.rebuttal_markdown)
        except BaseException as exc:
            out["render_error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    print("RESULT " + json.dumps({"name": name, **out}), flush=True)
print("DONE", flush=True)
"""


@dataclass
class GuardRun:
    results: dict[str, dict[str, Any]]
    failure: str | None  # why the run stopped early (timeout, crash), naming the case
    stderr: str

    def exhausted(self, name: str) -> str | None:
        """Why ``name`` must not run in this process, or None when it is safe."""
        if name not in self.results:
            return f"the guarded validation never finished this case ({self.failure})"
        result = self.results[name]
        if "error" in result:
            return f"validation raised {result['error']}"
        if "render_error" in result:
            return f"rendering a rebuttal raised {result['render_error']}"
        for problem in result["problems"]:
            if any(word in problem["message"] for word in EXHAUSTION):
                return f"validation exhausted a resource: {problem['message'][:200]}"
        return None


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def guard(paths: dict[str, Path | None]) -> GuardRun:
    todo = [(name, str(path)) for name, path in paths.items() if path is not None]
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    preexec = _limit_memory if sys.platform != "win32" else None
    failure = None
    try:
        run = subprocess.run([sys.executable, "-c", RUNNER], check=False, input=json.dumps(todo), cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=GUARD_TIMEOUT_S, preexec_fn=preexec)
        stdout, stderr = run.stdout, run.stderr
        if run.returncode != 0:
            failure = f"the child exited with status {run.returncode}"
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        failure = f"no answer within {GUARD_TIMEOUT_S} s"
    lines = stdout.splitlines()
    assert lines[:1] == ["READY"], f"the loader does not even import under a {MEMORY_LIMIT:,}-byte limit: {stderr[-2000:]}"
    results: dict[str, dict[str, Any]] = {}
    started = None
    for line in lines:
        if line.startswith("START "):
            started = line[6:]
        elif line.startswith("RESULT "):
            result = json.loads(line[7:])
            results[result["name"]] = result
            started = None
    if failure and started:
        failure += f", while validating {started}"
    return GuardRun(results, failure, stderr)


def test_the_whole_corpus_validates_in_one_process_without_hang_crash_or_exhaustion(guard: GuardRun, paths: dict[str, Path | None]) -> None:
    assert guard.failure is None, f"{guard.failure}\n{guard.stderr[-3000:]}"
    bad = {name: why for name in paths if paths[name] is not None and (why := guard.exhausted(name))}
    assert not bad, "\n".join(f"{name}: {why}" for name, why in bad.items())


# -- every case: loaded, or refused with the right file, field and line ------------------
def _expected_file(entry: dict[str, Any], path: Path) -> str:
    # a problem about the archive as a whole names the archive (built cases have their own file name)
    return path.name if entry["file"] == corpus.ARCHIVE else entry["file"]


def _matches(entry: dict[str, Any], path: Path, problem: dict[str, Any]) -> bool:
    how = entry.get("file_match", "exact")
    if how == "exact" and problem["file"] != _expected_file(entry, path):
        return False
    if how == "prefix" and not problem["file"].startswith(entry["file"]):
        return False
    if "field" in entry and entry["field"] not in problem["field"]:
        return False
    line = entry.get("line")
    if line is True:
        return problem["line"] is not None
    if isinstance(line, int) and not isinstance(line, bool):
        return problem["line"] == line
    return True


def _describe(problems: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {p['file']}:{p['line']}: {p['field']}: {p['message'][:160]}" for p in problems) or "  (none)"


@pytest.mark.parametrize("entry", CASES, ids=IDS)
def test_each_case_is_loaded_or_refused_with_its_file_field_and_line(entry: dict[str, Any], guard: GuardRun,
                                                                      paths: dict[str, Path | None]) -> None:
    path = paths[entry["name"]]
    if path is None:
        pytest.skip("this platform cannot build the case (links or named pipes)")
    if entry["name"] not in guard.results:
        pytest.fail(f"the guarded validation never finished this case ({guard.failure})")
    result = guard.results[entry["name"]]
    assert "error" not in result, f"validate_pack raised {result['error']}"
    assert "render_error" not in result, f"it loads, but rendering a rebuttal raised {result['render_error']}"
    problems = result["problems"]
    for problem in problems:
        assert problem["file"] and problem["field"], problem
        assert problem["str_len"] < MAX_PROBLEM_CHARS, f"a problem of {problem['str_len']:,} characters: {problem['message'][:200]}"
        assert not any(word in problem["message"] for word in EXHAUSTION), f"refused by exhaustion, not by a check: {problem['message'][:300]}"
    if entry["expect"] == "load":
        assert problems == [], f"{entry['what']}: should load, but:\n{_describe(problems)}"
        return
    assert problems, f"{entry['what']}: should be refused, but loads"
    want = {k: entry.get(k) for k in ("file", "field", "line", "file_match") if k in entry}
    assert any(_matches(entry, path, p) for p in problems), f"{entry['what']}: no problem matches {want}; got:\n{_describe(problems)}"


# -- imports: a refused one leaves the data folder byte for byte as it was ---------------
class FakeMatcher:
    def score(self, *, claim: str, key_points: object, response: str, perspective: str | None = None, background: object = ()) -> MatchResult:
        return MatchResult(matcher_version="fake-1", score=0.5, key_points=(), rubric=())


def snapshot(folder: Path) -> dict[str, str]:
    """Every file (its SHA-256), folder and link under ``folder``, lock files aside.

    The database is SQLite in WAL mode and stays open, as in the app. Its
    -wal and -shm files are compared byte for byte too, and need no
    checkpoint first: nothing else uses the database between the two
    snapshots, and an import never touches it, so even the shared-memory
    index (whose read marks change whenever a reader starts) must stay as it
    is. Were an import ever to read the database, the -shm could change with
    no data changed, and this would have to compare the tables instead."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.name.endswith(".lock"):
            continue
        if path.is_symlink():
            found[rel] = "link " + os.readlink(path)
        elif path.is_dir():
            found[rel] = "folder"
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A data folder in use: a profile, a draft, an attempt and the tiny pack installed.

    The built-in folder holds a copy of the tiny pack under the Korea pack's
    id, which is all a built-in pack needs to be here (an import with its id
    is refused) and loads in milliseconds: every successful import reloads
    every pack twice."""
    top = tmp_path_factory.mktemp("library")
    builtin = top / "builtin"
    shutil.copytree(TINY, builtin / "korea-summit-2019")
    toml = builtin / "korea-summit-2019" / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "tiny-uniforms"', 'id = "korea-summit-2019"'), encoding="utf-8")
    service = Service.open(resolve_locations(data_dir=top / "data"), matcher_loader=FakeMatcher, pack_folders=[(builtin, True)])
    try:
        pack = service.packs.import_pack(TINY)
        ann = service.profiles.add("Ann")
        service.practice.save_draft(profile_id=ann.id, pack_id=pack.id, claim_id="cost", text="A draft.")
        service.practice.submit_attempt(profile_id=ann.id, pack_id=pack.id, claim_id="expression", text="An answer.")
        yield service
    finally:
        service.close()


@pytest.mark.parametrize("entry", CASES, ids=IDS)
def test_each_case_imports_or_leaves_the_data_folder_untouched(entry: dict[str, Any], library: Service, guard: GuardRun,
                                                               paths: dict[str, Path | None]) -> None:
    path = paths[entry["name"]]
    if path is None:
        pytest.skip("this platform cannot build the case")
    if why := guard.exhausted(entry["name"]):
        pytest.fail(f"not imported in this process: {why}")
    data = library.locations.data_dir
    before = snapshot(data)
    try:
        pack = library.packs.import_pack(path, replace=True)
    except PackValidationError as exc:
        assert entry["expect"] == "refuse", f"refused a pack that loads:\n{exc}"
        assert snapshot(data) == before, "a refused import changed the data folder"
        return
    except PackExistsError:
        assert entry.get("import") == "exists", "refused as already installed"
        assert snapshot(data) == before, "a refused import changed the data folder"
        return
    assert entry["expect"] == "load" and entry.get("import") != "exists", f"imported {pack.id}, which should have been refused"
    target = library.locations.packs_dir / f"{pack.id}.steelpack"
    listed = [e for e in library.packs.entries() if e.pack is not None and e.pack.id == pack.id]  # reloaded by the import
    assert [e.path for e in listed] == [target]
    assert load_pack(target).to_dict() == pack.to_dict()


# -- the CLI --------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", CASES, ids=IDS)
def test_pack_validate_answers_with_one_line_per_problem_naming_the_path(entry: dict[str, Any], guard: GuardRun, paths: dict[str, Path | None],
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = paths[entry["name"]]
    if path is None:
        pytest.skip("this platform cannot build the case")
    if why := guard.exhausted(entry["name"]):
        pytest.fail(f"not validated in this process: {why}")
    status = cli(["pack", "validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert status == (0 if entry["expect"] == "load" else 1), err[-2000:]
    lines = err.splitlines()
    if status == 1:
        assert lines and lines[-1].endswith("problem(s) found."), err[-2000:]
        lines = lines[:-1]
    strays = [line for line in lines if not line.startswith(str(path))]
    assert not strays, f"stderr lines that do not name {path}:\n" + "\n".join(repr(s[:200]) for s in strays[:5])


def test_packs_lists_the_good_pack_and_marks_every_broken_one(tmp_path: Path, guard: GuardRun, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    installed = data / "packs"
    shutil.copytree(TINY, installed / "000-good")
    broken: list[Path] = []
    for entry in CASES:  # the cases the loader refuses today (the others fail in the tests above)
        result = guard.results.get(entry["name"], {})
        if entry["expect"] != "refuse" or guard.exhausted(entry["name"]) or not result.get("problems"):
            continue
        try:
            path = corpus.materialise(entry, installed)
        except corpus.Unsupported:
            continue
        if (path.is_dir() and (path / "pack.toml").exists()) or path.suffix == ".steelpack":
            broken.append(path)
    assert len(broken) > 50
    assert cli(["packs", "--data-dir", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert any(line.startswith("tiny-uniforms\t0.1.0\t2 claims\t") for line in lines), out[:2000]
    assert any(line.startswith("korea-summit-2019\t") for line in lines)
    unmarked = [p.name for p in broken if not any(line.startswith(f"(broken)\t{p}\t") for line in lines)]
    assert not unmarked, f"not marked as broken: {unmarked}"
