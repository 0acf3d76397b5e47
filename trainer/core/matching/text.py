"""Plain-text helpers for the matcher: sentence splitting with offsets, words, stems.

Everything here is pure Python and deterministic.
"""

from __future__ import annotations

import re
from functools import lru_cache

# --------------------------------------------------------------------------- sentences

# Abbreviations after which a full stop does not end a sentence (lower-case, no final dot).
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st vs etc e.g i.e cf al approx dept est fig gen gov govt sen rep
    rev sgt capt col lt maj adm no nos vol pp inc ltd co corp jan feb mar apr jun jul aug sep
    sept oct nov dec mt ft u.s u.k u.n e.u u.s.a d.c a.m p.m ph.d b.a m.a
    """.split()
)

_BULLET_RE = re.compile(r"[ \t]*(?:[-*\u2022\u2023\u25e6\u2043\u2219>]+|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+")
_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*")


def _is_abbreviation(text: str, dot_pos: int) -> bool:
    """True if the '.' at ``dot_pos`` closes an abbreviation such as "U.S." or "Dr."."""
    i = dot_pos
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot_pos].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # single letters ("J. Smith") and dotted initialisms ("U.S", "N.A.T.O")
    if len(word) == 1 and word.isalpha():
        return True
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return (start, end) offsets into ``text``.

    Lines are split first (a newline ends a sentence when the next line is blank,
    is a bullet, or the line itself ends with sentence punctuation or is a
    bullet); bullet markers ("-", "*", "•", "1.", "a)") are left out of the span.
    Within a line, ".", "!", "?" followed by whitespace end a sentence unless the
    full stop closes a known abbreviation ("U.S.", "Dr.", "e.g.") or the next
    word starts in lower case.
    Spans only cover text with at least one letter or digit.
    """
    spans: list[tuple[int, int]] = []
    # 1. blocks: paragraphs / bullet lines
    blocks: list[tuple[int, int]] = []
    pos = 0
    lines: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]*(?:\n|$)", text):
        if m.start() == m.end():
            break
        end = m.end() - 1 if m.group().endswith("\n") else m.end()
        lines.append((m.start(), end))
    cur_start: int | None = None
    cur_end = 0
    cur_bullet = False
    for ls, le in lines:
        line = text[ls:le]
        bullet = _BULLET_RE.match(line)
        blank = not line.strip()
        if blank:
            if cur_start is not None:
                blocks.append((cur_start, cur_end))
                cur_start = None
            continue
        if bullet and not (bullet.group().strip()[:1].isalpha() and cur_start is not None):
            if cur_start is not None:
                blocks.append((cur_start, cur_end))
            cur_start, cur_end = ls + bullet.end(), le
            cur_bullet = True
            continue
        if cur_start is None:
            cur_start, cur_end = ls, le
            cur_bullet = False
        else:
            prev = text[cur_start:cur_end].rstrip()
            first = line.lstrip()[:1]
            if (prev and prev[-1] in ".!?:;\u2026") or (cur_bullet and first.isupper()):
                cur_bullet = False
                blocks.append((cur_start, cur_end))
                cur_start, cur_end = ls, le
            else:
                cur_end = le  # a wrapped line continues the sentence
        pos = le
    if cur_start is not None:
        blocks.append((cur_start, cur_end))
    del pos
    # 2. sentences inside each block
    for bs, be in blocks:
        start = bs
        for m in _END_RE.finditer(text, bs, be):
            end = m.end()
            if end < be and not text[end].isspace():
                continue
            if m.group()[0] == "." and len(m.group().rstrip("\"'\u201d\u2019)]")) == 1 and _is_abbreviation(text, m.start()):
                # an abbreviation ends the sentence only if a capitalised word follows a
                # clear sentence end; keep it simple: never split here unless end of block
                continue
            # the next word must not start in lower case ("e.g. this", "approx. ten")
            nxt = end
            while nxt < be and text[nxt].isspace():
                nxt += 1
            if nxt < be and text[nxt].islower():
                continue
            s, e = _trim(text, start, end)
            if s < e:
                spans.append((s, e))
            start = end
        s, e = _trim(text, start, be)
        if s < e:
            spans.append((s, e))
    return [(s, e) for s, e in spans if any(ch.isalnum() for ch in text[s:e])]


# --------------------------------------------------------------------------- words and stems

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having he
    he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
    in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on
    once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up very
    was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
    while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves also just will may might must shall us get gets got many much even
    would could one ones thing things way lot lots make makes made really s t re ve ll d m
    """.split()
)

_NEGATIONS = frozenset("no not never none nothing nobody nor cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't".split())


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters/digits, with an apostrophe suffix kept)."""
    return [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]


_SUFFIXES = (
    "ational", "ization", "fulness", "iveness", "ousness", "ements", "ements", "ations", "ities",
    "ments", "ation", "ingly", "ously", "ively", "ement", "ness", "ment", "ings", "able", "ible",
    "ance", "ence", "ical", "ally", "ists", "isms", "ers", "ies", "ied", "ing", "ion", "ity", "ive",
    "ize", "ise", "ism", "ist", "ful", "ous", "est", "ed", "er", "ly", "al", "es", "s",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small, deterministic suffix-stripping stemmer (enough for overlap features)."""
    w = word.lower().replace("'", "")
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        return w[:-3] + "y"
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= (3 if (len(suf) > 2 or suf == "s") else 4):
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w[-1] == "e":
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if w.endswith("i") and len(w) > 3:
        w = w[:-1] + "y"
    return w


def content_stems(text: str, exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Stems of the non-stopword words of ``text``, minus ``exclude`` (e.g. topic stems)."""
    out = []
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        s = stem(w)
        if s in exclude:
            continue
        out.append(s)
    return out


def has_negation(text: str) -> bool:
    return any(w in _NEGATIONS for w in words(text)) or "n't" in text.lower()


_MD_RE = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s*>\s?", re.M), ""),
    (re.compile(r"[*_`~]+"), ""),
]


def strip_markdown(md: str) -> str:
    """Markdown to plain text (good enough for embedding a model rebuttal)."""
    text = md
    for rx, rep in _MD_RE:
        text = rx.sub(rep, text)
    return text
