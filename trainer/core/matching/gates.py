"""Cheap, transparent checks a strict judge applies before any model is asked.

* :func:`is_keyword_list`: a "sentence" that is a bare list of words or a
  fragment makes no argument, whatever words it contains;
* :func:`opens_for_the_claim`: an answer that opens by siding with the author
  ("Bandow is right.", "Exactly, ...") argues for the claim;
* :func:`reports_a_view`: "Some argue that ...", "Critics point to ...", "The
  author says ..." with no "but" reports somebody else's view: the student has
  not argued it (yet), whichever side it is on.
"""

from __future__ import annotations

import re

from .text import STOPWORDS, words

MIN_ARGUMENT_WORDS = 4  # "South Africa." or "Sanctions work!" name a point; they do not argue it
_SEGMENT_RE = re.compile(r"[,;/|\u2022\u00b7\n]+|\s[-\u2013\u2014]\s")


def is_keyword_list(sentence: str) -> bool:
    """True for a list of words or names with no claim structure, or a fragment."""
    toks = words(sentence)
    if len(toks) < MIN_ARGUMENT_WORDS:
        return True
    segments = [seg for seg in _SEGMENT_RE.split(sentence) if words(seg)]
    if len(segments) >= 3:
        short = sum(1 for seg in segments if len(words(seg)) <= 3)
        if short / len(segments) >= 0.7:
            return True
    function_words = sum(1 for t in toks if t in STOPWORDS)
    return function_words / len(toks) < 0.12


# An answer that *opens* by siding with the author: "Bandow is right.", "Exactly, ...",
# "The author nailed it", "True, no one gains", "This is a smart move".
_THESIS_FOR_RE = re.compile(
    r"^\W*(?:yes[,!.]\s*|yeah[,!.]\s*|honestly[,]?\s*)?(?:"
    r"(?:bandow|the\s+author|the\s+article|the\s+writer|he|this|that|it)(?:'s|\s+is|\s+was|\s+gets\s+it)?\s+"
    r"(?:totally\s+|completely\s+|absolutely\s+|basically\s+|exactly\s+|dead\s+)?(?:right|correct|spot\s+on)\b(?!\s+(?:that|about|to|in\s+one))|"
    r"(?:bandow|the\s+author|the\s+article)\s+(?:nailed|nails|got|gets)\s+it|"
    r"exactly\b|absolutely\b|agreed\b|true\b(?!\s+that)|i\s+(?:totally\s+|fully\s+|completely\s+)?agree\b|"
    r"this\s+is\s+(?:a\s+)?(?:smart|good|wise|sensible|the\s+right)\b)",
    re.I,
)
_LEADING_CONTRAST_RE = re.compile(r"^\W*(?:but|however|yet|still|that\s+said|even\s+so|on\s+the\s+other\s+hand)\b", re.I)


def opens_for_the_claim(first: str, second: str = "") -> bool:
    """True when an answer's first sentence sides with the author ("Bandow is right.") and the
    next one does not turn against it ("Bandow is right that X. But ..." is a concession)."""
    if not _THESIS_FOR_RE.search(first) or _CONTRAST_RE.search(first):
        return False
    return not _LEADING_CONTRAST_RE.search(second)


def starts_with_contrast(sentence: str) -> bool:
    return bool(_LEADING_CONTRAST_RE.search(sentence)) or bool(re.match(r"^\W*(?:true|sure|okay|ok|maybe|fine)[,.]?\s+but\b", sentence, re.I))


_REPORT_RE = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:some(?:one)?|many|critics|people|others|hawks|doves|experts|analysts|supporters|opponents|skeptics|"
    r"the\s+author|the\s+article|the\s+writer|bandow|they|you\s+could|one\s+could|it\s+is|it's)\s+"
    r"(?:might\s+|may\s+|will\s+|would\s+|could\s+)?(?:say|says|said|argue|argues|argued|claim|claims|claimed|point\s+to|points\s+to|"
    r"insist|insists|believe|believes|think|thinks|suggest|suggests|contend|contends|object|objects|"
    r"argued|claimed|often\s+said|sometimes\s+said|true\s+that|list|lists|cite|cites|mention|mentions|bring\s+up|brings\s+up)\b",
    re.I,
)
_CONTRAST_RE = re.compile(r"(?<![A-Za-z])(?:but|however|yet|although|though|whereas|except|still)(?![A-Za-z])", re.I)


_CONCESSION_RE = re.compile(r"^\W*(?:sure|granted|admittedly|of\s+course|okay|ok|yes|fine)\b\s*[,:]", re.I)


def reports_a_view(sentence: str) -> bool:
    """True when the sentence only reports or concedes a view ("Some argue X.", "Sure, X.")
    without arguing against it."""
    return bool(_REPORT_RE.search(sentence) or _CONCESSION_RE.search(sentence)) and not _CONTRAST_RE.search(sentence)


_COUNTER_VIEW_RE = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:some(?:one)?|many|critics|people|others|hawks|doves|experts|analysts|supporters|opponents|"
    r"skeptics|you\s+could|one\s+could)\s+(?:might\s+|may\s+|will\s+|would\s+|could\s+|often\s+|always\s+)?"
    r"(?:say|says|said|argue|argues|argued|claim|claims|point|points|insist|insists|believe|believes|think|thinks|"
    r"suggest|suggests|contend|contends|object|objects|bring|brings|cite|cites|list|lists|mention|mentions)\b",
    re.I,
)


def reports_the_other_side(sentence: str) -> bool:
    """A reported or conceded view that is not the author's ("Critics say ...", "Sure, ..."); "The
    article says ..." and debate's "They say ..." report the claim's side instead."""
    return bool(_COUNTER_VIEW_RE.search(sentence) or _CONCESSION_RE.search(sentence))


# A sentence anywhere in the answer that endorses the author's conclusion:
# "I agree with Bandow's description.", "The article is right that ...",
# "... exactly the modest steps Bandow describes", "that is the whole point".
_AUTHOR = r"(?:bandow(?:'s)?|the\s+author(?:'s)?|the\s+article(?:'s)?|the\s+writer(?:'s)?|the\s+piece(?:'s)?)"
_ENDORSES_RE = re.compile(
    r"\bi\s+(?:\w+\s+){0,2}agree\s+(?:with\s+" + _AUTHOR + r"|that\s+" + _AUTHOR + r"|these|this|that|it)\b|"
    r"\b" + _AUTHOR + r"\s+(?:is|was|are)\s+(?:quite\s+|absolutely\s+|entirely\s+|completely\s+|exactly\s+)?(?:right|correct)\b|"
    r"\bexactly\s+(?:what|the\s+[\w\s-]{1,40}?)\s*" + _AUTHOR + r"\s+(?:describes|described|proposes|proposed|says|said|argues|argued|"
    r"recommends|recommended|calls\s+for|suggests|suggested)\b|"
    r"\bthat\s+is\s+(?:exactly\s+)?the\s+(?:whole\s+)?point\b|"
    r"\b(?:is|was|proves|prove|confirms|confirm|supports|support|shows|show|makes|make)\s+(?:exactly\s+|precisely\s+)?(?:the\s+)?"
    r"(?:article's|author's|bandow's|writer's)\s+point\b|"
    r"\b(?:sensible|right|wise|smart|good|modest)\s+(?:\w+\s+){0,2}?(?:step|steps|move|moves|policy|approach|idea)\s+(?:that\s+)?"
    + _AUTHOR + r"\s+(?:proposes|proposed|recommends|recommended|describes|described|suggests|suggested|calls\s+for)\b|"
    r"\bas\s+" + _AUTHOR + r"\s+(?:says|said|argues|argued|suggests|notes|writes|puts\s+it)\b",
    re.I,
)
# "... right that X, and that is exactly why Y" / "... and that is the danger": a concession that turns.
_TURNS_RE = re.compile(
    r"\b(?:that|this|which)\s+is\s+(?:exactly\s+|precisely\s+)?(?:why|the\s+(?:danger|problem|risk|trouble|catch|flaw))\b", re.I
)
_NEGATED_RE = re.compile(r"\b(?:not|n't|never|hardly)\b", re.I)
# A sentence that rejects the author or the claim outright.
_REJECTS_RE = re.compile(
    r"\b" + _AUTHOR + r"\s+(?:is|was|are|gets\s+it)\s+(?:\w+\s+)?(?:wrong|mistaken|naive|na\u00efve|misguided)\b|"
    r"\bi\s+(?:\w+\s+)?disagree\b|\bi\s+(?:do\s+not|don't|can't|cannot|could\s+not|couldn't)\s+(?:\w+\s+)?agree\b|\b" + _AUTHOR + r"\s+(?:\w+\s+)?(?:ignores|overlooks|misses|misreads|underestimates|forgets|"
    r"glosses\s+over|skips)\b|\b(?:bandow|the\s+author|the\s+article)\s+(?:is|was)\s+not\s+(?:right|correct)\b|"
    r"\b(?:that|this|(?:this|that|the|his|her)\s+(?:claim|argument|view))\s+(?:is|was)\s+(?:simply\s+|just\s+|plainly\s+)?"
    r"(?:wrong|mistaken|false)\b",
    re.I,
)


def endorses_the_author(sentence: str, following: str = "") -> bool:
    """True when the sentence endorses the author's conclusion and nothing turns
    it into a concession: no "but" after the endorsement in the same sentence
    ("Bandow is right that X, but Y"), and the next sentence does not start with
    one. "He is not right", "I don't agree" are not endorsements."""
    found = _ENDORSES_RE.search(sentence)
    if found is None:
        return False
    if _NEGATED_RE.search(sentence[max(0, found.start() - 12):found.end()]):
        return False
    rest = sentence[found.end():]
    if _CONTRAST_RE.search(rest) or _TURNS_RE.search(rest):
        return False
    return not _LEADING_CONTRAST_RE.search(following)


def rejects_the_author(sentence: str) -> bool:
    """True for an outright rejection: "Bandow is wrong", "I disagree", "the article ignores ..."."""
    return bool(_REJECTS_RE.search(sentence))


_NEGATORS_RE = re.compile(r"\b(?:not|no|never|none|nothing|nobody|cannot|few|hardly|neither|nor|without)\b|n't\b", re.I)


def same_polarity(sentence: str, claim: str) -> bool:
    """Whether the sentence and the claim have the same parity of negations ("few", "not",
    "never", ...): a crude but transparent check that a restatement affirms the claim
    rather than denies it."""
    return len(_NEGATORS_RE.findall(sentence)) % 2 == len(_NEGATORS_RE.findall(claim)) % 2
