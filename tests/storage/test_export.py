"""Exporting attempts to JSON and CSV."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.export import CSV_COLUMNS, export_attempts
from trainer.core.storage import InvalidInputError, NotFoundError, Repository

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
        assert row["score"] == ("" if attempt.score is None else repr(attempt.score))
        assert row["perspective_id"] == (attempt.perspective_id or "")
        assert row["matcher_version"] == (attempt.matcher_version or "")


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
