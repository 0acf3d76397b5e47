"""Spaced review (issue 17): ratings from scores, and schedules over simulated weeks with an injected clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from trainer.core.matching.types import MatchResult
from trainer.core.paths import resolve_locations
from trainer.core.review import RETRY_GAP, Thresholds, day_end, is_due, replay, review
from trainer.core.service import Service
from trainer.core.services.review import Review
from trainer.core.storage import DatabaseUnavailableError, ProfileLockedError

TINY = Path(__file__).resolve().parents[1] / "data" / "packs" / "tiny"
PACK = "tiny-uniforms"
START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # a Monday, noon UTC
KEY = {"profile_id": 1, "pack_id": PACK, "claim_id": "expression"}


# -- ratings -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "rating"),
    [(None, 1), (0.0, 1), (0.149, 1), (0.15, 2), (0.299, 2), (0.30, 3), (0.43, 3), (0.549, 3), (0.55, 4), (1.0, 4)],
)
def test_the_default_thresholds_rate_a_score(score: float | None, rating: int) -> None:
    assert Thresholds().rating(score) == rating


def test_changed_thresholds_move_the_boundaries() -> None:
    strict = Thresholds(again=40, hard=60, good=80)
    assert [strict.rating(s) for s in (0.39, 0.40, 0.59, 0.60, 0.79, 0.80)] == [1, 2, 2, 3, 3, 4]
    no_hard = Thresholds(again=20, hard=20, good=50)  # an empty band is allowed
    assert [no_hard.rating(s) for s in (0.19, 0.20, 0.49, 0.5)] == [1, 3, 3, 4]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"again": 30, "hard": 20, "good": 50}, "must go up: Again (30%) ≤ Hard (20%)"),
        ({"again": 10, "hard": 60, "good": 50}, "≤ Good (50%)"),
        ({"again": -1, "hard": 20, "good": 50}, "Again threshold must be a whole percent from 0 to 100"),
        ({"again": 10, "hard": 20, "good": 101}, "Good threshold must be a whole percent"),
        ({"again": 10, "hard": 20.5, "good": 50}, "Hard threshold must be a whole percent"),
    ],
)
def test_bad_thresholds_are_refused_with_a_clear_message(values: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Thresholds(**values)


def test_stored_thresholds_fall_back_to_the_defaults_when_missing_or_broken() -> None:
    assert Thresholds.from_settings({}) == Thresholds()
    assert Thresholds.from_settings({"review/good": "70"}) == Thresholds(15, 30, 70)
    assert Thresholds.from_settings({"review/again": "x", "review/good": "70"}) == Thresholds()
    assert Thresholds.from_settings({"review/again": "90"}) == Thresholds()  # 90 > 30: not valid, so all defaults
    assert Thresholds.from_settings(Thresholds(5, 10, 20).to_settings()) == Thresholds(5, 10, 20)


# -- the schedule, without a database ----------------------------------------------------------
def answer(card, score: float | None, at: datetime):  # noqa: ANN001, ANN201
    return review(card, **KEY, score=score, at=at, thresholds=Thresholds())


def test_a_good_answer_is_not_due_tomorrow_but_after_its_interval() -> None:
    card = answer(None, 0.45, START)
    assert (card.reps, card.lapses, card.last_rating, card.state) == (1, 0, 3, 2)
    assert card.due == START + timedelta(days=2)
    assert not is_due(card, START, UTC)
    assert not is_due(card, START + timedelta(days=1), UTC)
    assert is_due(card, START + timedelta(days=2), UTC)
    assert is_due(card, START + timedelta(days=2, hours=-11), UTC)  # due at noon: due all that day


def test_a_weak_answer_comes_back_the_next_day_and_an_easy_one_after_a_week() -> None:
    weak = answer(None, 0.05, START)
    assert weak.due == START + timedelta(days=1) and weak.last_rating == 1
    assert is_due(weak, START + timedelta(days=1), UTC) and not is_due(weak, START, UTC)
    easy = answer(None, 0.9, START)
    assert easy.due == START + timedelta(days=8) and easy.last_rating == 4


def test_good_answers_over_simulated_weeks_space_out_and_a_lapse_brings_the_claim_back() -> None:
    card, now, gaps = None, START, []
    for _ in range(4):  # answered well each time it is due
        card = answer(card, 0.45, now)
        gaps.append((card.due - now).days)
        now = card.due
    assert gaps == sorted(gaps) and gaps[0] == 2 and gaps[-1] > 30, gaps
    assert (card.reps, card.lapses) == (4, 0)
    long_gap = gaps[-1]
    lapsed = answer(card, 0.05, now)  # forgotten
    assert (lapsed.reps, lapsed.lapses, lapsed.last_rating) == (5, 1, 1)
    assert (lapsed.due - now).days < long_gap / 4
    assert lapsed.difficulty > card.difficulty


def test_a_try_again_within_twelve_hours_is_not_a_review() -> None:
    card = answer(None, 0.05, START)
    again = answer(card, 0.9, START + RETRY_GAP - timedelta(minutes=1))  # right after reading the model rebuttals
    assert again is card
    later = answer(card, 0.9, START + RETRY_GAP)
    assert later.reps == 2 and later.due > card.due


def test_replay_is_order_free_and_matches_answering_one_by_one() -> None:
    answers = [(START + timedelta(days=d), s) for d, s in ((0, 0.2), (1, 0.5), (4, 0.7), (4.2, 0.1), (20, 0.4))]
    card = None
    for at, score in answers:
        card = answer(card, score, at)
    assert replay(reversed(answers), **KEY, thresholds=Thresholds()) == card
    assert replay([], **KEY, thresholds=Thresholds()) is None
    with pytest.raises(ValueError, match="replay"):
        answer(card, 0.5, START)  # older than its last review


def test_today_ends_at_local_midnight() -> None:
    assert day_end(START, UTC) == datetime(2025, 3, 4, tzinfo=UTC)
    plus_ten = timezone(timedelta(hours=10))  # noon UTC is 22:00 there: the day ends in two hours
    assert day_end(START, plus_ten) == datetime(2025, 3, 3, 14, 0, tzinfo=UTC)


# -- the service, on a real database with an injected clock ------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def days(self, n: float) -> None:
        self.now += timedelta(days=n)


class ScoreMatcher:
    """Gives whatever score the test sets."""

    version = "set-1"
    next_score = 0.5

    def score(self, *, claim: str, key_points: object, response: str, perspective: object = None, background: object = ()) -> MatchResult:
        return MatchResult(self.version, self.next_score, (), (), ())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def matcher() -> ScoreMatcher:
    return ScoreMatcher()


@pytest.fixture
def service(tmp_path: Path, clock: Clock, matcher: ScoreMatcher) -> Iterator[Service]:
    svc = Service.open(resolve_locations(data_dir=tmp_path / "data"), clock=clock, matcher_loader=lambda: matcher,
                       pack_folders=[(TINY.parent, True)])
    yield svc
    svc.close()


@pytest.fixture
def reviews(service: Service) -> Review:
    """The service's Review, with "today" in UTC so the test does not depend on this computer's time zone."""
    return Review(service.data, service.profiles, service.packs, service.settings, tz=UTC)


def submit(service: Service, matcher: ScoreMatcher, profile_id: int, claim_id: str, score: float):  # noqa: ANN201
    matcher.next_score = score
    attempt, _ = service.practice.submit_attempt(profile_id=profile_id, pack_id=PACK, claim_id=claim_id, text="An answer.")
    return attempt


def test_submitted_attempts_schedule_claims_over_simulated_weeks(service: Service, reviews: Review, clock: Clock, matcher: ScoreMatcher) -> None:
    ann = service.profiles.add("Ann")
    service.practice.save_draft(profile_id=ann.id, pack_id=PACK, claim_id="cost", text="a draft is not an answer")
    submit(service, matcher, ann.id, "expression", 0.45)  # Good: back in 2 days
    assert reviews.schedule(ann.id, PACK)[0].claim_id == "expression"
    assert [c.claim_id for c in reviews.schedule(ann.id, PACK)] == ["expression"]  # the draft made no card
    clock.days(1)
    assert reviews.due(ann.id) == [] and reviews.due_counts(ann.id) == {}
    clock.days(1)
    assert reviews.due_claim_ids(ann.id, PACK) == ["expression"] and reviews.due_counts(ann.id) == {PACK: 1}
    submit(service, matcher, ann.id, "expression", 0.05)  # forgotten: back tomorrow
    submit(service, matcher, ann.id, "cost", 0.9)  # Easy: back in 8 days
    clock.days(1)
    assert reviews.due_claim_ids(ann.id, PACK) == ["expression"]
    submit(service, matcher, ann.id, "expression", 0.45)
    clock.days(8)
    assert reviews.due_claim_ids(ann.id, PACK) == ["expression", "cost"]  # in pack order
    card = {c.claim_id: c for c in reviews.schedule(ann.id, PACK)}["expression"]
    assert (card.reps, card.lapses, card.last_rating) == (3, 1, 3)
    # the rebuild (the safety net) gives the same schedule
    before = reviews.schedule(ann.id, PACK)
    assert reviews.rebuild(ann.id) == 2
    assert [(c.claim_id, c.due, c.reps, c.lapses) for c in reviews.schedule(ann.id, PACK)] == [
        (c.claim_id, c.due, c.reps, c.lapses) for c in before]


def test_due_claims_need_the_pin_but_the_counts_do_not(service: Service, reviews: Review, clock: Clock, matcher: ScoreMatcher) -> None:
    ann = service.profiles.add("Ann")
    submit(service, matcher, ann.id, "cost", 0.05)
    service.profiles.set_pin(profile_id=ann.id, pin="2468")
    service.profiles.lock(profile_id=ann.id)
    clock.days(3)
    assert reviews.due_counts(ann.id) == {PACK: 1}
    with pytest.raises(ProfileLockedError):
        reviews.due(ann.id)
    assert [c.claim_id for c in reviews.due(ann.id, pin="2468")] == ["cost"]


def test_new_thresholds_rate_answers_from_then_on(service: Service, reviews: Review, clock: Clock, matcher: ScoreMatcher) -> None:
    ann = service.profiles.add("Ann")
    assert service.review.thresholds() == Thresholds()
    submit(service, matcher, ann.id, "expression", 0.45)
    assert reviews.schedule(ann.id, PACK)[0].last_rating == 3
    with pytest.raises(ValueError, match="must go up"):
        service.review.set_thresholds(again=50, hard=40, good=60)
    assert service.review.thresholds() == Thresholds()  # nothing stored
    service.review.set_thresholds(again=50, hard=60, good=70)
    assert service.settings.get("review/again") == "50"
    clock.days(2)
    submit(service, matcher, ann.id, "expression", 0.45)
    assert reviews.schedule(ann.id, PACK)[0].last_rating == 1
    assert service.review.reset_thresholds() == Thresholds() == service.review.thresholds()


def test_an_attempt_kept_in_the_outbox_is_scheduled_when_it_is_written(
    service: Service, reviews: Review, clock: Clock, matcher: ScoreMatcher, monkeypatch: pytest.MonkeyPatch,
) -> None:
    ann = service.profiles.add("Ann")
    submit(service, matcher, ann.id, "expression", 0.45)
    store = service.data.store
    real = store.record_attempt

    def down(**_kwargs: object) -> None:
        raise DatabaseUnavailableError("the server is gone")

    monkeypatch.setattr(store, "record_attempt", down)
    clock.days(2)
    waiting = submit(service, matcher, ann.id, "expression", 0.05)
    assert waiting.pending and reviews.schedule(ann.id, PACK)[0].reps == 1  # not written yet
    monkeypatch.setattr(store, "record_attempt", real)
    clock.days(1)
    submit(service, matcher, ann.id, "cost", 0.45)  # goes after the outbox, which is flushed first
    card = {c.claim_id: c for c in reviews.schedule(ann.id, PACK)}["expression"]
    assert (card.reps, card.lapses, card.last_rating) == (2, 1, 1)
    assert card.last_review == START + timedelta(days=2)


def test_an_attempt_older_than_the_card_rebuilds_it(service: Service, reviews: Review, clock: Clock) -> None:
    """A late outbox or a second laptop: the card is made again from all the claim's attempts, in time order."""
    ann = service.profiles.add("Ann")
    store = service.data.store

    def record(day: float, score: float) -> None:
        at = START + timedelta(days=day)
        store.record_attempt(profile_id=ann.id, pack_id=PACK, pack_version="1", claim_id="expression", perspective_id=None,
                             text="x", started_at=at, submitted_at=at, score=score, breakdown={}, matcher_version="m")

    record(5, 0.45)
    record(0, 0.05)  # arrives late
    expected = replay([(START, 0.05), (START + timedelta(days=5), 0.45)], **{**KEY, "profile_id": ann.id}, thresholds=Thresholds())
    card = reviews.schedule(ann.id, PACK)[0]
    assert (card.due, card.reps, card.lapses, card.stability) == (expected.due, 2, 0, expected.stability)


def test_resetting_a_profile_drops_its_schedule(service: Service, reviews: Review, matcher: ScoreMatcher) -> None:
    ann = service.profiles.add("Ann")
    submit(service, matcher, ann.id, "cost", 0.3)
    assert reviews.schedule(ann.id, PACK) != []
    service.profiles.reset(profile_id=ann.id)
    assert reviews.schedule(ann.id, PACK) == []


def test_where_there_is_a_coach_only_an_unlocked_coach_changes_the_thresholds(service: Service) -> None:
    from trainer.core.storage import CoachRequiredError

    assert service.review.may_change_thresholds()  # no coach: the student's own laptop
    service.review.set_thresholds(again=10, hard=30, good=60)
    service.profiles.add_coach("Coach Lee", pin="2468")  # unlocked while it is made
    service.review.set_thresholds(again=10, hard=30, good=65)
    service.profiles.lock_all()
    assert not service.review.may_change_thresholds()
    with pytest.raises(CoachRequiredError, match="change the review thresholds"):
        service.review.set_thresholds(again=5, hard=30, good=65)
    with pytest.raises(CoachRequiredError):
        service.review.reset_thresholds()
    assert service.review.thresholds() == Thresholds(10, 30, 65)  # unchanged
