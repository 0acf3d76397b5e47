"""The matcher loads and scores without the network, and without heavy or networked libraries."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def test_load_and_score_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")

    from trainer.core.matching import KeyPointInput, Matcher

    m = Matcher.load()
    r = m.score(claim="Talks are pointless", key_points=[KeyPointInput("a", "Talks lower the risk of war")],
                response="Meeting face to face makes a military clash much less likely, because leaders learn each other's red lines.")
    assert r.key_points[0].probability > 0


def test_loading_the_matcher_imports_no_training_or_network_code() -> None:
    code = (
        "import sys\n"
        "from trainer.core.matching import Matcher\n"
        "Matcher.load()\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'huggingface_hub', 'requests', 'urllib3', 'PySide6'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300)


def test_onnxruntime_telemetry_writes_nothing_in_the_home_folder(tmp_path) -> None:  # noqa: ANN001
    """onnxruntime's native telemetry (a device id under ~/.cache/Microsoft, a call home at exit) stays off."""
    import os

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    code = "from trainer.core.matching import Matcher\nMatcher.load().score(claim='a', key_points=[], response='b c d e.')\n"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True, timeout=300)
    assert [p.relative_to(home).as_posix() for p in home.rglob("*")] == []
