"""Markdown from packs, rendered to HTML that is safe to show, at a bounded cost.

Packs are shared between clubs, so their Markdown is untrusted. Three layers:

1. the cost is bounded: python-markdown's inline parser scans forward from
   every ``[`` (and pays for every ``<`` and ``&`` once escaped), so 50,000
   ``[`` took minutes. :func:`markdown_problem` names text over the limits
   below; the pack validator refuses it, and :func:`render_markdown` shows
   such text (from anywhere) as escaped plain paragraphs instead of parsing it;
2. raw HTML is escaped before conversion (``<`` becomes ``&lt;``), so a tag in
   a pack shows up as visible text instead of markup;
3. the converted HTML is sanitised against an allow-list (nh3): links keep
   only ``http``, ``https`` and ``mailto`` targets (``javascript:`` and
   ``data:`` are dropped) and images are removed altogether, so that a view
   can never fetch anything remote.

Rendered text is cached (the same rebuttal is shown again and again), and the
window renders on a render thread of its own, never on the GUI thread.
"""

from __future__ import annotations

import html
import threading
from collections import OrderedDict

# Limits for one Markdown text (a model rebuttal). The longest rebuttal in the
# Korea pack is about 1,600 characters on 11 lines; at these limits the worst
# case in the hostile corpus renders in well under a second on two cores
# (bench/hostile_packs.py --commands render), on the render thread.
MAX_MARKDOWN_CHARS = 8_000
MAX_MARKDOWN_LINES = 200  # each line can open a block (2,000 setext headings took 1.8 s)
MAX_MARKDOWN_BRACKETS = 100  # '[' : links and images
MAX_MARKDOWN_ESCAPES = 1_000  # '<' and '&' together

_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_SCHEMES = {"http", "https", "mailto"}


def markdown_problem(text: str) -> str | None:
    """Why ``text`` would be too costly to render as Markdown, or None."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return f"is {len(text):,} characters; at most {MAX_MARKDOWN_CHARS:,} allowed"
    lines = text.count("\n") + 1
    if lines > MAX_MARKDOWN_LINES:
        return f"has {lines:,} lines; at most {MAX_MARKDOWN_LINES} allowed"
    brackets = text.count("[")
    if brackets > MAX_MARKDOWN_BRACKETS:
        return f"has {brackets:,} '[' characters; at most {MAX_MARKDOWN_BRACKETS} allowed (links and images)"
    escapes = text.count("<") + text.count("&")
    if escapes > MAX_MARKDOWN_ESCAPES:
        return f"has {escapes:,} '<' and '&' characters; at most {MAX_MARKDOWN_ESCAPES:,} allowed"
    return None


def plain_html(text: str) -> str:
    """``text`` as escaped paragraphs: linear time, no markup at all."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


_CACHE_SIZE = 512
_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()


def markdown_sections(text: str) -> list[str]:
    """``text`` cut before each ``## `` heading, so that a long document (the
    guide) is rendered section by section, each within the limits above."""
    sections: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.startswith("## ") and sections[-1]:
            sections.append([])
        sections[-1].append(line)
    return ["".join(lines) for lines in sections if lines]


def cached_markdown(text: str) -> str | None:
    """The HTML for ``text`` if it has been rendered already, else None (cheap)."""
    with _cache_lock:
        html_ = _cache.get(text)
        if html_ is not None:
            _cache.move_to_end(text)
        return html_


def render_markdown(text: str) -> str:
    """Return sanitised HTML for ``text`` (Markdown); cached, and bounded in cost."""
    hit = cached_markdown(text)
    if hit is not None:
        return hit
    out = _render(text)
    with _cache_lock:
        _cache[text] = out
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def _render(text: str) -> str:
    import markdown
    import nh3

    if markdown_problem(text) is not None:
        # Never parse what the validator would refuse (a pack installed by an
        # older version, say): show it, escaped, with a notice.
        notice = "<p><em>(This text is shown without formatting: it is too long or too complex to format.)</em></p>"
        return plain_html(text[:200_000]) + notice
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    raw = markdown.markdown(escaped, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(raw, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None)
