"""The run-time sentence encoder (fine-tuned MiniLM through onnxruntime): trainer.core.matching.encoder."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from trainer.core.matching.encoder import DIM, STANCE_CLASSES, Encoder, EncoderLoadError
from trainer.resources import resource_path

# A claim from outside the shipped pack (nothing Korea-related), with plain pro/con sentences.
CLAIM = "Cities should ban cars from their downtown centres."
SUPPORTS = "Yes, banning cars downtown is a great idea: the streets become safer, quieter and cleaner."
OPPOSES = ("Banning cars from downtown is a bad idea: it would hurt local shops and make life harder "
           "for disabled people who depend on driving.")


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


def test_default_folder_is_the_shipped_resource(encoder: Encoder) -> None:
    folder = resource_path("matcher")
    assert encoder.folder == folder
    digest = hashlib.sha256((folder / "encoder.onnx").read_bytes()).hexdigest()
    assert encoder.version.startswith("2.0.0+minilm-ft.")
    assert encoder.version.endswith(digest[:8])


def test_shipped_checksums_match() -> None:
    folder = resource_path("matcher")
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_embed_shapes_and_normalisation(encoder: Encoder) -> None:
    texts = ["Sanctions work.", "A much longer sentence about how talks can lower the risk of a war.", "x"]
    emb = encoder.embed(texts)
    assert emb.shape == (3, DIM)
    assert emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_empty_input(encoder: Encoder) -> None:
    assert encoder.embed([]).shape == (0, DIM)
    assert encoder.stance(CLAIM, []).shape == (0, 3)
    emb = encoder.embed([""])
    assert emb.shape == (1, DIM) and np.isfinite(emb).all()


def test_deterministic_and_independent_of_batching(encoder: Encoder) -> None:
    texts = [f"Sentence number {i} says something {'rather ' * (i % 7)}different." for i in range(40)]
    a = encoder.embed(texts)
    b = encoder.embed(texts)
    np.testing.assert_array_equal(a, b)
    # a text's vector does not depend on the other texts of the call (one text per run by default)
    np.testing.assert_array_equal(encoder.embed([texts[5]])[0], a[5])
    np.testing.assert_array_equal(encoder.embed(texts[3:9])[2], a[5])


def test_batched_runs_agree_with_single_runs() -> None:
    batched = Encoder.load(batch_size=16)
    single = Encoder.load()
    texts = [f"Sentence number {i} says something {'rather ' * (i % 7)}different." for i in range(20)]
    cos = (batched.embed(texts) * single.embed(texts)).sum(1)
    assert cos.min() > 0.97, cos


def test_order_is_preserved(encoder: Encoder) -> None:
    texts = ["short", "a considerably longer sentence that will be sorted after the short one", "mid length text"]
    fwd = encoder.embed(texts)
    rev = encoder.embed(texts[::-1])[::-1]
    np.testing.assert_allclose(fwd, rev, atol=1e-5)


def test_paraphrase_ranks_above_unrelated(encoder: Encoder) -> None:
    anchor, para, unrelated = encoder.embed([
        "Economic sanctions put pressure on the regime and force it to negotiate.",
        "Pressure from sanctions is what pushes the government to the bargaining table.",
        "My grandmother bakes excellent apple pie every Sunday.",
    ])
    assert float(anchor @ para) > float(anchor @ unrelated) + 0.2


def test_stance_probabilities(encoder: Encoder) -> None:
    p = encoder.stance(CLAIM, [SUPPORTS, OPPOSES])
    assert p.shape == (2, 3) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(1), 1.0, atol=1e-5)
    assert ((p >= 0) & (p <= 1)).all()


@pytest.mark.xfail(strict=True, reason=(
    "the shipped stance head did not converge in the CPU training budget (ArgKP dev accuracy 0.49); the matcher "
    "does not use it (calibration.json: stance_model false) and judges stance with the rules in gates.py. "
    "When a retrained head passes this, the strict xfail fails: switch stance_model on and recalibrate."))
def test_stance_of_obvious_sentences(encoder: Encoder) -> None:
    p = encoder.stance(CLAIM, [SUPPORTS, OPPOSES])
    sup, opp = STANCE_CLASSES.index("supports"), STANCE_CLASSES.index("opposes")
    assert p[0, sup] > p[0, opp], p
    assert p[1, opp] > p[1, sup], p


@pytest.mark.parametrize("text", [
    "lone surrogate \ud800 in the middle",
    "\udfff",
    "emoji 🙂🔥👍🏽 and a family 👨‍👩‍👧",
    "   ",
    "\x00\x01 control characters",
    "word " * 5000,
])
def test_odd_inputs_do_not_crash(encoder: Encoder, text: str) -> None:
    emb = encoder.embed([text, "normal sentence"])
    assert emb.shape == (2, DIM) and np.isfinite(emb).all()
    p = encoder.stance(text, [text, "normal sentence"])
    assert p.shape == (2, 3) and np.isfinite(p).all()


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(EncoderLoadError):
        Encoder.load(tmp_path)


def test_loading_imports_no_torch_or_network_code() -> None:
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise AssertionError('network access attempted')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from trainer.core.matching.encoder import Encoder\n"
        "e = Encoder.load()\n"
        "e.embed(['hello world']); e.stance('claim', ['sentence'])\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'huggingface_hub',"
        " 'requests', 'urllib3', 'PySide6'})\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300, cwd=root)
