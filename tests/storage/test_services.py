"""Each service on its own, over a real database (SQLite, and PostgreSQL when
the test script starts one): built by hand from its collaborators, without
the ``Service`` that owns them in the app."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.core.matching.types import MatchResult
from trainer.core.paths import Locations
from trainer.core.services import (
    Data,
    DataNotReadyError,
    PackExistsError,
    PackLibrary,
    Practice,
    Profiles,
    Results,
    Scoring,
    Settings,
    UnknownPackError,
    Writes,
)
from trainer.core.storage import Database, DatabaseUnavailableError, NotFoundError, ProfileLockedError

from .conftest import FakeClock

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK, CLAIM = "tiny-uniforms", "expression"


class LengthMatcher:
    def __init__(self) -> None:
        self.calls = 0

    def score(self, *, claim: str, key_points: object, response: str, perspective: str | None = None, background: object = ()) -> MatchResult:
        self.calls += 1
        return MatchResult(matcher_version="len-1", score=min(1.0, len(response) / 100), key_points=(), rubric=())


@pytest.fixture
def data(tmp_path: Path, database: Database, database_url: str, clock: FakeClock) -> Data:
    d = Data(Locations(data_dir=tmp_path / "data", database_url=database_url), clock=clock)
    d.locations.data_dir.mkdir(parents=True, exist_ok=True)
    d.attach(database)
    return d


def test_data_says_plainly_that_it_is_not_open_yet(tmp_path: Path) -> None:
    d = Data(Locations(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.sqlite3"))
    assert not d.is_open
    with pytest.raises(DataNotReadyError, match="still opening its data"):
        d.store  # noqa: B018
    d.open()
    assert d.is_open and d.store.list_profiles() == []
    d.close()
    assert not d.is_open


# -- Writes: the one write path --------------------------------------------------
def test_a_write_goes_straight_to_the_database_when_it_answers(data: Data) -> None:
    writes = Writes(data)
    ann = data.store.add_profile(name="Ann")
    got = writes.write(lambda: data.store.set_setting(key="k", value="v", profile_id=ann.id) or "direct", lambda: "queued")
    assert got == "direct" and not writes.offline and writes.pending_count() == 0


def test_an_outage_queues_the_write_and_later_writes_keep_their_order(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = Writes(data)
    ann = data.store.add_profile(name="Ann")
    draft = {"profile_id": ann.id, "pack_id": PACK, "claim_id": CLAIM, "text": "first", "cursor_position": 0,
             "perspective_id": None, "started_at": "2025-03-09T14:30:15+00:00", "updated_at": "2025-03-09T14:30:15+00:00"}

    def down() -> str:
        raise DatabaseUnavailableError("the server is gone")

    assert writes.write(down, lambda: writes.outbox.put_draft(draft, created_at=draft["updated_at"]) or "queued") == "queued"
    assert writes.offline and "cannot be reached" in (writes.offline_message or "")
    # While the queue cannot be flushed, a new write never jumps it.
    real_save = data.store.save_draft
    monkeypatch.setattr(data.store, "save_draft", lambda **kw: down())
    second = dict(draft, claim_id="cost", text="second")
    direct_called: list[bool] = []
    got = writes.write(lambda: direct_called.append(True) or "direct",
                       lambda: writes.outbox.put_draft(second, created_at="2025-03-09T14:31:00+00:00") or "queued")
    assert got == "queued" and direct_called == [] and writes.pending_count() == 2
    # Back: one flush writes both, oldest first, and the path is direct again.
    monkeypatch.setattr(data.store, "save_draft", real_save)
    outcome = writes.flush()
    assert (outcome.written, outcome.failed, outcome.remaining) == (2, 0, 0)
    assert not writes.offline
    assert sorted(d.text for d in data.store.list_drafts(profile_id=ann.id)) == ["first", "second"]
    assert writes.write(lambda: "direct", lambda: "queued") == "direct"


def test_deferring_writes_skip_the_server_while_offline(data: Data) -> None:
    writes = Writes(data)
    writes.defer_while_offline = True
    writes.write(lambda: (_ for _ in ()).throw(DatabaseUnavailableError("down")), lambda: None)
    assert writes.offline and writes.deferring()
    tried: list[bool] = []
    assert writes.write(lambda: tried.append(True) or "direct", lambda: "queued") == "queued"
    assert tried == []


# -- Profiles ------------------------------------------------------------------
def test_wrong_pins_back_off_and_the_count_survives_a_restart(data: Data, clock: FakeClock) -> None:
    """Five wrong PINs are free; then each try waits longer (30 s, 60 s, …),
    and the count is stored, so a new Profiles (an app restart) keeps it."""
    from trainer.core.storage import PinBackoffError

    profiles = Profiles(data, Writes(data))
    ann = profiles.add("Ann")
    profiles.set_pin(profile_id=ann.id, pin="2468")
    profiles.lock(profile_id=ann.id)
    for _ in range(4):
        with pytest.raises(ProfileLockedError) as wrong:
            profiles.unlock(profile_id=ann.id, pin="0000")
        assert not isinstance(wrong.value, PinBackoffError)
    with pytest.raises(PinBackoffError) as fifth:
        profiles.unlock(profile_id=ann.id, pin="0000")
    assert fifth.value.retry_in == 30 and "try again in 30 seconds" in str(fifth.value)

    restarted = Profiles(data, Writes(data))
    clock.advance(seconds=29)
    with pytest.raises(PinBackoffError):  # even the right PIN waits
        restarted.unlock(profile_id=ann.id, pin="2468")
    assert not restarted.is_unlocked(profile_id=ann.id)
    clock.advance(seconds=1)
    with pytest.raises(PinBackoffError) as sixth:  # a wrong try now doubles the wait
        restarted.unlock(profile_id=ann.id, pin="1111")
    assert sixth.value.retry_in == 60
    clock.advance(seconds=60)
    restarted.unlock(profile_id=ann.id, pin="2468")  # right: unlocked, and the count starts again
    assert restarted.is_unlocked(profile_id=ann.id) and restarted.pin_wait(ann.id) == 0
    restarted.lock(profile_id=ann.id)
    with pytest.raises(ProfileLockedError) as again:
        restarted.unlock(profile_id=ann.id, pin="0000")
    assert not isinstance(again.value, PinBackoffError)


def test_unlocked_profiles_lock_again_after_the_idle_time(data: Data, clock: FakeClock) -> None:
    profiles = Profiles(data, Writes(data))
    ann, bea = profiles.add("Ann"), profiles.add("Bea")
    for p in (ann, bea):
        profiles.set_pin(profile_id=p.id, pin="2468")  # setting a PIN unlocks
    assert profiles.idle_limit() == timedelta(minutes=5)
    clock.advance(minutes=3)
    profiles.note_activity(ann.id)
    clock.advance(minutes=2)
    assert profiles.lock_idle() == [bea.id]  # Bea idle 5 minutes, Ann only 2
    assert profiles.is_unlocked(profile_id=ann.id) and not profiles.is_unlocked(profile_id=bea.id)
    profiles.set_idle_limit(1)
    clock.advance(minutes=1)
    assert profiles.lock_idle() == [ann.id] and Profiles(data, Writes(data)).idle_limit() == timedelta(minutes=1)
    with pytest.raises(ValueError):
        profiles.set_idle_limit(0)


def test_profiles_pins_and_unlocking(data: Data) -> None:
    profiles = Profiles(data, Writes(data))
    ann = profiles.add("Ann")
    assert profiles.find(ann.id) == ann and profiles.by_name("Ann") == ann and profiles.find(999) is None
    with pytest.raises(NotFoundError):
        profiles.get(999)
    profiles.set_pin(profile_id=ann.id, pin="1234")
    assert profiles.is_unlocked(profile_id=ann.id)  # setting it unlocks for this session
    profiles.lock(profile_id=ann.id)
    assert [p.name for p in profiles.locked()] == ["Ann"]
    with pytest.raises(ProfileLockedError):
        profiles.require_unlocked(ann.id)
    with pytest.raises(ProfileLockedError, match="Wrong PIN"):
        profiles.require_unlocked(ann.id, "0000")
    profiles.require_unlocked(ann.id, "1234")
    assert profiles.locked() == []
    profiles.lock(profile_id=ann.id)
    profiles.reset(profile_id=ann.id)
    assert not profiles.get(ann.id).has_pin


def test_offline_a_profile_seen_before_is_still_known(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    profiles = Profiles(data, Writes(data))
    ann = profiles.add("Ann")

    def down(**_kw: object) -> None:
        raise DatabaseUnavailableError("down")

    monkeypatch.setattr(data.store, "get_profile_by_id", down)
    assert profiles.get(ann.id).name == "Ann"
    with pytest.raises(DatabaseUnavailableError):
        profiles.get(ann.id + 1)


# -- Settings, packs, scoring ----------------------------------------------------
def test_settings_global_and_per_profile(data: Data) -> None:
    settings = Settings(data)
    ann = data.store.add_profile(name="Ann")
    settings.set("ui/last", "x")
    settings.set("ui/last", "y", profile_id=ann.id)
    assert settings.get("ui/last") == "x" and settings.get("ui/last", profile_id=ann.id) == "y"
    settings.set("ui/last", None)
    assert settings.get("ui/last", default="none") == "none"


def test_the_pack_library_finds_imports_and_names_what_is_installed(data: Data, clock: FakeClock) -> None:
    packs = PackLibrary(data.locations, clock=clock, folders=[])
    assert packs.folders() == [(data.locations.packs_dir, False)]
    with pytest.raises(UnknownPackError, match="installed: none"):
        packs.get(PACK)
    assert packs.import_pack(TINY).id == PACK
    assert [p.id for p in packs.all()] == [PACK]
    with pytest.raises(PackExistsError):
        packs.import_pack(TINY)


def test_scoring_loads_the_matcher_once_even_when_two_threads_ask(data: Data, clock: FakeClock) -> None:
    loads: list[int] = []
    gate = threading.Barrier(2)

    def loader() -> LengthMatcher:
        loads.append(1)
        return LengthMatcher()

    packs = PackLibrary(data.locations, clock=clock, folders=[(TINY.parent, True)])
    scoring = Scoring(data, packs, Profiles(data, Writes(data)), loader=loader)
    got: list[object] = []

    def ask() -> None:
        gate.wait()
        got.append(scoring.matcher())

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and got[0] is got[1]
    assert scoring.score(pack_id=PACK, claim_id=CLAIM, text="x" * 50).score == 0.5


# -- Practice and results --------------------------------------------------------
@pytest.fixture
def parts(data: Data, clock: FakeClock) -> tuple[Practice, Results, Profiles]:
    writes = Writes(data)
    profiles = Profiles(data, writes)
    packs = PackLibrary(data.locations, clock=clock, folders=[(TINY.parent, True)])
    scoring = Scoring(data, packs, profiles, loader=LengthMatcher)
    return Practice(data, writes, profiles, packs, scoring), Results(data, writes, profiles), profiles


def test_practice_saves_drafts_and_stores_a_scored_attempt(parts: tuple[Practice, Results, Profiles], clock: FakeClock) -> None:
    practice, results, profiles = parts
    ann = profiles.add("Ann")
    practice.save_draft(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM, text="half a tho\x00ught", cursor_position=99)
    draft = practice.get_draft(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM)
    assert draft is not None and draft.text == "half a thought" and draft.cursor_position == len("half a thought")
    clock.advance(minutes=3)
    attempt, result = practice.submit_attempt(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM, text="y" * 80)
    assert not attempt.pending and attempt.score == result.score == 0.8
    assert [a.id for a in results.list_attempts(profile_id=ann.id)] == [attempt.id]
    practice.delete_draft(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM)
    assert practice.get_draft(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM) is None


def test_results_hide_locked_profiles_and_check_disputes(parts: tuple[Practice, Results, Profiles], tmp_path: Path) -> None:
    practice, results, profiles = parts
    ann, bea = profiles.add("Ann"), profiles.add("Bea")
    practice.submit_attempt(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM, text="a" * 40)
    theirs, _ = practice.submit_attempt(profile_id=bea.id, pack_id=PACK, claim_id=CLAIM, text="b" * 40)
    profiles.set_pin(profile_id=bea.id, pin="4321")
    profiles.lock(profile_id=bea.id)
    assert {a.profile_id for a in results.list_attempts()} == {ann.id}
    with pytest.raises(ProfileLockedError):
        results.get_attempt(attempt_id=theirs.id)
    with pytest.raises(NotFoundError):
        results.add_dispute(attempt_id=theirs.id + 100, key_point_id="kp", kind="missed")
    outcome = results.export_attempts(fmt="json", out=tmp_path / "all.json")
    assert (outcome.count, outcome.excluded_profiles) == (1, ("Bea",))


def test_the_json_export_carries_the_sources_of_each_attempts_key_points(data: Data, clock: FakeClock, tmp_path: Path) -> None:
    import json
    import shutil

    pack_dir = tmp_path / "packs" / "tiny"
    shutil.copytree(TINY, pack_dir)
    claim = pack_dir / "claims" / "01-expression.toml"
    text = claim.read_text(encoding="utf-8")
    weak = text.index("[[weak_examples]]")
    source = '[[key_points.sources]]\ntitle = "Survey"\npublisher = "Institute"\ndate = "2020-01-02"\nurl = "https://example.org/s"\n\n'
    claim.write_text(text[:weak] + source + text[weak:] + '\n[[note_sources]]\ntitle = "Notes"\npublisher = "Club"\n', encoding="utf-8")
    writes = Writes(data)
    profiles = Profiles(data, writes)
    packs = PackLibrary(data.locations, clock=clock, folders=[(pack_dir.parent, True)])
    practice = Practice(data, writes, profiles, packs, Scoring(data, packs, profiles, loader=LengthMatcher))
    ann = profiles.add("Ann")
    practice.submit_attempt(profile_id=ann.id, pack_id=PACK, claim_id=CLAIM, text="a" * 40)
    practice.submit_attempt(profile_id=ann.id, pack_id=PACK, claim_id="cost", text="b" * 40)
    Results(data, writes, profiles, packs).export_attempts(fmt="json", out=tmp_path / "all.json")
    exported = {a["claim_id"]: a["sources"] for a in json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["attempts"]}
    assert exported == {
        "expression": {
            "expression-bullying": [{"title": "Survey", "publisher": "Institute", "date": "2020-01-02", "url": "https://example.org/s", "supports": None}],
            "(note)": [{"title": "Notes", "publisher": "Club", "date": None, "url": None, "supports": None}],
        },
        "cost": {},
    }


def test_a_coach_reads_every_students_work_and_resets_a_forgotten_pin(parts: tuple[Practice, Results, Profiles], data: Data, tmp_path: Path) -> None:
    import json

    from trainer.core.security import InvalidPinError
    from trainer.core.storage import CoachRequiredError, InvalidInputError

    practice, results, profiles = parts
    ann, bea = profiles.add("Ann"), profiles.add("Bea")
    practice.submit_attempt(profile_id=bea.id, pack_id=PACK, claim_id=CLAIM, text="b" * 40)
    profiles.set_pin(profile_id=bea.id, pin="4321")
    with pytest.raises(InvalidPinError):
        profiles.add_coach("Coach Kim", pin="1")  # a coach needs a real PIN
    assert profiles.by_name("Coach Kim") is None
    coach = profiles.add_coach("Coach Kim", pin="9999")
    assert coach.is_coach and coach.has_pin and [c.name for c in profiles.coaches()] == ["Coach Kim"]
    profiles.lock_all()
    assert profiles.coach() is None and [p.name for p in profiles.locked()] == ["Bea", "Coach Kim"]
    with pytest.raises(CoachRequiredError):
        profiles.reset_pin(profile_id=bea.id)
    with pytest.raises(ProfileLockedError):
        results.list_attempts(profile_id=bea.id)

    profiles.unlock(profile_id=coach.id, pin="9999")
    assert profiles.coach() == coach and profiles.locked() == []
    assert [a.profile_name for a in results.list_attempts(profile_id=bea.id)] == ["Bea"]
    outcome = results.export_attempts(fmt="json", out=tmp_path / "club.json")
    assert outcome.excluded_profiles == () and outcome.count == 1  # Bea's work included
    assert json.loads((tmp_path / "club.json").read_text(encoding="utf-8"))["attempts"][0]["profile"] == "Bea"

    assert not profiles.reset_pin(profile_id=bea.id).has_pin  # forgotten PIN: removed, work kept
    assert len(results.list_attempts(profile_id=bea.id)) == 1
    with pytest.raises(InvalidInputError):
        profiles.reset_pin(profile_id=coach.id)
    with pytest.raises(InvalidInputError):
        profiles.clear_pin(profile_id=coach.id, current_pin="9999")  # a coach keeps a PIN

    profiles.lock(profile_id=coach.id)  # the coach leaves: students' rules apply again
    profiles.set_pin(profile_id=ann.id, pin="1357")
    profiles.lock(profile_id=ann.id)
    assert profiles.coach() is None and [p.name for p in profiles.locked()] == ["Ann", "Coach Kim"]
