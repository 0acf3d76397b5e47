"""The matcher: which key points a response really makes, where, and rubric signals.

Pipeline (see docs/matcher.md, the model card):

1. split the response into sentences (offsets into the original string);
2. embed the claim, each key point (its statement and the sentences of its
   model rebuttal), the claim's background texts and the response's sentences
   with the fine-tuned encoder (encoder.py); claim-side work is LRU-cached;
3. judge each sentence's stance towards the claim (opposes / supports /
   neither) with the encoder's stance head;
4. a sentence can cover a key point only if it makes an argument (not a
   keyword list or a fragment), does not support the claim, and does not just
   restate it. Its probability of covering key point j comes from a small
   logistic combiner (calibration.json) over: similarity to the key point,
   that similarity minus the best similarity of the claim's background texts
   (the pack's weak examples, the article's other claims, generic sentences),
   the margin over the sibling key points, similarity to the claim and the
   sentence's stance;
5. a key point's probability is its best sentence's; verdicts covered/partly/
   missed; a sentence that opposes the claim, stays on it and covers no key
   point is "a point not in the key points";
6. score = weighted mean of the key points' probabilities (weights raised for
   the key points of the chosen perspective), scaled down by the share of the
   answer that argues *for* the claim, plus a little credit for points off
   the list.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..limits import SCORED_CHARS
from ..words import word_count
from .encoder import Encoder, EncoderLoadError
from .gates import (
    endorses_the_author,
    is_keyword_list,
    opens_for_the_claim,
    rejects_the_author,
    reports_a_view,
    same_polarity,
    reports_the_other_side,
    starts_with_contrast,
)
from .rubric import rubric_signals
from .text import split_sentences, strip_markdown, words
from .types import COVERED_AT, PARTLY_AT, PERSPECTIVE_BOOST, KeyPointInput, KeyPointVerdict, MatchResult, SentenceNote, Span

MATCHER_RELEASE = "2.1.0"
CALIBRATION_NAME = "matcher/calibration.json"
CALIBRATION_FORMAT = "steelman-matcher-calibration/1"

MAX_CHARS = SCORED_CHARS  # the views tell the student the same limit
REBUTTAL_MAX_SENTENCES = 10
REBUTTAL_CLAIM_COS = 0.85   # rebuttal sentences this close to the claim only restate it
CONTEXT_CACHE_SIZE = 64
TEXT_CACHE_SIZE = 4096

# Generic sentences every key point is calibrated against: what students write
# when they have no argument. A key point that "matches" these is a magnet.
GENERIC_BACKGROUND = (
    "I disagree with the author.",
    "The author is wrong about this.",
    "This claim is not true.",
    "North Korea is bad and cannot be trusted.",
    "Kim Jong Un is a dangerous dictator.",
    "The United States should do something about North Korea.",
    "This is a very complicated issue with many sides.",
    "There are many reasons why this is wrong.",
    "The government should think about this more carefully.",
    "History shows that this is not the case.",
    "Experts have different opinions about this topic.",
    "We need to consider the facts before deciding.",
    "In conclusion, the claim is flawed.",
    "This is an important topic for international relations.",
    "The economy is the most important issue for voters.",
    "Climate change is the biggest threat facing the world.",
    "My school should have a longer lunch break.",
    "Social media has changed how teenagers communicate.",
    "Sports teach young people teamwork and discipline.",
    "Technology companies collect too much personal data.",
)


class MatcherError(RuntimeError):
    pass


@dataclass(frozen=True)
class Calibration:
    """The combiner and thresholds fitted by scripts/calibrate_matcher.py."""

    weights: tuple[float, ...]
    bias: float
    restate_cos: float = 0.80        # a sentence this close to the claim (and closer to it than to any key point) restates it
    support_gate: float = 0.5        # P(supports) at or above this: the sentence argues for the claim
    off_list_oppose: float = 0.6     # P(opposes) for a point not in the key points
    off_list_claim_cos: float = 0.3  # ... and at least this close to the claim (on topic)
    off_list_credit: float = 0.15    # score credit per such point, at most two
    windows: str = "text"            # also judge each pair of adjacent sentences: "text", "mean" (approximate, faster) or "none"
    stance_model: bool = True        # use the encoder's stance head (else: the transparent rules in gates.py only)
    conclude_cos: float = 0.55       # a last sentence this close to the claim (closer than to any key point, same polarity) concludes for it
    FEATURES = ("sim", "sim_minus_background", "sim_minus_sibling", "claim_cos", "p_opposes", "p_supports")

    @classmethod
    def default(cls) -> "Calibration":
        return cls(weights=(8.0, 10.0, 4.0, -2.0, 1.5, -3.0), bias=-4.0)

    @classmethod
    def from_dict(cls, d: dict) -> "Calibration":
        if d.get("format") != CALIBRATION_FORMAT:
            raise MatcherError(f"unsupported matcher calibration format {d.get('format')!r}")
        if tuple(d.get("features", ())) != cls.FEATURES:
            raise MatcherError("the matcher calibration was fitted on a different feature set")
        extra = {k: float(d[k]) for k in ("restate_cos", "support_gate", "off_list_oppose", "off_list_claim_cos", "off_list_credit", "conclude_cos")
                 if k in d}
        return cls(weights=tuple(float(w) for w in d["weights"]), bias=float(d["bias"]), windows=_windows(d.get("windows", "text")),
                   stance_model=bool(d.get("stance_model", True)), **extra)

    def to_dict(self) -> dict:
        return {
            "format": CALIBRATION_FORMAT, "features": list(self.FEATURES), "weights": list(self.weights), "bias": self.bias,
            "restate_cos": self.restate_cos, "support_gate": self.support_gate, "off_list_oppose": self.off_list_oppose,
            "off_list_claim_cos": self.off_list_claim_cos, "off_list_credit": self.off_list_credit, "windows": self.windows,
            "stance_model": self.stance_model, "conclude_cos": self.conclude_cos,
        }


@dataclass(frozen=True)
class _ClaimContext:
    claim_vec: np.ndarray          # (384,)
    kp_vecs: list[np.ndarray]      # per key point: (1 + rebuttal sentences, 384)
    background_best: np.ndarray    # (n_kp,) best similarity of any background text to each key point


@dataclass(frozen=True)
class SentenceEvidence:
    """Everything the matcher knows about each unit of a response (for the benchmark and the calibration script).

    The units are the sentences, then (when there are two or more) each pair of
    adjacent sentences, so that a point made across two sentences is seen
    whole; ``parts[k]`` are the sentence indices of unit k. A pair is gated if
    either of its sentences is (a keyword list, a reported view, or support
    for the claim).
    """

    spans: list[tuple[int, int]]   # per sentence
    texts: list[str]               # per sentence
    parts: list[tuple[int, ...]]   # per unit
    sim: np.ndarray          # (n_units, n_kp)
    features: np.ndarray     # (n_units, n_kp, n_features)
    stance: np.ndarray       # (n_units, 3)
    claim_cos: np.ndarray    # (n_units,)
    keyword: np.ndarray      # (n_units,) bool: a keyword list or a fragment
    reported: np.ndarray     # (n_units,) bool: reports somebody's view without arguing it


class Matcher:
    version: str

    def __init__(self, encoder: Encoder, calibration: Calibration, version: str):
        self.encoder = encoder
        self.calibration = calibration
        self.version = version
        self._cache: OrderedDict = OrderedDict()
        self._text_vecs: OrderedDict = OrderedDict()  # background text -> vector (shared by the claims of a pack)
        self._lock = threading.Lock()
        self._generic_vecs = encoder.embed(list(GENERIC_BACKGROUND))

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, folder: Path | None = None, *, calibration_path: Path | None = None, threads: int = 2) -> "Matcher":
        try:
            encoder = Encoder.load(folder, threads=threads)
        except EncoderLoadError as exc:
            raise MatcherError(str(exc)) from exc
        if calibration_path is None:
            from trainer.resources import resource_path

            calibration_path = resource_path(CALIBRATION_NAME) if folder is None else Path(folder) / "calibration.json"
        raw = b""
        try:
            raw = Path(calibration_path).read_bytes()
            calibration = Calibration.from_dict(json.loads(raw.decode("utf-8")))
        except FileNotFoundError:
            calibration = Calibration.default()
        except (OSError, ValueError) as exc:
            raise MatcherError(f"cannot read the matcher calibration {calibration_path}: {exc}") from exc
        digest = hashlib.sha256(raw).hexdigest()[:8] if raw else "default"
        version = f"{MATCHER_RELEASE}+{encoder.version.split('+', 1)[-1]}.cal-{digest}"
        return cls(encoder, calibration, version)

    # ------------------------------------------------------------------ claim side
    def prepare(self, *, claim: str, key_points: Sequence[KeyPointInput], background: Sequence[str] = ()) -> None:
        """Do a claim's side of scoring ahead of the response (embedding its key
        points and, the first time in a pack, the background texts), so the
        first submit does not wait for it."""
        self._context(claim, key_points, background)

    def _context(self, claim: str, key_points: Sequence[KeyPointInput], background: Sequence[str]) -> _ClaimContext:
        key = (claim, tuple((k.statement, k.rebuttal_markdown) for k in key_points), tuple(background))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        texts = [claim]
        owners: list[int] = [-1]
        for j, kp in enumerate(key_points):
            texts.append(kp.statement)
            owners.append(j)
            if kp.rebuttal_markdown and kp.rebuttal_markdown.strip():
                plain = strip_markdown(kp.rebuttal_markdown)
                sents = [plain[s:e] for s, e in split_sentences(plain)]
                sents = [s for s in sents if len(words(s)) >= 5][:REBUTTAL_MAX_SENTENCES]
                texts.extend(sents)
                owners.extend([j] * len(sents))
        vecs = self.encoder.embed(texts)
        claim_vec = vecs[0]
        owners_a = np.asarray(owners)
        kp_vecs = []
        for j in range(len(key_points)):
            rows = vecs[owners_a == j]
            keep = [0] + [i for i in range(1, len(rows)) if float(rows[i] @ claim_vec) < REBUTTAL_CLAIM_COS]
            kp_vecs.append(rows[keep])
        bg_texts = [t for t in background if t and t.strip()]
        bg_vecs = np.vstack([self._generic_vecs, self._embed_cached(bg_texts)]) if bg_texts else self._generic_vecs
        bg_vecs = np.vstack([bg_vecs, claim_vec[None, :]])  # restating the claim is background too
        background_best = np.array([float(_similarity(bg_vecs, kv).max()) for kv in kp_vecs]) if kp_vecs else np.zeros(0)
        ctx = _ClaimContext(claim_vec, kp_vecs, background_best)
        with self._lock:
            self._cache[key] = ctx
            while len(self._cache) > CONTEXT_CACHE_SIZE:
                self._cache.popitem(last=False)
        return ctx

    def _embed_cached(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``, reusing those of texts seen before (background texts recur across claims)."""
        with self._lock:
            found = {t: self._text_vecs[t] for t in texts if t in self._text_vecs}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self.encoder.embed(missing)))
            with self._lock:
                self._text_vecs.update((t, found[t]) for t in missing)
                while len(self._text_vecs) > TEXT_CACHE_SIZE:
                    self._text_vecs.popitem(last=False)
        return np.vstack([found[t] for t in texts])

    # ------------------------------------------------------------------ sentence side
    def evidence(self, *, claim: str, key_points: Sequence[KeyPointInput], text: str,
                 background: Sequence[str] = ()) -> SentenceEvidence:
        """Per-sentence similarities, features, stance and gates (no verdicts yet)."""
        spans = split_sentences(text)
        texts = [text[s:e] for s, e in spans]
        n, m = len(texts), len(key_points)
        if n == 0:
            z = np.zeros((0, m))
            return SentenceEvidence([], [], [], z, np.zeros((0, m, len(Calibration.FEATURES))), np.zeros((0, 3)), np.zeros(0),
                                    np.zeros(0, bool), np.zeros(0, bool))
        ctx = self._context(claim, key_points, background)
        parts: list[tuple[int, ...]] = [(i,) for i in range(n)]
        if self.calibration.windows != "none":
            parts += [(i, i + 1) for i in range(n - 1)]
        windows = self.calibration.windows if n > 1 else "none"
        if windows == "text":  # each pair embedded as one text: best recall, one more model run per pair
            u = self.encoder.embed(texts + [text[spans[i][0]:spans[i + 1][1]] for i in range(n - 1)])
        else:
            u = self.encoder.embed(texts)
        if windows == "mean":
            # A pair's vector: the length-weighted mean of its sentences' (mean-pooled) vectors, which
            # approximates embedding the pair at no extra model run (faster, slightly lower recall).
            size = np.array([max(len(words(t)), 1) for t in texts], dtype=np.float64)[:, None]
            pair = u[:-1] * size[:-1] + u[1:] * size[1:]
            pair /= np.maximum(np.linalg.norm(pair, axis=1, keepdims=True), 1e-12)
            u = np.vstack([u, pair.astype(u.dtype)])
        if self.calibration.stance_model:
            s_stance = self.encoder.stance(claim, texts).astype(np.float64)
        else:  # no stance model: undecided between opposing and neither, until a rule says "supports"
            s_stance = np.tile(np.array([0.5, 0.0, 0.5]), (n, 1))
        k = len(parts)
        claim_cos = (u @ ctx.claim_vec).astype(np.float64)
        sim = np.stack([_similarity(u, kv) for kv in ctx.kp_vecs], axis=1) if m else np.zeros((k, 0))
        s_keyword = np.array([is_keyword_list(t) for t in texts], dtype=bool)
        s_reported = np.array([reports_a_view(t) for t in texts], dtype=bool)
        concludes = bool(m) and any(  # the conclusion: the last sentence, or the one before a short last one
            _concludes_for_the_claim(texts[i], claim, float(claim_cos[i]), float(sim[i].max()), self.calibration.conclude_cos)
            for i in ([n - 1, n - 2] if n > 1 and len(words(texts[-1])) <= 6 else [n - 1]))
        for i in _sides_with_the_author(texts, s_reported, sim[:n], claim_cos[:n], concludes=concludes):
            s_stance[i] = (min(s_stance[i, 0], 0.05), max(s_stance[i, 1], 0.95), min(s_stance[i, 2], 0.05))
        stance = np.array([[s_stance[list(p), 0].mean(), s_stance[list(p), 1].max(), s_stance[list(p), 2].mean()] for p in parts])
        keyword = np.array([s_keyword[list(p)].any() for p in parts], dtype=bool)
        reported = np.array([s_reported[list(p)].any() for p in parts], dtype=bool)
        feats = np.zeros((k, m, len(Calibration.FEATURES)))
        if m:
            if m > 1:
                sibling = np.stack([np.delete(sim, j, axis=1).max(axis=1) for j in range(m)], axis=1)
            else:
                sibling = np.zeros_like(sim)
            feats[..., 0] = sim
            feats[..., 1] = sim - ctx.background_best[None, :]
            feats[..., 2] = sim - sibling
            feats[..., 3] = claim_cos[:, None]
            feats[..., 4] = stance[:, 0:1]
            feats[..., 5] = stance[:, 1:2]
        return SentenceEvidence(spans, texts, parts, sim, feats, stance, claim_cos, keyword, reported)

    def sentence_probabilities(self, ev: SentenceEvidence) -> np.ndarray:
        """(n_units, n_kp) probability that each unit makes each key point, gates applied."""
        cal = self.calibration
        if ev.features.size == 0:
            return np.zeros(ev.sim.shape)
        z = ev.features @ np.asarray(cal.weights) + cal.bias
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        blocked = ev.keyword | ev.reported | (ev.stance[:, 1] >= cal.support_gate)
        p[blocked, :] = 0.0
        restates = (ev.claim_cos[:, None] >= cal.restate_cos) & (ev.claim_cos[:, None] >= ev.sim)
        p[restates] = 0.0
        return p

    # ------------------------------------------------------------------ public API
    def score_pairs(self, *, topic: str, arguments: Sequence[str], key_points: Sequence[str]) -> np.ndarray:
        """(len(arguments), len(key_points)) probabilities; each argument is scored as a response."""
        kps = [KeyPointInput(id=str(j), statement=s) for j, s in enumerate(key_points)]
        out = np.zeros((len(arguments), len(kps)))
        for i, arg in enumerate(arguments):
            text = _clean(arg)[:MAX_CHARS]
            ev = self.evidence(claim=topic, key_points=kps, text=text)
            if len(ev.texts) and kps:
                out[i] = self.sentence_probabilities(ev).max(axis=0)
        return out

    def score(self, *, claim: str, key_points: Sequence[KeyPointInput], response: str,
              perspective: str | None = None, background: Sequence[str] = ()) -> MatchResult:
        """Score ``response`` against the claim's key points (never raises on odd input).

        ``perspective``: the id the student argued as (None: their own view).
        ``background``: texts that must not cover any key point (trainer.core.scoring
        passes the article's other claims and their weak examples); generic sentences are added.
        """
        notices: list[str] = []
        response = response if isinstance(response, str) else str(response or "")
        text = response
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notices.append(f"The response was trimmed to the first {MAX_CHARS:,} characters for scoring.")
        clean = _clean(text)  # same length as text: offsets stay valid
        n_words = len(words(clean))
        mine = tuple(k.id for k in key_points if perspective and perspective in k.perspectives)

        if not clean.strip():
            notices.append("The response is empty.")
        elif n_words == 0 or not split_sentences(clean):
            notices.append("The response has no words to score.")
        if not key_points:
            notices.append("This claim has no key points to compare with.")
        if not clean.strip() or n_words == 0 or not split_sentences(clean):
            kv = tuple(KeyPointVerdict(k.id, 0.0, "missed", ()) for k in key_points)
            rubric = rubric_signals(response="", n_words=0, claim=claim, stance=np.zeros((0, 3)),
                                    claim_cos=np.zeros(0), restating=np.zeros(0, bool), best_kp_probability=0.0)
            return MatchResult(self.version, 0.0, kv, rubric, tuple(notices), perspective=perspective,
                               perspective_key_points=mine)

        ev = self.evidence(claim=claim, key_points=key_points, text=clean, background=background)
        return self.judge(ev, claim=claim, key_points=key_points, text=clean, perspective=perspective, notices=notices)

    def judge(self, ev: SentenceEvidence, *, claim: str, key_points: Sequence[KeyPointInput], text: str,
              perspective: str | None = None, notices: Sequence[str] = ()) -> MatchResult:
        """Verdicts, score and rubric from a response's evidence (cheap: no model runs here)."""
        cal = self.calibration
        clean = text
        notices = list(notices)
        n_words = word_count(clean)  # the editor's count too (core/words.py); only the length signal uses it
        mine = tuple(k.id for k in key_points if perspective and perspective in k.perspectives)
        P = self.sentence_probabilities(ev)  # per unit: the sentences, then adjacent pairs
        n = len(ev.texts)
        units = len(ev.parts)
        supports = ev.stance[:, 1] >= cal.support_gate
        restating = (ev.claim_cos >= cal.restate_cos) & (ev.claim_cos >= (ev.sim.max(axis=1) if P.size else 0.0))

        verdicts = []
        total_w = acc = 0.0
        best_p = np.zeros(len(key_points))
        for j, kp in enumerate(key_points):
            col = P[:, j]
            p = float(col.max()) if units else 0.0
            best_p[j] = p
            verdict = "covered" if p >= COVERED_AT else ("partly" if p >= PARTLY_AT else "missed")
            chosen: set[int] = set()
            if verdict != "missed":
                # the sentences that make it: those within 80% of the best; a pair only if no single sentence does
                singles = [i for i in range(n) if col[i] >= max(PARTLY_AT, 0.8 * p)]
                if singles:
                    chosen.update(singles)
                else:
                    chosen.update(ev.parts[int(np.argmax(col))])
            verdicts.append(KeyPointVerdict(kp.id, round(p, 4), verdict, tuple(Span(*ev.spans[i]) for i in sorted(chosen))))
            w = max(float(kp.weight), 0.0) * (1.0 + PERSPECTIVE_BOOST if kp.id in mine else 1.0)
            total_w += w
            acc += w * round(p, 4)
        coverage = acc / total_w if total_w > 0 else 0.0

        # Sentences: what each one does, for the feedback and the score.
        notes: list[SentenceNote] = []
        off_list = 0
        for i in range(n):
            role, kp_id = "neither", None
            if supports[i] and not ev.reported[i]:
                role = "supports"
            elif ev.keyword[i]:
                role = "no-argument"
            elif ev.reported[i]:
                role = "restates" if restating[i] else "reports"
            elif restating[i]:
                role = "restates"
            elif P.size and max(float(P[k].max()) for k in range(units) if i in ev.parts[k]) >= PARTLY_AT:
                best = max((k for k in range(units) if i in ev.parts[k]), key=lambda k: float(P[k].max()))
                role, kp_id = "key-point", key_points[int(np.argmax(P[best]))].id
            elif ev.stance[i, 0] >= cal.off_list_oppose and ev.claim_cos[i] >= cal.off_list_claim_cos:
                role = "off-list"
                off_list += 1
            notes.append(SentenceNote(Span(*ev.spans[i]), role, _STANCES[int(np.argmax(ev.stance[i]))], kp_id))

        arguing = [i for i in range(n) if not ev.keyword[i] and not ev.reported[i]]
        weight = np.array([max(len(words(ev.texts[i])), 1) for i in arguing], dtype=float)
        for_share = float(weight[supports[arguing]].sum() / weight.sum()) if arguing else 0.0
        against_share = float(weight[(ev.stance[arguing, 0] >= 0.5) & ~supports[arguing]].sum() / weight.sum()) if arguing else 0.0
        argued_for = for_share > 0.5 or (for_share > 0 and for_share >= against_share)
        score = coverage * (1.0 - for_share) + cal.off_list_credit * min(off_list, 2) * (1.0 - for_share)
        if argued_for:
            notices.append(ARGUED_FOR_NOTICE)
        if ev.keyword.all():
            notices.append("Your answer lists words but makes no argument: write full sentences that say why the claim is wrong.")
        score = round(min(max(score, 0.0), 1.0), 4)

        rubric = rubric_signals(response=clean, n_words=n_words, claim=claim, stance=ev.stance[:n], claim_cos=ev.claim_cos[:n],
                                restating=restating[:n], best_kp_probability=float(best_p.max()) if best_p.size else 0.0,
                                off_list=off_list)
        return MatchResult(self.version, score, tuple(verdicts), rubric, tuple(notices), sentences=tuple(notes),
                           argued_for=argued_for, perspective=perspective, perspective_key_points=mine)


_STANCES = ("opposes", "supports", "neither")


def _windows(value: object) -> str:
    if value is True or value is False:
        return "text" if value else "none"
    if value not in ("text", "mean", "none"):
        raise MatcherError(f"unknown windows setting {value!r} in the matcher calibration")
    return str(value)
ARGUED_FOR_NOTICE = "You argued for the claim. A rebuttal must argue against it: say where the claim goes wrong."


def _concludes_for_the_claim(last: str, claim: str, claim_cos: float, best_kp_sim: float, at: float) -> bool:
    """The answer's last sentence restates the claim as its conclusion: close to the claim,
    closer to it than to any key point, and with the claim's polarity ("... has been near zero
    ever since", not "... did not fall to near zero")."""
    return (claim_cos >= at and claim_cos > best_kp_sim and not rejects_the_author(last)
            and same_polarity(last, claim))


def _sides_with_the_author(texts: list[str], reported: np.ndarray, sim: np.ndarray, claim_cos: np.ndarray, *,
                           concludes: bool = False) -> list[int]:
    """Sentences that a strict judge reads as arguing *for* the claim, whatever their words:

    * every sentence of an answer that opens by siding with the author ("Bandow is right.",
      "Exactly, ...") unless the next sentence turns ("... right that X. But ...");
    * concede-and-dismiss: after a sentence that reports the *other side's* point (it is
      closer to a key point than to the claim), a sentence that turns against it ("But ...")
      and the sentences after it, until the answer turns again;
    * a sentence anywhere that endorses the author ("I agree with Bandow's description.",
      "... which is why the article is right that ...") and is not turned into a concession;
      if nothing in the answer rejects the author or the claim, the whole answer argued for
      it: the facts it recites were conceded, not used against the claim;
    * likewise when the answer *concludes* by restating the claim (``concludes``, see
      ``_concludes_for_the_claim``) and nothing in it rejects the author or the claim.
    """
    n = len(texts)
    if n and opens_for_the_claim(texts[0], texts[1] if n > 1 else ""):
        return list(range(n))
    endorsing = [i for i in range(n) if not reported[i] and endorses_the_author(texts[i], texts[i + 1] if i + 1 < n else "")]
    if (endorsing or concludes) and not any(rejects_the_author(t) for t in texts):
        return list(range(n))
    out: list[int] = []
    dismissing = False
    for i in range(n):
        if reported[i]:
            dismissing = False
            continue
        if (i and reported[i - 1] and reports_the_other_side(texts[i - 1]) and sim.shape[1]
                and float(sim[i - 1].max()) > float(claim_cos[i - 1]) and starts_with_contrast(texts[i])):
            dismissing = True
        elif dismissing and starts_with_contrast(texts[i]):
            dismissing = False
        if dismissing:
            out.append(i)
    return sorted(set(out) | set(endorsing))


def _similarity(u: np.ndarray, kv: np.ndarray) -> np.ndarray:
    """Similarity of each row of ``u`` to a key point given by its vectors (statement first, then
    rebuttal sentences): the best of the statement and the rebuttal sentences."""
    return (u @ kv.T).max(axis=1).astype(np.float64)


def _clean(text: str) -> str:
    """Control characters become spaces and lone surrogates U+FFFD, keeping the
    length (so offsets stay valid); the tokenizer accepts neither."""
    if not isinstance(text, str):
        text = str(text)
    return "".join(
        ("\ufffd" if "\ud800" <= ch <= "\udfff" else ch) if (ch >= " " or ch in "\n\t") and ch != "\x7f" else " "
        for ch in text
    )


__all__ = ["Matcher", "MatcherError", "Calibration", "SentenceEvidence", "MATCHER_RELEASE"]
