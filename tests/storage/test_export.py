"""Exporting attempts to JSON and CSV (with its key point and dispute files)."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.export import (
    CSV_COLUMNS,
    DISPUTE_COLUMNS,
    KEY_POINT_COLUMNS,
    companion_paths,
    export_attempts,
    neutralise_cell,
)
from trainer.core.overrides import Override, apply_override
from trainer.core.progress import format_score
from trainer.core.storage import Database, InvalidInputError, NotFoundError, Repository
from trainer.core.storage.club import ClubStore

from .conftest import FakeClock

TEXTS = [
    'Line one,\nline "two",\r\nand three.',
    "Emoji 👩🏽‍⚖️🇰🇷 and RTL: الحجة المضادة — עברית",
    "Combining e\u0301 and a\u0308, plus =SUM(A1) and a trailing space ",
]


@pytest.fixture
def filled(repo: Repository, clock: FakeClock) -> Repository:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea 🐝")
    for i, text in enumerate(TEXTS):
        clock.advance(minutes=5)
        attempt = repo.record_attempt(
            profile_id=ann.id, pack_id="pack", pack_version="1.0.0", claim_id=f"c{i}",
            perspective_id="sceptic" if i else None, text=text, started_at=clock.now - timedelta(seconds=95.25),
            score=None if i == 2 else 0.5 + i / 10, breakdown={"i": i, "t": text}, matcher_version="m1",
        )
    repo.add_dispute(attempt_id=attempt.id, key_point_id="kp1", kind="did-make-point", comment="🙂\nreally")
    repo.rescore_attempt(attempt_id=attempt.id, score=0.25, breakdown={"v": 2}, matcher_version="m2")
    repo.record_attempt(
        profile_id=bea.id, pack_id="pack", pack_version="1.0.0", claim_id="c0", perspective_id=None,
        text="Bea's", started_at=clock.now, score=1.0, breakdown={}, matcher_version=None,
    )
    return repo


def test_json_export_round_trip(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    exported_at = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    assert export_attempts(filled, fmt="json", out=out, now=exported_at) == 4

    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("steelman-attempts", 1)
    assert datetime.fromisoformat(document["exported_at"]) == exported_at
    attempts = filled.list_attempts()
    assert [a["id"] for a in document["attempts"]] == [a.id for a in attempts]
    for row, attempt in zip(document["attempts"], attempts, strict=True):
        assert row["text"] == attempt.text
        assert row["profile"] == attempt.profile_name
        assert datetime.fromisoformat(row["submitted_at"]) == attempt.submitted_at
        assert datetime.fromisoformat(row["started_at"]) == attempt.started_at
        assert (row["score"], row["breakdown"], row["duration_seconds"]) == (
            attempt.score, attempt.breakdown, attempt.duration_seconds,
        )
    rescored = document["attempts"][2]
    assert [(h["score"], h["matcher_version"], h["breakdown"]) for h in rescored["score_history"]] == [
        (None, "m1", {"i": 2, "t": TEXTS[2]})
    ]
    assert [(d["kind"], d["comment"]) for d in rescored["disputes"]] == [("did-make-point", "🙂\nreally")]
    assert document["attempts"][0]["disputes"] == [] and document["attempts"][0]["score_history"] == []


def test_csv_export_round_trip(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    assert export_attempts(filled, fmt="csv", out=out) == 4
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.startswith(",".join(CSV_COLUMNS).encode() + b"\r\n")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    attempts = filled.list_attempts()
    assert [r["text"] for r in rows] == [a.text for a in attempts]
    for row, attempt in zip(rows, attempts, strict=True):
        assert int(row["id"]) == attempt.id
        assert row["profile"] == attempt.profile_name
        assert datetime.fromisoformat(row["submitted_at"]) == attempt.submitted_at
        assert float(row["duration_seconds"]) == attempt.duration_seconds
        assert row["score"] == ("" if attempt.score is None else format_score(attempt.score))
        assert row["perspective_id"] == (attempt.perspective_id or "")
        assert row["matcher_version"] == (attempt.matcher_version or "")
    assert [r["score"] for r in rows] == ["50%", "60%", "25%", "100%"]
    assert all(p.is_file() for p in companion_paths(out))


def test_export_one_profile(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "bea.csv"
    assert export_attempts(filled, fmt="csv", out=out, profile_name="Bea 🐝") == 1
    with out.open(encoding="utf-8", newline="") as fh:
        assert [r["profile"] for r in csv.DictReader(fh)] == ["Bea 🐝"]
    assert export_attempts(filled, fmt="json", out=tmp_path / "ann.json", profile_name="Ann") == 3
    with pytest.raises(NotFoundError):
        export_attempts(filled, fmt="json", out=tmp_path / "x.json", profile_name="Nobody")
    with pytest.raises(InvalidInputError):
        export_attempts(filled, fmt="xml", out=tmp_path / "x.xml")  # type: ignore[arg-type]
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x.xml").exists()


def test_export_replaces_atomically(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "export.json"
    out.parent.mkdir()
    out.write_text("old content", encoding="utf-8")
    export_attempts(filled, fmt="json", out=out)
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "steelman-attempts"
    assert os.listdir(out.parent) == ["export.json"]  # no temporary file left behind


def test_empty_export(repo: Repository, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert export_attempts(repo, fmt="csv", out=out) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [",".join(CSV_COLUMNS)]
    key_points, disputes = companion_paths(out)
    assert (key_points.name, disputes.name) == ("empty-key-points.csv", "empty-disputes.csv")
    assert key_points.read_text(encoding="utf-8").splitlines() == [",".join(KEY_POINT_COLUMNS)]
    assert disputes.read_text(encoding="utf-8").splitlines() == [",".join(DISPUTE_COLUMNS)]


# -- spreadsheets open the CSV safely (OWASP "CSV Injection") --------------------

@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        # after leading whitespace, a formula sign still counts
        ("  =1+1", "'  =1+1"),
        ("\n@SUM(A1)", "'\n@SUM(A1)"),
        ("\u00a0-2", "'\u00a0-2"),
        # everything else is left alone
        ("", ""),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("2+2", "2+2"),
        (" leading space", " leading space"),
        ("\nnew line first", "\nnew line first"),
        ("'=already text", "'=already text"),
        ("\uff1dfull-width equals", "\uff1dfull-width equals"),
    ],
)
def test_neutralise_cell(cell: str, written: str) -> None:
    assert neutralise_cell(cell) == written


HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_hostile_cells_are_neutralised_in_every_file(repo: Repository, clock: FakeClock, tmp_path: Path) -> None:
    mallory = repo.add_profile(name="=cmd|' /C calc'!A0")
    attempts = []
    for i, text in enumerate(HOSTILE):
        clock.advance(minutes=1)
        attempts.append(repo.record_attempt(
            profile_id=mallory.id, pack_id="+pack", pack_version="-1", claim_id=f"@c{i}", perspective_id="=view",
            text=text, started_at=clock.now, score=0.5, matcher_version="=m",
            breakdown={"key_points": [{"key_point_id": "-kp", "verdict": "covered", "probability": 0.9,
                                       "spans": [{"start": 0, "end": len(text)}]}]},
        ))
        repo.add_dispute(attempt_id=attempts[-1].id, key_point_id="-kp", kind="did-make-point", comment=text)
    out = tmp_path / "results.csv"
    assert export_attempts(repo, fmt="csv", out=out) == len(HOSTILE)

    rows = read_csv(out)
    assert [r["text"] for r in rows] == ["'" + t for t in HOSTILE]
    for row in rows:
        assert (row["profile"], row["pack_id"], row["pack_version"], row["claim_id"][:3], row["perspective_id"], row["matcher_version"]) == (
            "'=cmd|' /C calc'!A0", "'+pack", "'-1", "'@c", "'=view", "'=m")
        assert row["score"] == "50%"
    key_points_out, disputes_out = companion_paths(out)
    kp_rows = read_csv(key_points_out)
    assert [r["matched_sentences"] for r in kp_rows] == ["'" + t.strip() for t in HOSTILE[:4]] + ["x", "x"]
    assert {(r["profile"], r["key_point_id"]) for r in kp_rows} == {("'=cmd|' /C calc'!A0", "'-kp")}
    dispute_rows = read_csv(disputes_out)
    assert [r["comment"] for r in dispute_rows] == ["'" + t for t in HOSTILE]
    assert {(r["profile"], r["key_point_id"], r["claim_id"][:3]) for r in dispute_rows} == {("'=cmd|' /C calc'!A0", "'-kp", "'@c")}
    # no cell of any file starts a formula
    for path in (out, key_points_out, disputes_out):
        with path.open(encoding="utf-8", newline="") as fh:
            for record in list(csv.reader(fh))[1:]:
                assert not [c for c in record if c.lstrip().startswith(("=", "+", "-", "@")) or c.startswith(("\t", "\r"))]


def test_scores_are_percentages_rounded_as_the_app_shows_them(repo: Repository, clock: FakeClock, tmp_path: Path) -> None:
    ann = repo.add_profile(name="Ann")
    scores = [0.622, 0.025, 0.015, 1.0, 0.0, None, 0.99999, -0.05]
    for i, score in enumerate(scores):
        clock.advance(minutes=1)
        repo.record_attempt(profile_id=ann.id, pack_id="p", pack_version="1", claim_id=f"c{i}", perspective_id=None,
                            text="t", started_at=clock.now, score=score, breakdown={}, matcher_version=None)
    out = tmp_path / "scores.csv"
    export_attempts(repo, fmt="csv", out=out)
    written = [r["score"] for r in read_csv(out)]
    # half to even, as format_score (History, the overview) rounds; a negative
    # score (only from a tampered database) stays a number, unquoted
    assert written == ["62%", "2%", "2%", "100%", "0%", "", "100%", "-5%"]
    assert written[:5] + written[6:] == [format_score(s) for s in scores if s is not None]
    assert all(float(r["duration_seconds"]) >= 0 for r in read_csv(out))
    # the JSON keeps the fractions
    export_attempts(repo, fmt="json", out=tmp_path / "scores.json")
    assert [a["score"] for a in json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))["attempts"]] == scores


RESPONSE = "Uniforms cost less. Second-hand ones are cheap too!\nAnd brands cost more than any uniform."
BREAKDOWN = {
    "score": 0.4,
    "key_points": [
        {"key_point_id": "cost-cheaper", "probability": 0.2, "verdict": "missed", "spans": []},
        {"key_point_id": "cost-second-hand", "probability": 0.8, "verdict": "covered",
         "spans": [{"start": 20, "end": 52}, {"start": 0, "end": 19}]},
        {"key_point_id": "brands", "probability": 0.35, "verdict": "partly", "spans": [{"start": 52, "end": 90}]},
    ],
    "sentences": [],
}


def test_key_point_and_dispute_files(repo: Repository, database: Database, clock: FakeClock, tmp_path: Path) -> None:
    ann = repo.add_profile(name="Ann")
    clock.advance(minutes=1)
    attempt = repo.record_attempt(profile_id=ann.id, pack_id="school-uniforms", pack_version="1.0.0", claim_id="cost",
                                  perspective_id="parent", text=RESPONSE, started_at=clock.now - timedelta(seconds=60),
                                  score=0.4, breakdown=BREAKDOWN, matcher_version="m1")
    clock.advance(minutes=1)
    unscored = repo.record_attempt(profile_id=ann.id, pack_id="school-uniforms", pack_version="1.0.0", claim_id="style",
                                   perspective_id=None, text="-", started_at=clock.now, score=None, breakdown={}, matcher_version=None)
    accepted = repo.add_dispute(attempt_id=attempt.id, key_point_id="cost-cheaper", kind="did-make-point", comment="I said it first")
    rejected = repo.add_dispute(attempt_id=attempt.id, key_point_id="brands", kind="verdict-wrong", comment="=not partly")
    still_open = repo.add_dispute(attempt_id=unscored.id, key_point_id="style-free", kind="did-make-point")
    club = ClubStore(database, clock=clock)
    clock.advance(minutes=1)

    def rescore(score, breakdown, text):  # noqa: ANN001, ANN202
        override = Override("cost-cheaper", "covered", accepted.id, "Coach Lee", clock.now, "Yes, sentence one.")
        return apply_override(score, breakdown, override, text=text, weights={})

    club.resolve_dispute(dispute_id=accepted.id, accept=True, coach="Coach Lee", note="Yes, sentence one.", verdict="covered", rescore=rescore)
    club.resolve_dispute(dispute_id=rejected.id, accept=False, coach="Coach Lee", note="+ it is partly")
    stored = repo.get_attempt(attempt_id=attempt.id)
    assert stored is not None and stored.score != 0.4

    out = tmp_path / "results.csv"
    assert export_attempts(repo, fmt="csv", out=out) == 2
    key_points_out, disputes_out = companion_paths(out)
    assert (key_points_out, disputes_out) == (tmp_path / "results-key-points.csv", tmp_path / "results-disputes.csv")
    assert key_points_out.read_bytes().startswith(",".join(KEY_POINT_COLUMNS).encode() + b"\r\n")
    assert disputes_out.read_bytes().startswith(",".join(DISPUTE_COLUMNS).encode() + b"\r\n")

    (main_row, unscored_row) = read_csv(out)
    assert main_row["score"] == format_score(stored.score) and unscored_row["score"] == ""
    assert main_row["coach_overrides"] == "cost-cheaper: missed → covered (Coach Lee)"
    assert unscored_row["text"] == "'-"

    kp_rows = read_csv(key_points_out)  # the unscored attempt has no key points
    entries = stored.breakdown["key_points"]
    assert [(r["attempt_id"], r["key_point_id"], r["verdict"]) for r in kp_rows] == [
        (str(attempt.id), e["key_point_id"], e["verdict"]) for e in entries]
    assert [r["verdict"] for r in kp_rows] == ["covered", "covered", "partly"]
    for row, entry in zip(kp_rows, entries, strict=True):
        spans = sorted((s["start"], s["end"]) for s in entry["spans"])
        assert row["matched_sentences"] == " … ".join(RESPONSE[a:b].strip() for a, b in spans)
        assert (row["profile"], row["pack_id"], row["claim_id"], row["perspective_id"]) == ("Ann", "school-uniforms", "cost", "parent")
        assert datetime.fromisoformat(row["submitted_at"]) == stored.submitted_at
    assert [r["matched_sentences"] for r in kp_rows] == [
        "", "Uniforms cost less. … Second-hand ones are cheap too!", "And brands cost more than any uniform."]
    overridden, *others = kp_rows
    assert (overridden["matcher_verdict"], overridden["verdict"], overridden["override_by"], overridden["override_note"]) == (
        "missed", "covered", "Coach Lee", "Yes, sentence one.")
    assert datetime.fromisoformat(overridden["override_at"]) == clock.now
    assert [(r["matcher_verdict"], r["override_by"], r["override_at"], r["override_note"]) for r in others] == [
        ("covered", "", "", ""), ("partly", "", "", "")]

    dispute_rows = read_csv(disputes_out)
    assert [int(r["dispute_id"]) for r in dispute_rows] == [accepted.id, rejected.id, still_open.id]
    assert [(r["attempt_id"], r["key_point_id"], r["kind"], r["comment"], r["status"], r["resolved_by"],
             r["resolution_note"], r["override_verdict"]) for r in dispute_rows] == [
        (str(attempt.id), "cost-cheaper", "did-make-point", "I said it first", "accepted", "Coach Lee", "Yes, sentence one.", "covered"),
        (str(attempt.id), "brands", "verdict-wrong", "'=not partly", "rejected", "Coach Lee", "'+ it is partly", ""),
        (str(unscored.id), "style-free", "did-make-point", "", "open", "", "", ""),
    ]
    assert [bool(r["resolved_at"]) for r in dispute_rows] == [True, True, False]
    assert {(r["profile"], r["pack_id"]) for r in dispute_rows} == {("Ann", "school-uniforms")}
    assert [r["claim_id"] for r in dispute_rows] == ["cost", "cost", "style"]

    # one profile's export leaves the other profiles' disputes out
    bea = repo.add_profile(name="Bea")
    theirs = repo.record_attempt(profile_id=bea.id, pack_id="p", pack_version="1", claim_id="c", perspective_id=None,
                                 text="t", started_at=clock.now, score=None, breakdown={}, matcher_version=None)
    repo.add_dispute(attempt_id=theirs.id, key_point_id="kp", kind="did-make-point")
    export_attempts(repo, fmt="csv", out=tmp_path / "ann.csv", profile_name="Ann")
    assert [r["profile"] for r in read_csv(tmp_path / "ann-disputes.csv")] == ["Ann"] * 3
    export_attempts(repo, fmt="csv", out=tmp_path / "no-bea.csv", exclude_profile_ids={bea.id})
    assert [r["profile"] for r in read_csv(tmp_path / "no-bea-disputes.csv")] == ["Ann"] * 3


def test_a_failed_csv_export_leaves_every_file_as_it_was(filled: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.csv"
    out.write_text("old results", encoding="utf-8")
    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:  # the disputes file, after the other two were written
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        export_attempts(filled, fmt="csv", out=out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old results"
    assert len(calls) == 3
    # no companion file and no temporary file ("data" holds the SQLite database)
    assert sorted(name for name in os.listdir(tmp_path) if name != "data") == ["results.csv"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_progress_reaches_the_total_and_a_cancel_leaves_every_file_as_it_was(
    filled: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from trainer.core import export
    from trainer.core.errors import Cancelled, describe

    monkeypatch.setattr(export, "PROGRESS_EVERY", 1)  # report after every attempt of the small fixture
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"export.{fmt}"
    targets = [out, *export.companion_paths(out)] if fmt == "csv" else [out]
    seen: list[tuple[int, int]] = []
    count = export_attempts(filled, fmt=fmt, out=out, progress=lambda done, total: seen.append((done, total)) is None)
    assert count >= 2 and seen[-1][0] == seen[-1][1] == count * (2 if fmt == "csv" else 1)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)  # it only goes forward
    before = {p.name: p.read_bytes() for p in targets}

    calls: list[int] = []

    def stop_after_the_first(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(Cancelled) as caught:
        export_attempts(filled, fmt=fmt, out=out, profile_name="Ann", progress=stop_after_the_first)
    assert describe(caught.value) == "the export was cancelled; nothing was changed"
    assert {p.name: p.read_bytes() for p in targets} == before  # the earlier export is intact
    assert sorted(os.listdir(out.parent)) == sorted(p.name for p in targets)  # no temporary file left behind
