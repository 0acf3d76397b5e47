"""A practice session: the ordered claims of a pack, the current position, the chosen perspective.

Pure state, no storage and no Qt: the UI keeps one of these and asks the
service to save drafts and attempts for ``session.current``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .packs import Claim, Pack, Perspective


@dataclass
class PracticeSession:
    pack: Pack
    profile_id: int
    #: The claims to practise, in order (all of the pack's by default).
    claim_ids: list[str] = field(default_factory=list)
    position: int = 0
    #: ``None`` means "my own view".
    perspective_id: str | None = None

    def __post_init__(self) -> None:
        known = [c.id for c in self.pack.claims]
        if not self.claim_ids:
            self.claim_ids = known
        unknown = [cid for cid in self.claim_ids if cid not in known]
        if unknown:
            raise KeyError(f"pack {self.pack.id!r} has no claim(s) {', '.join(unknown)}")
        if not self.claim_ids:
            raise ValueError(f"pack {self.pack.id!r} has no claims to practise")
        self.position = min(max(self.position, 0), len(self.claim_ids) - 1)
        if self.perspective_id is not None:
            self.pack.perspective(self.perspective_id)  # raises KeyError if unknown

    @classmethod
    def for_claims(cls, pack: Pack, profile_id: int, claim_ids: Sequence[str]) -> PracticeSession:
        """A session over some claims only (e.g. "practise weakest claims again"), in pack order."""
        wanted = set(claim_ids)
        ordered = [c.id for c in pack.claims if c.id in wanted]
        return cls(pack=pack, profile_id=profile_id, claim_ids=ordered)

    # -- where we are ------------------------------------------------------
    @property
    def current(self) -> Claim:
        return self.pack.claim(self.claim_ids[self.position])

    @property
    def count(self) -> int:
        return len(self.claim_ids)

    @property
    def label(self) -> str:
        """``"Claim 4 of 22"`` (1-based)."""
        return f"Claim {self.position + 1} of {self.count}"

    @property
    def perspective(self) -> Perspective | None:
        return None if self.perspective_id is None else self.pack.perspective(self.perspective_id)

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == self.count - 1

    # -- moving ------------------------------------------------------------
    def next(self) -> bool:
        """Move to the next claim; ``False`` (and no move) at the end."""
        if self.at_end:
            return False
        self.position += 1
        return True

    def previous(self) -> bool:
        if self.at_start:
            return False
        self.position -= 1
        return True

    def go_to(self, claim_id: str) -> None:
        self.position = self.claim_ids.index(claim_id)

    def choose_perspective(self, perspective_id: str | None) -> None:
        if perspective_id is not None:
            self.pack.perspective(perspective_id)
        self.perspective_id = perspective_id
