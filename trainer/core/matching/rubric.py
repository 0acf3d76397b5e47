"""Rubric signals: simple, transparent heuristics with a one-line explanation each.

The debate rubric behind them: claim, warrant, impact - "they say ... but ...
because ... therefore ...". Every signal says what it found and, when it did
not pass, what the student should do.
"""

from __future__ import annotations

import re

import numpy as np

from .text import STOPWORDS, stem, words
from .types import RubricSignal

RUBRIC_NAMES = ("restates", "counters", "reason", "evidence", "impact", "on_claim", "length")

MIN_WORDS = 40
MAX_WORDS = 250


def _phrase_re(phrases: str) -> re.Pattern:
    items = sorted({p.strip() for p in phrases.split("|") if p.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items) + r")(?![A-Za-z])", re.I)


RESTATE_CUES = _phrase_re(
    "they say|they claim|they argue|the claim|the author|the article|the writer|argues that|claims that|"
    "some argue|some say|some people say|critics say|critics argue|proponents|supporters|opponents|"
    "it is argued|it is claimed|it is true that|it's true that|admittedly|granted|while it is|while it's|"
    "the argument|the idea that|the view that|the notion that|the assumption that|according to the|"
    "is right that|has a point|at first glance|on the surface|says that|suggests that|insists|contends"
)
REASON_CUES = _phrase_re(
    "because|since|due to|as a result|therefore|thus|hence|so that|which means|this means|that means|"
    "leads to|lead to|led to|causes|caused|cause|results in|resulting|in order to|the reason|reason is|"
    "this is why|that is why|that's why|explains|given that|owing to|thanks to|by doing|enables|"
    "allows|prevents|forces|gives|makes it|incentive|so"
)
IMPACT_CUES = _phrase_re(
    "matters|important|importantly|crucial|critical|significant|significantly|serious|severe|"
    "consequence|consequences|risk|risks|danger|dangerous|threat|threatens|lives|millions|billions|"
    "thousands|war|catastrophic|disaster|long run|long term|long-term|short term|short-term|in the end|"
    "ultimately|outweighs|outweigh|more likely|less likely|likely|probability|probably|chance|"
    "magnitude|scale|at stake|cost|costs|harm|harms|damage|benefit|benefits|for years|decades|"
    "generation|irreversible|permanent|security|stability|escalation|worse|better off|most of all"
)
EVIDENCE_CUES = _phrase_re(
    "according to|for example|for instance|such as|in 19|in 20|study|studies|survey|report|reported|"
    "data|statistics|percent|per cent|million|billion|treaty|agreement|summit|resolution|sanctions|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)

_NUMBER_RE = re.compile(r"\d")
_CAP_RE = re.compile(r"(?<=[a-z,;:] )[A-Z][a-zA-Z\-]+")


def _count(rx: re.Pattern, text: str) -> int:
    return len(rx.findall(text))


def rubric_signals(
    *,
    response: str,
    n_words: int,
    claim: str,
    stance: np.ndarray,
    claim_cos: np.ndarray,
    restating: np.ndarray,
    best_kp_probability: float,
    off_list: int = 0,
) -> tuple[RubricSignal, ...]:
    """``stance``: (sentences, 3) probabilities [opposes, supports, neither] from the
    stance model; ``claim_cos``: each sentence's similarity to the claim;
    ``restating``: the sentences the matcher judged to restate the claim."""
    text = response
    n_restate = _count(RESTATE_CUES, text)
    n_reason = _count(REASON_CUES, text)
    n_impact = _count(IMPACT_CUES, text)
    n_evid_cue = _count(EVIDENCE_CUES, text)
    n_digits = len(re.findall(r"\d+(?:[.,]\d+)*%?", text))
    n_names = len(_CAP_RE.findall(text))
    max_sent_claim = float(claim_cos.max()) if claim_cos.size else 0.0
    n_oppose = int((stance[:, 0] >= 0.5).sum()) if stance.size else 0
    n_support = int((stance[:, 1] >= 0.5).sum()) if stance.size else 0

    claim_stems = {stem(w) for w in words(claim) if w not in STOPWORDS}
    resp_stems = {stem(w) for w in words(text) if w not in STOPWORDS}
    claim_overlap = len(claim_stems & resp_stems) / max(len(claim_stems), 1)

    out: list[RubricSignal] = []

    # restates: a sentence that restates the claim, or an explicit "they say ..." move
    restates = n_restate > 0 or bool(restating.any())
    out.append(RubricSignal(
        "restates", restates,
        "You state the claim fairly before attacking it." if restates else
        "Start by restating the claim in one fair sentence (\"They say ...\") before you attack it.",
        round(max_sent_claim, 4),
    ))

    # counters: more sentences against the claim than for it, and an actual point against it
    # (a key point at least partly made, or a point off the list): being on topic is not enough
    counters = n_oppose > n_support and (best_kp_probability >= 0.3 or off_list > 0)
    if counters:
        expl = "You push back against the claim instead of agreeing with it."
    elif n_support > 0:
        expl = (f"{n_support} sentence{'s' if n_support != 1 else ''} argue{'' if n_support != 1 else 's'} for the claim; "
                "a rebuttal must argue against it (\"But ...\").")
    else:
        expl = "Say clearly where the claim goes wrong (\"But ...\", \"This ignores ...\")."
    out.append(RubricSignal("counters", counters, expl, float(n_oppose - n_support)))

    reason = n_reason > 0
    out.append(RubricSignal(
        "reason", reason,
        "You give a reason or mechanism (\"because ...\")." if reason else
        "Explain why: add a \"because ...\" that shows the mechanism behind your point.",
        float(n_reason),
    ))

    evidence_score = n_digits + n_names + n_evid_cue
    evidence = n_digits > 0 or n_names >= 2 or (n_names >= 1 and n_evid_cue >= 1)
    out.append(RubricSignal(
        "evidence", evidence,
        "You back your point with specifics (names, dates, numbers or events)." if evidence else
        "Add a checkable fact: a name, a date, a number or an event that supports your point.",
        float(evidence_score),
    ))

    impact = n_impact > 0
    out.append(RubricSignal(
        "impact", impact,
        "You say why it matters (size, likelihood or time frame)." if impact else
        "Say why it matters: how big, how likely or how soon the consequence is (\"therefore ...\").",
        float(n_impact),
    ))

    on_stance = int((stance[:, 2] < 0.5).sum()) if stance.size else 0
    on_claim = best_kp_probability >= 0.3 or (on_stance > 0 and (max_sent_claim >= 0.3 or claim_overlap >= 0.25))
    out.append(RubricSignal(
        "on_claim", on_claim,
        "You stay on the claim." if on_claim else
        "Your answer drifts away from the claim; address its main idea directly.",
        round(max_sent_claim, 4),
    ))

    if n_words < MIN_WORDS:
        ok, expl = False, f"Too short ({n_words} words): develop your point to at least {MIN_WORDS} words."
    elif n_words > MAX_WORDS:
        ok, expl = False, f"Too long ({n_words} words): cut to your strongest point, under {MAX_WORDS} words."
    else:
        ok, expl = True, f"Good length ({n_words} words)."
    out.append(RubricSignal("length", ok, expl, float(n_words)))
    return tuple(out)
