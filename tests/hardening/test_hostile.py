"""Issue 7, item 7: hostile text in the core. A 1 MB response, emoji,
right-to-left text and combining characters round-trip through both
databases, the JSON and CSV exports and ``steelman score --json``; NUL
characters and lone surrogates are cleaned instead of costing the draft."""

from __future__ import annotations

import csv
import json
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.core.paths import Locations
from trainer.core.service import Service

from pgserver import PgServer

from .conftest import CLAIM_ID, PACK_ID, TINY_PACK, make_service, sqlite_locations, steelman

MIXED = (
    "Emoji \U0001f600\U0001f469\u200d\U0001f469\u200d\U0001f467 flags \U0001f1f0\U0001f1f7; "
    "RTL \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c; "
    "combining e\u0301 a\u0308\u0323 Z\u0335\u0321\u0327\u0334; CJK \u6f22\u5b57; "
    "quotes \"a\",'b'\r\nnew line\ttab"
)
MEGABYTE = ("A long speech, \u0645\u0631\u062d\u0628\u0627 \U0001f600 e\u0301. " * 30000)[: 1_000_000]


@pytest.fixture(params=["sqlite", "postgresql"])
def hostile_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    if request.param == "sqlite":
        locations = sqlite_locations(tmp_path / "data")
    else:
        server: PgServer = request.getfixturevalue("pg_server")
        locations = Locations(data_dir=tmp_path / "data", database_url=server.create_database())
    service = make_service(locations)
    try:
        yield service
    finally:
        service.close()


@pytest.mark.parametrize("text", [MEGABYTE, MIXED], ids=["1MB", "mixed-scripts"])
def test_text_round_trips_through_the_database(hostile_service: Service, text: str) -> None:
    service = hostile_service
    ann = service.store.add_profile(name="Ann \U0001f600 \u0645\u0631\u062d\u0628\u0627")
    draft = service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=text, cursor_position=len(text))
    stored = service.practice.get_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID)
    assert stored == draft and stored.text == text and stored.cursor_position == len(text)
    attempt, _ = service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=text)
    assert [a.text for a in service.results.list_attempts(profile_id=ann.id)] == [text]
    assert service.store.get_attempt(attempt_id=attempt.id).text == text  # type: ignore[union-attr]


def test_exports_keep_every_character(hostile_service: Service, tmp_path: Path) -> None:
    service = hostile_service
    ann = service.store.add_profile(name="Ann \u05e9\u05dc\u05d5\u05dd")
    attempt, _ = service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=MIXED)
    service.store.add_dispute(attempt_id=attempt.id, key_point_id="kp", kind="did-make-point", comment=MIXED)
    service.results.export_attempts(fmt="json", out=tmp_path / "out.json")
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    [row] = document["attempts"]
    assert row["text"] == MIXED and row["profile"] == ann.name and row["disputes"][0]["comment"] == MIXED
    service.results.export_attempts(fmt="csv", out=tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        [record] = list(csv.DictReader(fh))
    assert record["text"] == MIXED and record["profile"] == ann.name


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("before\x00after", "beforeafter"),
        ("lone \ud800 high and \udfff low", "lone \ufffd high and \ufffd low"),
        ("\x00" * 10, ""),
        ("mixed\x00\ud83d junk \U0001f600", "mixed\ufffd junk \U0001f600"),
    ],
    ids=["nul", "surrogates", "only-nul", "both"],
)
def test_nul_and_lone_surrogates_are_cleaned_not_refused(hostile_service: Service, pasted: str, kept: str) -> None:
    service = hostile_service
    ann = service.store.add_profile(name="Ann")
    draft = service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=pasted, cursor_position=len(pasted))
    assert draft.text == kept and draft.cursor_position == len(kept)
    direct = service.store.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id="cost", text=pasted)
    assert direct.text == kept
    attempt, _ = service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=pasted)
    assert attempt.text == kept
    assert [a.text for a in service.results.list_attempts(profile_id=ann.id)] == [kept]


def test_score_json_keeps_every_character(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY_PACK, data / "packs" / "tiny")
    response = tmp_path / "response.txt"
    response.write_text(MIXED + " Pupils can express themselves in other ways.", encoding="utf-8", newline="")
    result = steelman("score", "--pack", PACK_ID, "--claim", CLAIM_ID, "--json", str(response), data_dir=data)
    assert result.returncode == 0, result.stderr
    scored = json.loads(result.stdout)
    text = response.read_text(encoding="utf-8")  # as the CLI reads it
    assert scored["pack"] == PACK_ID and 0.0 <= scored["score"] <= 1.0
    for verdict in scored["key_points"]:
        for span in verdict["spans"]:
            assert 0 <= span["start"] <= span["end"] <= len(text)
    assert scored["response"] == text  # every character survives the JSON round trip
    for verdict in scored["key_points"]:
        for span in verdict["spans"]:
            # a highlighted span never starts inside a combining sequence
            assert span["start"] == len(text) or not unicodedata.combining(text[span["start"]])
