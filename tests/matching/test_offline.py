"""Loading the matcher must never touch the network."""

from __future__ import annotations

import socket

import pytest


def test_load_and_embed_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")

    from trainer.core.matching import KeyPointInput, Matcher
    from trainer.core.matching.embed import Embedder

    assert Embedder().sentence_vectors(["an offline sentence"]).shape == (1, 256)
    m = Matcher.load()
    r = m.score(claim="Talks are pointless", key_points=[KeyPointInput("a", "Talks lower the risk of war")],
                response="Meeting face to face makes a military clash less likely.")
    assert r.key_points[0].probability > 0
