"""The in-memory shape of a content pack: plain frozen dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

CLAIM_KINDS = ("factual", "causal", "prediction", "policy-recommendation", "value-judgement")
WEAK_KINDS = ("strawman", "agrees", "off-topic", "bare-assertion")

CLAIM_KIND_LABELS = {
    "factual": "Factual",
    "causal": "Causal",
    "prediction": "Prediction",
    "policy-recommendation": "Policy recommendation",
    "value-judgement": "Value judgement",
}


@dataclass(frozen=True)
class Source:
    author: str
    outlet: str
    date: str
    url: str | None = None
    reprint: str | None = None


@dataclass(frozen=True)
class Citation:
    """Where a fact in a model rebuttal or a coach's note comes from: what a
    judge asks for ("where is that from?")."""

    title: str
    publisher: str
    date: str | None = None
    url: str | None = None  # http or https only
    supports: str | None = None  # one line: what this source supports

    def label(self) -> str:
        """``Title, Publisher, 2019-02-28``: how the app names it."""
        return ", ".join(part for part in (self.title, self.publisher, self.date) if part)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "publisher": self.publisher, "date": self.date, "url": self.url, "supports": self.supports}


@dataclass(frozen=True)
class Perspective:
    id: str
    name: str
    description: str
    tip: str | None = None  # one line on how this side argues; shown with the feedback

    def how_to_argue(self) -> str:
        """The tip, or else the description's last sentence (which usually says what this side holds)."""
        if self.tip:
            return self.tip
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(self.description.split())) if s.strip()]
        return sentences[-1] if sentences else ""


@dataclass(frozen=True)
class KeyPoint:
    id: str
    statement: str
    perspectives: tuple[str, ...]
    weight: float
    rebuttal_markdown: str
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class WeakExample:
    kind: str
    text: str


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    kind: str
    difficulty: int
    note: str | None
    key_points: tuple[KeyPoint, ...]
    weak_examples: tuple[WeakExample, ...] = ()
    #: Sources the coach's note cites.
    note_sources: tuple[Citation, ...] = ()
    #: Character offset of the quote in the article (``-1`` if not found).
    position: int = -1

    @property
    def kind_label(self) -> str:
        return CLAIM_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Pack:
    schema_version: int
    id: str
    title: str
    language: str
    version: str
    licence: str
    attribution: str
    description: str | None
    source: Source
    article: str
    perspectives: tuple[Perspective, ...]
    claims: tuple[Claim, ...]
    #: Where the pack was read from (a folder or a ``.steelpack`` file).
    origin: str = field(default="", compare=False)

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(f"pack {self.id!r} has no claim {claim_id!r}")

    def perspective(self, perspective_id: str) -> Perspective:
        for perspective in self.perspectives:
            if perspective.id == perspective_id:
                return perspective
        raise KeyError(f"pack {self.id!r} has no perspective {perspective_id!r}")

    def claim_index(self, claim_id: str) -> int:
        return [c.id for c in self.claims].index(claim_id)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (docs/pack-format.md)."""
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "version": self.version,
            "licence": self.licence,
            "attribution": self.attribution,
            "description": self.description,
            "source": {
                "author": self.source.author,
                "outlet": self.source.outlet,
                "date": self.source.date,
                "url": self.source.url,
                "reprint": self.source.reprint,
            },
            "article": self.article,
            "perspectives": [
                {"id": p.id, "name": p.name, "description": p.description, "tip": p.tip} for p in self.perspectives
            ],
            "claims": [
                {
                    "id": c.id,
                    "quote": c.quote,
                    "kind": c.kind,
                    "difficulty": c.difficulty,
                    "note": c.note,
                    "note_sources": [s.to_dict() for s in c.note_sources],
                    "key_points": [
                        {
                            "id": k.id,
                            "statement": k.statement,
                            "perspectives": list(k.perspectives),
                            "weight": k.weight,
                            "rebuttal_markdown": k.rebuttal_markdown,
                            "sources": [s.to_dict() for s in k.sources],
                        }
                        for k in c.key_points
                    ],
                    "weak_examples": [{"kind": w.kind, "text": w.text} for w in c.weak_examples],
                }
                for c in self.claims
            ],
        }
