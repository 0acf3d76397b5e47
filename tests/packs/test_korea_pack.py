"""The built-in Korea summit pack meets the content rules of issue 3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.core.packs import Pack, load_pack
from trainer.core.rendering import render_markdown

KOREA_PACK = Path(__file__).resolve().parents[2] / "resources" / "packs" / "korea-summit-2019"

# Paragraphs (1-based) that report or transition rather than argue.
NON_ARGUING = {
    7: "a one-line transition ('So what to do?'), repeated verbatim in paragraph 22",
    16: "reports Biegun's statements in quotation, without an argument of the author's",
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(KOREA_PACK)


def paragraphs(pack: Pack) -> list[tuple[int, int]]:
    spans, start = [], 0
    for block in pack.article.split("\n\n"):
        spans.append((start, start + len(block)))
        start += len(block) + 2
    return spans


def test_article_is_clean(pack: Pack) -> None:
    for remnant in ("This article appeared in", "Share", "About The Author", "permission", "Newsletter", "In The Spotlight", "Quick Search"):
        assert remnant not in pack.article
    assert pack.article.startswith("U.S. President Donald Trump")
    assert pack.article.rstrip().endswith("improving both the bilateral relationship and multilateral environment.")


def test_attribution(pack: Pack) -> None:
    assert pack.source.author == "Doug Bandow"
    assert pack.source.outlet == "Foreign Policy"
    assert pack.source.reprint and "Cato" in pack.source.reprint
    assert pack.source.date.startswith("2019-02")
    assert "Bandow" in pack.attribution


def test_quotes_are_verbatim_and_in_order(pack: Pack) -> None:
    positions = [pack.article.find(c.quote) for c in pack.claims]
    assert all(p >= 0 for p in positions)
    assert [c.position for c in pack.claims] == sorted(c.position for c in pack.claims)


def test_claim_count_and_every_arguing_paragraph_has_a_claim(pack: Pack) -> None:
    assert 18 <= len(pack.claims) <= 30
    spans = paragraphs(pack)
    assert len(spans) == 24
    covered = {i for i, (a, b) in enumerate(spans, start=1) for c in pack.claims if a <= c.position < b}
    missing = set(range(1, len(spans) + 1)) - covered - set(NON_ARGUING)
    assert not missing, f"paragraphs without a claim: {sorted(missing)}"


def test_load_bearing_claims_are_present(pack: Pack) -> None:
    quotes = " || ".join(c.quote for c in pack.claims)
    for needle in (
        "yield his arsenal",
        "is not much of a concession",
        "Americans are worth far more to Pyongyang alive than dead",
        "The ban should be eliminated in full",
        "Qaddafi",
        "of mostly symbolic benefit",
        "would be an even greater fool to trust Washington",
    ):
        assert needle in quotes, needle


def test_kinds_and_difficulties(pack: Pack) -> None:
    assert {c.kind for c in pack.claims} == {"factual", "causal", "prediction", "policy-recommendation", "value-judgement"}
    assert {c.difficulty for c in pack.claims} <= {1, 2, 3}


def test_rebuttal_sets(pack: Pack) -> None:
    for claim in pack.claims:
        assert 3 <= len(claim.key_points) <= 6, claim.id
        assert len(claim.weak_examples) >= 2, claim.id
        for kp in claim.key_points:
            assert len(kp.statement.split()) <= 20, kp.id
            words = len(re.findall(r"\b\w[\w'’-]*\b", kp.rebuttal_markdown))
            assert 80 <= words <= 250, f"{kp.id}: {words} words"
            html = render_markdown(kp.rebuttal_markdown)
            assert html.startswith("<") and "<p>" in html, kp.id


def test_perspectives(pack: Pack) -> None:
    ids = {p.id for p in pack.perspectives}
    assert len(ids) >= 8
    assert {"bolton", "pompeo", "nonpro", "seoul", "tokyo", "beijing", "human-rights", "warmbier", "alliance", "restraint"} <= ids
    for claim in pack.claims:
        for kp in claim.key_points:
            assert set(kp.perspectives) <= ids
    for p in pack.perspectives:
        assert len(p.description.split()) >= 40, p.id


def test_facts_that_are_easy_to_get_wrong(pack: Pack) -> None:
    text = "\n".join(kp.rebuttal_markdown for c in pack.claims for kp in c.key_points) + "\n".join(c.note or "" for c in pack.claims)
    wrong = [
        r"Singapore summit[^.]{0,40}(11|13) June",
        r"1 September 2018",  # the passport restriction began in 2017
        r"died on (?!19 June)\d+ June 2017",
        r"Hanoi[^.]{0,60}(reached|signed) (an|a) (agreement|deal)",
    ]
    for pattern in wrong:
        assert not re.search(pattern, text), pattern
