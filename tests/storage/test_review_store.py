"""The review schedule in the database (issue 17): the store, migration 0009's
backfill, and schedules travelling in results files. Each test runs on SQLite
and, when the test script starts one, on PostgreSQL (``database_url``)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from trainer.core.paths import Locations
from trainer.core.review import Thresholds, replay
from trainer.core.service import Service
from trainer.core.storage import Database, Repository, open_database
from trainer.core.storage.database import upgrade_database
from trainer.core.storage.review import ReviewStore

from .conftest import FakeClock

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"
T0 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def record(repo: Repository, profile_id: int, claim: str, score: float | None, days: float, pack: str = PACK) -> None:
    at = T0 + timedelta(days=days)
    repo.record_attempt(profile_id=profile_id, pack_id=pack, pack_version="1", claim_id=claim, perspective_id=None, text="x",
                        started_at=at - timedelta(minutes=3), submitted_at=at, score=score, breakdown={}, matcher_version="m")


def expected(profile_id: int, claim: str, answers: list[tuple[float, float | None]], pack: str = PACK):  # noqa: ANN201
    return replay([(T0 + timedelta(days=d), s) for d, s in answers], profile_id=profile_id, pack_id=pack, claim_id=claim,
                  thresholds=Thresholds())


def fields(cards) -> list[tuple]:  # noqa: ANN001
    return [(c.pack_id, c.claim_id, c.due, c.state, c.reps, c.lapses, c.last_rating, c.last_review, round(c.stability, 9),
             round(c.difficulty, 9)) for c in cards]


# -- the store ------------------------------------------------------------------------------
def test_cards_are_written_with_attempts_and_read_by_due_date(database: Database, repo: Repository, clock: FakeClock) -> None:
    store = ReviewStore(database, clock=clock)
    ann, bo = repo.add_profile(name="Ann"), repo.add_profile(name="Bo")
    record(repo, ann.id, "expression", 0.45, 0)  # Good: due day 2
    record(repo, ann.id, "cost", 0.05, 0)  # Again: due day 1
    record(repo, ann.id, "claim-x", 0.9, 0, pack="other-pack")  # Easy: due day 8
    record(repo, bo.id, "cost", 0.05, 0)
    repo.save_draft(profile_id=bo.id, pack_id=PACK, claim_id="expression", text="only a draft")
    assert fields(store.cards(profile_id=ann.id)) == fields([
        expected(ann.id, "cost", [(0, 0.05)]), expected(ann.id, "expression", [(0, 0.45)]),
        expected(ann.id, "claim-x", [(0, 0.9)], pack="other-pack"),
    ])
    assert [c.claim_id for c in store.cards(profile_id=bo.id)] == ["cost"]  # the draft made no card
    day = lambda n: T0 + timedelta(days=n)  # noqa: E731
    assert store.due(profile_id=ann.id, before=day(1)) == []
    assert [c.claim_id for c in store.due(profile_id=ann.id, before=day(1) + timedelta(seconds=1))] == ["cost"]
    assert [c.claim_id for c in store.due(profile_id=ann.id, before=day(3), pack_id=PACK)] == ["cost", "expression"]
    assert store.due_counts(profile_id=ann.id, before=day(9)) == {PACK: 2, "other-pack": 1}
    assert store.due_counts(profile_id=ann.id, before=day(3)) == {PACK: 2}
    assert all(c.due.tzinfo is not None and c.updated_at == clock() for c in store.cards(profile_id=ann.id))


def test_rebuild_makes_the_same_cards_and_drops_cards_without_attempts(database: Database, repo: Repository, clock: FakeClock) -> None:
    store = ReviewStore(database, clock=clock)
    ann = repo.add_profile(name="Ann")
    for days, score in ((0, 0.2), (1, 0.5), (4, 0.7), (20, 0.05)):
        record(repo, ann.id, "expression", score, days)
    record(repo, ann.id, "cost", 0.5, 2)
    before = fields(store.cards(profile_id=ann.id))
    engine = create_engine(database.url)
    try:
        with engine.begin() as conn:  # a card gone wrong, and one whose attempts are gone
            conn.execute(sql("UPDATE review_cards SET reps = 99 WHERE claim_id = 'expression'"))
            conn.execute(sql("DELETE FROM attempts WHERE claim_id = 'cost'"))
    finally:
        engine.dispose()
    assert store.rebuild(profile_ids=[ann.id]) == 1
    assert fields(store.cards(profile_id=ann.id)) == [b for b in before if b[1] == "expression"]


def test_deleting_a_profile_deletes_its_cards(database: Database, repo: Repository, clock: FakeClock) -> None:
    store = ReviewStore(database, clock=clock)
    ann = repo.add_profile(name="Ann")
    record(repo, ann.id, "cost", 0.5, 0)
    repo.delete_profile(profile_id=ann.id)
    assert store.cards(profile_id=ann.id) == []


# -- migration 0009 -------------------------------------------------------------------------
def test_schema_0008_attempts_get_their_schedule(database_url: str, backend: str, clock: FakeClock) -> None:
    """Existing users get a schedule: each profile × claim's attempts replayed in time order."""
    upgrade_database(database_url, "0008")
    stamp = "%Y-%m-%d %H:%M:%S.%f" if backend == "sqlite" else "%Y-%m-%d %H:%M:%S.%f+00"
    json_ = ":b" if backend == "sqlite" else "CAST(:b AS JSON)"
    rows = [(1, "expression", 0, 0.45), (1, "expression", 2, 0.05), (1, "expression", 3, None), (1, "cost", 1, 0.9), (2, "cost", 0, 0.2)]
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at, role, uuid) VALUES ('Ann', :t, 'student', 'u1'), ('Bo', :t, 'student', 'u2')"),
                         {"t": T0.strftime(stamp)})
            for profile, claim, days, score in reversed(rows):  # stored out of order: the replay sorts them
                at = (T0 + timedelta(days=days)).strftime(stamp)
                conn.execute(sql(
                    "INSERT INTO attempts (profile_id, pack_id, pack_version, claim_id, text, started_at, submitted_at,"
                    f" duration_seconds, score, breakdown, matcher_version, scored_at, client_uuid)"
                    f" VALUES (:p, :pack, '1', :c, 'x', :t, :t, 1, :s, {json_}, 'm', :t, :u)"
                ), {"p": profile, "pack": PACK, "c": claim, "t": at, "s": score, "b": "{}", "u": f"{profile}-{claim}-{days}"})
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        store = ReviewStore(db, clock=clock)
        assert fields(store.cards(profile_id=1)) == fields(sorted(
            [expected(1, "expression", [(0, 0.45), (2, 0.05), (3, None)]), expected(1, "cost", [(1, 0.9)])], key=lambda c: c.due))
        assert fields(store.cards(profile_id=2)) == fields([expected(2, "cost", [(0, 0.2)])])
        card = store.cards(profile_id=1, pack_id=PACK)[0]
        assert (card.claim_id, card.reps, card.lapses) == ("expression", 3, 2)  # 5% and no score: both Again
        # and the schedule moves on with the next attempt
        record(Repository(db, clock=clock), 2, "cost", 0.5, 5)
        assert store.cards(profile_id=2)[0].reps == 2


# -- results files -----------------------------------------------------------------------------
def open_service(data_dir: Path, url: str, clock: FakeClock) -> Service:
    return Service.open(Locations(data_dir=data_dir, database_url=url), clock=clock, pack_folders=[(TINY.parent, True)])


@pytest.fixture
def laptop(tmp_path: Path, clock: FakeClock) -> Iterator[Service]:
    svc = open_service(tmp_path / "laptop", f"sqlite:///{tmp_path / 'laptop' / 'steelman.sqlite3'}", clock)
    yield svc
    svc.close()


@pytest.fixture
def coach_db(tmp_path: Path, database_url: str, clock: FakeClock) -> Iterator[Service]:
    svc = open_service(tmp_path / "coach", database_url, clock)
    svc.profiles.add_coach("Coach Lee", pin="2468")  # unlocked
    yield svc
    svc.close()


def rewrite(src: Path, dst: Path, change) -> Path:  # noqa: ANN001
    """``src`` with its results.json changed by ``change`` (the checksum fixed, so only the change is judged)."""
    with zipfile.ZipFile(src) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        contents = json.loads(zf.read("results.json"))
    change(contents)
    data = json.dumps(contents).encode()
    manifest["sha256"] = hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("results.json", data)
    return dst


def schedule(svc: Service, name: str) -> list[tuple]:
    profile = svc.profiles.by_name(name)
    assert profile is not None
    return fields(svc.review.schedule(profile.id, PACK))


def test_schedules_travel_in_results_files_and_the_coach_rebuilds_them(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    ann = laptop.profiles.add("Ann")
    for claim, score, days in (("expression", 0.45, 0), ("cost", 0.05, 0), ("expression", 0.62, 3)):
        record(laptop.store, ann.id, claim, score, days)
    out = tmp_path / "ann.steelresults"
    laptop.transfer.export_results(out, profile_id=ann.id)
    with zipfile.ZipFile(out) as zf:
        cards = json.loads(zf.read("results.json"))["review_cards"]
        assert json.loads(zf.read("manifest.json"))["counts"]["review_cards"] == 2
    assert sorted((c["claim_id"], c["reps"], c["due"]) for c in cards) == sorted(
        (c.claim_id, c.reps, c.due.isoformat()) for c in laptop.review.schedule(ann.id, PACK))
    assert {c["profile_uuid"] for c in cards} == {ann.uuid}

    report = coach_db.transfer.import_results([out], decide=lambda c: None)
    assert report.new_attempts == 3
    assert schedule(coach_db, "Ann") == schedule(laptop, "Ann") != []
    # importing again changes nothing
    coach_db.transfer.import_results([out], decide=lambda c: None)
    assert schedule(coach_db, "Ann") == schedule(laptop, "Ann")

    # new work on the laptop: the next file moves the coach's schedule on too
    record(laptop.store, ann.id, "cost", 0.7, 5)
    laptop.transfer.export_results(out, profile_id=ann.id)
    coach_db.transfer.import_results([out], decide=lambda c: None)
    assert schedule(coach_db, "Ann") == schedule(laptop, "Ann")


def test_a_file_without_schedules_imports_and_gets_them_from_its_attempts(laptop: Service, coach_db: Service, tmp_path: Path) -> None:
    ann = laptop.profiles.add("Ann")
    record(laptop.store, ann.id, "cost", 0.3, 0)
    record(laptop.store, ann.id, "cost", 0.1, 2)
    laptop.transfer.export_results(tmp_path / "new.steelresults")
    old = rewrite(tmp_path / "new.steelresults", tmp_path / "old.steelresults", lambda c: c.pop("review_cards"))
    report = coach_db.transfer.import_results([old], decide=lambda c: None)
    assert (report.new_attempts, report.refused) == (2, [])
    assert schedule(coach_db, "Ann") == schedule(laptop, "Ann") != []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c["review_cards"][0].update(profile_uuid="nobody"), "review_cards[0].profile_uuid: no profile in the file has this uuid"),
        (lambda c: c["review_cards"][0].update(state=9), "review_cards[0].state: must be a whole number from 1 to 3"),
        (lambda c: c["review_cards"][0].update(due="2026-11-02T15:00:00"), "review_cards[0].due: '2026-11-02T15:00:00' has no time zone"),
        (lambda c: c["review_cards"].append(dict(c["review_cards"][0])), "review_cards[1]: a second card for the same student and claim"),
        (lambda c: c.update(review_cards={}), "results.json.review_cards: must be a list"),
    ],
)
def test_a_bad_review_card_refuses_the_file(laptop: Service, coach_db: Service, tmp_path: Path, change, reason: str) -> None:  # noqa: ANN001
    ann = laptop.profiles.add("Ann")
    record(laptop.store, ann.id, "cost", 0.3, 0)
    laptop.transfer.export_results(tmp_path / "good.steelresults")
    bad = rewrite(tmp_path / "good.steelresults", tmp_path / "bad.steelresults", change)
    report = coach_db.transfer.import_results([bad], decide=lambda c: None)
    assert report.refused == [("bad.steelresults", reason)] and report.new_attempts == 0
    assert coach_db.profiles.by_name("Ann") is None
