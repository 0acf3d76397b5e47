"""Spaced review: when each claim a student has tried is due again (issue 17).

The schedule is the one Anki uses, FSRS (the ``fsrs`` package), kept per
profile × claim. Each *submitted* attempt (drafts never) is one review, rated
from its score:

=========  ==========================  =====================================
rating     score (default thresholds)  what it means here
=========  ==========================  =====================================
Again      under 15%                   little or nothing of the key points
Hard       15% to under 30%            a point or so
Good       30% to under 55%            a solid answer
Easy       55% and over                a strong one
=========  ==========================  =====================================

The defaults sit on the matcher's scale (``core/overview.py``): a score is
the weighted share of *all* a claim's key points made, the class overview's
bands are under 15% (little), under 40% (some) and 40% up (strong), and the
best answers written for the Korea pack (grade 4) score 34-82%, median 43%,
so a strong answer is usually Good and only the best are Easy; one that makes
a single point (10-40%) is Hard or Good; agreeing and off-topic answers
(under 5%) are Again. An attempt without a score counts as Again. The three
thresholds are settings (``Thresholds``; Practice ▸ Review Settings… or
``steelman review thresholds``) and apply to answers from then on.

Choices, so that a schedule is the same however often it is rebuilt:

* no same-day learning steps: the first answer sets the first interval in
  whole days (Again and Hard 1 day, Good 2, Easy 8 with the default FSRS
  weights), so a claim is never "due" again within the day;
* no fuzzing: the same attempts give the same due dates on every laptop;
* a try again within ``RETRY_GAP`` (12 hours) of the last counted answer is
  not a review: the student has just read the model rebuttals, so it says
  nothing about what they remember;
* intervals are capped at a year (a debate season).

A claim never tried is new work, not review: it has no card and is never due.
A card is *due today* when its due time falls before the end of the local
day. Nothing here knows about the database: ``storage/review.py`` keeps the
cards, and ``replay`` rebuilds one from a claim's attempts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Final

from .records import ReviewCardInfo

RATINGS: Final[tuple[str, ...]] = ("Again", "Hard", "Good", "Easy")
"""Rating names; a rating is its index + 1 (FSRS's ``Rating`` values)."""
STATES: Final[dict[int, str]] = {1: "learning", 2: "review", 3: "relearning"}
RETRY_GAP: Final = timedelta(hours=12)
MAXIMUM_INTERVAL_DAYS: Final = 365

SETTING_KEYS: Final[dict[str, str]] = {"again": "review/again", "hard": "review/hard", "good": "review/good"}
"""Where the thresholds are kept (global settings, whole percents)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Whole percents: a score under ``again`` is Again, under ``hard`` Hard,
    under ``good`` Good, otherwise Easy."""

    again: int = 15
    hard: int = 30
    good: int = 55

    def __post_init__(self) -> None:
        for name in ("again", "hard", "good"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise ValueError(f"the {name.capitalize()} threshold must be a whole percent from 0 to 100, not {value!r}")
        if not self.again <= self.hard <= self.good:
            raise ValueError(
                f"the thresholds must go up: Again ({self.again}%) ≤ Hard ({self.hard}%) ≤ Good ({self.good}%)"
            )

    def rating(self, score: float | None) -> int:
        """1 Again, 2 Hard, 3 Good or 4 Easy for a score from 0 to 1 (``None``: Again)."""
        if score is None:
            return 1
        percent = 100 * score
        if percent < self.again:
            return 1
        if percent < self.hard:
            return 2
        if percent < self.good:
            return 3
        return 4

    def describe(self) -> str:
        """"Again under 15%, Hard under 30%, Good under 55%, Easy from 55%"."""
        return f"Again under {self.again}%, Hard under {self.hard}%, Good under {self.good}%, Easy from {self.good}%"

    @classmethod
    def from_settings(cls, values: dict[str, str | None]) -> Thresholds:
        """From the stored settings (``SETTING_KEYS`` → text); the defaults for
        anything missing, and all three defaults if what is stored is not valid."""
        default = cls()
        try:
            chosen = {
                name: int(values[key]) if values.get(key) not in (None, "") else getattr(default, name)  # type: ignore[arg-type]
                for name, key in SETTING_KEYS.items()
            }
            return cls(**chosen)
        except (TypeError, ValueError):
            return default

    def to_settings(self) -> dict[str, str]:
        return {key: str(getattr(self, name)) for name, key in SETTING_KEYS.items()}


def rating_name(rating: int) -> str:
    return RATINGS[rating - 1]


_scheduler = None


def scheduler():  # noqa: ANN201 - fsrs.Scheduler, imported on first use
    global _scheduler
    if _scheduler is None:
        from fsrs import Scheduler

        _scheduler = Scheduler(
            learning_steps=(), relearning_steps=(), enable_fuzzing=False, maximum_interval=MAXIMUM_INTERVAL_DAYS,
        )
    return _scheduler


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} refused: pass a timezone-aware one")
    return value.astimezone(UTC)


def review(
    card: ReviewCardInfo | None, *, profile_id: int, pack_id: str, claim_id: str, score: float | None,
    at: datetime, thresholds: Thresholds, now: datetime | None = None,
) -> ReviewCardInfo:
    """The card after an answer submitted ``at`` with ``score`` (``card`` None: the first answer).

    An answer within ``RETRY_GAP`` of the last counted one leaves the card as
    it is. ``at`` must not be before the card's last review (``replay`` the
    claim's attempts instead). ``now`` is ``updated_at`` (default ``at``)."""
    from fsrs import Card, State

    at = _utc(at)
    if card is not None and card.last_review is not None:
        if at < card.last_review:
            raise ValueError("an answer older than the card's last review: replay the claim's attempts instead")
        if at - card.last_review < RETRY_GAP:
            return card
    if card is None:
        before, reps, lapses = None, 0, 0
    else:
        before = Card(
            card_id=0, state=State(card.state), step=card.step, stability=card.stability, difficulty=card.difficulty,
            due=card.due, last_review=card.last_review,
        )
        reps, lapses = card.reps, card.lapses
    after, rating, lapsed = _step(before, reps, score, at, thresholds)
    return _info(after, profile_id=profile_id, pack_id=pack_id, claim_id=claim_id, reps=reps + 1, lapses=lapses + lapsed,
                 rating=rating, updated_at=_utc(now) if now is not None else at)


def replay(
    answers: Iterable[tuple[datetime, float | None]], *, profile_id: int, pack_id: str, claim_id: str,
    thresholds: Thresholds, now: datetime | None = None,
) -> ReviewCardInfo | None:
    """The card a claim's submitted answers (``(submitted_at, score)``) give, in
    time order whatever order they come in; ``None`` for no answers. The same
    as ``review`` answer by answer (one FSRS card carried through: a rebuild
    of thousands of attempts is quick)."""
    card, reps, lapses, rating, last = None, 0, 0, 0, None
    for at, score in sorted(((_utc(a), s) for a, s in answers), key=lambda a: a[0]):
        if last is not None and at - last < RETRY_GAP:
            continue
        card, rating, lapsed = _step(card, reps, score, at, thresholds)
        reps, lapses, last = reps + 1, lapses + lapsed, at
    if card is None or last is None:
        return None
    return _info(card, profile_id=profile_id, pack_id=pack_id, claim_id=claim_id, reps=reps, lapses=lapses, rating=rating,
                 updated_at=_utc(now) if now is not None else last)


def _step(card, reps: int, score: float | None, at: datetime, thresholds: Thresholds):  # noqa: ANN001, ANN202 - fsrs.Card in and out
    """One answer: ``(card after, rating, 1 if it lapsed else 0)``; ``card`` None is a new card."""
    from fsrs import Card, Rating

    rating = thresholds.rating(score)
    after, _log = scheduler().review_card(card if card is not None else Card(card_id=0, due=at), Rating(rating), review_datetime=at)
    return after, rating, int(reps > 0 and rating == 1)


def _info(card, *, profile_id: int, pack_id: str, claim_id: str, reps: int, lapses: int, rating: int,  # noqa: ANN001 - fsrs.Card
          updated_at: datetime) -> ReviewCardInfo:
    return ReviewCardInfo(
        profile_id=profile_id, pack_id=pack_id, claim_id=claim_id, due=_utc(card.due), state=int(card.state),
        step=card.step, stability=card.stability, difficulty=card.difficulty, last_review=_utc(card.last_review),
        reps=reps, lapses=lapses, last_rating=rating, updated_at=updated_at,
    )


def day_end(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The end of ``now``'s day in ``tz`` (default: this computer's time zone), in UTC:
    a card due before it is "due today"."""
    local = _utc(now).astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo).astimezone(UTC)


def is_due(card: ReviewCardInfo, now: datetime, tz: tzinfo | None = None) -> bool:
    return card.due < day_end(now, tz)
