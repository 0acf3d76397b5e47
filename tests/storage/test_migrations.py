"""Opening databases: upgrades, refusals, and the SQLite connection settings."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url

from trainer.core.storage import (
    DatabaseTooNewError,
    DatabaseUnavailableError,
    DatabaseUnreadableError,
    Repository,
    default_database_url,
    head_revision,
    open_database,
)
from trainer.core.storage.club import ClubStore
from trainer.core.storage.database import alembic_config, upgrade_database
from trainer.core.storage.models import Base

from .conftest import FakeClock

TABLES = {"alembic_version", "profiles", "attempts", "attempt_scores", "attempt_verdicts", "assignments", "drafts", "disputes", "settings",
          "review_cards"}


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """The file's bytes, its mtime, and what sits next to it."""
    return (
        hashlib.sha256(path.read_bytes()).hexdigest(),
        path.stat().st_mtime_ns,
        sorted(os.listdir(path.parent)),
    )


def test_head_is_0009() -> None:
    assert head_revision() == "0009"


def test_default_database_url(tmp_path: Path) -> None:
    assert default_database_url(tmp_path) == f"sqlite:///{tmp_path}/steelman.sqlite3"


def test_empty_database_upgrades_to_head_and_matches_the_models(database_url: str) -> None:
    db = open_database(database_url)
    try:
        assert db.current_revision() == head_revision()
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == TABLES
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.close()


def test_reopening_keeps_data(database_url: str, clock: FakeClock) -> None:
    with open_database(database_url) as db:
        Repository(db, clock=clock).add_profile(name="Ann")
    with open_database(database_url) as db:
        assert [p.name for p in Repository(db, clock=clock).list_profiles()] == ["Ann"]
        assert db.current_revision() == head_revision()


def test_downgrade_and_upgrade_again(database_url: str) -> None:
    open_database(database_url).close()
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        with engine.connect() as conn:
            assert "attempt_scores" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        assert db.current_revision() == head_revision()


def test_schema_0001_database_upgrades_without_data_loss(
    database_url: str, backend: str, clock: FakeClock
) -> None:
    """A database as version 0001 of the app left it, rows written with plain SQL."""
    upgrade_database(database_url, "0001")
    if backend == "sqlite":
        t1, t2, json_ = "2024-05-01 10:00:00.000000", "2024-05-01 10:05:30.500000", ":b"
    else:
        t1, t2, json_ = "2024-05-01 10:00:00+00", "2024-05-01 10:05:30.5+00", "CAST(:b AS JSON)"
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at) VALUES ('Ann', :t), ('Bea', :t)"), {"t": t1})
            ann = conn.execute(sql("SELECT id FROM profiles WHERE name = 'Ann'")).scalar_one()
            for claim in ("c1", "c2"):
                conn.execute(
                    sql(
                        "INSERT INTO attempts (profile_id, pack_id, pack_version, claim_id, perspective_id,"
                        " text, started_at, submitted_at, duration_seconds, score, breakdown, matcher_version)"
                        f" VALUES (:p, 'pack', '1.0.0', :c, NULL, :x, :t1, :t2, 330.5, 0.5, {json_}, 'm1')"
                    ),
                    {"p": ann, "c": claim, "x": "Ünïcödé ✓ עברית", "t1": t1, "t2": t2, "b": '{"hits": [1, 2]}'},
                )
            attempt = conn.execute(sql("SELECT min(id) FROM attempts")).scalar_one()
            conn.execute(
                sql(
                    "INSERT INTO disputes (attempt_id, key_point_id, kind, comment, created_at)"
                    " VALUES (:a, 'kp1', 'verdict-wrong', 'no!', :t)"
                ),
                {"a": attempt, "t": t2},
            )
            conn.execute(
                sql(
                    "INSERT INTO drafts (profile_id, pack_id, claim_id, text, perspective_id, started_at, updated_at)"
                    " VALUES (:p, 'pack', 'c3', 'half a thought', NULL, :t, :t)"
                ),
                {"p": ann, "t": t1},
            )
            conn.execute(
                sql("INSERT INTO settings (profile_id, key, value) VALUES (NULL, 'theme', 'dark'), (:p, 'last_pack', 'pack')"),
                {"p": ann},
            )
    finally:
        engine.dispose()

    with open_database(database_url) as db:
        assert db.current_revision() == head_revision()
        repo = Repository(db, clock=clock)
        assert [p.name for p in repo.list_profiles()] == ["Ann", "Bea"]
        attempts = repo.list_attempts(profile_id=ann)
        submitted = datetime(2024, 5, 1, 10, 5, 30, 500000, tzinfo=UTC)
        assert [(a.claim_id, a.text, a.submitted_at, a.scored_at, a.breakdown, a.superseded_scores) for a in attempts] == [
            ("c1", "Ünïcödé ✓ עברית", submitted, submitted, {"hits": [1, 2]}, ()),
            ("c2", "Ünïcödé ✓ עברית", submitted, submitted, {"hits": [1, 2]}, ()),
        ]
        assert attempts[0].started_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
        # the dispute survived the attempts table being rebuilt (SQLite batch mode)
        assert [(d.attempt_id, d.kind, d.comment) for d in repo.list_disputes()] == [(attempt, "verdict-wrong", "no!")]
        draft = repo.get_draft(profile_id=ann, pack_id="pack", claim_id="c3")
        assert draft is not None and (draft.text, draft.cursor_position) == ("half a thought", 0)
        assert repo.get_setting(key="theme") == "dark"
        assert repo.get_setting(key="last_pack", profile_id=ann) == "pack"
        # the new parts work, and new rows get fresh ids
        rescored = repo.rescore_attempt(attempt_id=attempt, score=0.9, breakdown={}, matcher_version="m2")
        assert [s.scored_at for s in rescored.superseded_scores] == [submitted]
        assert repo.add_profile(name="Cy").id > ann
        repo.delete_profile(profile_id=ann)
        assert repo.list_attempts() == [] and repo.list_disputes() == []


def _stamp(database_url: str, revision: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    finally:
        engine.dispose()


def test_newer_database_is_refused_untouched(database_url: str, backend: str, clock: FakeClock) -> None:
    with open_database(database_url) as db:
        repo = Repository(db, clock=clock)
        repo.add_profile(name="Ann")
    _stamp(database_url, "0099_from_the_future")
    before = _fingerprint(_sqlite_path(database_url)) if backend == "sqlite" else None

    with pytest.raises(DatabaseTooNewError) as err:
        open_database(database_url)

    message = str(err.value)
    assert "newer version of Steelman (schema 0099_from_the_future)" in message
    assert f"knows up to {head_revision()}" in message
    assert "The file has not been changed." in message
    if backend == "sqlite":
        assert _fingerprint(_sqlite_path(database_url)) == before
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sql("SELECT version_num FROM alembic_version")).scalars().all() == ["0099_from_the_future"]
            assert conn.execute(sql("SELECT name FROM profiles")).scalars().all() == ["Ann"]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "content",
    [b"name,score\nAnn,3\n", b"SQLite format 3\x00" + b"\xff" * 200, os.urandom(4096)],
    ids=["csv", "bad-header", "random"],
)
def test_non_database_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "steelman.sqlite3"
    path.write_bytes(content)
    before = _fingerprint(path)
    with pytest.raises(DatabaseUnreadableError) as err:
        open_database(f"sqlite:///{path}")
    assert err.value.path == path
    assert str(path) in str(err.value)
    assert _fingerprint(path) == before


def test_other_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "steelman.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _fingerprint(path)
    with pytest.raises(DatabaseUnreadableError, match="not Steelman's"):
        open_database(f"sqlite:///{path}")
    assert _fingerprint(path) == before


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "steelman.sqlite3"
    path.touch()
    with open_database(f"sqlite:///{path}") as db:
        assert db.current_revision() == head_revision()


def test_missing_folders_are_created(tmp_path: Path) -> None:
    url = default_database_url(tmp_path / "a" / "b")
    open_database(url).close()
    assert (tmp_path / "a" / "b" / "steelman.sqlite3").is_file()


def test_sqlite_connection_settings(tmp_path: Path, clock: FakeClock) -> None:
    with open_database(default_database_url(tmp_path)) as db:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_two_processes_share_a_sqlite_file(tmp_path: Path, clock: FakeClock) -> None:
    url = default_database_url(tmp_path)
    with open_database(url) as first, open_database(url) as second:
        one, two = Repository(first, clock=clock), Repository(second, clock=clock)
        ann = one.add_profile(name="Ann")
        two.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text="from the second")
        assert one.get_draft(profile_id=ann.id, pack_id="p", claim_id="c") is not None
        assert [p.name for p in two.list_profiles()] == ["Ann"]


def test_unreachable_server_raises_storage_error() -> None:
    with pytest.raises(DatabaseUnavailableError):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/steelman?connect_timeout=2")


def test_simultaneous_first_opens_both_succeed(database_url: str) -> None:
    """Two copies of the app starting at once on a new database: one upgrades, one waits."""
    import threading

    results: list[object] = []

    def open_it() -> None:
        try:
            with open_database(database_url) as db:
                results.append(db.current_revision())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results == [head_revision()] * 3


def test_the_revisions_known_without_alembic_match_the_scripts() -> None:
    from alembic.script import ScriptDirectory

    from trainer.core.storage.database import HEAD_REVISION, KNOWN_REVISIONS, alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert HEAD_REVISION == script.get_current_head()
    assert list(KNOWN_REVISIONS) == [r.revision for r in reversed(list(script.walk_revisions()))]


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    code = (
        "import sys\n"
        "from trainer.core.storage import open_database\n"
        "open_database(sys.argv[1]).close()\n"  # creates and migrates
        "for m in [m for m in sys.modules if m.startswith(('alembic', 'mako'))]: del sys.modules[m]\n"
        "open_database(sys.argv[1]).close()\n"
        "assert not [m for m in sys.modules if m.startswith('alembic')], 'alembic imported'\n"
    )
    subprocess.run([sys.executable, "-c", code, url], check=True, capture_output=True, text=True)


def test_schema_0003_profiles_become_students_and_keep_their_pins(database_url: str, clock: FakeClock) -> None:
    """0004 adds profiles.role: every profile written by 0003 is a student,
    with its PIN; a coach can then be added, and downgrading drops the role."""
    upgrade_database(database_url, "0003")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at, pin_hash) VALUES ('Ann', :t, NULL), ('Bea', :t, 'h')"), {"t": "2024-05-01 10:00:00+00"})
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        repo = Repository(db, clock=clock)
        assert [(p.name, p.role, p.has_pin) for p in repo.list_profiles()] == [("Ann", "student", False), ("Bea", "student", True)]
        coach = repo.add_profile(name="Coach", role="coach", pin_hash="x")
        assert repo.get_profile_by_id(profile_id=coach.id).is_coach
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(sql("UPDATE profiles SET role = 'admin' WHERE name = 'Ann'"))
    finally:
        engine.dispose()


def test_schema_0004_disputes_become_open_and_can_then_be_resolved(database_url: str, backend: str, clock: FakeClock) -> None:
    """0005 adds the coach's answer to disputes: every dispute written by 0004
    is open, with its comment; resolving one works, and the new checks hold."""
    upgrade_database(database_url, "0004")
    t = "2024-05-01 10:00:00.000000" if backend == "sqlite" else "2024-05-01 10:00:00+00"
    json_ = ":b" if backend == "sqlite" else "CAST(:b AS JSON)"
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at, role) VALUES ('Ann', :t, 'student')"), {"t": t})
            conn.execute(
                sql(
                    "INSERT INTO attempts (profile_id, pack_id, pack_version, claim_id, text, started_at, submitted_at,"
                    " duration_seconds, score, breakdown, matcher_version, scored_at)"
                    f" VALUES (1, 'pack', '1.0.0', 'c1', 'words', :t, :t, 10, 0.25, {json_}, 'm1', :t)"
                ),
                {"t": t, "b": '{"score": 0.25, "key_points": [{"key_point_id": "kp1", "probability": 0.1, "verdict": "missed"}]}'},
            )
            conn.execute(sql("INSERT INTO disputes (attempt_id, key_point_id, kind, comment, created_at) VALUES (1, 'kp1', 'did-make-point', 'I did', :t)"), {"t": t})
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        repo = Repository(db, clock=clock)
        (dispute,) = repo.list_disputes(attempt_id=1)
        assert (dispute.status, dispute.comment, dispute.resolved_at, dispute.resolution_note, dispute.override_verdict) == (
            "open", "I did", None, "", None)
        case = ClubStore(db, clock=clock).resolve_dispute(dispute_id=dispute.id, accept=False, coach="Lee", note="no")
        assert (case.dispute.status, case.dispute.resolved_by, case.dispute.resolved_at) == ("rejected", "Lee", clock.now)
    engine = create_engine(database_url)
    try:
        for bad in ("UPDATE disputes SET status = 'maybe'", "UPDATE disputes SET override_verdict = 'great'"):
            with engine.begin() as conn, pytest.raises(IntegrityError):
                conn.execute(sql(bad))
    finally:
        engine.dispose()


def test_schema_0005_breakdowns_fill_attempt_verdicts(database_url: str, backend: str, clock: FakeClock) -> None:
    """0006 copies each stored breakdown's verdicts into attempt_verdicts (malformed
    entries skipped), in batches; the class overview then counts them."""
    upgrade_database(database_url, "0005")
    t = "2024-05-01 10:00:00.000000" if backend == "sqlite" else "2024-05-01 10:00:00+00"
    json_ = ":b" if backend == "sqlite" else "CAST(:b AS JSON)"
    breakdowns = [
        {"key_points": [{"key_point_id": "kp1", "verdict": "missed"}, {"key_point_id": "kp2", "verdict": "covered"}]},
        {"key_points": [{"key_point_id": "kp1", "verdict": "covered"}, {"verdict": "missed"}, {"key_point_id": "kp3", "verdict": "great"}]},
        {"hits": [1, 2]},
    ] * 400  # more than one batch
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at, role) VALUES ('Ann', :t, 'student')"), {"t": t})
            conn.execute(
                sql(
                    "INSERT INTO attempts (profile_id, pack_id, pack_version, claim_id, text, started_at, submitted_at,"
                    " duration_seconds, score, breakdown, matcher_version, scored_at)"
                    f" VALUES (1, 'pack', '1.0.0', 'c1', 'words', :t, :t, 10, 0.25, {json_}, 'm1', :t)"
                ),
                [{"t": t, "b": json.dumps(b)} for b in breakdowns],
            )
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        figures = ClubStore(db, clock=clock).overview_figures()
        by_point = {k.key_point_id: (k.attempts, k.missed, k.students_tried, k.students_made) for k in figures.key_points}
        assert by_point == {"kp1": (800, 400, 1, 1)}  # kp2 was never missed; the malformed ones are not there
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sql("SELECT count(*) FROM attempt_verdicts")).scalar_one() == 1200
    finally:
        engine.dispose()


def test_schema_0006_rows_get_uuids(database_url: str, backend: str, clock: FakeClock) -> None:
    """0007 gives every profile and dispute a uuid, and every attempt without a
    client_uuid one; the ones already there stay; new rows get their own."""
    upgrade_database(database_url, "0006")
    t = "2024-05-01 10:00:00.000000" if backend == "sqlite" else "2024-05-01 10:00:00+00"
    json_ = ":b" if backend == "sqlite" else "CAST(:b AS JSON)"
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sql("INSERT INTO profiles (name, created_at, role) VALUES ('Ann', :t, 'student'), ('Bo', :t, 'student')"), {"t": t})
            conn.execute(
                sql(
                    "INSERT INTO attempts (profile_id, pack_id, pack_version, claim_id, text, started_at, submitted_at,"
                    f" duration_seconds, score, breakdown, matcher_version, scored_at, client_uuid)"
                    f" VALUES (1, 'p', '1', 'c', 'x', :t, :t, 1, 0.5, {json_}, 'm', :t, :u)"
                ),
                [{"t": t, "b": "{}", "u": None}, {"t": t, "b": "{}", "u": "kept-uuid"}],
            )
            conn.execute(sql("INSERT INTO disputes (attempt_id, key_point_id, kind, comment, created_at) VALUES (1, 'k', 'verdict-wrong', '', :t)"), {"t": t})
    finally:
        engine.dispose()
    with open_database(database_url) as db:
        repo = Repository(db, clock=clock)
        profiles = repo.list_profiles()
        assert len({p.uuid for p in profiles}) == 2 and all(len(p.uuid) == 36 for p in profiles)
        uuids = [a.client_uuid for a in repo.list_attempts()]
        assert uuids[1] == "kept-uuid" and uuids[0] is not None and len(uuids[0]) == 36
        assert len(repo.list_disputes(attempt_id=1)[0].uuid) == 36
        assert repo.add_profile(name="Cy").uuid not in {p.uuid for p in profiles}
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(sql("UPDATE profiles SET uuid = (SELECT uuid FROM profiles WHERE name = 'Ann')"))
    finally:
        engine.dispose()
