"""Issue 7, item 5: the PostgreSQL server goes away mid-session. Nothing
escapes, the work waits in the local outbox, and is written exactly once
when the server is back. Runs against a real server that the test stops."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from trainer.core.paths import Locations
from trainer.core.storage import DatabaseUnavailableError

from pgserver import PgServer

from .conftest import CLAIM_ID, PACK_ID, make_service


def _rows(url: str, sql: str) -> list[tuple]:
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        return conn.execute(sql).fetchall()


def test_outage_keeps_work_locally_and_writes_it_once_when_back(pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create_database()
    service = make_service(Locations(data_dir=tmp_path / "data", database_url=url))
    try:
        ann = service.store.add_profile(name="Ann")
        service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id="cost", text="saved while online")
        assert not service.writes.offline

        pg_server.stop()
        try:
            # The server is gone: nothing raises, everything lands in the outbox.
            draft = service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id="cost", text="typed offline, longer", cursor_position=5)
            assert draft.pending and service.writes.offline
            assert service.writes.offline_message is not None and "kept on this computer" in service.writes.offline_message
            attempt, result = service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text="submitted offline")
            assert attempt.pending and attempt.id == 0 and attempt.client_uuid and attempt.profile_name == "Ann"
            assert attempt.score == result.score
            service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id="cost", text="typed offline, longer still")
            assert service.writes.pending_count() == 2  # the newer draft replaced the older one
            # The typed text is still there for the editor to show.
            shown = service.practice.get_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id="cost")
            assert shown is not None and shown.text == "typed offline, longer still" and shown.pending
            # Reads say what is wrong in plain words.
            with pytest.raises(DatabaseUnavailableError, match="cannot be reached right now"):
                service.store.list_attempts()
            outcome = service.writes.flush()  # the UI's periodic retry, still down
            assert outcome.written == 0 and outcome.remaining == 2 and outcome.error
        finally:
            pg_server.start()

        outcome = service.writes.flush()
        assert (outcome.written, outcome.failed, outcome.remaining) == (2, 0, 0)
        assert not service.writes.offline and service.writes.pending_count() == 0
        assert _rows(url, "SELECT text, client_uuid FROM attempts") == [("submitted offline", attempt.client_uuid)]
        assert _rows(url, "SELECT claim_id, text FROM drafts") == [("cost", "typed offline, longer still")]

        # A crash between writing and crossing off means a second write: still one row.
        service.writes.outbox.put_attempt(
            {**_payload(service, attempt.client_uuid)}, created_at="2026-01-01T00:00:00+00:00"
        )
        assert service.writes.flush().written == 1
        assert _rows(url, "SELECT count(*) FROM attempts") == [(1,)]
    finally:
        service.close()


def _payload(service, client_uuid: str) -> dict:  # noqa: ANN001
    [stored] = service.store.list_attempts()
    return {
        "profile_id": stored.profile_id,
        "pack_id": stored.pack_id,
        "pack_version": stored.pack_version,
        "claim_id": stored.claim_id,
        "perspective_id": None,
        "text": stored.text,
        "started_at": stored.started_at.isoformat(),
        "submitted_at": stored.submitted_at.isoformat(),
        "score": stored.score,
        "breakdown": stored.breakdown,
        "matcher_version": stored.matcher_version,
        "client_uuid": client_uuid,
    }


def test_outbox_survives_the_app_closing_before_the_server_returns(pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create_database()
    locations = Locations(data_dir=tmp_path / "data", database_url=url)
    service = make_service(locations)
    ann = service.store.add_profile(name="Ann")
    pg_server.stop()
    try:
        service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text="before closing")
        service.close()  # the app is closed while the server is still down
    finally:
        pg_server.start()
    from trainer.core.recovery import open_service_with_recovery

    from .conftest import FakeMatcher

    reopened, notices = open_service_with_recovery(locations, matcher_loader=FakeMatcher)
    try:
        assert [n.kind for n in notices] == ["backup-skipped", "outbox"]
        assert "Saved 1 item(s)" in notices[1].message
        assert [a.text for a in reopened.store.list_attempts()] == ["before closing"]
    finally:
        reopened.close()


def test_a_write_after_the_server_returns_goes_after_the_queued_ones(pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create_database()
    service = make_service(Locations(data_dir=tmp_path / "data", database_url=url))
    try:
        ann = service.store.add_profile(name="Ann")
        pg_server.stop()
        try:
            service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text="old")
            service.practice.submit_attempt(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text="answer")
        finally:
            pg_server.start()
        # No explicit flush: the next save writes the queue first, in order,
        # so the replayed attempt cannot wipe the newer draft.
        service.practice.save_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text="a new draft after submitting")
        assert not service.writes.offline and service.writes.pending_count() == 0
        assert [a.text for a in service.store.list_attempts()] == ["answer"]
        draft = service.store.get_draft(profile_id=ann.id, pack_id=PACK_ID, claim_id=CLAIM_ID)
        assert draft is not None and draft.text == "a new draft after submitting"
    finally:
        service.close()
