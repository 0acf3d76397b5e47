"""The CLI, run as a user runs it: a subprocess per command."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def steelman(*args: str, data_dir: Path, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", *args, "--data-dir", str(data_dir)] if args and args[0] not in ("--version",) else [sys.executable, "-m", "trainer", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}")
    return result


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_version() -> None:
    from trainer import __version__

    result = subprocess.run([sys.executable, "-m", "trainer", "--version"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == f"steelman {__version__}"


def test_packs_lists_the_builtin_pack(data_dir: Path) -> None:
    out = steelman("packs", data_dir=data_dir).stdout
    assert "korea-summit-2019" in out


def test_packs_shows_a_broken_pack_and_still_lists_the_others(data_dir: Path) -> None:
    broken = data_dir / "packs" / "broken"
    broken.mkdir(parents=True)
    (broken / "pack.toml").write_text("schema_version = [", encoding="utf-8")
    out = steelman("packs", data_dir=data_dir).stdout
    assert "(broken)" in out and "korea-summit-2019" in out


def test_pack_validate_ok(tmp_path: Path, data_dir: Path, tiny_pack_dir: Path) -> None:
    result = steelman("pack", "validate", str(tiny_pack_dir), data_dir=data_dir)
    assert "valid" in result.stdout


def test_pack_validate_prints_every_error_and_exits_1(data_dir: Path, tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "01-expression.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace('["student"]', '["nobody"]').replace("difficulty = 1", "difficulty = 9"), encoding="utf-8")
    result = steelman("pack", "validate", str(tiny_pack_dir), data_dir=data_dir, check=False)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "claims/01-expression.toml:" in line]
    assert len(lines) == 2
    assert any(":4: difficulty:" in line for line in lines)
    assert any("unknown perspective id 'nobody'" in line for line in lines)


def test_pack_show_json(data_dir: Path, tiny_pack_dir: Path) -> None:
    data = json.loads(steelman("pack", "show", str(tiny_pack_dir), "--json", data_dir=data_dir).stdout)
    assert data["id"] == "tiny-uniforms"
    assert data["claims"][0]["key_points"][0]["rebuttal_markdown"].startswith("**Self-expression")
    assert data["claims"][0]["weak_examples"][0]["kind"] == "agrees"


def test_pack_show_unknown_id_is_one_clear_line(data_dir: Path) -> None:
    result = steelman("pack", "show", "no-such-pack", data_dir=data_dir, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("steelman: no installed pack has the id 'no-such-pack'")
    assert "Traceback" not in result.stderr


def test_pack_build_makes_a_loadable_archive(tmp_path: Path, data_dir: Path, tiny_pack_dir: Path) -> None:
    out = tmp_path / "tiny.steelpack"
    steelman("pack", "build", str(tiny_pack_dir), str(out), data_dir=data_dir)
    assert "valid" in steelman("pack", "validate", str(out), data_dir=data_dir).stdout


def test_profiles(data_dir: Path) -> None:
    assert "No profiles" in steelman("profiles", data_dir=data_dir).stdout
    steelman("profiles", "add", "Ada \u0645\u0631\u062d\u0628\u0627 \U0001f600", data_dir=data_dir)
    steelman("profiles", "add", "Coach", data_dir=data_dir)
    assert steelman("profiles", data_dir=data_dir).stdout.splitlines() == ["Ada \u0645\u0631\u062d\u0628\u0627 \U0001f600", "Coach"]
    duplicate = steelman("profiles", "add", "Coach", data_dir=data_dir, check=False)
    assert duplicate.returncode == 1 and "Traceback" not in duplicate.stderr and "Coach" in duplicate.stderr


def _submit(data_dir: Path, profile: str, text: str) -> None:
    """Submit an attempt through the same core the app uses."""
    code = (
        "import sys\n"
        "from trainer.core.paths import resolve_locations\n"
        "from trainer.core.service import Service\n"
        "s = Service.open(resolve_locations(data_dir=sys.argv[1]))\n"
        "p = s.store.get_profile(name=sys.argv[2])\n"
        "s.practice.submit_attempt(profile_id=p.id, pack_id='korea-summit-2019', claim_id=s.packs.get('korea-summit-2019').claims[0].id, text=sys.argv[3])\n"
        "s.close()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code, str(data_dir), profile, text], env=env, check=True, timeout=120)


def test_attempts_and_export(tmp_path: Path, data_dir: Path) -> None:
    steelman("profiles", "add", "Ada", data_dir=data_dir)
    steelman("profiles", "add", "Bo", data_dir=data_dir)
    assert "No attempts" in steelman("attempts", data_dir=data_dir).stdout
    _submit(data_dir, "Ada", "Sanctions still bite, because UN resolution 2397 capped oil imports. \u05e9\u05dc\u05d5\u05dd \U0001f600")
    _submit(data_dir, "Bo", "I agree with the author.")

    rows = json.loads(steelman("attempts", "--json", data_dir=data_dir).stdout)
    assert [r["profile"] for r in rows] == ["Ada", "Bo"]
    only_ada = json.loads(steelman("attempts", "--profile", "Ada", "--json", data_dir=data_dir).stdout)
    assert len(only_ada) == 1 and "\U0001f600" in only_ada[0]["text"]
    assert "Ada" in steelman("attempts", data_dir=data_dir).stdout

    out_json = tmp_path / "out.json"
    steelman("export", "--format", "json", "--profile", "Ada", str(out_json), data_dir=data_dir)
    exported = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(exported["attempts"]) == 1

    out_csv = tmp_path / "out.csv"
    steelman("export", "--format", "csv", str(out_csv), data_dir=data_dir)
    with out_csv.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 2 and "\u05e9\u05dc\u05d5\u05dd" in table[0]["text"]

    unknown = steelman("attempts", "--profile", "Nobody", data_dir=data_dir, check=False)
    assert unknown.returncode == 1 and "no profile named 'Nobody'" in unknown.stderr


def test_subcommands_do_not_import_qt(data_dir: Path) -> None:
    code = (
        "import sys\n"
        "from trainer.cli import main\n"
        f"main(['packs', '--data-dir', {str(data_dir)!r}])\n"
        f"main(['profiles', '--data-dir', {str(data_dir)!r}])\n"
        "loaded = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not loaded, loaded\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60, capture_output=True)


def test_score_a_response_against_a_pack_given_by_path(data_dir: Path, tiny_pack_dir: Path) -> None:
    response = "Children still express themselves through music and clubs, because identity is not a shirt."
    out = json.loads(steelman("score", "--pack", str(tiny_pack_dir), "--claim", "expression", "-", "--json", data_dir=data_dir, stdin=response).stdout)
    assert out["pack"] == "tiny-uniforms" and out["claim"] == "expression"
    assert {k["key_point_id"] for k in out["key_points"]} == {"expression-other-means", "expression-bullying"}
    text = steelman("score", "--pack", str(tiny_pack_dir), "--claim", "expression", "-", data_dir=data_dir, stdin=response).stdout
    assert text.startswith("Claim: Uniforms stop children") and "Score:" in text


def test_score_survives_undecodable_and_lone_surrogate_input(data_dir: Path, tiny_pack_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not utf-8")
    result = steelman("score", "--pack", str(tiny_pack_dir), "--claim", "expression", str(bad), data_dir=data_dir, check=False)
    assert result.returncode == 1 and "not valid UTF-8" in result.stderr and "Traceback" not in result.stderr
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    piped = subprocess.run(
        [sys.executable, "-m", "trainer", "score", "--pack", str(tiny_pack_dir), "--claim", "expression", "-", "--data-dir", str(data_dir)],
        input=b"\xff not utf-8", capture_output=True, env=env, timeout=120,
    )
    assert piped.returncode == 1 and b"standard input is not valid UTF-8" in piped.stderr


def test_pack_import(data_dir: Path, tiny_pack_dir: Path) -> None:
    assert "imported tiny-uniforms 0.1.0 (2 claims)" in steelman("pack", "import", str(tiny_pack_dir), data_dir=data_dir).stdout
    assert "tiny-uniforms" in steelman("packs", data_dir=data_dir).stdout
    again = steelman("pack", "import", str(tiny_pack_dir), data_dir=data_dir, check=False)
    assert again.returncode == 1 and "already installed" in again.stderr
    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace('kind = "factual"', 'kind = "opinion"'), encoding="utf-8")
    bad = steelman("pack", "import", str(tiny_pack_dir), "--replace", data_dir=data_dir, check=False)
    assert bad.returncode == 1 and "claims/02-cost.toml:3: kind:" in bad.stderr and "was not imported" in bad.stderr


def test_score_takes_the_claim_number_pack_show_prints(data_dir: Path, tiny_pack_dir: Path) -> None:
    """Issue 17: `pack show` numbers the claims; `score --claim 2` scores the second one."""
    shown = steelman("pack", "show", str(tiny_pack_dir), data_dir=data_dir).stdout
    assert " 2. [Factual, difficulty 2] Uniforms also cost families" in shown
    response = "A few uniform sets are cheaper than buying fashionable clothes, because children outgrow branded clothes."
    out = json.loads(steelman("score", "--pack", str(tiny_pack_dir), "--claim", "2", "-", "--json", data_dir=data_dir, stdin=response).stdout)
    assert out["claim"] == "cost"


def test_score_claim_numbers_ids_and_their_errors(cli, data_dir: Path, tiny_pack_dir: Path) -> None:  # noqa: ANN001
    from trainer.cli import CliError, _find_claim
    from trainer.core.packs import load_pack

    pack = load_pack(tiny_pack_dir)
    assert _find_claim(pack, "1").id == "expression" and _find_claim(pack, "2").id == "cost"
    assert _find_claim(pack, "cost").id == "cost" and _find_claim(pack, " 2 ").id == "cost"
    with pytest.raises(CliError, match=r"from 1 to 2 .*not 3"):
        _find_claim(pack, "3")
    with pytest.raises(CliError, match="from 1 to 2"):
        _find_claim(pack, "0")
    with pytest.raises(CliError, match=r"no claim '²'"):  # not an ASCII number: an unknown id
        _find_claim(pack, "²")

    # the error reaches the user on stderr, before anything is scored
    answer = tiny_pack_dir.parent / "answer.txt"
    answer.write_text("An answer.", encoding="utf-8")
    result = cli("score", "--pack", str(tiny_pack_dir), "--claim", "7", str(answer), data_dir=data_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert "has 2 claims: --claim takes a number from 1 to 2" in result.stderr and "pack show tiny-uniforms" in result.stderr
    unknown = cli("score", "--pack", str(tiny_pack_dir), "--claim", "arsenal", str(answer), data_dir=data_dir)
    assert unknown.returncode == 1 and "no claim 'arsenal'" in unknown.stderr and "expression, cost" in unknown.stderr
    assert "its number as `pack show` prints it" in " ".join(cli("score", "--help", data_dir=data_dir).stdout.split())  # however wide the terminal


def test_an_id_made_of_digits_wins_over_a_number(tiny_pack_dir: Path) -> None:
    """Claim ids are slugs and may be all digits: then --claim 1 is the claim with id "1", wherever it is."""
    from trainer.cli import _find_claim
    from trainer.core.packs import load_pack

    claim = tiny_pack_dir / "claims" / "02-cost.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace('id = "cost"', 'id = "1"', 1), encoding="utf-8")
    pack = load_pack(tiny_pack_dir)
    assert [c.id for c in pack.claims] == ["expression", "1"]
    assert _find_claim(pack, "1").quote.startswith("Uniforms also cost")  # the id, not the first claim
    assert _find_claim(pack, "2").id == "1"  # numbers still work for the rest
