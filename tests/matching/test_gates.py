"""The strict judge's rules (trainer/core/matching/gates.py), one behaviour each."""

from __future__ import annotations

import pytest

from trainer.core.matching import gates
from trainer.core.matching.gates import (
    is_keyword_list,
    opens_for_the_claim,
    reports_a_view,
    reports_the_other_side,
    starts_with_contrast,
)


@pytest.mark.parametrize("text, expected", [
    ("Sanctions, Libya, verification, China, Warmbier, inspections.", True),
    ("South Africa.", True),
    ("Sanctions work!", True),
    ("Sanctions cut Kim's oil imports, so he came to the table in 2018.", False),
    ("Inspectors must verify a freeze before any sanctions are lifted.", False),
])
def test_keyword_lists_and_fragments(text: str, expected: bool) -> None:
    assert is_keyword_list(text) is expected


@pytest.mark.parametrize("first, second, expected", [
    ("Bandow is right.", "Look at the history.", True),
    ("Exactly, it really is just how Washington sees it.", "", True),
    ("Bandow nailed it.", "", True),
    ("Bandow is right that live Americans are valuable to Pyongyang.", "Their value is as bargaining chips.", False),
    ("Bandow is right.", "But only about the timing.", False),
    ("It is true that Kim lies.", "", False),
    ("Kim will never give up his weapons.", "", False),
])
def test_an_opening_that_sides_with_the_author(first: str, second: str, expected: bool) -> None:
    assert opens_for_the_claim(first, second) is expected


@pytest.mark.parametrize("text, reported, other_side", [
    ("Some argue that sanctions work.", True, True),
    ("Critics will list Kenneth Bae and the other detainees.", True, True),
    ("Sure, the Singapore statement does not mention travel.", True, True),
    ("The article argues that the United States recognized China.", True, False),
    ("They say talking to Kim is pointless.", True, False),
    ("Some argue sanctions work, but they have not.", False, True),
    ("Sanctions work because they cut oil.", False, False),
])
def test_reported_views_and_whose_they_are(text: str, reported: bool, other_side: bool) -> None:
    assert reports_a_view(text) is reported
    assert reports_the_other_side(text) is other_side


@pytest.mark.parametrize("text, expected", [
    ("But legitimacy does not feed his army.", True),
    ("True, but you cannot expect Kim to disarm first.", True),
    ("However, the record says otherwise.", True),
    ("Sanctions work.", False),
])
def test_a_sentence_that_turns(text: str, expected: bool) -> None:
    assert starts_with_contrast(text) is expected


@pytest.mark.parametrize(
    ("sentence", "following", "expected"),
    [
        ("I agree with Bandow's description.", "", True),
        ("The article is right that even the administration is reconsidering the ban.", "", True),
        ("What kept the thaw alive is exactly the modest steps Bandow describes.", "", True),
        ("Gestures signal change, and that is the whole point.", "", True),
        ("That proves the article's point: contact pries the country open.", "", True),
        ("Recognition would simply acknowledge the DPRK, which is the sensible step Bandow proposes.", "", True),
        ("Bandow is right that sanctions hurt, but they work.", "", False),  # a concession that turns
        ("Bandow is right that live Americans are valuable, and that is exactly the danger.", "", False),
        ("The article is right that relations have value.", "But they should not be free.", False),
        ("Bandow is not right about this.", "", False),
        ("That would hurt exactly the projects the article wants to protect.", "", False),
    ],
)
def test_a_sentence_that_endorses_the_author(sentence: str, following: str, expected: bool) -> None:
    assert gates.endorses_the_author(sentence, following) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("Bandow is wrong.", True), ("I don't agree with Bandow.", True), ("I disagree.", True),
     ("The article ignores China.", True), ("This claim is simply wrong.", True),
     ("Bandow is right.", False), ("Sanctions were wrongly eased in 2018.", False)],
)
def test_a_sentence_that_rejects_the_author(sentence: str, expected: bool) -> None:
    assert gates.rejects_the_author(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "claim", "expected"),
    [
        ("That is why few analysts believe Kim will yield.", "Few analysts believe Kim will yield his arsenal.", True),
        ("Kim will yield his arsenal.", "Few analysts believe Kim will yield his arsenal.", False),
        ("The odds have been near zero ever since.", "The odds fell to near zero.", True),
        ("The odds did not fall to near zero.", "The odds fell to near zero.", False),
        ("It isn't over.", "It is over.", False),
    ],
)
def test_polarity_of_a_restatement(sentence: str, claim: str, expected: bool) -> None:
    assert gates.same_polarity(sentence, claim) is expected
