"""The coach's class overview and dispute queue (issue 15, parts 3 to 5), over
a real database: SQLite, and PostgreSQL when the test script starts one.

Everything runs without Qt. The figures are checked against attempts written
by hand, so each expected number can be read off the test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from trainer.core.overrides import COACH_PROBABILITY, PERSPECTIVE_BOOST, Override, apply_override, for_share
from trainer.core.paths import Locations
from trainer.core.progress import format_score
from trainer.core.records import ProfileInfo
from trainer.core.services import Club, Data, PackLibrary, Profiles, Results, Scoring, Writes
from trainer.core.services.club import default_verdict
from trainer.core.storage import CoachRequiredError, Database, InvalidInputError, NotFoundError
from trainer.core.storage.club import DisputeResolvedError

from .conftest import FakeClock

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"
# tiny pack: claim "expression" has key points expression-other-means (weight 1.5)
# and expression-bullying (weight 1); claim "cost" has cost-cheaper (1) and cost-second-hand (0.5).


def breakdown(score: float, **verdicts: str) -> dict[str, Any]:
    probability = {"covered": 0.8, "partly": 0.4, "missed": 0.1}
    return {
        "matcher_version": "test-1",
        "score": score,
        "key_points": [
            {"key_point_id": kp.replace("_", "-"), "probability": probability[v], "verdict": v, "spans": []}
            for kp, v in verdicts.items()
        ],
        "rubric": [],
        "sentences": [],
    }


class Club_:
    """The services a coach uses, wired as ``Service`` wires them."""

    def __init__(self, data: Data, clock: FakeClock) -> None:
        self.data = data
        self.clock = clock
        self.writes = Writes(data)
        self.profiles = Profiles(data, self.writes)
        self.packs = PackLibrary(data.locations, clock=clock, folders=[(TINY.parent, True)])
        self.results = Results(data, self.writes, self.profiles, self.packs)
        self.club = Club(data, self.profiles, self.packs)
        self.coach = self.profiles.add_coach("Coach Lee", pin="2468")  # starts unlocked

    def attempt(self, student: ProfileInfo, claim: str, score: float, *, at: datetime, seconds: float = 60,
                text: str = "A response.", perspective: str | None = None, **verdicts: str) -> int:
        return self.data.store.record_attempt(
            profile_id=student.id, pack_id=PACK, pack_version="1.0.0", claim_id=claim, perspective_id=perspective,
            text=text, started_at=at - timedelta(seconds=seconds), submitted_at=at, score=score,
            breakdown=breakdown(score, **verdicts), matcher_version="test-1",
        ).id


@pytest.fixture
def club(tmp_path: Path, database: Database, database_url: str, clock: FakeClock) -> Club_:
    data = Data(Locations(data_dir=tmp_path / "data", database_url=database_url), clock=clock)
    data.locations.data_dir.mkdir(parents=True, exist_ok=True)
    data.attach(database)
    return Club_(data, clock)


MON = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # a Monday


# -- the class overview ------------------------------------------------------------
def test_only_an_unlocked_coach_sees_the_overview_and_the_queue(club: Club_) -> None:
    club.profiles.lock_all()
    for call in (club.club.overview, club.club.open_disputes, club.club.disputes):
        with pytest.raises(CoachRequiredError, match="unlock a coach profile"):
            call()
    club.profiles.unlock(profile_id=club.coach.id, pin="2468")
    assert club.club.overview().attempts == 0 and club.club.open_disputes() == 0


def test_the_grid_has_each_students_best_score_attempts_last_date_and_perspective(club: Club_) -> None:
    ann, bo = club.profiles.add("Ann"), club.profiles.add("Bo")
    club.profiles.add("Cy")  # never practised: still a row, with no cells
    club.attempt(ann, "expression", 0.40, at=MON, perspective="hawk", expression_other_means="missed")
    club.attempt(ann, "expression", 0.70, at=MON + timedelta(days=1), expression_other_means="covered")
    club.attempt(ann, "expression", 0.55, at=MON + timedelta(days=2), perspective="hawk", expression_other_means="partly")
    club.attempt(bo, "cost", 0.30, at=MON, cost_cheaper="missed")
    club.attempt(club.coach, "cost", 1.0, at=MON, cost_cheaper="covered")  # a coach's try is not a student's

    view = club.club.overview(pack_id=PACK)
    assert [s.name for s in view.students] == ["Ann", "Bo", "Cy"]
    assert [(c.claim_id, c.number) for c in view.columns] == [("expression", 1), ("cost", 2)]
    expression, cost = view.columns
    cell = view.cell(view.students[0].profile_id, expression)
    assert cell is not None and (cell.best, cell.attempts, cell.last, cell.perspective_id) == (0.70, 3, MON + timedelta(days=2), None)
    assert view.cell(view.students[0].profile_id, cost) is None
    assert view.cell(view.students[1].profile_id, cost).best == 0.30  # type: ignore[union-attr]
    assert view.cell(view.students[2].profile_id, expression) is None
    assert view.attempts == 4


def test_without_a_pack_the_grid_shows_only_claims_someone_tried(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    club.attempt(ann, "cost", 0.5, at=MON)
    assert [c.claim_id for c in club.club.overview().columns] == ["cost"]


def test_the_date_range_keeps_attempts_from_since_up_to_but_not_including_until(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    for day, score in enumerate((0.1, 0.2, 0.3)):
        club.attempt(ann, "cost", score, at=MON + timedelta(days=day))
    view = club.club.overview(since=MON + timedelta(days=1), until=MON + timedelta(days=2))
    assert view.attempts == 1 and view.students[0].average == pytest.approx(0.2)
    with pytest.raises(InvalidInputError, match="since"):
        club.club.overview(since=datetime(2026, 11, 2))  # naive: which time zone?


def test_progress_is_the_weekly_average_and_its_change(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    club.attempt(ann, "cost", 0.2, at=MON)
    club.attempt(ann, "cost", 0.4, at=MON + timedelta(days=6))  # same week (Sunday)
    club.attempt(ann, "cost", 0.9, at=MON + timedelta(days=14))
    (figures,) = club.club.overview().students
    assert [(w.week.isoformat(), round(w.average, 2), w.attempts) for w in figures.weeks] == [
        ("2026-11-02", 0.3, 2), ("2026-11-16", 0.9, 1)]
    assert figures.change == pytest.approx(0.6)


def test_time_spent_is_the_sum_of_writing_time(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    club.profiles.add("Bo")
    club.attempt(ann, "cost", 0.5, at=MON, seconds=90)
    club.attempt(ann, "expression", 0.5, at=MON + timedelta(hours=1), seconds=150)
    figures = {s.name: s for s in club.club.overview().students}
    assert figures["Ann"].time_seconds == 240 and figures["Ann"].claims_tried == 2
    assert figures["Ann"].last_active == MON + timedelta(hours=1)
    assert figures["Bo"].time_seconds == 0 and figures["Bo"].last_active is None and figures["Bo"].average is None


def test_most_missed_ranks_points_by_students_who_never_made_them(club: Club_) -> None:
    ann, bo, cy = (club.profiles.add(n) for n in ("Ann", "Bo", "Cy"))
    # cost-cheaper: Ann missed twice, then made it; Bo and Cy missed once: 2 students never made it, 4 misses.
    club.attempt(ann, "cost", 0.1, at=MON, cost_cheaper="missed", cost_second_hand="covered")
    club.attempt(ann, "cost", 0.1, at=MON + timedelta(minutes=1), cost_cheaper="missed", cost_second_hand="covered")
    club.attempt(ann, "cost", 0.8, at=MON + timedelta(minutes=2), cost_cheaper="covered", cost_second_hand="covered")
    club.attempt(bo, "cost", 0.2, at=MON, cost_cheaper="missed", cost_second_hand="covered")
    club.attempt(cy, "cost", 0.2, at=MON + timedelta(minutes=5), text="Uniforms  are\n cheap, so what.",
                 cost_cheaper="missed", cost_second_hand="partly")
    # expression-bullying: missed five times, but all by one student.
    for minute in range(5):
        club.attempt(ann, "expression", 0.3, at=MON + timedelta(minutes=minute), expression_bullying="missed")

    top = club.club.overview().most_missed
    assert [(m.key_point_id, m.students_never_made, m.students_tried, m.attempts_missed, m.attempts) for m in top] == [
        ("cost-cheaper", 2, 3, 4, 5),
        ("expression-bullying", 1, 1, 5, 5),
    ]
    assert top[0].statement == "School uniforms are cheaper than buying fashionable clothes"  # the pack's wording
    assert (top[0].claim_number, top[0].example, top[0].example_student) == (2, "Uniforms are cheap, so what.", "Cy")
    assert "cost-second-hand" not in {m.key_point_id for m in top}  # partly is not missed


# -- disputes ---------------------------------------------------------------------
def test_a_dispute_waits_in_the_queue_with_its_response_key_point_and_comment(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, text="Second-hand uniforms are cheap.", cost_cheaper="missed")
    club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point", comment="I said it!")
    assert club.club.open_disputes() == 1
    (case,) = club.club.disputes()
    assert (case.attempt.profile_name, case.attempt.text, case.dispute.key_point_id, case.dispute.comment, case.dispute.status) == (
        "Ann", "Second-hand uniforms are cheap.", "cost-cheaper", "I said it!", "open")


def test_accepting_overrides_the_verdict_and_the_score_follows_with_the_original_kept(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed", cost_second_hand="covered")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point")
    club.clock.advance(hours=2)

    case = club.club.accept(dispute.id, note="Your second sentence makes it.")

    # weights: cost-cheaper 1, cost-second-hand 0.5 -> share 2/3; p 0.1 -> 1.0; nothing argues for the claim
    assert case.attempt.score == pytest.approx(round(0.3 + (1 / 1.5) * 0.9, 4))
    assert (case.dispute.status, case.dispute.override_verdict, case.dispute.resolved_by) == ("accepted", "covered", "Coach Lee")
    assert case.dispute.resolution_note == "Your second sentence makes it." and case.dispute.resolved_at == club.clock.now
    kp = next(k for k in case.attempt.breakdown["key_points"] if k["key_point_id"] == "cost-cheaper")
    assert kp["verdict"] == "covered" and kp["override"]["verdict"] == "missed" and kp["override"]["probability"] == 0.1
    assert [s.score for s in case.attempt.superseded_scores] == [0.3]  # history keeps the original verdict and score
    assert case.attempt.superseded_scores[0].breakdown["key_points"][0]["verdict"] == "missed"
    # the student sees the outcome in their own history
    stored = club.results.get_attempt(attempt_id=attempt_id)
    assert stored is not None and stored.score == case.attempt.score
    assert [d.status for d in club.results.list_disputes(attempt_id=attempt_id)] == ["accepted"]
    assert club.club.open_disputes() == 0 and club.club.disputes() == []
    assert [c.dispute.id for c in club.club.disputes(status="accepted")] == [dispute.id]
    # and the class overview counts the coach's verdict
    view = club.club.overview()
    assert view.cell(ann.id, view.columns[0]).best == case.attempt.score  # type: ignore[union-attr]
    assert view.most_missed == ()


def test_rejecting_keeps_the_verdict_and_tells_the_student_why(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point")
    case = club.club.reject(dispute.id, note="You name the cost but never compare it.")
    assert (case.dispute.status, case.dispute.override_verdict, case.attempt.score) == ("rejected", None, 0.3)
    assert case.attempt.superseded_scores == ()
    assert club.results.list_disputes(attempt_id=attempt_id)[0].resolution_note == "You name the cost but never compare it."


def test_a_dispute_is_resolved_once_even_by_two_coaches(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point")
    club.club.reject(dispute.id)
    with pytest.raises(DisputeResolvedError, match="already rejected"):
        club.club.accept(dispute.id)
    assert club.results.get_attempt(attempt_id=attempt_id).score == 0.3  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        club.club.reject(dispute.id + 100)


def test_a_student_cannot_resolve_their_own_dispute(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point")
    club.profiles.lock_all()
    with pytest.raises(CoachRequiredError):
        club.club.accept(dispute.id)
    assert club.data.club.count_disputes(status="open") == 1


def test_this_is_wrong_on_a_credited_point_takes_the_credit_away(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.6, at=MON, cost_cheaper="covered", cost_second_hand="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="verdict-wrong")
    assert default_verdict(club.club.disputes()[0]) == "missed"
    case = club.club.accept(dispute.id)
    assert case.dispute.override_verdict == "missed"
    assert case.attempt.score == pytest.approx(round(0.6 - (1 / 1.5) * 0.8, 4))


def test_an_accepted_override_survives_a_rescore(club: Club_) -> None:
    from trainer.core.matching.types import KeyPointVerdict, MatchResult

    class Matcher:
        def score(self, **_: object) -> MatchResult:
            return MatchResult("test-2", 0.2, (KeyPointVerdict("cost-cheaper", 0.05, "missed"), KeyPointVerdict("cost-second-hand", 0.3, "partly")), ())

    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point")
    club.club.accept(dispute.id)
    scoring = Scoring(club.data, club.packs, club.profiles, loader=Matcher)
    assert scoring.rescore_attempts() == (1, 0)
    after = club.results.get_attempt(attempt_id=attempt_id)
    assert after is not None and after.matcher_version == "test-2"
    assert after.breakdown["key_points"][0]["verdict"] == "covered"
    assert after.score == pytest.approx(round(0.2 + (1 / 1.5) * 0.95, 4))


# -- the score arithmetic, without a database ------------------------------------------
def test_the_override_uses_the_matchers_weights_and_thresholds() -> None:
    from trainer.core.matching.types import COVERED_AT, PARTLY_AT, PERSPECTIVE_BOOST as MATCHER_BOOST

    assert PERSPECTIVE_BOOST == MATCHER_BOOST
    assert COACH_PROBABILITY["covered"] >= COVERED_AT and PARTLY_AT <= COACH_PROBABILITY["partly"] < COVERED_AT


def test_a_perspectives_own_point_weighs_double_and_arguing_for_the_claim_shrinks_the_gain() -> None:
    text = "Uniforms are cheap. I agree with the claim entirely here."
    b = breakdown(0.1, cost_cheaper="missed", cost_second_hand="missed")
    b["perspective_key_points"] = ["cost-cheaper"]
    b["sentences"] = [
        {"span": {"start": 0, "end": 19}, "role": "neither", "stance": "opposes"},
        {"span": {"start": 20, "end": len(text)}, "role": "supports", "stance": "supports"},
    ]
    assert for_share(b, text) == pytest.approx(7 / 10)
    override = Override("cost-cheaper", "covered", 1, "Lee", MON)
    score, result = apply_override(0.1, b, override, text=text, weights={"cost-cheaper": 1.0, "cost-second-hand": 0.5})
    assert score == pytest.approx(round(0.1 + (2 / 2.5) * 0.9 * 0.3, 4))
    assert result["overrides"][0]["original_verdict"] == "missed" and b["key_points"][0]["verdict"] == "missed"  # input untouched


def test_an_override_of_a_key_point_the_attempt_lacks_is_refused(club: Club_) -> None:
    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="no-such-point", kind="did-make-point")
    with pytest.raises(InvalidInputError, match="no verdict for key point 'no-such-point'"):
        club.club.accept(dispute.id)
    assert club.club.open_disputes() == 1  # nothing half-written: still open
    assert club.results.get_attempt(attempt_id=attempt_id).score == 0.3  # type: ignore[union-attr]


def test_the_grids_colour_bands_follow_the_matchers_scale() -> None:
    from trainer.core.overview import SOME_FROM, STRONG_FROM, score_band

    assert [score_band(s) for s in (None, 0.0, SOME_FROM - 0.001, SOME_FROM, STRONG_FROM - 0.001, STRONG_FROM, 1.0)] == [
        None, "little", "little", "some", "some", "strong", "strong"]


def test_overrides_are_exported_with_the_attempts(club: Club_, tmp_path: Path) -> None:
    import csv
    import json

    ann = club.profiles.add("Ann")
    attempt_id = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed", cost_second_hand="covered")
    dispute = club.results.add_dispute(attempt_id=attempt_id, key_point_id="cost-cheaper", kind="did-make-point", comment="I did")
    case = club.club.accept(dispute.id, note="Yes.")
    club.results.export_attempts(fmt="json", out=tmp_path / "out.json")
    (exported,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["attempts"]
    assert exported["score"] == case.attempt.score and exported["score_history"][0]["score"] == 0.3
    assert [(d["status"], d["resolved_by"], d["override_verdict"], d["resolution_note"]) for d in exported["disputes"]] == [
        ("accepted", "Coach Lee", "covered", "Yes.")]
    assert [(o["key_point_id"], o["original_verdict"], o["verdict"], o["score_before"]) for o in exported["coach_overrides"]] == [
        ("cost-cheaper", "missed", "covered", 0.3)]
    club.results.export_attempts(fmt="csv", out=tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert row["coach_overrides"] == "cost-cheaper: missed → covered (Coach Lee)" and row["score"] == format_score(case.attempt.score)


def verdict_rows(database: Database) -> dict[int, list[tuple[str, str]]]:
    from sqlalchemy import text

    with database.sessions() as s:
        rows = s.execute(text("SELECT attempt_id, key_point_id, verdict FROM attempt_verdicts ORDER BY attempt_id, key_point_id")).all()
    found: dict[int, list[tuple[str, str]]] = {}
    for attempt_id, kp, verdict in rows:
        found.setdefault(attempt_id, []).append((kp, verdict))
    return found


def test_the_verdict_rows_follow_every_write_of_a_breakdown(club: Club_, database: Database) -> None:
    """attempt_verdicts is derived from the breakdown: recorded, re-scored and
    overridden in the same transaction, and gone with the attempt."""
    from trainer.core.matching.types import KeyPointVerdict, MatchResult

    ann = club.profiles.add("Ann")
    first = club.attempt(ann, "cost", 0.3, at=MON, cost_cheaper="missed", cost_second_hand="covered")
    assert verdict_rows(database) == {first: [("cost-cheaper", "missed"), ("cost-second-hand", "covered")]}

    class Matcher:
        def score(self, **_: object) -> MatchResult:
            return MatchResult("test-2", 0.2, (KeyPointVerdict("cost-cheaper", 0.35, "partly"), KeyPointVerdict("cost-second-hand", 0.1, "missed")), ())

    Scoring(club.data, club.packs, club.profiles, loader=Matcher).rescore_attempts()
    assert verdict_rows(database) == {first: [("cost-cheaper", "partly"), ("cost-second-hand", "missed")]}
    dispute = club.results.add_dispute(attempt_id=first, key_point_id="cost-second-hand", kind="did-make-point")
    club.club.accept(dispute.id)
    assert verdict_rows(database) == {first: [("cost-cheaper", "partly"), ("cost-second-hand", "covered")]}
    club.data.store.delete_profile(profile_id=ann.id)
    assert verdict_rows(database) == {}
