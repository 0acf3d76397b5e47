"""How a stored score was made, in plain terms: what "How is this scored?" shows.

The matcher (``trainer/core/matching/matcher.py``, step 6) scores a response as::

    score = (Σ w·p / Σ w  +  c · min(n, 2)) · (1 − f)

* ``w`` — each key point's weight in the pack, doubled for the key points of
  the perspective the student argued as;
* ``p`` — how strongly the response makes the key point (its best sentence's
  probability; *covered* from 50 %, *partly* from 30 %). The credit follows
  ``p``, not the verdict: a key point made at 62 % earns 62 % of its share;
* ``n`` — points against the claim that are not in the key points, ``c`` the
  credit for each (the calibration's ``off_list_credit``, 0 today);
* ``f`` — the share of the response's words that argue *for* the claim.

The rubric does not enter the score. A coach's accepted dispute replaces a key
point's ``p`` by the coach's verdict (``core/overrides.py``), so the same sum
holds after it.

:func:`explain` rebuilds those terms from a stored breakdown and the pack's
weights. It recomputes the score and says whether it is exactly the stored one
(``exact``); when it is not (the pack changed since, or rounding across a
coach's changes), ``difference`` is the gap, shown as its own line, so the
lines always add up to the stored score. No Qt here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import overrides
from .overview import SOME_FROM, STRONG_FROM, score_band
from .progress import format_score

PERSPECTIVE_BOOST = 1.0      # as trainer/core/matching/types.py (importing it loads numpy)
COVERED_AT, PARTLY_AT = 0.5, 0.3
DEFAULT_OFF_LIST_CREDIT = 0.15  # Calibration.default()
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")  # trainer/core/matching/text.py: words()

# The verdict in words for each band of core/overview.py (the class overview's colours).
BAND_WORDS = {"strong": "Strong rebuttal", "some": "Getting there", "little": "Weak — key points missed"}
BAND_ADVICE = {
    "strong": "You made the points that matter most. Try the next claim, or another side.",
    "some": "Some key points made. Add a missed one and try again.",
    "little": "Most key points are missing. Start with one of them and try again.",
}
# What the best answers written for the Korea pack score (bench/data/korea_feedback_dev.jsonl, grade 4).
STRONG_ANSWERS = (0.34, 0.82)
STRONG_MEDIAN = 0.43

RUBRIC_LABELS = {
    "restates": "Restates the claim",
    "counters": "Counters the claim",
    "reason": "Gives a reason",
    "evidence": "Uses evidence",
    "impact": "Explains why it matters",
    "on_claim": "Stays on the claim",
    "length": "Length",
}
VERDICT_WORDS = {"covered": "Covered", "partly": "Partly made", "missed": "Missed"}


def verdict_words(score: float | None) -> str:
    """"Strong rebuttal", "Getting there" or "Weak — key points missed" ("Not scored" without a score)."""
    band = score_band(score)
    return BAND_WORDS[band] if band else "Not scored"


def band_advice(score: float | None) -> str:
    band = score_band(score)
    return BAND_ADVICE[band] if band else ""


def scale_lines() -> list[str]:
    """The plain scale: what a weak and a strong rebuttal score."""
    low, high = STRONG_ANSWERS
    return [
        f"From {format_score(STRONG_FROM)}: {BAND_WORDS['strong'].lower()}. The score counts every key point of the claim, "
        f"so nobody is expected to make them all: the best answers written for the Korea pack score "
        f"{format_score(low)}–{format_score(high)} (half of them above {format_score(STRONG_MEDIAN)}).",
        f"{format_score(SOME_FROM)}–{format_score(STRONG_FROM - 0.01)}: {BAND_WORDS['some'].lower()}: "
        "an answer that makes one key point well scores about 10–40%.",
        f"Under {format_score(SOME_FROM)}: weak. Answers that agree with the claim, drift off it or list "
        "words without an argument score under 5%.",
    ]


@dataclass(frozen=True, slots=True)
class KeyPointTerm:
    """One key point's part of the score."""

    key_point_id: str
    statement: str
    verdict: str
    probability: float      # p: how strongly the response makes it (0…1)
    pack_weight: float
    weight: float           # w: the pack weight, doubled for the perspective's own key points
    own_side: bool          # one of the chosen perspective's key points
    share: float            # w / Σw: the most this key point can add
    credit: float           # w / Σw · p · (1 − f): what it added
    coach: str | None = None            # the coach who set this verdict (an accepted dispute)
    matcher_verdict: str | None = None  # what the matcher said before the coach


@dataclass(frozen=True, slots=True)
class RubricLine:
    name: str
    label: str
    passed: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class ScoreExplanation:
    score: float                  # the stored score
    terms: tuple[KeyPointTerm, ...]
    total_weight: float           # Σw
    coverage: float               # Σw·p / Σw
    for_share: float              # f
    off_list: int                 # n
    off_list_credit: float        # c · min(n, 2) · (1 − f)
    computed: float               # the formula, rounded as the matcher rounds
    rubric: tuple[RubricLine, ...]
    argued_for: bool = False

    @property
    def difference(self) -> float:
        """The stored score less the recomputed one (0 when ``exact``)."""
        return round(self.score - self.computed, 4)

    @property
    def exact(self) -> bool:
        return self.difference == 0

    @property
    def total(self) -> float:
        """What the lines add up to: the key points' credits, the points off the list and any difference."""
        return round(self.computed + self.difference, 4)

    @property
    def words(self) -> str:
        return verdict_words(self.score)

    def lines(self) -> list[str]:
        """The explanation as plain text (the dialog's Copy, the CLI)."""
        out = [f"Score {format_score(self.score)}: {self.words}.", "",
               "Each key point can add up to its share of the score (its weight over the total weight); it adds that share "
               "times how strongly your answer makes it.", ""]
        for t in self.terms:
            side = ", your side's point: weight doubled" if t.own_side else ""
            coach = f" (set by {t.coach}; the matcher said {VERDICT_WORDS.get(t.matcher_verdict or '', t.matcher_verdict)})" if t.coach else ""
            out.append(f"- {VERDICT_WORDS.get(t.verdict, t.verdict)}{coach}: {t.statement}")
            out.append(f"  weight {_number(t.weight)}{side}; share {_points(t.share)}; made {_percent(t.probability)}; "
                       f"adds {_points(t.credit)}")
        if self.for_share > 0:
            out.append(f"{_percent(self.for_share)} of your words argue for the claim: every credit above is reduced by that share.")
        if self.off_list_credit:
            out.append(f"Points of your own not in the key points ({self.off_list}): adds {_points(self.off_list_credit)}.")
        if not self.exact:
            out.append(f"Rounding, or a pack changed since scoring: {self.difference * 100:+.2f} points.")
        out += ["", f"Total: {_points(self.total)} = {format_score(self.score)}.", "",
                "The rubric does not change the score; it is advice on how a judge hears your rebuttal:"]
        out += [f"- {'✔' if r.passed else '✘'} {r.label}: {r.explanation}" for r in self.rubric]
        return out + ["", "The scale:"] + [f"- {line}" for line in scale_lines()]


def _number(value: float) -> str:
    return f"{value:g}"


def _percent(value: float) -> str:
    return f"{round(100 * value)}%"


def _points(value: float) -> str:
    return f"{100 * value:.1f} points"


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def for_share(breakdown: Mapping[str, Any], text: str) -> float:
    """The share of the response's arguing words that argue for the claim, as the matcher counts them."""
    return overrides.for_share(breakdown, text, count=count_words)


@cache
def off_list_credit() -> float:
    """The credit per point off the list in the shipped calibration."""
    from ..resources import resource_path

    try:
        data = json.loads(resource_path("matcher/calibration.json").read_text(encoding="utf-8"))
        return float(data.get("off_list_credit", DEFAULT_OFF_LIST_CREDIT))
    except (OSError, ValueError, TypeError):
        return DEFAULT_OFF_LIST_CREDIT


def explain(*, score: float | None, breakdown: Mapping[str, Any], text: str, key_points: Sequence[Any],
            credit_per_point: float | None = None) -> ScoreExplanation:
    """Rebuild the score of a stored attempt from its ``breakdown``.

    ``key_points``: the claim's key points as the pack has them (``id``,
    ``statement``, ``weight``); one the pack no longer has weighs 1.
    """
    pack = {k.id: k for k in key_points}
    mine = set(breakdown.get("perspective_key_points", ()) or ())
    coach_by_kp: dict[str, tuple[str, str]] = {}
    for item in breakdown.get("overrides", ()) or ():
        if isinstance(item, Mapping) and isinstance(item.get("key_point_id"), str):
            original = coach_by_kp.get(item["key_point_id"], (None, item.get("original_verdict")))[1]
            coach_by_kp[item["key_point_id"]] = (str(item.get("coach") or "your coach"), str(original))
    entries = [k for k in breakdown.get("key_points", ()) or () if isinstance(k, Mapping)]
    raw: list[tuple[Mapping[str, Any], float, float]] = []
    total_w = acc = 0.0
    for entry in entries:
        kp_id = str(entry.get("key_point_id"))
        known = pack.get(kp_id)
        pack_weight = max(float(getattr(known, "weight", 1.0)), 0.0)
        w = pack_weight * (1.0 + PERSPECTIVE_BOOST if kp_id in mine else 1.0)
        p = float(entry.get("probability", 0.0) or 0.0)
        total_w += w
        acc += w * p
        raw.append((entry, pack_weight, w))
    coverage = acc / total_w if total_w > 0 else 0.0
    f = for_share(breakdown, text)
    n_off = sum(1 for s in breakdown.get("sentences", ()) or () if isinstance(s, Mapping) and s.get("role") == "off-list")
    c = off_list_credit() if credit_per_point is None else credit_per_point
    # the matcher's own arithmetic and rounding
    computed = round(min(max(coverage * (1.0 - f) + c * min(n_off, 2) * (1.0 - f), 0.0), 1.0), 4)
    terms = []
    for entry, pack_weight, w in raw:
        kp_id = str(entry.get("key_point_id"))
        p = float(entry.get("probability", 0.0) or 0.0)
        share = w / total_w if total_w > 0 else 0.0
        coach = coach_by_kp.get(kp_id)
        terms.append(KeyPointTerm(
            key_point_id=kp_id, statement=str(getattr(pack.get(kp_id), "statement", kp_id)),
            verdict=str(entry.get("verdict", "missed")), probability=p, pack_weight=pack_weight, weight=w,
            own_side=kp_id in mine, share=share, credit=share * p * (1.0 - f),
            coach=coach[0] if coach else None, matcher_verdict=coach[1] if coach else None,
        ))
    rubric = tuple(
        RubricLine(str(r.get("name")), RUBRIC_LABELS.get(str(r.get("name")), str(r.get("name"))), bool(r.get("passed")),
                   str(r.get("explanation", "")))
        for r in breakdown.get("rubric", ()) or () if isinstance(r, Mapping)
    )
    stored = float(score if score is not None else breakdown.get("score", 0.0) or 0.0)
    return ScoreExplanation(
        score=stored, terms=tuple(terms), total_weight=total_w, coverage=coverage, for_share=f, off_list=n_off,
        off_list_credit=c * min(n_off, 2) * (1.0 - f), computed=computed, rubric=rubric,
        argued_for=bool(breakdown.get("argued_for", False)),
    )
