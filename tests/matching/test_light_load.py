"""The matcher reads wordllama's model files directly: requests and pydantic stay out of the app."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from trainer.core.matching.embed import EmbeddingLoadError, read_safetensors


def test_loading_the_matcher_imports_no_network_or_pydantic_code() -> None:
    code = (
        "import sys\n"
        "from trainer.core.matching import Matcher\n"
        "Matcher.load()\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'requests', 'urllib3', 'pydantic', 'wordllama', 'safetensors', 'socket'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)


def test_the_embedding_matches_wordllamas_own_loader() -> None:
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    from trainer.core.matching.embed import Embedder

    reference = WordLlama.load(config="l2_supercat", dim=256, cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    ours = Embedder()
    assert np.array_equal(np.asarray(reference.embedding, dtype=np.float32), ours.matrix)
    text = "Sanctions still bite, because resolution 2397 capped oil imports."
    assert reference.tokenizer.encode(text, add_special_tokens=False).ids == ours.tokenizer.encode(text, add_special_tokens=False).ids


def test_a_damaged_weights_file_is_a_clear_error(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "w.safetensors"
    bad.write_bytes(b"\xff" * 64)
    with pytest.raises(EmbeddingLoadError, match="not a safetensors file"):
        read_safetensors(bad, "embedding.weight")


def test_lone_surrogates_and_control_characters_do_not_break_scoring() -> None:
    from trainer.core.matching import KeyPointInput, Matcher

    response = "Talks \ud800lower the\x00 risk of war\udfff, because leaders meet."
    result = Matcher.load().score(claim="Talks are pointless", key_points=[KeyPointInput("a", "Talks lower the risk of war")], response=response)
    assert 0.0 <= result.score <= 1.0
    assert all(0 <= s.start <= s.end <= len(response) for v in result.key_points for s in v.spans)
