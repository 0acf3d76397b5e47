"""What only an unlocked coach may do with the club's work: the class overview and resolving disputes.

Every method raises ``CoachRequiredError`` unless a coach is unlocked in this
session (``Profiles.unlock`` with the coach's PIN; the CLI's ``--coach``).
On a club server the figures are read afresh on every call, so the overview
shows what every laptop has saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from ..records import DisputeCase, ProfileInfo
from ..storage import CoachRequiredError, InvalidInputError
from .data import Data
from .packs import PackLibrary
from .profiles import Profiles

if TYPE_CHECKING:
    from ..overview import ClassOverview
    from ..packs import Pack


class Club:
    def __init__(self, data: Data, profiles: Profiles, packs: PackLibrary) -> None:
        self._data = data
        self._profiles = profiles
        self._packs = packs

    def _coach(self, what: str) -> ProfileInfo:
        coach = self._profiles.coach()
        if coach is None:
            raise CoachRequiredError(what)
        return coach

    def _installed(self) -> dict[str, Pack]:
        return {p.id: p for p in self._packs.all()}

    # -- the class overview ---------------------------------------------------
    def overview(
        self,
        *,
        pack_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> ClassOverview:
        """Every student's figures for attempts submitted in ``[since, until)`` (of ``pack_id``)."""
        from ..overview import build_overview

        self._coach("see the class overview")
        club = self._data.club
        figures = club.overview_figures(pack_id=pack_id, since=since, until=until)
        return build_overview(
            figures,
            self._profiles.list(),
            self._installed(),
            pack_id=pack_id,
            examples=lambda keys: club.missed_examples(keys=keys, pack_id=pack_id, since=since, until=until),
        )

    # -- disputes -----------------------------------------------------------
    def open_disputes(self) -> int:
        """How many disputes wait for a coach."""
        self._coach("see the students' disputes")
        return self._data.club.count_disputes(status="open")

    def disputes(self, *, status: str | None = "open", profile_id: int | None = None) -> list[DisputeCase]:
        """Disputes with ``status`` (``None``: all), oldest first, with their attempts."""
        self._coach("see the students' disputes")
        return self._data.club.dispute_cases(status=status, profile_id=profile_id)

    def accept(self, dispute_id: int, *, verdict: str | None = None, note: str = "") -> DisputeCase:
        """The coach agrees: the key point gets ``verdict`` (by default "covered"
        for "I did make this point", and the opposite of the matcher's verdict
        for "this is wrong"), and the attempt's score follows (``overrides.py``).
        The matcher's verdict and the score before stay in the attempt's history."""
        from ..overrides import Override, OverrideError, apply_override

        coach = self._coach("resolve disputes")
        case = self._data.club.dispute_case(dispute_id=dispute_id)
        verdict = verdict or default_verdict(case)
        weights = self._weights(case.attempt.pack_id, case.attempt.claim_id)
        at = self._data.clock()

        def rescore(score: float | None, breakdown: Mapping[str, Any], text: str) -> tuple[float, dict[str, Any]]:
            override = Override(case.dispute.key_point_id, verdict, dispute_id, coach.name, at, note)
            try:
                return apply_override(score, breakdown, override, text=text, weights=weights)
            except OverrideError as exc:
                raise InvalidInputError("key_point_id", str(exc)) from exc

        return self._data.club.resolve_dispute(
            dispute_id=dispute_id, accept=True, coach=coach.name, note=note, verdict=verdict, rescore=rescore
        )

    def reject(self, dispute_id: int, *, note: str = "") -> DisputeCase:
        """The coach keeps the matcher's verdict; ``note`` tells the student why."""
        coach = self._coach("resolve disputes")
        return self._data.club.resolve_dispute(dispute_id=dispute_id, accept=False, coach=coach.name, note=note)

    def _weights(self, pack_id: str, claim_id: str) -> dict[str, float]:
        pack = self._installed().get(pack_id)
        try:
            claim = pack.claim(claim_id) if pack is not None else None
        except KeyError:
            claim = None
        return {k.id: k.weight for k in claim.key_points} if claim is not None else {}


def matcher_verdict(case: DisputeCase) -> str | None:
    """The verdict the matcher gave the disputed key point (before any override)."""
    for kp in case.attempt.breakdown.get("key_points", ()) or ():
        if isinstance(kp, dict) and kp.get("key_point_id") == case.dispute.key_point_id:
            original = kp.get("override")
            return str((original or kp).get("verdict"))
    return None


def default_verdict(case: DisputeCase) -> str:
    """What accepting means when the coach does not say: the point was made
    ("covered"), or, for "this is wrong" on a point credited, it was not."""
    current = matcher_verdict(case)
    if case.dispute.kind == "verdict-wrong" and current in ("covered", "partly"):
        return "missed"
    return "covered"

