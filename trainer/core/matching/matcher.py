"""The matcher: which key points a response covers, where, and rubric signals.

Pipeline (see docs/matcher.md):

1. split the response into sentences (offsets into the original string);
   the units scored are every sentence plus the whole response;
2. embed claim, key points and units with wordllama's static embeddings
   (key-point embeddings are cached per claim in an LRU);
3. compute pair features (features.py) and turn them into probabilities with the
   learned combiner (combiner.py, parameters in resources/matcher/params.json);
4. per key point, take the best unit; the model rebuttal (if any) adds a second,
   slightly discounted route: a response unit may match one of its sentences.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from ..limits import SCORED_CHARS
from .combiner import Combiner
from .embed import EMBEDDING_MODEL, Embedder, TextRep, represent
from .features import FEATURE_NAMES, pair_features
from .rubric import rubric_signals
from .text import split_sentences, strip_markdown, words
from .types import KeyPointInput, KeyPointVerdict, MatchResult, RubricSignal, Span

PARAMS_FORMAT = "steelman-matcher-params/1"
PARAMS_NAME = "matcher/params.json"
MATCHER_VERSION = "1.0.0+argkp-logreg.wl256"

MAX_CHARS = SCORED_CHARS  # the views tell the student the same limit
COVERED_AT = 0.5
PARTLY_AT = 0.25
REBUTTAL_DISCOUNT = 0.85   # a match through a rebuttal sentence counts a little less
REBUTTAL_MAX_SENTENCES = 8
REBUTTAL_CLAIM_COS = 0.80  # rebuttal sentences this close to the claim only restate it
KP_CACHE_SIZE = 64


class MatcherError(RuntimeError):
    pass


class Matcher:
    version: str

    def __init__(self, embedder: Embedder, params: dict, version: str):
        if params.get("format") != PARAMS_FORMAT:
            raise MatcherError(f"unsupported matcher parameters format {params.get('format')!r}")
        if tuple(params.get("features", ())) != FEATURE_NAMES:
            raise MatcherError("matcher parameters were trained on a different feature set")
        self.embedder = embedder
        self.idf: dict[str, float] = params["idf"]
        self.default_idf = float(params["default_idf"])
        self.combiner = Combiner.from_dict(params["combiner"])
        self.version = version
        self._kp_cache: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._threads = _single_thread_blas()

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, params_path: Path | None = None) -> "Matcher":
        default = params_path is None
        if default:
            from trainer.resources import resource_path

            params_path = resource_path(PARAMS_NAME)
        params_path = Path(params_path)
        try:
            raw = params_path.read_bytes()
        except OSError as exc:
            raise MatcherError(f"cannot read matcher parameters {params_path}: {exc}") from exc
        params = json.loads(raw.decode("utf-8"))
        version = MATCHER_VERSION if default else f"{MATCHER_VERSION}+custom.{hashlib.sha256(raw).hexdigest()[:8]}"
        return cls(Embedder(), params, version)

    # ------------------------------------------------------------------ internals
    def _reps(self, texts: list[str]) -> list[TextRep]:
        return represent(self.embedder, texts, self.idf, self.default_idf)

    def _claim_context(self, claim: str, statements: tuple[str, ...], rebuttals: tuple[str, ...]):
        """Claim rep, key-point reps, rebuttal-sentence reps (+ owner index); LRU-cached."""
        key = (claim, statements, rebuttals)
        with self._lock:
            hit = self._kp_cache.get(key)
            if hit is not None:
                self._kp_cache.move_to_end(key)
                return hit
        topic = self._reps([claim])[0]
        kps = self._reps(list(statements))
        reb_texts: list[str] = []
        reb_owner: list[int] = []
        for j, md in enumerate(rebuttals):
            if not md or not md.strip():
                continue
            plain = strip_markdown(md)
            sents = [plain[s:e] for s, e in split_sentences(plain)][:REBUTTAL_MAX_SENTENCES]
            reb_texts.extend(sents)
            reb_owner.extend([j] * len(sents))
        reb = self._reps(reb_texts) if reb_texts else []
        if reb:
            tvec = topic.vec
            keep = [i for i, r in enumerate(reb) if float(r.vec @ tvec) < REBUTTAL_CLAIM_COS]
            reb = [reb[i] for i in keep]
            reb_owner = [reb_owner[i] for i in keep]
        ctx = (topic, kps, reb, np.asarray(reb_owner, dtype=np.int64))
        with self._lock:
            self._kp_cache[key] = ctx
            while len(self._kp_cache) > KP_CACHE_SIZE:
                self._kp_cache.popitem(last=False)
        return ctx

    def _unit_probabilities(self, claim, statements, rebuttals, unit_texts) -> tuple[np.ndarray, list[TextRep], TextRep]:
        """(units, key points) match probabilities: the single scoring path."""
        topic, kps, reb, owner = self._claim_context(claim, tuple(statements), tuple(rebuttals))
        units = self._reps(unit_texts)
        P = self.combiner.predict(pair_features(topic, kps, units))
        if reb:
            R = self.combiner.predict(pair_features(topic, reb, units)) * REBUTTAL_DISCOUNT
            for j in range(len(kps)):
                cols = owner == j
                if cols.any():
                    P[:, j] = np.maximum(P[:, j], R[:, cols].max(axis=1))
        return P, units, topic

    @staticmethod
    def _units_for(text: str) -> tuple[list[tuple[int, int]], list[str]]:
        spans = split_sentences(text)
        texts = [text[s:e] for s, e in spans]
        if len(spans) > 1:
            texts.append(text)  # the whole response as one more unit
        return spans, texts

    # ------------------------------------------------------------------ public API
    def score_pairs(self, *, topic: str, arguments: Sequence[str], key_points: Sequence[str]) -> np.ndarray:
        """(len(arguments), len(key_points)) probabilities; each argument is scored as a response."""
        with self._threads():
            return self._score_pairs(topic, arguments, key_points)

    def score(self, *, claim: str, key_points: Sequence[KeyPointInput], response: str) -> MatchResult:
        """Score ``response`` against the claim's key points (never raises on odd input)."""
        with self._threads():
            return self._score(claim, key_points, response)

    def _score_pairs(self, topic, arguments, key_points) -> np.ndarray:
        out = np.zeros((len(arguments), len(key_points)), dtype=np.float64)
        if not key_points:
            return out
        all_units: list[str] = []
        owners: list[int] = []
        for i, arg in enumerate(arguments):
            text = _clean(arg)[:MAX_CHARS]
            _, texts = self._units_for(text)
            all_units.extend(texts)
            owners.extend([i] * len(texts))
        if not all_units:
            return out
        P, _, _ = self._unit_probabilities(topic, list(key_points), [""] * len(key_points), all_units)
        owners_a = np.asarray(owners)
        for i in range(len(arguments)):
            rows = owners_a == i
            if rows.any():
                out[i] = P[rows].max(axis=0)
        return out

    def _score(self, claim: str, key_points: Sequence[KeyPointInput], response: str) -> MatchResult:
        notices: list[str] = []
        response = response if isinstance(response, str) else str(response or "")
        text = response
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notices.append(f"The response was trimmed to the first {MAX_CHARS:,} characters for scoring.")
        clean = _clean(text)  # same length as text: offsets stay valid
        n_words = len(words(clean))
        spans, unit_texts = self._units_for(clean)

        if not clean.strip():
            notices.append("The response is empty.")
        elif n_words == 0 or not spans:
            notices.append("The response has no words to score.")
        if not key_points:
            notices.append("This claim has no key points to compare with.")

        if notices and (not clean.strip() or n_words == 0 or not spans):
            kv = tuple(KeyPointVerdict(k.id, 0.0, "missed", ()) for k in key_points)
            rubric = rubric_signals(
                response="", n_words=0, claim=claim, sentence_claim_cos=np.zeros(0),
                response_claim_cos=0.0, best_kp_probability=0.0,
            )
            return MatchResult(self.version, 0.0, kv, rubric, tuple(notices))

        statements = [k.statement for k in key_points]
        rebuttals = [k.rebuttal_markdown or "" for k in key_points]
        if key_points:
            P, units, topic = self._unit_probabilities(claim, statements, rebuttals, unit_texts)
        else:
            P = np.zeros((len(unit_texts), 0))
            topic = self._reps([claim])[0]
            units = self._reps(unit_texts)

        n_sent = len(spans)
        verdicts = []
        total_w = 0.0
        acc = 0.0
        for j, kp in enumerate(key_points):
            col = P[:, j]
            p = float(col.max())
            p_round = round(p, 4)
            verdict = "covered" if p >= COVERED_AT else ("partly" if p >= PARTLY_AT else "missed")
            sent_p = col[:n_sent]
            chosen: list[int] = []
            if verdict != "missed":
                best = float(sent_p.max())
                chosen = [i for i in range(n_sent) if sent_p[i] >= max(PARTLY_AT, 0.8 * best)]
                if not chosen:
                    chosen = [int(np.argmax(sent_p))]
            verdicts.append(KeyPointVerdict(kp.id, p_round, verdict, tuple(Span(*spans[i]) for i in chosen)))
            w = max(float(kp.weight), 0.0)
            total_w += w
            acc += w * p_round
        score = round(acc / total_w, 4) if total_w > 0 else 0.0

        tvec = topic.vec
        sent_cos = np.array([float(u.vec @ tvec) for u in units[:n_sent]])
        resp_cos = float(units[-1].vec @ tvec)
        rubric = rubric_signals(
            response=clean, n_words=n_words, claim=claim, sentence_claim_cos=sent_cos,
            response_claim_cos=resp_cos, best_kp_probability=float(P.max()) if P.size else 0.0,
        )
        return MatchResult(self.version, score, tuple(verdicts), rubric, tuple(notices))


def _single_thread_blas():
    """A context factory limiting BLAS to one thread while scoring.

    The matrices here are tiny; OpenBLAS waking its threads for them costs more
    than the work (measured: p50 ~4 ms single-threaded vs ~18-37 ms default on
    2 cores). Uses threadpoolctl when installed (a controller built once, so
    entering the limit costs microseconds); otherwise does nothing.
    """
    try:
        from threadpoolctl import ThreadpoolController

        controller = ThreadpoolController()
        if not controller.select(user_api="blas").lib_controllers:
            raise ImportError
    except Exception:  # threadpoolctl missing or unusable
        import contextlib

        return contextlib.nullcontext

    def limit():
        return controller.limit(limits=1, user_api="blas")

    return limit


def _clean(text: str) -> str:
    """Control characters become spaces and lone surrogates U+FFFD, keeping the
    length (so offsets stay valid); the tokenizer accepts neither."""
    if not isinstance(text, str):
        text = str(text)
    return "".join(
        ("\ufffd" if "\ud800" <= ch <= "\udfff" else ch) if (ch >= " " or ch in "\n\t") and ch != "\x7f" else " "
        for ch in text
    )


__all__ = ["Matcher", "MatcherError", "MATCHER_VERSION", "KeyPointInput", "KeyPointVerdict",
           "MatchResult", "RubricSignal", "Span", "EMBEDDING_MODEL"]
