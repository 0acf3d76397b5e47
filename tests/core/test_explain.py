""""How is this scored?": the explanation rebuilt from a stored breakdown adds up to the stored score.

Real attempts: answers from ``bench/data/korea_feedback_dev.jsonl`` (one or two
of every kind, among them answers that argue *for* the claim) submitted to the
Korea pack with the real matcher and read back from the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.core.explain import (
    BAND_WORDS,
    STRONG_ANSWERS,
    explain,
    for_share,
    scale_lines,
    verdict_words,
)
from trainer.core.overrides import Override, apply_override
from trainer.core.overview import SOME_FROM, STRONG_FROM
from trainer.core.paths import resolve_locations
from trainer.core.records import AttemptInfo
from trainer.core.service import Service, builtin_packs_dir

ROOT = Path(__file__).resolve().parents[2]
PACK = "korea-summit-2019"
ROWS = [json.loads(line) for line in (ROOT / "bench" / "data" / "korea_feedback_dev.jsonl").read_text(encoding="utf-8").splitlines()]


def _sample() -> list[dict]:
    """The first two answers of every kind (strong, single point, agreeing, concede-and-dismiss, keywords…)."""
    seen: dict[str, int] = {}
    out = []
    for row in ROWS:
        if seen.get(row["kind"], 0) < 2:
            seen[row["kind"]] = seen.get(row["kind"], 0) + 1
            out.append(row)
    return out


SAMPLE = _sample()


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, list[AttemptInfo]]]:
    from trainer.core.matching import Matcher

    matcher = Matcher.load()
    service = Service.open(resolve_locations(data_dir=tmp_path_factory.mktemp("explain") / "data"),
                           matcher_loader=lambda: matcher, pack_folders=[(builtin_packs_dir(), True)])
    profile = service.store.add_profile(name="Ada")
    for row in SAMPLE:
        service.practice.submit_attempt(profile_id=profile.id, pack_id=PACK, claim_id=row["claim_id"], text=row["text"],
                                        perspective_id=row["perspective"])
    attempts = service.results.list_attempts(profile_id=profile.id)
    yield service, attempts
    service.close()


def _explain(service: Service, attempt: AttemptInfo):  # noqa: ANN202
    claim = service.packs.get(PACK).claim(attempt.claim_id)
    return explain(score=attempt.score, breakdown=attempt.breakdown, text=attempt.text, key_points=claim.key_points)


def test_the_sample_covers_every_kind_and_answers_that_argue_for_the_claim(stored) -> None:  # noqa: ANN001
    _service, attempts = stored
    assert len(attempts) == len(SAMPLE) >= 16
    assert any(a.breakdown.get("argued_for") for a in attempts)
    assert any(any(s["role"] == "supports" for s in a.breakdown["sentences"]) for a in attempts)
    assert any(a.score >= STRONG_FROM for a in attempts) and any(a.score < SOME_FROM for a in attempts)


def test_the_explanation_reproduces_every_stored_score_exactly(stored) -> None:  # noqa: ANN001
    service, attempts = stored
    for attempt in attempts:
        e = _explain(service, attempt)
        assert e.exact, (attempt.claim_id, attempt.score, e.computed)
        assert e.computed == attempt.score and e.total == attempt.score
        # the lines add up: each key point's credit, then the points off the list
        assert sum(t.credit for t in e.terms) + e.off_list_credit == pytest.approx(attempt.score, abs=5e-5)


def test_each_term_is_the_breakdowns_verdict_and_the_packs_weight(stored) -> None:  # noqa: ANN001
    service, attempts = stored
    for attempt in attempts:
        e = _explain(service, attempt)
        claim = service.packs.get(PACK).claim(attempt.claim_id)
        mine = set(attempt.breakdown["perspective_key_points"])
        assert [t.key_point_id for t in e.terms] == [k["key_point_id"] for k in attempt.breakdown["key_points"]]
        for term, entry, kp in zip(e.terms, attempt.breakdown["key_points"], claim.key_points):
            assert (term.verdict, term.probability, term.statement) == (entry["verdict"], entry["probability"], kp.statement)
            assert term.weight == kp.weight * (2 if kp.id in mine else 1) and term.own_side == (kp.id in mine)
            assert term.share == pytest.approx(term.weight / e.total_weight)
            assert term.credit == pytest.approx(term.share * term.probability * (1 - e.for_share))
        assert e.total_weight == pytest.approx(sum(t.weight for t in e.terms))
        assert sum(t.share for t in e.terms) == pytest.approx(1.0)


def test_an_answer_for_the_claim_loses_its_share_of_every_credit(stored) -> None:  # noqa: ANN001
    service, attempts = stored
    argued = [a for a in attempts if any(s["role"] == "supports" for s in a.breakdown["sentences"])]
    assert argued
    for attempt in argued:
        e = _explain(service, attempt)
        assert 0 < e.for_share <= 1 and e.for_share == for_share(attempt.breakdown, attempt.text)
        assert e.exact
        assert any("argue for the claim" in line for line in e.lines())


def test_a_coachs_override_is_explained_with_the_coachs_verdict(stored) -> None:  # noqa: ANN001
    service, attempts = stored
    attempt = next(a for a in attempts if any(k["verdict"] == "missed" for k in a.breakdown["key_points"]) and not a.breakdown["argued_for"])
    claim = service.packs.get(PACK).claim(attempt.claim_id)
    missed = next(k["key_point_id"] for k in attempt.breakdown["key_points"] if k["verdict"] == "missed")
    override = Override(key_point_id=missed, verdict="covered", dispute_id=1, coach="Coach Lee", at=datetime(2025, 3, 1, tzinfo=UTC))
    score, breakdown = apply_override(attempt.score, attempt.breakdown, override, text=attempt.text,
                                      weights={k.id: k.weight for k in claim.key_points})
    e = explain(score=score, breakdown=breakdown, text=attempt.text, key_points=claim.key_points)
    term = next(t for t in e.terms if t.key_point_id == missed)
    assert (term.verdict, term.probability, term.coach, term.matcher_verdict) == ("covered", 1.0, "Coach Lee", "missed")
    assert e.total == score > attempt.score
    assert abs(e.difference) <= 0.0001  # only the rounding of the two steps
    assert any("set by Coach Lee" in line for line in e.lines())


def test_the_verdict_words_follow_the_class_overviews_bands() -> None:
    assert verdict_words(None) == "Not scored"
    assert verdict_words(0.0) == verdict_words(SOME_FROM - 0.0001) == BAND_WORDS["little"] == "Weak — key points missed"
    assert verdict_words(SOME_FROM) == verdict_words(STRONG_FROM - 0.0001) == BAND_WORDS["some"] == "Getting there"
    assert verdict_words(STRONG_FROM) == verdict_words(1.0) == BAND_WORDS["strong"] == "Strong rebuttal"
    strong, some, weak = scale_lines()
    assert strong.startswith("From 40%") and "34%–82%" in strong and f"{round(100 * STRONG_ANSWERS[0])}%" in strong
    assert some.startswith("15%–39%") and weak.startswith("Under 15%")


def test_the_plain_text_names_every_key_point_and_the_total(stored) -> None:  # noqa: ANN001
    service, attempts = stored
    attempt = max(attempts, key=lambda a: a.score)
    e = _explain(service, attempt)
    text = "\n".join(e.lines())
    assert text.startswith(f"Score {round(100 * attempt.score)}%: Strong rebuttal.")
    for term in e.terms:
        assert term.statement in text
    assert f"= {round(100 * attempt.score)}%." in text
    assert "The rubric does not change the score" in text


def test_a_breakdown_without_key_points_explains_a_zero() -> None:
    e = explain(score=0.0, breakdown={"key_points": [], "sentences": [], "rubric": []}, text="", key_points=[])
    assert e.terms == () and e.exact and e.total == 0.0 and e.words == "Weak — key points missed"
