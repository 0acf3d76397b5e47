"""Run-time sentence encoder: fine-tuned all-MiniLM-L6-v2 through onnxruntime.

Imports only numpy, onnxruntime and tokenizers (no torch, no Qt) and never
touches the network. The model lives in ``resources/matcher/``:

* ``encoder.onnx``: int8 graph; inputs ``input_ids``, ``attention_mask``,
  ``token_type_ids`` (int64 [batch, length]); output ``embedding`` (float32
  [batch, 384]) = attention-masked mean of the last hidden state, not normalised;
* ``tokenizer.json``: the model's fast tokenizer (truncation is applied here:
  128 tokens for a single text, 160 for a (claim, sentence) pair);
* ``stance_head.json``: linear head 384 -> 3 over the pooled embedding of a
  (claim, sentence) pair, classes ``opposes``, ``supports``, ``neither``.

``scripts/train_matcher.py`` builds all three.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ENCODER_VERSION = "2.0.0"
DIM = 384
MAX_SINGLE_TOKENS = 128
MAX_PAIR_TOKENS = 160
# Texts per onnxruntime call. 1 by default: dynamic int8 quantisation picks each activation's
# range over the whole batch, so inside a batch a text's vector depends (cosine ~0.99) on its
# neighbours and padding; one text per call makes a vector a pure function of its text (safe
# to cache) and, with no padding, was no slower here (8-sentence response: 0.64 s vs 0.94 s
# with 16 under load; 200 arguments: within 10%).
BATCH = 1
STANCE_CLASSES = ("opposes", "supports", "neither")
_FILES = ("encoder.onnx", "tokenizer.json", "stance_head.json")


class EncoderLoadError(RuntimeError):
    """The encoder's files are missing or unreadable, or onnxruntime is not installed."""


def _clean(text) -> str:
    """Any text -> a str the tokenizer accepts (lone surrogates become U+FFFD)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


class Encoder:
    """Sentence embeddings (L2-normalised, 384-d) and claim-relative stance."""

    def __init__(self, session, single_tok, pair_tok, head_w: np.ndarray, head_b: np.ndarray,
                 version: str, folder: Path, batch_size: int = BATCH):
        self._session = session
        self._single = single_tok
        self._pair = pair_tok
        self._head_w = head_w  # (3, 384)
        self._head_b = head_b  # (3,)
        self._lock = threading.Lock()  # one run at a time: the session already uses `threads` cores
        self._input_names = {i.name for i in session.get_inputs()}
        self.version = version
        self.folder = folder
        self.batch_size = max(1, int(batch_size))

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, folder: Path | None = None, threads: int = 2, batch_size: int = BATCH) -> Encoder:
        if folder is None:
            from trainer.resources import resource_path

            folder = resource_path("matcher")
        folder = Path(folder)
        for name in _FILES:
            if not (folder / name).is_file():
                raise EncoderLoadError(f"the matcher model file {folder / name} is missing")
        # onnxruntime's native telemetry (on by default in some builds) writes a device id under
        # ~/.cache/Microsoft and tries to reach Microsoft's servers at exit: never in Steelman.
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EncoderLoadError(f"the matcher needs onnxruntime and tokenizers: {exc}") from exc
        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()

        model_bytes = (folder / "encoder.onnx").read_bytes()
        digest = hashlib.sha256(model_bytes).hexdigest()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads))
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        try:
            session = ort.InferenceSession(model_bytes, sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise EncoderLoadError(f"cannot load {folder / 'encoder.onnx'}: {exc}") from exc

        tok_path = str(folder / "tokenizer.json")
        try:
            single = Tokenizer.from_file(tok_path)
            pair = Tokenizer.from_file(tok_path)
        except Exception as exc:
            raise EncoderLoadError(f"cannot read {tok_path}: {exc}") from exc
        single.no_padding()
        single.enable_truncation(MAX_SINGLE_TOKENS)
        pair.no_padding()
        pair.enable_truncation(MAX_PAIR_TOKENS, strategy="longest_first")

        try:
            head = json.loads((folder / "stance_head.json").read_text(encoding="utf-8"))
            head_w = np.asarray(head["weight"], dtype=np.float32)
            head_b = np.asarray(head["bias"], dtype=np.float32)
            classes = tuple(head["classes"])
        except (OSError, ValueError, KeyError) as exc:
            raise EncoderLoadError(f"cannot read {folder / 'stance_head.json'}: {exc}") from exc
        if classes != STANCE_CLASSES or head_w.shape != (3, DIM) or head_b.shape != (3,):
            raise EncoderLoadError(f"{folder / 'stance_head.json'}: unexpected classes or shapes")
        version = f"{ENCODER_VERSION}+minilm-ft.{digest[:8]}"
        return cls(session, single, pair, head_w, head_b, version, folder, batch_size)

    # ------------------------------------------------------------------ inference

    def _run(self, encodings) -> np.ndarray:
        """Pooled (not normalised) embeddings, in the order of ``encodings``; length-sorted batches."""
        n = len(encodings)
        out = np.zeros((n, DIM), dtype=np.float32)
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            types = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                e = encodings[i]
                k = len(e.ids)
                ids[row, :k] = e.ids
                mask[row, :k] = e.attention_mask
                types[row, :k] = e.type_ids
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            feeds = {k: v for k, v in feeds.items() if k in self._input_names}
            with self._lock:
                (emb,) = self._session.run(["embedding"], feeds)
            out[idx] = emb
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 384) float32, each row L2-normalised (cosine = dot product)."""
        texts = [_clean(t) for t in texts]
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        emb = self._run(self._single.encode_batch(texts))
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        return (emb / np.maximum(norms, 1e-12)).astype(np.float32)

    def stance(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities [opposes, supports, neither] of each sentence towards ``claim``."""
        claim = _clean(claim)
        sentences = [_clean(s) for s in sentences]
        if not sentences:
            return np.zeros((0, 3), dtype=np.float32)
        pooled = self._run(self._pair.encode_batch([(claim, s) for s in sentences]))
        logits = pooled @ self._head_w.T + self._head_b
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        return (p / p.sum(1, keepdims=True)).astype(np.float32)

    def __repr__(self) -> str:
        return f"Encoder(version={self.version!r}, folder={str(self.folder)!r})"
