"""The coach's class overview and dispute queue from a terminal (issue 15): the
same rules as the app, so a coach PIN unlocks these commands and nothing else does.

The database is seeded through the service (hand-written breakdowns, so every
figure can be read off this file); the CLI runs in this process (``main()``),
and once as a real process to check the exit status and stderr.
"""

from __future__ import annotations


import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from trainer.core.paths import resolve_locations

from trainer.core.service import Service

if TYPE_CHECKING:
    from tests.cli.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]
TINY_PACK = ROOT / "tests" / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"
# tiny pack: claim 1 "expression" has key points expression-other-means (weight 1.5)
# and expression-bullying (weight 1); claim 2 "cost" has cost-cheaper (1) and cost-second-hand (0.5).
MON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday, noon UTC
COACH = ("--coach", "Coach Kim", "--pin-stdin")
PROBABILITY = {"covered": 0.8, "partly": 0.4, "missed": 0.1}


def _breakdown(score: float, verdicts: dict[str, str]) -> dict[str, Any]:
    return {
        "matcher_version": "test-1",
        "score": score,
        "key_points": [
            {"key_point_id": kp, "probability": PROBABILITY[v], "verdict": v, "spans": []} for kp, v in verdicts.items()
        ],
        "rubric": [],
        "sentences": [],
    }


@dataclass
class Seeded:
    data_dir: Path
    attempts: dict[str, int]
    disputes: dict[str, int]


@pytest.fixture
def local_tz() -> Iterator[None]:
    """Local time is UTC unless a test says otherwise (``_set_tz``); restored afterwards."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    old = os.environ.get("TZ")
    _set_tz("UTC0")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def _set_tz(value: str) -> None:
    os.environ["TZ"] = value
    time.tzset()


@pytest.fixture
def seeded(tmp_path: Path, local_tz: None) -> Seeded:
    data_dir = tmp_path / "data"
    shutil.copytree(TINY_PACK, data_dir / "packs" / "tiny")
    service = Service.open(resolve_locations(data_dir=data_dir))
    try:
        ann = service.profiles.add("Ann")
        bo = service.profiles.add("Bo")
        service.profiles.add("Cy")  # never practised: a row of zeros

        def attempt(profile_id: int, claim: str, score: float, at: datetime, seconds: float, text: str, **verdicts: str) -> int:
            return service.store.record_attempt(
                profile_id=profile_id, pack_id=PACK, pack_version="0.1.0", claim_id=claim, perspective_id=None,
                text=text, started_at=at - timedelta(seconds=seconds), submitted_at=at, score=score,
                breakdown=_breakdown(score, {k.replace("_", "-"): v for k, v in verdicts.items()}), matcher_version="test-1",
            ).id

        attempts = {
            "ann1": attempt(ann.id, "expression", 0.40, MON, 600, "Ann's first try.",
                            expression_other_means="missed", expression_bullying="covered"),
            "ann2": attempt(ann.id, "expression", 0.70, MON + timedelta(days=8), 300, "Ann's second try.",
                            expression_other_means="covered", expression_bullying="covered"),
            "bo_cost": attempt(bo.id, "cost", 0.30, MON + timedelta(days=1), 120, "Bo on the cost.",
                               cost_cheaper="missed", cost_second_hand="partly"),
            "bo_expr": attempt(bo.id, "expression", 0.20, MON + timedelta(days=2), 45, "Bo says music and clubs matter.",
                               expression_other_means="missed", expression_bullying="missed"),
        }
        add = service.results.add_dispute
        disputes = {
            "made": add(attempt_id=attempts["bo_expr"], key_point_id="expression-other-means", kind="did-make-point",
                        comment="I said music and clubs.").id,
            "wrong": add(attempt_id=attempts["ann1"], key_point_id="expression-bullying", kind="verdict-wrong").id,
            "absent": add(attempt_id=attempts["bo_cost"], key_point_id="no-such-point", kind="did-make-point",
                          comment="This one is not in the feedback.").id,
        }
        service.profiles.set_pin(profile_id=ann.id, pin="2468")  # a PIN-protected student: the coach sees her anyway
        service.profiles.add_coach("Coach Kim", pin="9999")
    finally:
        service.close()
    return Seeded(data_dir, attempts, disputes)


def _score(seeded: Seeded, key: str) -> float | None:
    service = Service.open(resolve_locations(data_dir=seeded.data_dir))
    try:
        return service.store.get_attempt(attempt_id=seeded.attempts[key]).score  # type: ignore[union-attr]
    finally:
        service.close()


def _row(out: str, name: str) -> list[str]:
    """A table row's cells (columns are two or more spaces apart)."""
    import re

    line = next(line for line in out.splitlines() if line.startswith(name + " "))
    return re.split(r"\s{2,}", line.strip())


# -- the class overview ----------------------------------------------------------------
def test_overview_prints_each_students_figures_and_the_most_missed_key_points(seeded: Seeded, cli) -> None:  # noqa: ANN001
    result = cli("overview", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Class overview: all packs, all dates\n4 attempts by 2 of 3 students\n")
    assert _row(out, "Student") == ["Student", "Attempts", "Claims", "Average", "Time", "Last active", "Change"]
    assert _row(out, "Ann") == ["Ann", "2", "1", "55%", "15 min 00 s", "2026-11-10 12:00", "+30 points"]
    assert _row(out, "Bo") == ["Bo", "2", "2", "25%", "2 min 45 s", "2026-11-04 12:00", "\u2014"]  # one week only
    assert _row(out, "Cy") == ["Cy", "0", "0", "\u2014", "0 s", "\u2014", "\u2014"]

    missed = out.split("Most-missed key points\n", 1)[1].splitlines()
    assert missed[0] == " 1. tiny-uniforms claim 1: Children can still express themselves using other means"
    assert missed[1] == ("    not yet made by 1 of 2 students; missed in 2 of 3 attempts; "
                         "example: Bo, \u201cBo says music and clubs matter.\u201d")
    assert missed[2] == " 2. tiny-uniforms claim 2: School uniforms are cheaper than buying fashionable clothes"
    assert missed[3].startswith("    not yet made by 1 of 1 student; missed in 1 of 1 attempt; example: Bo")
    assert missed[4] == " 3. tiny-uniforms claim 1: School uniform reduces bullying"
    assert "Best scores" not in out  # only with --grid


def test_overview_grid_has_best_scores_and_a_dot_for_claims_not_tried(seeded: Seeded, cli) -> None:  # noqa: ANN001
    out = cli("overview", "--grid", "--pack", PACK, *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout
    assert out.startswith("Class overview: tiny-uniforms (School uniforms (test pack)), all dates\n")
    grid = out.split("Best scores, tiny-uniforms", 1)[1].splitlines()[1:]
    assert [line.split() for line in grid] == [
        ["Student", "1", "2"],
        ["Ann", "70%", "\u00b7"],
        ["Bo", "20%", "30%"],
        ["Cy", "\u00b7", "\u00b7"],
    ]


def test_overview_until_includes_its_day_and_since_starts_at_local_midnight(seeded: Seeded, cli) -> None:  # noqa: ANN001
    def run(*extra: str) -> CliResult:
        return cli("overview", *extra, *COACH, data_dir=seeded.data_dir, stdin="9999\n")

    both = run("--since", "2026-11-03", "--until", "2026-11-04").stdout
    assert both.startswith("Class overview: all packs, 2026-11-03 to 2026-11-04\n2 attempts by 1 of 3 students\n")
    assert _row(both, "Bo")[:3] == ["Bo", "2", "2"] and _row(both, "Ann")[:2] == ["Ann", "0"]
    up_to = run("--until", "2026-11-03").stdout
    assert "2 attempts by 2 of 3 students" in up_to and _row(up_to, "Bo")[:2] == ["Bo", "1"]  # his try on the 4th is left out
    assert "1 attempt by 1 of 3 students" in run("--since", "2026-11-10").stdout

    # Twelve hours ahead of UTC (POSIX TZ signs are inverted), noon UTC on the 3rd is
    # already the 4th just after midnight: the days are the coach's local days.
    _set_tz("XXX-13")
    local = run("--since", "2026-11-04", "--until", "2026-11-04").stdout
    assert "1 attempt by 1 of 3 students" in local
    assert _row(local, "Bo")[:6] == ["Bo", "1", "1", "30%", "2 min 00 s", "2026-11-04 01:00"]


def test_overview_refuses_bad_dates_and_unknown_packs(seeded: Seeded, cli) -> None:  # noqa: ANN001
    bad = cli("overview", "--since", "2026-13-01", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert bad.returncode == 2 and "argument --since: '2026-13-01' is not a date; write it as YYYY-MM-DD" in bad.stderr
    assert bad.stdout == ""
    loose = cli("overview", "--until", "3 Nov", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert loose.returncode == 2 and "argument --until: '3 Nov' is not a date" in loose.stderr
    week = cli("overview", "--until", "2026-W45-1", *COACH, data_dir=seeded.data_dir, stdin="9999\n")  # ISO, but not a day as written
    assert week.returncode == 2 and "argument --until: '2026-W45-1' is not a date" in week.stderr
    backwards = cli("overview", "--since", "2026-11-05", "--until", "2026-11-04", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert backwards.returncode == 1 and backwards.stderr == "steelman: --since 2026-11-05 is after --until 2026-11-04\n"
    unknown = cli("overview", "--pack", "nope", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert unknown.returncode == 1 and "no installed pack has the id 'nope'" in unknown.stderr


def test_only_a_coach_with_the_right_pin_gets_the_overview_or_the_disputes(seeded: Seeded, cli) -> None:  # noqa: ANN001
    commands = (["overview"], ["disputes"], ["disputes", "list"], ["disputes", "accept", "1"], ["disputes", "reject", "1"])
    for i, command in enumerate(commands):
        missing = cli(*command, data_dir=seeded.data_dir)
        assert missing.returncode == 1 and "only a coach may" in missing.stderr and "add --coach NAME" in missing.stderr, command
        wrong = cli(*command, *COACH, data_dir=seeded.data_dir, stdin="0000\n")
        # the fifth wrong PIN in a row starts the back-off, as in the app
        expected = "Wrong PIN for the profile 'Coach Kim'" if i < 4 else "Too many wrong PINs for the profile 'Coach Kim'"
        assert wrong.returncode == 1 and expected in wrong.stderr and wrong.stdout == "", command
        student = cli(*command, "--coach", "Ann", "--pin-stdin", data_dir=seeded.data_dir, stdin="2468\n")
        assert student.returncode == 1 and "no coach profile named 'Ann'" in student.stderr and student.stdout == "", command
        nobody = cli(*command, "--coach", "Nobody", "--pin-stdin", data_dir=seeded.data_dir, stdin="9999\n")
        assert nobody.returncode == 1 and "no coach profile named 'Nobody'" in nobody.stderr, command
    assert _score(seeded, "bo_expr") == pytest.approx(0.20)  # nothing was resolved


# -- disputes --------------------------------------------------------------------------
def test_disputes_lists_the_open_ones_with_what_a_coach_needs(seeded: Seeded, cli) -> None:  # noqa: ANN001
    result = cli("disputes", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n")
    made, wrong, absent = (seeded.disputes[k] for k in ("made", "wrong", "absent"))
    first = blocks[0].splitlines()
    assert first[0].startswith(f"Dispute {made}  open  2026-") and first[0].endswith("  Bo")
    assert first[1] == "  tiny-uniforms, claim 1 (expression), key point expression-other-means: Children can still express themselves using other means"
    assert first[2] == "  did-make-point (\u201cI did make this point\u201d), comment: \u201cI said music and clubs.\u201d"
    assert first[3] == f"  matcher's verdict: missed; attempt {seeded.attempts['bo_expr']}, score 20%"
    second = blocks[1].splitlines()
    assert second[0].startswith(f"Dispute {wrong}  open") and second[0].endswith("  Ann")  # PIN-protected, shown to the coach
    assert second[2] == "  verdict-wrong (\u201cThis is wrong\u201d), no comment"
    assert second[3].startswith("  matcher's verdict: covered;")
    third = blocks[2].splitlines()
    assert third[0].startswith(f"Dispute {absent}  open") and third[1] == "  tiny-uniforms, claim 2 (cost), key point no-such-point"
    assert result.stdout.splitlines()[-2:] == [
        "Resolve one with: steelman disputes accept ID --coach 'Coach Kim' [--verdict covered|partly|missed] [--note TEXT]",
        "              or: steelman disputes reject ID --coach 'Coach Kim' [--note TEXT]",
    ]
    assert "matcher's verdict: none (not in this attempt)" in blocks[2]
    # the same with the explicit action, and --coach before it
    listed = cli("disputes", *COACH, "list", data_dir=seeded.data_dir, stdin="9999\n")
    assert listed.returncode == 0 and listed.stdout == result.stdout
    assert cli("disputes", "--status", "accepted", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout == "No accepted disputes.\n"


def test_accept_changes_the_stored_score_and_shows_the_outcome(seeded: Seeded, cli) -> None:  # noqa: ANN001
    made = seeded.disputes["made"]
    result = cli("disputes", "accept", str(made), *COACH, "--note", "Yes: clubs and music.", data_dir=seeded.data_dir, stdin="9999\n")
    assert result.returncode == 0, result.stderr
    # 0.20 + 1.5 / 2.5 x (1.0 - 0.1): the key point's share of the score, as the app computes it
    assert result.stdout.splitlines() == [
        f"accepted dispute {made} (Bo, tiny-uniforms claim 1, key point expression-other-means)",
        "verdict: covered (the matcher said missed)",
        "score: 20% \u2192 74%",
        "note: \u201cYes: clubs and music.\u201d",
    ]
    assert _score(seeded, "bo_expr") == pytest.approx(0.74)

    everything = cli("disputes", "--all", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout
    block = next(b for b in everything.split("\n\n") if b.startswith(f"Dispute {made} "))
    lines = block.splitlines()
    assert lines[0].startswith(f"Dispute {made}  accepted")
    assert lines[3] == f"  matcher's verdict: missed; attempt {seeded.attempts['bo_expr']}, score 74%"
    assert lines[4].startswith("  accepted by Coach Kim on ")
    assert lines[4].endswith(", verdict covered; note: \u201cYes: clubs and music.\u201d")
    accepted = cli("disputes", "--status", "accepted", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout
    assert accepted.count("Dispute ") == 1 and "Resolve one with" not in accepted


def test_accept_with_a_verdict_and_the_default_for_this_is_wrong(seeded: Seeded, cli) -> None:  # noqa: ANN001
    made, wrong = seeded.disputes["made"], seeded.disputes["wrong"]
    partly = cli("disputes", "accept", str(made), "--verdict", "partly", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert partly.returncode == 0 and "verdict: partly (the matcher said missed)" in partly.stdout
    assert _score(seeded, "bo_expr") == pytest.approx(0.38)  # 0.20 + 0.6 x (0.4 - 0.1)
    # "This is wrong" on a point credited: accepting takes the credit away (1 / 2.5 x (0 - 0.8))
    taken = cli("disputes", "accept", str(wrong), *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert "verdict: missed (the matcher said covered)" in taken.stdout and "score: 40% \u2192 8%" in taken.stdout
    assert _score(seeded, "ann1") == pytest.approx(0.08)


def test_reject_keeps_the_score(seeded: Seeded, cli) -> None:  # noqa: ANN001
    made = seeded.disputes["made"]
    result = cli("disputes", "reject", str(made), "--note", "Say it outright next time.", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"rejected dispute {made} (Bo, tiny-uniforms claim 1, key point expression-other-means)",
        "verdict: missed (the matcher's, kept)",
        "score: 20% (unchanged)",
        "note: \u201cSay it outright next time.\u201d",
    ]
    assert _score(seeded, "bo_expr") == pytest.approx(0.20)
    rejected = cli("disputes", "--status", "rejected", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout
    assert f"Dispute {made}  rejected" in rejected and "  rejected by Coach Kim on " in rejected
    assert "Resolve one with" not in rejected
    still_open = cli("disputes", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout
    assert f"Dispute {made} " not in still_open and still_open.count("Dispute ") == 2


def test_a_resolved_dispute_cannot_be_resolved_again(seeded: Seeded, cli) -> None:  # noqa: ANN001
    made = str(seeded.disputes["made"])
    assert cli("disputes", "accept", made, *COACH, data_dir=seeded.data_dir, stdin="9999\n").returncode == 0
    for action in ("accept", "reject"):
        again = cli("disputes", action, made, *COACH, data_dir=seeded.data_dir, stdin="9999\n")
        assert again.returncode == 1 and again.stdout == ""
        assert again.stderr == f"steelman: dispute {made} was already accepted by Coach Kim; nothing was changed\n"
    assert _score(seeded, "bo_expr") == pytest.approx(0.74)  # accepted once, not twice


def test_no_such_dispute_and_a_key_point_not_in_the_attempt_are_refused(seeded: Seeded, cli) -> None:  # noqa: ANN001
    missing = cli("disputes", "accept", "999", *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert missing.returncode == 1 and missing.stderr.startswith("steelman: no dispute with the id 999")
    absent = str(seeded.disputes["absent"])
    refused = cli("disputes", "accept", absent, *COACH, data_dir=seeded.data_dir, stdin="9999\n")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith(f"steelman: dispute {absent} cannot be accepted: ")
    assert "no verdict for key point 'no-such-point'" in refused.stderr and "nothing was changed" in refused.stderr
    assert _score(seeded, "bo_cost") == pytest.approx(0.30)
    assert f"Dispute {absent}  open" in cli("disputes", *COACH, data_dir=seeded.data_dir, stdin="9999\n").stdout  # still open
    rejected = cli("disputes", "reject", absent, *COACH, data_dir=seeded.data_dir, stdin="9999\n")  # rejecting is fine
    assert rejected.returncode == 0 and "verdict: none in this attempt's feedback (nothing to change)" in rejected.stdout


def test_a_refusal_is_one_line_on_stderr_from_a_real_process(seeded: Seeded) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("STEELMAN_DATABASE_URL", None)

    def steelman(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "trainer", *args, "--data-dir", str(seeded.data_dir)], env=env,
                              input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)

    wrong = steelman("disputes", "reject", "1", *COACH, stdin="1234\n")
    assert (wrong.returncode, wrong.stdout, wrong.stderr) == (1, "", "steelman: Wrong PIN for the profile 'Coach Kim'.\n")
    missing = steelman("disputes", "accept", "999", *COACH, stdin="9999\n")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr and len(missing.stderr.splitlines()) == 1
