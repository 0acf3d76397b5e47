"""Behaviour of the matcher on hand-made cases (no wall-clock assertions)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainer.core.matching import (
    MATCHER_VERSION,
    KeyPointInput,
    KeyPointVerdict,
    Matcher,
    MatchResult,
    RubricSignal,
    Span,
)

CLAIM = "Few analysts believe Kim ultimately will yield his arsenal, so talking to him is pointless."
KPS = (
    KeyPointInput("pressure", "Economic sanctions can still change Kim's calculations."),
    KeyPointInput("freeze", "A verified freeze of nuclear production is worth having even without full disarmament."),
    KeyPointInput("war", "Diplomacy lowers the risk of a war on the peninsula.", weight=2.0),
)
COUNTER = (
    "They say talking to Kim is pointless because he will never give up his weapons. "
    "But that misses what diplomacy can achieve. "
    "Even without full disarmament, a freeze on producing new bombs, verified by inspectors, would cap the threat. "
    "Meanwhile, meeting face to face makes a military clash on the peninsula less likely, which matters for millions of people."
)
AGREE = (
    "I agree with the claim. Kim will never give up his nuclear weapons, and the analysts are exactly right. "
    "Talking to him is pointless and I support ending the summits."
)


def test_public_api_and_version(matcher: Matcher) -> None:
    assert matcher.version.startswith(MATCHER_VERSION + "+minilm-ft.")
    r = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    assert isinstance(r, MatchResult)
    assert r.matcher_version == matcher.version
    assert [k.key_point_id for k in r.key_points] == ["pressure", "freeze", "war"]
    assert all(isinstance(k, KeyPointVerdict) for k in r.key_points)
    assert all(0.0 <= k.probability <= 1.0 for k in r.key_points)
    assert all(k.verdict in ("covered", "partly", "missed") for k in r.key_points)
    assert 0.0 <= r.score <= 1.0
    names = [s.name for s in r.rubric]
    assert names == ["restates", "counters", "reason", "evidence", "impact", "on_claim", "length"]
    assert all(isinstance(s, RubricSignal) and s.explanation and "\n" not in s.explanation for s in r.rubric)


@pytest.mark.parametrize(
    "claim, kp_a, kp_b, response",
    [
        (
            "Nuclear power should be expanded",
            "Nuclear accidents can cause catastrophic harm",
            "Nuclear power gives people cheap electricity",
            "One meltdown could poison entire regions and kill thousands of people.",
        ),
        (
            "We should ban cosmetic surgery for minors",
            "Teenagers are not mature enough to make permanent decisions about their bodies",
            "Surgery for minors carries medical risks",
            "Young people change their minds a lot as they grow up, so at fifteen a person cannot judge a choice they will live with forever - for minors that is no small surgery.",
        ),
        (
            "The summit with Kim is a waste of time",
            "Sanctions pressure can still change Kim's calculus",
            "The summit gives Kim time to build more weapons",
            "Economic penalties are squeezing Pyongyang's economy hard, and that squeeze may yet push the regime to rethink its choices about the time and the summit.",
        ),
    ],
)
def test_paraphrase_beats_word_overlap(matcher: Matcher, claim, kp_a, kp_b, response) -> None:
    r = matcher.score(
        claim=claim, key_points=[KeyPointInput("a", kp_a), KeyPointInput("b", kp_b)], response=response
    )
    pa, pb = (k.probability for k in r.key_points)
    assert pa > pb, (pa, pb)


def test_stance_signal(matcher: Matcher) -> None:
    agree = matcher.score(claim=CLAIM, key_points=KPS, response=AGREE)
    counter = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    assert agree.signal("counters").passed is False
    assert "for the claim" in agree.signal("counters").explanation
    assert agree.argued_for and any("You argued for the claim" in n for n in agree.notices)
    assert agree.score <= 0.1
    assert all(k.verdict == "missed" for k in agree.key_points)
    assert counter.signal("counters").passed is True
    assert not counter.argued_for
    assert counter.score > agree.score


def test_rubric_signals_on_a_good_and_a_bare_answer(matcher: Matcher) -> None:
    good = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER + " In 1994 the Agreed Framework froze Yongbyon for eight years.")
    sig = {s.name: s.passed for s in good.rubric}
    assert sig == {"restates": True, "counters": True, "reason": True, "evidence": True,
                   "impact": True, "on_claim": True, "length": True}
    bare = matcher.score(claim=CLAIM, key_points=KPS, response="Cats are nice pets to have at home.")
    sig = {s.name: s.passed for s in bare.rubric}
    assert sig["length"] is False and sig["evidence"] is False and sig["reason"] is False
    assert sig["on_claim"] is False
    assert sig["counters"] is False  # being there is not pushing back
    assert "short" in bare.signal("length").explanation


def test_counter_covers_the_right_key_points(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    v = {k.key_point_id: k for k in r.key_points}
    assert v["freeze"].verdict == "covered"
    assert v["war"].verdict in ("covered", "partly")
    assert v["freeze"].probability > v["pressure"].probability
    assert v["war"].probability > v["pressure"].probability


def test_spans_point_at_the_right_sentence(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    freeze = r.verdict_for("freeze")
    assert freeze.spans
    texts = [COUNTER[s.start : s.end] for s in freeze.spans]
    assert any(t.startswith("Even without full disarmament") and t.endswith("cap the threat.") for t in texts)
    war = r.verdict_for("war")
    assert any("military clash" in COUNTER[s.start : s.end] for s in war.spans)
    for k in r.key_points:
        if k.verdict == "missed":
            assert k.spans == ()


def test_spans_survive_leading_whitespace_and_newlines(matcher: Matcher) -> None:
    response = "\n\n   Some say Kim keeps his bombs.\n\n- " + COUNTER.split(". ", 2)[2]
    r = matcher.score(claim=CLAIM, key_points=KPS, response=response)
    for k in r.key_points:
        for s in k.spans:
            piece = response[s.start : s.end]
            assert piece == piece.strip() and piece


@pytest.mark.parametrize(
    "response, notice",
    [
        ("", "The response is empty."),
        ("   \n\t  ", "The response is empty."),
        ("\U0001F600\U0001F44D\U0001F525", "The response has no words to score."),
    ],
)
def test_empty_like_responses(matcher: Matcher, response: str, notice: str) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response=response)
    assert r.score == 0.0
    assert all(k.verdict == "missed" and k.probability == 0.0 and k.spans == () for k in r.key_points)
    assert notice in r.notices
    assert len(r.key_points) == len(KPS)


def test_one_megabyte_response_is_trimmed(matcher: Matcher) -> None:
    response = (COUNTER + " ") * (1_000_000 // (len(COUNTER) + 1) + 1)
    assert len(response) > 1_000_000
    r = matcher.score(claim=CLAIM, key_points=KPS, response=response)
    assert any("trimmed to the first 20,000 characters" in n for n in r.notices)
    assert 0.0 <= r.score <= 1.0
    for k in r.key_points:
        assert all(s.end <= 20_000 for s in k.spans)


def test_odd_inputs_never_raise(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=[], response=COUNTER)
    assert r.key_points == () and r.score == 0.0 and r.notices
    r = matcher.score(claim="", key_points=[KeyPointInput("x", "")], response="\x00\x01 ok then.")
    assert len(r.key_points) == 1
    r = matcher.score(claim=CLAIM, key_points=[KeyPointInput("z", "Talks help.", weight=0.0)], response=COUNTER)
    assert r.score == 0.0


def test_same_input_same_output(matcher: Matcher) -> None:
    a = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER).to_dict()
    matcher.score(claim="Another claim entirely", key_points=KPS[:1], response=AGREE)
    b = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    fresh = Matcher.load()
    c = fresh.score(claim=CLAIM, key_points=KPS, response=COUNTER).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(c, sort_keys=True)


def test_to_dict_from_dict_round_trip(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    d = r.to_dict()
    back = MatchResult.from_dict(json.loads(json.dumps(d)))
    assert back == r
    empty = matcher.score(claim=CLAIM, key_points=KPS, response="")
    assert MatchResult.from_dict(json.loads(json.dumps(empty.to_dict()))) == empty
    assert Span(1, 2) == Span.from_dict({"start": 1, "end": 2})


def test_score_is_weighted_mean_of_probabilities(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response=COUNTER)
    assert not r.argued_for and not r.off_list()  # nothing for the claim, no point off the list
    weights = [k.weight for k in KPS]
    expected = sum(w * v.probability for w, v in zip(weights, r.key_points)) / sum(weights)
    assert r.score == pytest.approx(expected, abs=1e-3)


def test_a_keyword_list_earns_nothing(matcher: Matcher) -> None:
    r = matcher.score(claim=CLAIM, key_points=KPS, response="Sanctions, verified freeze, inspectors, war, peninsula, diplomacy, disarmament.")
    assert r.score == 0.0
    assert all(k.verdict == "missed" for k in r.key_points)
    assert any("makes no argument" in n for n in r.notices)
    assert [s.role for s in r.sentences] == ["no-argument"]


def test_reporting_a_view_is_not_arguing_it(matcher: Matcher) -> None:
    reported = "Some people say that a verified freeze of nuclear production is worth having even without full disarmament."
    r = matcher.score(claim=CLAIM, key_points=KPS, response=reported)
    assert r.verdict_for("freeze").verdict == "missed"
    assert [s.role for s in r.sentences] == ["reports"]
    argued = matcher.score(claim=CLAIM, key_points=KPS, response=reported.replace("Some people say that a", "A"))
    assert argued.verdict_for("freeze").verdict == "covered"
    assert argued.verdict_for("freeze").probability > r.verdict_for("freeze").probability


def test_the_perspective_weighs_its_key_points_more(matcher: Matcher) -> None:
    kps = [KeyPointInput(k.id, k.statement, k.rebuttal_markdown, k.weight, ("bolton",) if k.id == "freeze" else ("seoul",)) for k in KPS]
    own = matcher.score(claim=CLAIM, key_points=kps, response=COUNTER)
    bolton = matcher.score(claim=CLAIM, key_points=kps, response=COUNTER, perspective="bolton")
    assert own.perspective is None and own.perspective_key_points == ()
    assert bolton.perspective == "bolton" and bolton.perspective_key_points == ("freeze",)
    assert [k.probability for k in bolton.key_points] == [k.probability for k in own.key_points]  # same verdicts
    p = {k.key_point_id: k.probability for k in own.key_points}
    weights = {"pressure": 1.0, "freeze": 2.0, "war": 2.0}  # freeze doubled (PERSPECTIVE_BOOST = 1)
    expected = sum(weights[k] * p[k] for k in p) / sum(weights.values())
    assert bolton.score == pytest.approx(expected, abs=1e-3)


def test_rebuttal_text_helps_a_paraphrase_of_it(matcher: Matcher) -> None:
    kp_plain = KeyPointInput("k", "Past deals slowed the programme.")
    kp_reb = KeyPointInput("k", "Past deals slowed the programme.",
                           "**History.** The 1994 Agreed Framework shut the Yongbyon reactor for eight years.")
    response = "Remember that the Agreed Framework of 1994 kept the Yongbyon reactor closed for most of a decade."
    p_plain = matcher.score(claim=CLAIM, key_points=[kp_plain, KPS[2]], response=response).key_points[0].probability
    p_reb = matcher.score(claim=CLAIM, key_points=[kp_reb, KPS[2]], response=response).key_points[0].probability
    assert p_reb >= p_plain


def test_score_pairs_goes_through_the_same_path(matcher: Matcher) -> None:
    P = matcher.score_pairs(topic=CLAIM, arguments=[COUNTER, AGREE, ""], key_points=[k.statement for k in KPS])
    assert P.shape == (3, 3)
    assert np.all((P >= 0) & (P <= 1))
    assert np.all(P[2] == 0)
    r = matcher.score(claim=CLAIM, key_points=[KeyPointInput(k.id, k.statement) for k in KPS], response=COUNTER)
    assert np.allclose(P[0], [k.probability for k in r.key_points], atol=1e-4)
    assert matcher.score_pairs(topic=CLAIM, arguments=[COUNTER], key_points=[]).shape == (1, 0)
