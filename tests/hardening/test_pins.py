"""Issue 7, item 4: per-profile PINs (salted scrypt), gated history and
export, and the confirmed reset for a forgotten PIN."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.core import security
from trainer.core.paths import Locations
from trainer.core.service import Service
from trainer.core.storage import ProfileLockedError, utc_now

from .conftest import CLAIM_ID, PACK_ID, make_service, steelman


def test_hash_is_salted_self_describing_scrypt() -> None:
    stored = security.hash_pin("2468")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert security.hash_pin("2468") != stored  # a new salt every time
    assert security.verify_pin("2468", stored)
    assert not security.verify_pin("2469", stored)
    assert not security.verify_pin("2468", "scrypt$16384$8$1$garbage")
    assert not security.verify_pin("2468", "md5$whatever")
    with pytest.raises(security.InvalidPinError):
        security.hash_pin("12")


def _with_history(service: Service) -> tuple[int, int]:
    ann = service.store.add_profile(name="Ann")
    bea = service.store.add_profile(name="Bea")
    for profile in (ann, bea):
        service.practice.save_draft(profile_id=profile.id, pack_id=PACK_ID, claim_id="cost", text=f"{profile.name} draft")
        attempt, _ = service.practice.submit_attempt(profile_id=profile.id, pack_id=PACK_ID, claim_id=CLAIM_ID, text=f"{profile.name} answer")
        service.store.add_dispute(attempt_id=attempt.id, key_point_id="kp", kind="verdict-wrong", comment="hm")
    return ann.id, bea.id


def test_pin_protected_history_needs_the_pin(service: Service, tmp_path: Path) -> None:
    ann, bea = _with_history(service)
    service.profiles.set_pin(profile_id=ann, pin="2468")
    service.profiles.lock(profile_id=ann)  # as after switching profiles
    assert service.store.get_pin_hash(profile_id=ann).startswith("scrypt$")  # type: ignore[union-attr]
    assert service.store.get_profile_by_id(profile_id=ann).has_pin  # type: ignore[union-attr]

    for i, read in enumerate((
        lambda **kw: service.results.list_attempts(profile_id=ann, **kw),
        lambda **kw: service.practice.list_drafts(profile_id=ann, **kw),
        lambda **kw: service.practice.get_draft(profile_id=ann, pack_id=PACK_ID, claim_id="cost", **kw),
        lambda **kw: service.results.list_disputes(profile_id=ann, **kw),
        lambda **kw: service.results.export_attempts(fmt="json", out=tmp_path / "ann.json", profile_id=ann, **kw),
    )):
        with pytest.raises(ProfileLockedError, match="protected by a PIN"):
            read()
        # four wrong PINs, then a fifth that starts the back-off (tests/storage/test_services.py covers the waits)
        with pytest.raises(ProfileLockedError, match="Wrong PIN" if i < 4 else "Too many wrong PINs"):
            read(pin="0000")
    service.profiles.lock_all()
    service.data.clock = lambda: utc_now() + timedelta(seconds=31)  # the 30 s wait is over
    assert not (tmp_path / "ann.json").exists()

    # Everyone's history leaves Ann out until she is unlocked.
    assert {a.profile_name for a in service.results.list_attempts()} == {"Bea"}
    outcome = service.results.export_attempts(fmt="json", out=tmp_path / "all.json")
    assert outcome.count == 1 and outcome.excluded_profiles == ("Ann",)
    exported = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [a["profile"] for a in exported["attempts"]] == ["Bea"]

    assert [a.text for a in service.results.list_attempts(profile_id=ann, pin="2468")] == ["Ann answer"]
    assert service.profiles.is_unlocked(profile_id=ann)  # the right PIN unlocks for the session
    assert [d.text for d in service.practice.list_drafts(profile_id=ann)] == ["Ann draft"]
    assert {a.profile_name for a in service.results.list_attempts()} == {"Ann", "Bea"}
    service.profiles.lock(profile_id=ann)
    assert service.results.list_attempts(profile_id=bea) != []  # no PIN, no question


def test_change_and_clear_need_the_current_pin(service: Service) -> None:
    ann = service.store.add_profile(name="Ann").id
    service.profiles.set_pin(profile_id=ann, pin="2468")
    with pytest.raises(ProfileLockedError, match="Wrong PIN"):
        service.profiles.set_pin(profile_id=ann, pin="1357", current_pin="0000")
    service.profiles.set_pin(profile_id=ann, pin="1357", current_pin="2468")
    assert service.profiles.verify_pin(profile_id=ann, pin="1357") and not service.profiles.verify_pin(profile_id=ann, pin="2468")
    with pytest.raises(ProfileLockedError):
        service.profiles.clear_pin(profile_id=ann, current_pin="2468")
    service.profiles.clear_pin(profile_id=ann, current_pin="1357")
    assert not service.store.get_profile_by_id(profile_id=ann).has_pin  # type: ignore[union-attr]


def test_reset_deletes_the_data_and_the_pin_but_keeps_the_name(service: Service) -> None:
    ann, bea = _with_history(service)
    service.store.set_setting(key="last_pack", value=PACK_ID, profile_id=ann)
    service.profiles.set_pin(profile_id=ann, pin="2468")
    service.profiles.lock(profile_id=ann)
    profile = service.profiles.reset(profile_id=ann)
    assert profile.name == "Ann" and not profile.has_pin
    assert service.results.list_attempts(profile_id=ann) == []
    assert service.practice.list_drafts(profile_id=ann) == [] and service.results.list_disputes(profile_id=ann) == []
    assert service.store.get_setting(key="last_pack", profile_id=ann) is None
    assert [a.text for a in service.results.list_attempts(profile_id=bea)] == ["Bea answer"]
    assert len(service.results.list_disputes(profile_id=bea)) == 1


@pytest.fixture
def cli_data(locations: Locations) -> Path:
    service = make_service(locations)
    _with_history(service)
    service.close()
    return locations.data_dir


def test_cli_pin_flow(cli_data: Path, tmp_path: Path, cli) -> None:  # noqa: ANN001
    assert cli("profiles", "set-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n").returncode == 0
    assert cli("profiles", data_dir=cli_data).stdout.splitlines() == ["Ann\t(PIN)", "Bea"]

    wrong = cli("attempts", "--profile", "Ann", "--pin-stdin", "--json", data_dir=cli_data, stdin="9999\n")
    assert wrong.returncode == 1 and "Wrong PIN for the profile 'Ann'" in wrong.stderr and wrong.stdout == ""
    right = cli("attempts", "--profile", "Ann", "--pin-stdin", "--json", data_dir=cli_data, stdin="2468\n")
    assert right.returncode == 0 and [a["text"] for a in json.loads(right.stdout)] == ["Ann answer"]

    everyone = cli("attempts", "--json", data_dir=cli_data)
    assert [a["profile"] for a in json.loads(everyone.stdout)] == ["Bea"]
    assert "left out PIN-protected profile(s): Ann" in everyone.stderr

    out = tmp_path / "ann.csv"
    assert cli("export", "--format", "csv", "--profile", "Ann", "--pin-stdin", str(out), data_dir=cli_data, stdin="1\n").returncode == 1
    assert not out.exists()
    ok = cli("export", "--format", "csv", "--profile", "Ann", "--pin-stdin", str(out), data_dir=cli_data, stdin="2468\n")
    assert ok.returncode == 0 and "Ann answer" in out.read_text(encoding="utf-8")
    all_out = tmp_path / "all.json"
    result = cli("export", "--format", "json", str(all_out), data_dir=cli_data)
    assert result.returncode == 0 and "left out PIN-protected profile(s): Ann" in result.stderr
    assert "Ann answer" not in all_out.read_text(encoding="utf-8")

    changed = cli("profiles", "set-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="0000\n1357\n")
    assert changed.returncode == 1 and "Wrong PIN" in changed.stderr
    assert cli("profiles", "set-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n1357\n").returncode == 0
    assert cli("profiles", "clear-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n").returncode == 1
    assert cli("profiles", "clear-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="1357\n").returncode == 0
    assert cli("profiles", data_dir=cli_data).stdout.splitlines() == ["Ann", "Bea"]


def test_cli_reset_asks_for_the_name(cli_data: Path, cli) -> None:  # noqa: ANN001
    cli("profiles", "set-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n")
    refused = cli("profiles", "reset", "Ann", data_dir=cli_data, stdin="ann?\n")
    assert refused.returncode == 1 and "Type the profile name to confirm" in refused.stderr and "nothing was deleted" in refused.stderr
    assert cli("attempts", "--profile", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n").returncode == 0

    done = cli("profiles", "reset", "Ann", data_dir=cli_data, stdin="Ann\n")
    assert done.returncode == 0, done.stderr
    listing = cli("attempts", "--profile", "Ann", data_dir=cli_data)  # no PIN asked any more
    assert listing.returncode == 0 and "No attempts yet." in listing.stdout
    assert cli("profiles", data_dir=cli_data).stdout.splitlines() == ["Ann", "Bea"]
    assert cli("profiles", "reset", "Bea", "--yes", data_dir=cli_data).returncode == 0
    assert "No attempts yet." in cli("attempts", data_dir=cli_data).stdout


def test_cli_wrong_pin_exits_1_as_a_real_process(cli_data: Path, cli) -> None:  # noqa: ANN001
    assert cli("profiles", "set-pin", "Bea", "--pin-stdin", data_dir=cli_data, stdin="2468\n").returncode == 0
    result = steelman("export", "--format", "json", "--profile", "Bea", "--pin-stdin", "out.json", data_dir=cli_data, stdin="1111\n")
    assert result.returncode == 1 and result.stderr == "steelman: Wrong PIN for the profile 'Bea'.\n"


def test_one_attempt_its_disputes_and_a_new_dispute_need_the_pin(service: Service) -> None:
    ann, bea = _with_history(service)
    [ann_attempt] = service.store.list_attempts(profile_id=ann)
    [bea_attempt] = service.store.list_attempts(profile_id=bea)
    service.profiles.set_pin(profile_id=ann, pin="2468")
    service.profiles.lock(profile_id=ann)

    for read in (
        lambda **kw: service.results.get_attempt(attempt_id=ann_attempt.id, **kw),
        lambda **kw: service.results.list_disputes(attempt_id=ann_attempt.id, **kw),
        lambda **kw: service.results.add_dispute(attempt_id=ann_attempt.id, key_point_id="kp", kind="did-make-point", **kw),
    ):
        with pytest.raises(ProfileLockedError, match="protected by a PIN"):
            read()
        with pytest.raises(ProfileLockedError, match="Wrong PIN"):
            read(pin="0000")
    assert len(service.store.list_disputes(attempt_id=ann_attempt.id)) == 1  # the refused dispute was not stored

    # Bea has no PIN; an attempt still waiting in the outbox (id 0) has no disputes.
    assert service.results.get_attempt(attempt_id=bea_attempt.id).text == "Bea answer"  # type: ignore[union-attr]
    assert [d.comment for d in service.results.list_disputes(attempt_id=bea_attempt.id)] == ["hm"]
    assert service.results.get_attempt(attempt_id=0) is None and service.results.list_disputes(attempt_id=0) == []

    assert service.results.get_attempt(attempt_id=ann_attempt.id, pin="2468").text == "Ann answer"  # type: ignore[union-attr]
    service.results.add_dispute(attempt_id=ann_attempt.id, key_point_id="kp2", kind="did-make-point")  # unlocked now
    assert [d.key_point_id for d in service.results.list_disputes(attempt_id=ann_attempt.id)] == ["kp", "kp2"]
    assert [d.key_point_id for d in service.results.list_disputes(profile_id=ann)] == ["kp", "kp2"]


def test_cli_coach_reads_everyone_and_resets_a_forgotten_pin(cli_data: Path, tmp_path: Path, cli) -> None:  # noqa: ANN001
    """A coach PIN unlocks coach commands in the CLI, with the same rules as the app."""
    assert cli("profiles", "set-pin", "Ann", "--pin-stdin", data_dir=cli_data, stdin="2468\n").returncode == 0
    short = cli("profiles", "add", "Coach Kim", "--coach", "--pin-stdin", data_dir=cli_data, stdin="1\n")
    assert short.returncode == 1 and "at least 4" in short.stderr
    assert cli("profiles", "add", "Coach Kim", "--coach", "--pin-stdin", data_dir=cli_data, stdin="9999\n").returncode == 0
    assert cli("profiles", data_dir=cli_data).stdout.splitlines() == ["Ann\t(PIN)", "Bea", "Coach Kim\t(coach, PIN)"]

    wrong = cli("attempts", "--coach", "Coach Kim", "--pin-stdin", "--json", data_dir=cli_data, stdin="0000\n")
    assert wrong.returncode == 1 and "Wrong PIN" in wrong.stderr and wrong.stdout == ""
    not_a_coach = cli("attempts", "--coach", "Bea", "--pin-stdin", "--json", data_dir=cli_data, stdin="0000\n")
    assert not_a_coach.returncode == 1 and "no coach profile named 'Bea'" in not_a_coach.stderr
    everyone = cli("attempts", "--coach", "Coach Kim", "--pin-stdin", "--json", data_dir=cli_data, stdin="9999\n")
    assert everyone.returncode == 0 and sorted(a["profile"] for a in json.loads(everyone.stdout)) == ["Ann", "Bea"]
    assert "left out" not in everyone.stderr
    out = tmp_path / "club.json"
    assert cli("export", "--format", "json", "--coach", "Coach Kim", "--pin-stdin", str(out), data_dir=cli_data, stdin="9999\n").returncode == 0
    assert "Ann answer" in out.read_text(encoding="utf-8")

    refused = cli("profiles", "reset-pin", "Ann", data_dir=cli_data)
    assert refused.returncode == 1 and "--coach" in refused.stderr
    assert cli("profiles", "reset-pin", "Ann", "--coach", "Coach Kim", "--pin-stdin", data_dir=cli_data, stdin="9999\n").returncode == 0
    assert cli("profiles", data_dir=cli_data).stdout.splitlines()[0] == "Ann"  # no PIN any more
    mine = cli("attempts", "--profile", "Ann", "--json", data_dir=cli_data)
    assert [a["text"] for a in json.loads(mine.stdout)] == ["Ann answer"]  # the work is kept
