"""Public data types of the matcher (JSON-safe, frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("covered", "partly", "missed")
COVERED_AT = 0.5            # a key point with at least this probability is covered
PARTLY_AT = 0.3             # ... and with at least this one, partly made
PERSPECTIVE_BOOST = 1.0     # a perspective's own key points weigh (1 + boost) x their pack weight


@dataclass(frozen=True)
class KeyPointInput:
    id: str
    statement: str
    rebuttal_markdown: str = ""
    weight: float = 1.0
    perspectives: tuple[str, ...] = ()  # the perspectives this key point belongs to


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into the original response string."""

    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(int(d["start"]), int(d["end"]))


@dataclass(frozen=True)
class KeyPointVerdict:
    key_point_id: str
    probability: float
    verdict: str  # "covered" | "partly" | "missed"
    spans: tuple[Span, ...] = ()

    def to_dict(self) -> dict:
        return {
            "key_point_id": self.key_point_id,
            "probability": self.probability,
            "verdict": self.verdict,
            "spans": [s.to_dict() for s in self.spans],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "KeyPointVerdict":
        return cls(
            key_point_id=str(d["key_point_id"]),
            probability=float(d["probability"]),
            verdict=str(d["verdict"]),
            spans=tuple(Span.from_dict(s) for s in d.get("spans", ())),
        )


@dataclass(frozen=True)
class RubricSignal:
    name: str
    passed: bool
    explanation: str
    value: float | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "explanation": self.explanation, "value": self.value}

    @classmethod
    def from_dict(cls, d: dict) -> "RubricSignal":
        v = d.get("value")
        return cls(str(d["name"]), bool(d["passed"]), str(d["explanation"]), None if v is None else float(v))


SENTENCE_ROLES = ("key-point", "off-list", "supports", "restates", "reports", "no-argument", "neither")


@dataclass(frozen=True)
class SentenceNote:
    """What one sentence of the response does, as the matcher judged it.

    ``role``: ``key-point`` (makes ``key_point_id``), ``off-list`` (a point
    against the claim that is not in the key points), ``supports`` (argues for
    the claim), ``restates`` (restates the claim), ``reports`` (reports
    somebody's view without arguing it), ``no-argument`` (a keyword list or a
    fragment) or ``neither``. ``stance``: opposes/supports/neither.
    """

    span: Span
    role: str
    stance: str
    key_point_id: str | None = None

    def to_dict(self) -> dict:
        return {"span": self.span.to_dict(), "role": self.role, "stance": self.stance, "key_point_id": self.key_point_id}

    @classmethod
    def from_dict(cls, d: dict) -> "SentenceNote":
        kp = d.get("key_point_id")
        return cls(Span.from_dict(d["span"]), str(d["role"]), str(d.get("stance", "neither")), None if kp is None else str(kp))


@dataclass(frozen=True)
class MatchResult:
    matcher_version: str
    score: float
    key_points: tuple[KeyPointVerdict, ...]
    rubric: tuple[RubricSignal, ...]
    notices: tuple[str, ...] = field(default=())
    sentences: tuple[SentenceNote, ...] = field(default=())
    argued_for: bool = False                 # the answer mostly argues *for* the claim
    perspective: str | None = None           # the perspective argued as (None: own view)
    perspective_key_points: tuple[str, ...] = field(default=())  # that perspective's key points

    def to_dict(self) -> dict[str, Any]:
        return {
            "matcher_version": self.matcher_version,
            "score": self.score,
            "key_points": [k.to_dict() for k in self.key_points],
            "rubric": [r.to_dict() for r in self.rubric],
            "notices": list(self.notices),
            "sentences": [s.to_dict() for s in self.sentences],
            "argued_for": self.argued_for,
            "perspective": self.perspective,
            "perspective_key_points": list(self.perspective_key_points),
        }

    def off_list(self) -> tuple[SentenceNote, ...]:
        return tuple(s for s in self.sentences if s.role == "off-list")

    @classmethod
    def from_dict(cls, d: dict) -> "MatchResult":
        return cls(
            matcher_version=str(d["matcher_version"]),
            score=float(d["score"]),
            key_points=tuple(KeyPointVerdict.from_dict(k) for k in d.get("key_points", ())),
            rubric=tuple(RubricSignal.from_dict(r) for r in d.get("rubric", ())),
            notices=tuple(str(n) for n in d.get("notices", ())),
            sentences=tuple(SentenceNote.from_dict(s) for s in d.get("sentences", ())),
            argued_for=bool(d.get("argued_for", False)),
            perspective=None if d.get("perspective") is None else str(d["perspective"]),
            perspective_key_points=tuple(str(k) for k in d.get("perspective_key_points", ())),
        )

    def verdict_for(self, key_point_id: str) -> KeyPointVerdict | None:
        for k in self.key_points:
            if k.key_point_id == key_point_id:
                return k
        return None

    def signal(self, name: str) -> RubricSignal | None:
        for r in self.rubric:
            if r.name == name:
                return r
        return None
