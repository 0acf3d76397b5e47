"""On the Korea pack, every model rebuttal scores above every weak example of its claim."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from trainer.core.matching import KeyPointInput, Matcher

PACK = Path(__file__).resolve().parents[2] / "resources" / "packs" / "korea-summit-2019"


def _claims() -> list[dict]:
    """(id, quote, key points, weak examples) per claim; the pack loader if it works, else tomllib."""
    try:
        from trainer.core.packs import load_pack

        pack = load_pack(PACK)
        return [
            {
                "id": c.id,
                "quote": c.quote,
                "key_points": [KeyPointInput(k.id, k.statement, k.rebuttal_markdown, k.weight) for k in c.key_points],
                "weak": [(w.kind, w.text) for w in c.weak_examples],
            }
            for c in pack.claims
        ]
    except Exception:
        out = []
        for path in sorted((PACK / "claims").glob("*.toml")):
            d = tomllib.loads(path.read_text(encoding="utf-8-sig"))
            out.append({
                "id": d["id"],
                "quote": d["quote"],
                "key_points": [
                    KeyPointInput(k["id"], k["statement"], k.get("rebuttal", ""), float(k.get("weight", 1.0)))
                    for k in d.get("key_points", [])
                ],
                "weak": [(w["kind"], w["text"]) for w in d.get("weak_examples", [])],
            })
        return out


CLAIMS = _claims() if (PACK / "claims").is_dir() else []


@pytest.mark.skipif(not CLAIMS, reason="the Korea pack is not there")
def test_every_rebuttal_beats_every_weak_example(matcher: Matcher) -> None:
    failures = []
    for c in CLAIMS:
        weak_scores = [
            (kind, matcher.score(claim=c["quote"], key_points=c["key_points"], response=text).score)
            for kind, text in c["weak"]
        ]
        for kp in c["key_points"]:
            s = matcher.score(claim=c["quote"], key_points=c["key_points"], response=kp.rebuttal_markdown).score
            for kind, ws in weak_scores:
                if not s > ws:
                    failures.append(f"{c['id']}: rebuttal of {kp.id} scores {s:.3f} <= weak '{kind}' {ws:.3f}")
    assert not failures, "\n".join(failures)
