"""The review schedule in the database: one FSRS card per profile × claim.

A card is derived data: what a claim's submitted attempts give
(``core/review.py``). It is written

* with each attempt, in the same transaction (``reschedule``, called by
  ``Repository.record_attempt``), so the direct write, the outbox's replay
  after an outage and the CLI all keep it; an attempt older than the card's
  last review (an outbox replayed late, a second laptop) rebuilds the card
  from all the claim's attempts instead;
* when results files are merged (``rebuild_in``, called by
  ``TransferStore.merge`` for each claim that got new attempts);
* by ``ReviewStore.rebuild``, the safety net: a profile's cards made again
  from its attempts (``steelman review rebuild``).

Re-scores and a coach's overrides do not move a schedule (a rebuild would use
the new scores). Migration 0009 built the cards for attempts made before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.core.records import ReviewCardInfo
from trainer.core.review import SETTING_KEYS, Thresholds, replay, review

from .database import Database
from .models import Attempt, Profile, ReviewCard, Setting

Key = tuple[int, str, str]  # profile id, pack id, claim id


def thresholds_in(s: Session) -> Thresholds:
    """The rating thresholds stored in the global settings (the defaults when unset)."""
    rows = s.execute(select(Setting.key, Setting.value).where(Setting.profile_id.is_(None), Setting.key.in_(SETTING_KEYS.values())))
    return Thresholds.from_settings(dict(rows.all()))


def reschedule(s: Session, attempt: Attempt, *, now: datetime) -> None:
    """Move the attempt's card on by one answer (``attempt`` is flushed, in ``s``)."""
    key = (attempt.profile_id, attempt.pack_id, attempt.claim_id)
    row = s.scalar(_card_query(*key))
    card = _info(row) if row is not None else None
    thresholds = thresholds_in(s)
    if card is not None and card.last_review is not None and attempt.submitted_at < card.last_review:
        new = _replayed(s, key, thresholds, now)
    else:
        new = review(card, profile_id=key[0], pack_id=key[1], claim_id=key[2], score=attempt.score,
                     at=attempt.submitted_at, thresholds=thresholds, now=now)
        if new is card:  # a try again soon after: not a review
            return
    if new is not None:
        _write(s, row, new)


def rebuild_in(s: Session, *, keys: Iterable[Key], now: datetime) -> int:
    """Make these claims' cards again from their attempts; returns how many were written."""
    wanted = set(keys)
    if not wanted:
        return 0
    profiles = sorted({k[0] for k in wanted})
    answers: dict[Key, list[tuple[datetime, float | None]]] = defaultdict(list)
    for profile_id, pack_id, claim_id, submitted_at, score in s.execute(
        select(Attempt.profile_id, Attempt.pack_id, Attempt.claim_id, Attempt.submitted_at, Attempt.score)
        .where(Attempt.profile_id.in_(profiles)).order_by(Attempt.submitted_at, Attempt.id)
    ):
        if (profile_id, pack_id, claim_id) in wanted:
            answers[(profile_id, pack_id, claim_id)].append((submitted_at, score))
    rows = {(r.profile_id, r.pack_id, r.claim_id): r for r in s.scalars(select(ReviewCard).where(ReviewCard.profile_id.in_(profiles)))}
    thresholds = thresholds_in(s)
    new: list[dict[str, Any]] = []
    written = 0
    for key in sorted(wanted):
        card = replay(answers.get(key, ()), profile_id=key[0], pack_id=key[1], claim_id=key[2], thresholds=thresholds, now=now)
        row = rows.get(key)
        if card is None:
            if row is not None:
                s.delete(row)
            continue
        if row is None:
            new.append({"profile_id": card.profile_id, "pack_id": card.pack_id, "claim_id": card.claim_id,
                        **{f: getattr(card, f) for f in _FIELDS}})
        else:
            _copy(card, row)
        written += 1
    s.flush()
    for start in range(0, len(new), 1000):  # Core executemany: an import may bring hundreds of claims
        s.execute(insert(ReviewCard.__table__), new[start:start + 1000])
    return written


class ReviewStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime]) -> None:
        from .repository import _Sessions  # here: the repository imports this module

        self._sessions = _Sessions(database.sessions, database.url)
        self._clock = clock

    def cards(self, *, profile_id: int, pack_id: str | None = None) -> list[ReviewCardInfo]:
        """The profile's cards (of one pack), the soonest due first."""
        query = select(ReviewCard).where(ReviewCard.profile_id == profile_id)
        if pack_id is not None:
            query = query.where(ReviewCard.pack_id == pack_id)
        with self._sessions.begin() as s:
            return [_info(r) for r in s.scalars(query.order_by(ReviewCard.due, ReviewCard.id))]

    def due(self, *, profile_id: int, before: datetime, pack_id: str | None = None) -> list[ReviewCardInfo]:
        """The cards due before ``before`` (the end of today), the soonest due first."""
        query = select(ReviewCard).where(ReviewCard.profile_id == profile_id, ReviewCard.due < before)
        if pack_id is not None:
            query = query.where(ReviewCard.pack_id == pack_id)
        with self._sessions.begin() as s:
            return [_info(r) for r in s.scalars(query.order_by(ReviewCard.due, ReviewCard.id))]

    def due_counts(self, *, profile_id: int, before: datetime) -> dict[str, int]:
        """``{pack_id: claims due before ``before``}`` (packs with none left out)."""
        query = (
            select(ReviewCard.pack_id, func.count()).where(ReviewCard.profile_id == profile_id, ReviewCard.due < before)
            .group_by(ReviewCard.pack_id)
        )
        with self._sessions.begin() as s:
            return {pack_id: int(n) for pack_id, n in s.execute(query)}

    def rebuild(self, *, profile_ids: Iterable[int]) -> int:
        """Make these profiles' cards again from all their attempts (cards without attempts go)."""
        ids = sorted(set(profile_ids))
        if not ids:
            return 0
        with self._sessions.begin() as s:
            keys = {tuple(k) for k in s.execute(select(Attempt.profile_id, Attempt.pack_id, Attempt.claim_id).distinct().where(Attempt.profile_id.in_(ids)))}
            keys |= {tuple(k) for k in s.execute(select(ReviewCard.profile_id, ReviewCard.pack_id, ReviewCard.claim_id).where(ReviewCard.profile_id.in_(ids)))}
            return rebuild_in(s, keys=keys, now=self._clock())

    def export_rows(self, *, profile_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The cards of ``profile_ids`` as JSON values for a results file (``docs/results-format.md``)."""
        ids = sorted(set(profile_ids))
        if not ids:
            return []
        with self._sessions.begin() as s:
            rows = s.execute(
                select(ReviewCard, Profile.uuid).join(Profile, Profile.id == ReviewCard.profile_id)
                .where(ReviewCard.profile_id.in_(ids)).order_by(ReviewCard.profile_id, ReviewCard.pack_id, ReviewCard.claim_id)
            )
            return [card_json(_info(r), uuid) for r, uuid in rows]


def card_json(c: ReviewCardInfo, profile_uuid: str) -> dict[str, Any]:
    return {
        "profile_uuid": profile_uuid, "pack_id": c.pack_id, "claim_id": c.claim_id, "due": c.due.isoformat(),
        "state": c.state, "step": c.step, "stability": c.stability, "difficulty": c.difficulty,
        "last_review": c.last_review.isoformat() if c.last_review else None, "reps": c.reps, "lapses": c.lapses,
        "last_rating": c.last_rating, "updated_at": c.updated_at.isoformat(),
    }


def _card_query(profile_id: int, pack_id: str, claim_id: str) -> Any:
    return select(ReviewCard).where(
        ReviewCard.profile_id == profile_id, ReviewCard.pack_id == pack_id, ReviewCard.claim_id == claim_id
    )


def _replayed(s: Session, key: Key, thresholds: Thresholds, now: datetime) -> ReviewCardInfo | None:
    answers = s.execute(
        select(Attempt.submitted_at, Attempt.score)
        .where(Attempt.profile_id == key[0], Attempt.pack_id == key[1], Attempt.claim_id == key[2])
        .order_by(Attempt.submitted_at, Attempt.id)
    ).all()
    return replay(answers, profile_id=key[0], pack_id=key[1], claim_id=key[2], thresholds=thresholds, now=now)


def _write(s: Session, row: ReviewCard | None, card: ReviewCardInfo) -> None:
    if row is not None:
        _copy(card, row)
        return
    try:
        with s.begin_nested():  # another writer may add the same card first
            s.add(_row(card))
            s.flush()
    except IntegrityError:
        found = s.scalar(_card_query(card.profile_id, card.pack_id, card.claim_id))
        if found is not None:
            _copy(card, found)


_FIELDS = ("due", "state", "step", "stability", "difficulty", "last_review", "reps", "lapses", "last_rating", "updated_at")


def _row(card: ReviewCardInfo) -> ReviewCard:
    return ReviewCard(profile_id=card.profile_id, pack_id=card.pack_id, claim_id=card.claim_id,
                      **{f: getattr(card, f) for f in _FIELDS})


def _copy(card: ReviewCardInfo, row: ReviewCard) -> None:
    for f in _FIELDS:
        setattr(row, f, getattr(card, f))


def _info(r: ReviewCard) -> ReviewCardInfo:
    return ReviewCardInfo(
        profile_id=r.profile_id, pack_id=r.pack_id, claim_id=r.claim_id, due=r.due, state=r.state, step=r.step,
        stability=r.stability, difficulty=r.difficulty, last_review=r.last_review, reps=r.reps, lapses=r.lapses,
        last_rating=r.last_rating, updated_at=r.updated_at,
    )
