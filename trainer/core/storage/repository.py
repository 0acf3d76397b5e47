"""The storage service: every public method is one unit of work and returns records.

Methods take keyword-only arguments, open one transaction
(``with self._sessions.begin() as s:``), and return the frozen dataclasses of
``trainer.core.records`` — never ORM objects. Lookups (``get_*``) return
``None`` when nothing matches; changes to something missing raise
``NotFoundError``. The clock is passed in, so tests never patch time.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from trainer.core.records import (
    DISPUTE_KINDS,
    AttemptInfo,
    DisputeInfo,
    DraftInfo,
    ProfileInfo,
    ScoreInfo,
)

from .database import Database
from .errors import (
    DatabaseUnavailableError,
    DuplicateProfileError,
    InvalidInputError,
    NotFoundError,
)
from .models import Attempt, AttemptScore, Dispute, Draft, Profile, ReviewCard, Setting
from .review import reschedule
from .verdicts import store_verdicts

MAX_PROFILE_NAME_LENGTH = 60


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Sessions:
    """``sessionmaker.begin()`` that turns "cannot reach the database" into
    ``DatabaseUnavailableError`` (plain words; callers need no SQLAlchemy)."""

    def __init__(self, factory: sessionmaker[Session], where: str) -> None:
        self._factory = factory
        self._where = where

    @contextmanager
    def begin(self) -> Iterator[Session]:
        try:
            with self._factory.begin() as s:
                yield s
        except (OperationalError, InterfaceError) as exc:
            raise DatabaseUnavailableError(
                f"The database at {self._where} cannot be reached right now "
                f"({_first_line(exc.orig) or type(exc).__name__})."
            ) from exc


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""


class Repository:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._sessions = _Sessions(database.sessions, database.url)
        self._clock = clock

    def now(self) -> datetime:
        """The injected clock's current time (checked to be timezone-aware)."""
        return _aware(self._clock(), "clock()")

    # --- profiles ---------------------------------------------------------------

    def list_profiles(self) -> list[ProfileInfo]:
        with self._sessions.begin() as s:
            profiles = s.scalars(select(Profile)).all()
            return sorted(
                (_profile_info(p) for p in profiles), key=lambda p: (p.name.casefold(), p.id)
            )

    def add_profile(self, *, name: str, role: str = "student", pin_hash: str | None = None) -> ProfileInfo:
        name = _profile_name(name)
        if role not in ("student", "coach"):
            raise InvalidInputError("role", "must be 'student' or 'coach'")
        if role == "coach" and pin_hash is None:
            raise InvalidInputError("pin", "a coach profile needs a PIN")
        try:
            with self._sessions.begin() as s:
                _check_name_free(s, name)
                profile = Profile(name=name, created_at=self.now(), pin_hash=pin_hash, role=role)
                s.add(profile)
                s.flush()
                return _profile_info(profile)
        except IntegrityError as exc:  # a concurrent insert won the race
            raise DuplicateProfileError(name) from exc

    def get_profile(self, *, name: str) -> ProfileInfo | None:
        """The profile with this name; like uniqueness, the match ignores case."""
        name = unicodedata.normalize("NFC", name.strip())
        with self._sessions.begin() as s:
            profile = s.scalar(select(Profile).where(Profile.name == name))
            if profile is None:
                folded = name.casefold()
                profile = next((p for p in s.scalars(select(Profile)) if p.name.casefold() == folded), None)
            return _profile_info(profile) if profile else None

    def get_profile_by_id(self, *, profile_id: int) -> ProfileInfo | None:
        with self._sessions.begin() as s:
            profile = s.get(Profile, profile_id)
            return _profile_info(profile) if profile else None

    def rename_profile(self, *, profile_id: int, name: str) -> ProfileInfo:
        name = _profile_name(name)
        try:
            with self._sessions.begin() as s:
                profile = _profile_row(s, profile_id)
                _check_name_free(s, name, except_id=profile_id)
                profile.name = name
                s.flush()
                return _profile_info(profile)
        except IntegrityError as exc:
            raise DuplicateProfileError(name) from exc

    def delete_profile(self, *, profile_id: int) -> None:
        """Delete a profile with its attempts, drafts, disputes and settings."""
        with self._sessions.begin() as s:
            if s.execute(delete(Profile).where(Profile.id == profile_id)).rowcount == 0:
                raise NotFoundError("profile", profile_id)

    def get_pin_hash(self, *, profile_id: int) -> str | None:
        """The stored PIN hash (see ``trainer.core.security``), or None."""
        with self._sessions.begin() as s:
            return _profile_row(s, profile_id).pin_hash

    def set_pin_hash(self, *, profile_id: int, pin_hash: str | None) -> ProfileInfo:
        """Store (or, with None, remove) the PIN hash. Checking the old PIN is
        the service's job (``Service.set_pin`` / ``clear_pin``)."""
        if pin_hash is not None:
            _check_text("pin_hash", pin_hash)
        with self._sessions.begin() as s:
            profile = _profile_row(s, profile_id)
            profile.pin_hash = pin_hash
            s.flush()
            return _profile_info(profile)

    def reset_profile(self, *, profile_id: int) -> ProfileInfo:
        """Delete everything the profile holds (attempts with their scores and
        disputes, drafts, its settings) and its PIN; keep the profile and its name."""
        with self._sessions.begin() as s:
            profile = _profile_row(s, profile_id)
            attempt_ids = select(Attempt.id).where(Attempt.profile_id == profile_id).scalar_subquery()
            s.execute(delete(Dispute).where(Dispute.attempt_id.in_(attempt_ids)))
            s.execute(delete(AttemptScore).where(AttemptScore.attempt_id.in_(attempt_ids)))
            s.execute(delete(Attempt).where(Attempt.profile_id == profile_id))
            s.execute(delete(Draft).where(Draft.profile_id == profile_id))
            s.execute(delete(ReviewCard).where(ReviewCard.profile_id == profile_id))
            s.execute(delete(Setting).where(Setting.profile_id == profile_id))
            s.execute(update(Profile).where(Profile.id == profile_id).values(pin_hash=None))
            s.refresh(profile)
            return _profile_info(profile)

    # --- drafts -----------------------------------------------------------------

    def save_draft(
        self,
        *,
        profile_id: int,
        pack_id: str,
        claim_id: str,
        text: str,
        cursor_position: int = 0,
        perspective_id: str | None = None,
        started_at: datetime | None = None,
    ) -> DraftInfo:
        """Create or replace the draft; ``started_at`` is kept from the first save.

        NUL characters are dropped and lone surrogates become U+FFFD (pasted
        junk must never cost the draft); the cursor is kept inside the text."""
        text = clean_text("text", text)
        if isinstance(cursor_position, bool) or not isinstance(cursor_position, int):
            raise InvalidInputError("cursor_position", "must be an integer")
        if cursor_position < 0:
            raise InvalidInputError("cursor_position", "must not be negative")
        cursor_position = min(cursor_position, len(text))
        now = self.now()
        with self._sessions.begin() as s:
            _profile_row(s, profile_id)
            draft = s.scalar(_draft_query(profile_id, pack_id, claim_id))
            if draft is None:
                draft = Draft(
                    profile_id=profile_id,
                    pack_id=pack_id,
                    claim_id=claim_id,
                    started_at=_aware(started_at, "started_at") if started_at else now,
                )
                s.add(draft)
            draft.text = text
            draft.cursor_position = cursor_position
            draft.perspective_id = perspective_id
            draft.updated_at = now
            s.flush()
            return _draft_info(draft)

    def get_draft(self, *, profile_id: int, pack_id: str, claim_id: str) -> DraftInfo | None:
        with self._sessions.begin() as s:
            draft = s.scalar(_draft_query(profile_id, pack_id, claim_id))
            return _draft_info(draft) if draft else None

    def list_drafts(self, *, profile_id: int, pack_id: str | None = None) -> list[DraftInfo]:
        """The profile's drafts, most recently edited first."""
        query = select(Draft).where(Draft.profile_id == profile_id)
        if pack_id is not None:
            query = query.where(Draft.pack_id == pack_id)
        query = query.order_by(Draft.updated_at.desc(), Draft.id.desc())
        with self._sessions.begin() as s:
            return [_draft_info(d) for d in s.scalars(query)]

    def delete_draft(self, *, profile_id: int, pack_id: str, claim_id: str) -> bool:
        """Delete the draft; return whether there was one."""
        with self._sessions.begin() as s:
            return _delete_draft(s, profile_id, pack_id, claim_id)

    # --- attempts ---------------------------------------------------------------

    def record_attempt(
        self,
        *,
        profile_id: int,
        pack_id: str,
        pack_version: str,
        claim_id: str,
        perspective_id: str | None,
        text: str,
        started_at: datetime,
        submitted_at: datetime | None = None,
        score: float | None,
        breakdown: Mapping[str, Any],
        matcher_version: str | None,
        duration_seconds: float | None = None,
        clear_draft: bool = True,
        client_uuid: str | None = None,
    ) -> AttemptInfo:
        """Store a submitted response (and, by default, drop its draft in the same
        transaction). ``duration_seconds`` defaults to the time between
        ``started_at`` and ``submitted_at`` (never negative).

        With ``client_uuid``, recording the same attempt again returns the
        stored one unchanged (the outbox relies on this). The text is cleaned
        as in ``save_draft``."""
        if client_uuid is not None:
            _check_text("client_uuid", client_uuid)
            if existing := self._attempt_by_uuid(client_uuid):
                return existing
        attempt = _new_attempt(
            profile_id=profile_id, pack_id=pack_id, pack_version=pack_version, claim_id=claim_id,
            perspective_id=perspective_id, text=text, started_at=started_at,
            submitted_at=submitted_at or self.now(), score=score, breakdown=breakdown,
            matcher_version=matcher_version, duration_seconds=duration_seconds, client_uuid=client_uuid,
        )
        with self._sessions.begin() as s:
            profile = _profile_row(s, profile_id)
            try:
                # A savepoint, so that a duplicate client_uuid (another writer
                # stored the same attempt first) leaves the transaction usable.
                with s.begin_nested():
                    s.add(attempt)
                    s.flush()
                    store_verdicts(s, attempt, replace=False)
                    reschedule(s, attempt, now=self.now())  # the review schedule, in the same transaction
                    if clear_draft:
                        _delete_draft(s, profile_id, pack_id, claim_id)
            except IntegrityError:
                if client_uuid is None:
                    raise
                duplicate = True
            else:
                duplicate = False
                info = _attempt_info(attempt, profile.name, ())
        if duplicate:
            found = self._attempt_by_uuid(client_uuid or "")
            assert found is not None
            return found
        return info

    def _attempt_by_uuid(self, client_uuid: str) -> AttemptInfo | None:
        return self._one_attempt(Attempt.client_uuid == client_uuid)

    def _one_attempt(self, where: Any) -> AttemptInfo | None:
        query = select(Attempt, Profile.name).join(Profile, Attempt.profile_id == Profile.id).where(where)
        with self._sessions.begin() as s:
            row = s.execute(query).one_or_none()
            if row is None:
                return None
            history = _score_history(s, query)
            return _attempt_info(row[0], row[1], history.get(row[0].id, ()))

    def list_attempts(
        self,
        *,
        profile_id: int | None = None,
        pack_id: str | None = None,
        claim_id: str | None = None,
    ) -> list[AttemptInfo]:
        """Attempts matching every filter given, oldest submission first."""
        query = select(Attempt, Profile.name).join(Profile, Attempt.profile_id == Profile.id)
        if profile_id is not None:
            query = query.where(Attempt.profile_id == profile_id)
        if pack_id is not None:
            query = query.where(Attempt.pack_id == pack_id)
        if claim_id is not None:
            query = query.where(Attempt.claim_id == claim_id)
        with self._sessions.begin() as s:
            rows = s.execute(query.order_by(Attempt.submitted_at, Attempt.id)).all()
            history = _score_history(s, query)
            return [_attempt_info(a, name, history.get(a.id, ())) for a, name in rows]

    def get_attempt(self, *, attempt_id: int) -> AttemptInfo | None:
        return self._one_attempt(Attempt.id == attempt_id)

    def rescore_attempt(
        self,
        *,
        attempt_id: int,
        score: float | None,
        breakdown: Mapping[str, Any],
        matcher_version: str | None,
    ) -> AttemptInfo:
        """Replace the score; the previous one moves to the attempt's history."""
        now = self.now()
        with self._sessions.begin() as s:
            attempt = s.get(Attempt, attempt_id)
            if attempt is None:
                raise NotFoundError("attempt", attempt_id)
            replace_score(s, attempt, score=score, breakdown=breakdown, matcher_version=matcher_version, now=now)
            profile_name = _profile_row(s, attempt.profile_id).name
            query = select(Attempt).where(Attempt.id == attempt_id)
            return _attempt_info(attempt, profile_name, _score_history(s, query)[attempt_id])

    # --- disputes ---------------------------------------------------------------

    def add_dispute(
        self, *, attempt_id: int, key_point_id: str, kind: str, comment: str = ""
    ) -> DisputeInfo:
        if kind not in DISPUTE_KINDS:
            raise InvalidInputError("kind", f"must be one of {', '.join(DISPUTE_KINDS)}")
        if not key_point_id or not key_point_id.strip():
            raise InvalidInputError("key_point_id", "must not be empty")
        _check_text("comment", comment)
        with self._sessions.begin() as s:
            if s.get(Attempt, attempt_id) is None:
                raise NotFoundError("attempt", attempt_id)
            dispute = Dispute(
                attempt_id=attempt_id,
                key_point_id=key_point_id,
                kind=kind,
                comment=comment,
                created_at=self.now(),
            )
            s.add(dispute)
            s.flush()
            return _dispute_info(dispute)

    def list_disputes(
        self, *, attempt_id: int | None = None, profile_id: int | None = None
    ) -> list[DisputeInfo]:
        """Disputes matching the filters given, oldest first."""
        query = select(Dispute)
        if attempt_id is not None:
            query = query.where(Dispute.attempt_id == attempt_id)
        if profile_id is not None:
            query = query.join(Attempt, Dispute.attempt_id == Attempt.id).where(
                Attempt.profile_id == profile_id
            )
        with self._sessions.begin() as s:
            disputes = s.scalars(query.order_by(Dispute.created_at, Dispute.id))
            return [_dispute_info(d) for d in disputes]

    # --- settings ---------------------------------------------------------------

    def get_setting(
        self, *, key: str, profile_id: int | None = None, default: str | None = None
    ) -> str | None:
        with self._sessions.begin() as s:
            setting = s.scalar(_setting_query(key, profile_id))
            return setting.value if setting else default

    def set_setting(self, *, key: str, value: str | None, profile_id: int | None = None) -> None:
        """Store a setting (global when ``profile_id`` is None); ``None`` removes it."""
        if not key:
            raise InvalidInputError("key", "must not be empty")
        if value is not None:
            _check_text("value", value)
        with self._sessions.begin() as s:
            if profile_id is not None:
                _profile_row(s, profile_id)
            setting = s.scalar(_setting_query(key, profile_id))
            if value is None:
                if setting is not None:
                    s.delete(setting)
            elif setting is None:
                s.add(Setting(profile_id=profile_id, key=key, value=value))
            else:
                setting.value = value


# --- helpers -----------------------------------------------------------------------


def _new_attempt(
    *,
    profile_id: int,
    pack_id: str,
    pack_version: str,
    claim_id: str,
    perspective_id: str | None,
    text: str,
    started_at: datetime,
    submitted_at: datetime,
    score: float | None,
    breakdown: Mapping[str, Any],
    matcher_version: str | None,
    duration_seconds: float | None,
    client_uuid: str | None,
) -> Attempt:
    """A checked, not yet added ``Attempt`` row (``InvalidInputError`` names the bad field)."""
    started_at = _aware(started_at, "started_at")
    submitted_at = _aware(submitted_at, "submitted_at")
    if duration_seconds is None:
        duration_seconds = max(0.0, (submitted_at - started_at).total_seconds())
    duration_seconds = _number("duration_seconds", duration_seconds)
    if duration_seconds < 0:
        raise InvalidInputError("duration_seconds", "must not be negative")
    return Attempt(
        profile_id=profile_id,
        pack_id=pack_id,
        pack_version=pack_version,
        claim_id=claim_id,
        perspective_id=perspective_id,
        text=clean_text("text", text),
        started_at=started_at,
        submitted_at=submitted_at,
        duration_seconds=duration_seconds,
        score=_score(score),
        breakdown=_json_object("breakdown", breakdown),
        matcher_version=matcher_version,
        scored_at=submitted_at,
        client_uuid=client_uuid,
    )


def replace_score(
    s: Session, attempt: Attempt, *, score: float | None, breakdown: Mapping[str, Any], matcher_version: str | None, now: datetime
) -> None:
    """Give the attempt a new score and breakdown (a re-score, a coach's
    override): the current ones move to its score history, and its verdict
    rows follow the new breakdown."""
    score, breakdown = _score(score), _json_object("breakdown", breakdown)
    s.add(_previous_score(attempt))
    attempt.score = score
    attempt.breakdown = breakdown
    attempt.matcher_version = matcher_version
    attempt.scored_at = now
    s.flush()
    store_verdicts(s, attempt)


def _previous_score(attempt: Attempt) -> AttemptScore:
    """The attempt's current score, as a row of its score history."""
    return AttemptScore(
        attempt_id=attempt.id,
        scored_at=attempt.scored_at,
        score=attempt.score,
        breakdown=attempt.breakdown,
        matcher_version=attempt.matcher_version,
    )


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInputError(field, "must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(field, "must be timezone-aware (naive datetimes are refused)")
    return value.astimezone(UTC)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(field: str, value: str) -> str:
    """``value`` without NUL characters and with lone surrogates as U+FFFD.

    Used for what a user types or pastes (drafts, attempts): a paste with
    binary junk in it is stored rather than refused.
    """
    if not isinstance(value, str):
        raise InvalidInputError(field, "must be a string")
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return value


def _check_text(field: str, value: str) -> None:
    if not isinstance(value, str):
        raise InvalidInputError(field, "must be a string")
    if "\x00" in value:
        raise InvalidInputError(field, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(field, "is not valid Unicode (lone surrogate)") from exc


def _number(field: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(field, "must be a number")
    if not math.isfinite(value):
        raise InvalidInputError(field, "must be finite")
    return float(value)


def _score(score: float | None) -> float | None:
    return None if score is None else _number("score", score)


def _json_object(field: str, value: Mapping[str, Any]) -> dict[str, Any]:
    """Return the value as it will come back from the database (a JSON round trip)."""
    if not isinstance(value, Mapping):
        raise InvalidInputError(field, "must be a mapping")
    try:
        loaded: dict[str, Any] = json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(field, f"is not JSON-serialisable: {exc}") from exc
    return loaded


def _profile_name(name: str) -> str:
    if not isinstance(name, str):
        raise InvalidInputError("name", "must be a string")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise InvalidInputError("name", "must not be empty")
    if len(name) > MAX_PROFILE_NAME_LENGTH:
        raise InvalidInputError("name", f"must be at most {MAX_PROFILE_NAME_LENGTH} characters")
    _check_text("name", name)
    return name


def _check_name_free(s: Session, name: str, *, except_id: int | None = None) -> None:
    """Profile names are unique regardless of case ("Ann" and "ann" clash)."""
    folded = name.casefold()
    for other_id, other_name in s.execute(select(Profile.id, Profile.name)):
        if other_id != except_id and other_name.casefold() == folded:
            raise DuplicateProfileError(name)


def _profile_row(s: Session, profile_id: int) -> Profile:
    profile = s.get(Profile, profile_id)
    if profile is None:
        raise NotFoundError("profile", profile_id)
    return profile


def _draft_query(profile_id: int, pack_id: str, claim_id: str) -> Select[tuple[Draft]]:
    return select(Draft).where(
        Draft.profile_id == profile_id, Draft.pack_id == pack_id, Draft.claim_id == claim_id
    )


def _delete_draft(s: Session, profile_id: int, pack_id: str, claim_id: str) -> bool:
    result = s.execute(
        delete(Draft).where(
            Draft.profile_id == profile_id, Draft.pack_id == pack_id, Draft.claim_id == claim_id
        )
    )
    return bool(result.rowcount)


def _setting_query(key: str, profile_id: int | None) -> Select[tuple[Setting]]:
    owner = Setting.profile_id.is_(None) if profile_id is None else Setting.profile_id == profile_id
    return select(Setting).where(Setting.key == key, owner)


def _score_history(s: Session, attempts: Select[Any]) -> dict[int, tuple[ScoreInfo, ...]]:
    """Earlier scores of the attempts ``attempts`` selects, oldest first."""
    ids = attempts.with_only_columns(Attempt.id).order_by(None).scalar_subquery()
    rows = s.scalars(
        select(AttemptScore)
        .where(AttemptScore.attempt_id.in_(ids))
        .order_by(AttemptScore.scored_at, AttemptScore.id)
    )
    grouped: dict[int, list[ScoreInfo]] = defaultdict(list)
    for row in rows:
        grouped[row.attempt_id].append(
            ScoreInfo(
                scored_at=row.scored_at,
                score=row.score,
                matcher_version=row.matcher_version,
                breakdown=row.breakdown,
            )
        )
    return {attempt_id: tuple(scores) for attempt_id, scores in grouped.items()}


def _profile_info(p: Profile) -> ProfileInfo:
    return ProfileInfo(id=p.id, name=p.name, created_at=p.created_at, has_pin=p.pin_hash is not None, role=p.role or "student",
                       uuid=p.uuid or "")


def _draft_info(d: Draft) -> DraftInfo:
    return DraftInfo(
        profile_id=d.profile_id,
        pack_id=d.pack_id,
        claim_id=d.claim_id,
        text=d.text,
        cursor_position=d.cursor_position,
        perspective_id=d.perspective_id,
        updated_at=d.updated_at,
        started_at=d.started_at,
    )


def _attempt_info(a: Attempt, profile_name: str, history: tuple[ScoreInfo, ...]) -> AttemptInfo:
    return AttemptInfo(
        id=a.id,
        profile_id=a.profile_id,
        profile_name=profile_name,
        pack_id=a.pack_id,
        pack_version=a.pack_version,
        claim_id=a.claim_id,
        perspective_id=a.perspective_id,
        text=a.text,
        started_at=a.started_at,
        submitted_at=a.submitted_at,
        duration_seconds=a.duration_seconds,
        score=a.score,
        breakdown=a.breakdown,
        matcher_version=a.matcher_version,
        superseded_scores=history,
        scored_at=a.scored_at,
        client_uuid=a.client_uuid,
    )


def _dispute_info(d: Dispute) -> DisputeInfo:
    return DisputeInfo(
        id=d.id,
        attempt_id=d.attempt_id,
        key_point_id=d.key_point_id,
        kind=d.kind,
        comment=d.comment,
        created_at=d.created_at,
        status=d.status or "open",
        resolved_at=d.resolved_at,
        resolved_by=d.resolved_by,
        resolution_note=d.resolution_note or "",
        override_verdict=d.override_verdict,
        uuid=d.uuid or "",
    )
