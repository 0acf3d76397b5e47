"""Static embeddings from the wordllama wheel (l2_supercat_256), loaded offline.

Only numpy and the ``tokenizers`` package (a wordllama dependency) run here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .text import STOPWORDS, _WORD_RE, stem

EMBEDDING_MODEL = "wordllama l2_supercat_256"


class EmbeddingLoadError(RuntimeError):
    pass


_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_SAFETENSORS_DTYPES = {"F16": np.float16, "F32": np.float32, "BF16": None}


def wordllama_dir() -> Path:
    """The installed wordllama package folder, found WITHOUT importing wordllama.

    Importing it pulls in requests and pydantic (and requests probes the
    network stack); the app needs only the two data files the wheel ships.
    """
    import importlib.util
    import sys

    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root and (Path(frozen_root) / "wordllama").is_dir():
        return Path(frozen_root) / "wordllama"  # a PyInstaller bundle ships the data files only
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingLoadError("the wordllama package (which ships the embedding model) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def read_safetensors(path: Path, name: str) -> np.ndarray:
    """One tensor from a .safetensors file (8-byte header length, JSON header, raw data)."""
    import json
    import struct

    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        if not 0 < size < 10_000_000:
            raise EmbeddingLoadError(f"{path}: not a safetensors file")
        header = json.loads(fh.read(size))
        info = header.get(name)
        if not info or _SAFETENSORS_DTYPES.get(info.get("dtype")) is None:
            raise EmbeddingLoadError(f"{path}: no usable tensor {name!r}")
        start, end = info["data_offsets"]
        fh.seek(8 + size + start)
        data = fh.read(end - start)
    array = np.frombuffer(data, dtype=_SAFETENSORS_DTYPES[info["dtype"]]).reshape(info["shape"])
    return array


def _load_wordllama() -> tuple[np.ndarray, object]:
    """wordllama's bundled model (embedding matrix, tokenizer), offline.

    ``WordLlama.load()`` looks for the tokenizer config in the wrong folder and
    then tries the network; reading the two shipped files directly avoids that
    and keeps requests/pydantic out of the process (and out of the installers).
    """
    from tokenizers import Tokenizer

    folder = wordllama_dir()
    weights, tokenizer = folder.joinpath(*_WEIGHTS), folder.joinpath(*_TOKENIZER)
    for required in (weights, tokenizer):
        if not required.is_file():
            raise EmbeddingLoadError(f"the embedding model file {required} is missing")
    return read_safetensors(weights, "embedding.weight"), Tokenizer.from_file(str(tokenizer))


class _LRU:
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.maxsize:
                self.data.popitem(last=False)


def _normalize(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.maximum(n, 1e-8)


class Embedder:
    """Mean-pooled sentence vectors and per-word vectors (both L2-normalised)."""

    def __init__(self) -> None:
        embedding, tokenizer = _load_wordllama()
        self.matrix: np.ndarray = np.asarray(embedding, dtype=np.float32)
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.dim = int(self.matrix.shape[1])
        self._word_cache = _LRU(200_000)

    # ----------------------------------------------------------------- sentences
    def sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Average of the token embeddings of each text (wordllama's embed), normalised."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        for i, enc in enumerate(encs):
            ids = np.asarray(enc.ids, dtype=np.int64)
            if ids.size:
                np.clip(ids, 0, self.matrix.shape[0] - 1, out=ids)
                out[i] = self.matrix[ids].mean(axis=0)
        return _normalize(out)

    # ----------------------------------------------------------------- words
    def word_vectors(self, tokens: list[str]) -> np.ndarray:
        """Normalised vector per word (the mean of its sub-word tokens); cached per word."""
        out = np.zeros((len(tokens), self.dim), dtype=np.float32)
        missing: list[str] = []
        idx: dict[str, list[int]] = {}
        for i, w in enumerate(tokens):
            v = self._word_cache.get(w)
            if v is None:
                if w not in idx:
                    missing.append(w)
                idx.setdefault(w, []).append(i)
            else:
                out[i] = v
        if missing:
            vecs = self.sentence_vectors(missing)
            for w, v in zip(missing, vecs):
                self._word_cache.put(w, v)
                for i in idx[w]:
                    out[i] = v
        return out


class TextRep:
    """What the features need from one text: its vector, its content words and stems."""

    __slots__ = ("text", "vec", "words", "stems", "wvecs", "idf", "n_words")

    def __init__(self, text, vec, words, stems, wvecs, idf, n_words):
        self.text = text
        self.vec = vec
        self.words = words
        self.stems = stems
        self.wvecs = wvecs
        self.idf = idf
        self.n_words = n_words


def content_words(text: str) -> tuple[list[str], list[str], int]:
    """Surface forms and stems of the content words of ``text``, and its word count."""
    surf, stems_ = [], []
    n = 0
    for m in _WORD_RE.finditer(text):
        n += 1
        w = m.group()
        lw = w.lower().replace("\u2019", "'")
        if lw in STOPWORDS or len(lw) < 2:
            continue
        surf.append(w)
        stems_.append(stem(lw))
    return surf, stems_, n


def represent(embedder: Embedder, texts: list[str], idf: dict[str, float], default_idf: float,
              vecs: np.ndarray | None = None) -> list[TextRep]:
    if vecs is None:
        vecs = embedder.sentence_vectors(texts)
    reps = []
    for text, v in zip(texts, vecs):
        surf, stems_, n = content_words(text)
        wv = embedder.word_vectors(surf) if surf else np.zeros((0, embedder.dim), np.float32)
        w_idf = np.array([idf.get(s, default_idf) for s in stems_], dtype=np.float32)
        reps.append(TextRep(text, v, surf, stems_, wv, w_idf, n))
    return reps
