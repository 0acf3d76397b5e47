"""Scoring one response to one claim of a pack: the bridge from packs to the matcher.

The matcher knows nothing about packs; this module turns a claim into what it
needs: the key points (with their perspectives and weights) and the claim's
background, the texts that must not cover any of its key points:

* the article's other claims (they argue the author's side, on nearby topics);
* the other claims' weak examples (agreeing, off-topic, bare or strawman
  answers written for the pack).

The claim's *own* weak examples are left out on purpose: the test gate that
none of them covers a key point then checks the calibration instead of
restating it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the matcher (numpy, onnxruntime) loads lazily
    from .matching import KeyPointInput, Matcher, MatchResult
    from .packs import Claim, Pack


def key_point_inputs(claim: "Claim") -> list["KeyPointInput"]:
    from .matching import KeyPointInput

    return [
        KeyPointInput(id=k.id, statement=k.statement, rebuttal_markdown=k.rebuttal_markdown, weight=k.weight,
                      perspectives=tuple(k.perspectives))
        for k in claim.key_points
    ]


def background_texts(pack: "Pack", claim: "Claim") -> list[str]:
    texts: list[str] = []
    for other in pack.claims:
        if other.id == claim.id:
            continue
        texts.append(other.quote)
        texts.extend(w.text for w in other.weak_examples)
    return texts


def score_claim(matcher: "Matcher", pack: "Pack", claim: "Claim", text: str, perspective: str | None = None) -> "MatchResult":
    """Score ``text`` as a rebuttal of ``claim``, argued as ``perspective`` (None: own view)."""
    known = {p.id for p in pack.perspectives}
    return matcher.score(
        claim=claim.quote,
        key_points=key_point_inputs(claim),
        response=text,
        perspective=perspective if perspective in known else None,
        background=background_texts(pack, claim),
    )


def prepare_claim(matcher: "Matcher", pack: "Pack", claim: "Claim") -> None:
    """The claim-side work of ``score_claim``, done ahead (a matcher without it is left alone)."""
    prepare = getattr(matcher, "prepare", None)
    if prepare is not None:
        prepare(claim=claim.quote, key_points=key_point_inputs(claim), background=background_texts(pack, claim))
