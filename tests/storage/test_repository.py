"""Round trips of every Repository method, on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from trainer.core.records import AttemptInfo, DisputeInfo, DraftInfo, ProfileInfo
from trainer.core.storage import (
    Database,
    DuplicateProfileError,
    InvalidInputError,
    NotFoundError,
    Repository,
    StorageError,
)

from .conftest import FakeClock

TRICKY_TEXTS = [
    "Plain ASCII.",
    "Emoji: 👩🏽‍⚖️ debates 🇰🇷 vs 🇺🇸 — fine 👍",
    "RTL: الحجة المضادة قوية. עברית גם כן.",
    "Combining: e\u0301 (NFD) vs é (NFC), Z\u0351\u0358a\u0362lgo",
    'Lines\nand "quotes", commas,\r\nCRLF\ttabs and \\ backslashes',
    "",
]

ATTEMPT = dict(
    pack_id="korea-summit-2019",
    pack_version="1.0.0",
    claim_id="01-arsenal",
    perspective_id="sceptic",
    score=0.625,
    breakdown={"key_points": [{"id": "kp1", "hit": True, "similarity": 0.81}], "note": "ok"},
    matcher_version="tfidf-1",
)


def _record(repo: Repository, profile_id: int, **overrides: object) -> AttemptInfo:
    args: dict[str, object] = dict(ATTEMPT, text="My rebuttal.", started_at=repo.now())
    args.update(overrides)
    return repo.record_attempt(profile_id=profile_id, **args)  # type: ignore[arg-type]


def _count(database: Database, table: str) -> int:
    with database.engine.connect() as conn:
        return conn.execute(sql(f"SELECT count(*) FROM {table}")).scalar_one()


# --- profiles ----------------------------------------------------------------------


def test_profiles_round_trip(repo: Repository, clock: FakeClock) -> None:
    assert repo.list_profiles() == []
    bea = repo.add_profile(name="  Bea  ")
    clock.advance(seconds=1)
    ann = repo.add_profile(name="ann")

    assert bea == ProfileInfo(id=bea.id, name="Bea", created_at=clock.now - timedelta(seconds=1), has_pin=False, uuid=bea.uuid)
    assert len(bea.uuid) == 36 and bea.uuid != repo.get_profile(name="Ann").uuid  # type: ignore[union-attr]  # made for each profile (0007)
    assert ann.created_at == clock.now and ann.created_at.tzinfo == UTC
    assert repo.list_profiles() == [ann, bea]  # sorted by name, ignoring case
    assert repo.get_profile(name="Bea") == bea
    assert repo.get_profile(name=" Bea ") == bea
    assert repo.get_profile(name="nobody") is None
    assert repo.get_profile_by_id(profile_id=ann.id) == ann
    assert repo.get_profile_by_id(profile_id=ann.id + bea.id + 100) is None


def test_profile_names_keep_unicode(repo: Repository) -> None:
    for name in ["Zoë", "محمد", "李雷", "👩‍🏫 Coach"]:
        added = repo.add_profile(name=name)
        assert repo.get_profile(name=name) == added
        assert added.name == name
    # NFD input is stored as NFC, so the two spellings are one name
    with pytest.raises(DuplicateProfileError):
        repo.add_profile(name="Zoe\u0308")


@pytest.mark.parametrize("bad", ["", "   ", "\t\n", "x" * 61])
def test_add_profile_rejects_bad_names(repo: Repository, bad: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        repo.add_profile(name=bad)
    assert err.value.field == "name"
    assert isinstance(err.value, StorageError) and isinstance(err.value, ValueError)
    assert repo.list_profiles() == []


def test_duplicate_profile_names_are_refused(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    with pytest.raises(DuplicateProfileError, match="Ann"):
        repo.add_profile(name="Ann")
    with pytest.raises(DuplicateProfileError):
        repo.add_profile(name=" ANN ")
    assert repo.list_profiles() == [ann]


def test_rename_profile(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    renamed = repo.rename_profile(profile_id=ann.id, name=" Anne ")
    assert renamed == dataclasses.replace(ann, name="Anne")
    assert repo.get_profile(name="Ann") is None
    assert repo.rename_profile(profile_id=ann.id, name="ANNE").name == "ANNE"  # own name, new case
    with pytest.raises(DuplicateProfileError):
        repo.rename_profile(profile_id=ann.id, name="bea")
    with pytest.raises(InvalidInputError):
        repo.rename_profile(profile_id=ann.id, name=" ")
    with pytest.raises(NotFoundError):
        repo.rename_profile(profile_id=bea.id + 100, name="Cy")
    assert [p.name for p in repo.list_profiles()] == ["ANNE", "Bea"]


def test_delete_profile_cascades(repo: Repository, database: Database) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    for profile in (ann, bea):
        attempt = _record(repo, profile.id)
        repo.rescore_attempt(attempt_id=attempt.id, score=0.9, breakdown={}, matcher_version="v2")
        repo.add_dispute(attempt_id=attempt.id, key_point_id="kp1", kind="verdict-wrong")
        repo.save_draft(profile_id=profile.id, pack_id="p", claim_id="c", text="draft")
        repo.set_setting(profile_id=profile.id, key="last_pack", value="p")
    repo.set_setting(key="theme", value="dark")

    repo.delete_profile(profile_id=ann.id)

    assert repo.list_profiles() == [bea]
    assert [a.profile_id for a in repo.list_attempts()] == [bea.id]
    assert repo.list_drafts(profile_id=ann.id) == []
    assert repo.list_disputes(profile_id=ann.id) == []
    assert repo.get_setting(profile_id=bea.id, key="last_pack") == "p"
    assert repo.get_setting(key="theme") == "dark"
    counts = {t: _count(database, t) for t in ("attempts", "attempt_scores", "disputes", "drafts", "settings")}
    assert counts == {"attempts": 1, "attempt_scores": 1, "disputes": 1, "drafts": 1, "settings": 2}
    with pytest.raises(NotFoundError):
        repo.delete_profile(profile_id=ann.id)


# --- drafts ------------------------------------------------------------------------


def test_draft_upsert_keeps_started_at(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    started = clock.now
    first = repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c1", text="The")
    assert first == DraftInfo(
        profile_id=ann.id, pack_id="p", claim_id="c1", text="The", cursor_position=0,
        perspective_id=None, updated_at=started, started_at=started,
    )
    clock.advance(minutes=3)
    second = repo.save_draft(
        profile_id=ann.id, pack_id="p", claim_id="c1", text="The summit…", cursor_position=11,
        perspective_id="sceptic",
    )
    assert second.started_at == started
    assert second.updated_at == clock.now
    assert (second.text, second.cursor_position, second.perspective_id) == ("The summit…", 11, "sceptic")
    assert repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c1") == second
    assert repo.list_drafts(profile_id=ann.id) == [second]


def test_save_draft_accepts_an_explicit_start(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    began = datetime(2025, 3, 9, 16, 0, tzinfo=timezone(timedelta(hours=2)))
    draft = repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text="x", started_at=began)
    assert draft.started_at == began and draft.started_at.tzinfo == UTC


def test_list_and_delete_drafts(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    a = repo.save_draft(profile_id=ann.id, pack_id="p1", claim_id="c1", text="a")
    clock.advance(seconds=5)
    b = repo.save_draft(profile_id=ann.id, pack_id="p2", claim_id="c1", text="b")
    clock.advance(seconds=5)
    c = repo.save_draft(profile_id=ann.id, pack_id="p1", claim_id="c2", text="c")
    repo.save_draft(profile_id=bea.id, pack_id="p1", claim_id="c1", text="bea's")

    assert repo.list_drafts(profile_id=ann.id) == [c, b, a]  # most recent first
    assert repo.list_drafts(profile_id=ann.id, pack_id="p1") == [c, a]
    assert repo.delete_draft(profile_id=ann.id, pack_id="p1", claim_id="c1") is True
    assert repo.delete_draft(profile_id=ann.id, pack_id="p1", claim_id="c1") is False
    assert repo.list_drafts(profile_id=ann.id) == [c, b]
    assert repo.get_draft(profile_id=bea.id, pack_id="p1", claim_id="c1") is not None


def test_draft_validation(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    with pytest.raises(InvalidInputError, match="cursor_position"):
        repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text="x", cursor_position=-1)
    with pytest.raises(NotFoundError):
        repo.save_draft(profile_id=ann.id + 100, pack_id="p", claim_id="c", text="x")
    assert repo.list_drafts(profile_id=ann.id) == []


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_text_round_trips_exactly(repo: Repository, text: str) -> None:
    ann = repo.add_profile(name="Ann")
    draft = repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text=text, cursor_position=len(text))
    assert repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c") == draft
    assert draft.text == text
    attempt = _record(repo, ann.id, text=text, claim_id="c", pack_id="p")
    assert repo.get_attempt(attempt_id=attempt.id) == attempt
    assert attempt.text == text
    dispute = repo.add_dispute(attempt_id=attempt.id, key_point_id="kp", kind="did-make-point", comment=text)
    assert repo.list_disputes(attempt_id=attempt.id) == [dispute]
    assert dispute.comment == text


def test_any_text_round_trips(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
    def check(text: str) -> None:
        repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text=text)
        draft = repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c")
        assert draft is not None and draft.text == text

    check()


# --- attempts ----------------------------------------------------------------------


def test_record_attempt_round_trip(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    started = datetime(2025, 3, 9, 9, 0, 0, 250000, tzinfo=timezone(timedelta(hours=-5)))
    clock.now = started + timedelta(minutes=4, seconds=30)
    attempt = repo.record_attempt(
        profile_id=ann.id, text="Deterrence still works.", started_at=started, **ATTEMPT  # type: ignore[arg-type]
    )
    assert attempt == AttemptInfo(
        id=attempt.id, profile_id=ann.id, profile_name="Ann", pack_id="korea-summit-2019",
        pack_version="1.0.0", claim_id="01-arsenal", perspective_id="sceptic",
        text="Deterrence still works.", started_at=started, submitted_at=clock.now,
        duration_seconds=270.0, score=0.625, breakdown=ATTEMPT["breakdown"],  # type: ignore[arg-type]
        matcher_version="tfidf-1", superseded_scores=(), scored_at=clock.now, client_uuid=attempt.client_uuid,
    )
    assert attempt.client_uuid is not None and len(attempt.client_uuid) == 36  # every attempt gets one (0007)
    stored = repo.get_attempt(attempt_id=attempt.id)
    assert stored == attempt
    assert stored.started_at.tzinfo == UTC and stored.submitted_at.tzinfo == UTC
    assert repo.get_attempt(attempt_id=attempt.id + 100) is None


def test_record_attempt_optional_values(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    submitted = clock.now - timedelta(seconds=10)
    attempt = _record(
        repo, ann.id, perspective_id=None, score=None, matcher_version=None, breakdown={},
        started_at=clock.now, submitted_at=submitted, duration_seconds=None,
    )
    assert attempt.duration_seconds == 0.0  # the clock went backwards: never negative
    assert attempt.submitted_at == submitted
    explicit = _record(repo, ann.id, duration_seconds=42.5)
    assert repo.get_attempt(attempt_id=explicit.id).duration_seconds == 42.5  # type: ignore[union-attr]
    assert repo.get_attempt(attempt_id=attempt.id) == attempt


def test_record_attempt_validation(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    naive = datetime(2025, 1, 1, 12, 0)
    with pytest.raises(ValueError, match="started_at"):
        _record(repo, ann.id, started_at=naive)
    with pytest.raises(InvalidInputError, match="submitted_at"):
        _record(repo, ann.id, submitted_at=naive)
    with pytest.raises(InvalidInputError, match="score"):
        _record(repo, ann.id, score=float("nan"))
    with pytest.raises(InvalidInputError, match="breakdown"):
        _record(repo, ann.id, breakdown={"x": float("inf")})
    with pytest.raises(InvalidInputError, match="breakdown"):
        _record(repo, ann.id, breakdown={"x": object()})
    with pytest.raises(NotFoundError):
        _record(repo, ann.id + 100)
    assert repo.list_attempts() == []


def test_record_attempt_clears_the_draft(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c1", text="draft 1")
    repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c2", text="draft 2")
    draft = repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c1")
    assert draft is not None
    _record(repo, ann.id, pack_id="p", claim_id="c1", text=draft.text, started_at=draft.started_at)
    assert repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c1") is None
    assert repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c2") is not None
    _record(repo, ann.id, pack_id="p", claim_id="c2", clear_draft=False)
    assert repo.get_draft(profile_id=ann.id, pack_id="p", claim_id="c2") is not None


def test_list_attempts_filters_and_order(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    t = clock.now
    late = _record(repo, ann.id, claim_id="c1", submitted_at=t + timedelta(hours=2))
    early = _record(repo, ann.id, claim_id="c2", submitted_at=t + timedelta(hours=1))
    tie = _record(repo, bea.id, claim_id="c1", submitted_at=t + timedelta(hours=2))
    other_pack = _record(repo, bea.id, pack_id="other", claim_id="c1", submitted_at=t)

    assert repo.list_attempts() == [other_pack, early, late, tie]
    assert repo.list_attempts(profile_id=ann.id) == [early, late]
    assert repo.list_attempts(claim_id="c1") == [other_pack, late, tie]
    assert repo.list_attempts(pack_id="korea-summit-2019", claim_id="c1") == [late, tie]
    assert repo.list_attempts(profile_id=bea.id, pack_id="other") == [other_pack]
    assert repo.list_attempts(profile_id=bea.id + 100) == []
    assert {a.profile_name for a in repo.list_attempts()} == {"Ann", "Bea"}


def test_rescore_keeps_history(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    first_scored = clock.now
    attempt = _record(repo, ann.id)
    other = _record(repo, ann.id, claim_id="untouched")

    clock.advance(days=30)
    second_scored = clock.now
    rescored = repo.rescore_attempt(attempt_id=attempt.id, score=0.75, breakdown={"v": 2}, matcher_version="tfidf-2")
    clock.advance(days=30)
    again = repo.rescore_attempt(attempt_id=attempt.id, score=None, breakdown={"v": 3}, matcher_version="embed-1")

    assert (rescored.score, rescored.breakdown, rescored.matcher_version, rescored.scored_at) == (
        0.75, {"v": 2}, "tfidf-2", second_scored,
    )
    assert [(s.scored_at, s.score, s.matcher_version, s.breakdown) for s in again.superseded_scores] == [
        (first_scored, 0.625, "tfidf-1", ATTEMPT["breakdown"]),
        (second_scored, 0.75, "tfidf-2", {"v": 2}),
    ]
    assert (again.score, again.matcher_version, again.scored_at) == (None, "embed-1", clock.now)
    assert again.text == attempt.text and again.submitted_at == attempt.submitted_at
    assert repo.get_attempt(attempt_id=attempt.id) == again
    assert repo.list_attempts() == [again, other]
    with pytest.raises(NotFoundError):
        repo.rescore_attempt(attempt_id=attempt.id + 100, score=1.0, breakdown={}, matcher_version=None)
    with pytest.raises(InvalidInputError):
        repo.rescore_attempt(attempt_id=attempt.id, score=float("nan"), breakdown={}, matcher_version=None)


# --- disputes ----------------------------------------------------------------------


def test_disputes(repo: Repository, clock: FakeClock) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    a1 = _record(repo, ann.id)
    a2 = _record(repo, ann.id, claim_id="c2")
    b1 = _record(repo, bea.id)

    d1 = repo.add_dispute(attempt_id=a1.id, key_point_id="kp1", kind="did-make-point", comment="I said it in ¶2 🙂")
    clock.advance(seconds=1)
    d2 = repo.add_dispute(attempt_id=a2.id, key_point_id="kp2", kind="verdict-wrong")
    d3 = repo.add_dispute(attempt_id=b1.id, key_point_id="kp1", kind="verdict-wrong", comment="قال")

    assert d1 == DisputeInfo(id=d1.id, attempt_id=a1.id, key_point_id="kp1", kind="did-make-point",
                             comment="I said it in ¶2 🙂", created_at=clock.now - timedelta(seconds=1), uuid=d1.uuid)
    assert len({d1.uuid, d2.uuid, d3.uuid}) == 3
    assert d2.comment == ""
    assert repo.list_disputes() == [d1, d2, d3]
    assert repo.list_disputes(attempt_id=a1.id) == [d1]
    assert repo.list_disputes(profile_id=ann.id) == [d1, d2]
    assert repo.list_disputes(profile_id=bea.id, attempt_id=a1.id) == []


def test_dispute_validation(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    attempt = _record(repo, ann.id)
    with pytest.raises(InvalidInputError) as err:
        repo.add_dispute(attempt_id=attempt.id, key_point_id="kp1", kind="i-disagree")
    assert err.value.field == "kind"
    with pytest.raises(InvalidInputError, match="key_point_id"):
        repo.add_dispute(attempt_id=attempt.id, key_point_id=" ", kind="verdict-wrong")
    with pytest.raises(NotFoundError):
        repo.add_dispute(attempt_id=attempt.id + 100, key_point_id="kp1", kind="verdict-wrong")
    assert repo.list_disputes() == []


# --- settings ----------------------------------------------------------------------


def test_settings(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    bea = repo.add_profile(name="Bea")
    assert repo.get_setting(key="last_pack") is None
    assert repo.get_setting(key="last_pack", default="none") == "none"

    repo.set_setting(key="last_pack", value="global-pack")
    repo.set_setting(key="last_pack", value="ann-pack", profile_id=ann.id)
    repo.set_setting(key="last_pack", value="ann-pack-2", profile_id=ann.id)  # overwrite
    repo.set_setting(key="font", value="Δ 18pt ✓", profile_id=bea.id)

    assert repo.get_setting(key="last_pack") == "global-pack"
    assert repo.get_setting(key="last_pack", profile_id=ann.id) == "ann-pack-2"
    assert repo.get_setting(key="last_pack", profile_id=bea.id) is None
    assert repo.get_setting(key="font", profile_id=bea.id) == "Δ 18pt ✓"

    repo.set_setting(key="last_pack", value="global-2")  # the global one is unique too
    assert repo.get_setting(key="last_pack") == "global-2"
    repo.set_setting(key="last_pack", value=None)
    assert repo.get_setting(key="last_pack") is None
    assert repo.get_setting(key="last_pack", profile_id=ann.id) == "ann-pack-2"
    repo.set_setting(key="missing", value=None)  # removing nothing is fine

    with pytest.raises(NotFoundError):
        repo.set_setting(key="x", value="y", profile_id=bea.id + 100)
    with pytest.raises(InvalidInputError):
        repo.set_setting(key="", value="y")


def test_naive_clock_is_refused(database: Database) -> None:
    repo = Repository(database, clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(InvalidInputError, match="clock"):
        repo.add_profile(name="Ann")


def test_records_are_frozen(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ann.name = "Bea"  # type: ignore[misc]


def test_the_same_attempt_written_twice_at_once_is_stored_once(repo: Repository, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two writers pass the "already stored?" check together; the unique client_uuid decides."""
    ann = repo.add_profile(name="Ann")
    repo.save_draft(profile_id=ann.id, pack_id="p", claim_id="c", text="draft")
    args = dict(
        profile_id=ann.id, pack_id="p", pack_version="1", claim_id="c", perspective_id=None, text="once",
        started_at=clock(), score=0.5, breakdown={}, matcher_version="m", client_uuid="uuid-1",
    )
    first = repo.record_attempt(**args)
    real_lookup = repo._attempt_by_uuid
    calls: list[str] = []

    def racing_lookup(client_uuid: str):  # noqa: ANN202 - the first check misses, as in a race
        calls.append(client_uuid)
        return None if len(calls) == 1 else real_lookup(client_uuid)

    monkeypatch.setattr(repo, "_attempt_by_uuid", racing_lookup)
    second = repo.record_attempt(**args)
    assert second.id == first.id
    assert [a.text for a in repo.list_attempts(profile_id=ann.id)] == ["once"]
    assert len(calls) == 2


def test_profile_lookup_ignores_case_like_uniqueness(repo: Repository) -> None:
    ann = repo.add_profile(name="Ann")
    assert repo.get_profile(name="ann") == ann
    assert repo.get_profile(name=" ANN ") == ann
    assert repo.get_profile(name="Anne") is None
