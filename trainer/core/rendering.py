"""Markdown from packs, rendered to HTML that is safe to show.

Packs are shared between clubs, so their Markdown is untrusted. Two layers:

1. raw HTML is escaped before conversion (``<`` becomes ``&lt;``), so a tag in
   a pack shows up as visible text instead of markup;
2. the converted HTML is sanitised against an allow-list (nh3): links keep
   only ``http``, ``https`` and ``mailto`` targets (``javascript:`` and
   ``data:`` are dropped) and images are removed altogether, so that a view
   can never fetch anything remote.
"""

from __future__ import annotations


MAX_MARKDOWN_CHARS = 50_000

_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Return sanitised HTML for ``text`` (Markdown)."""
    import markdown
    import nh3

    notice = ""
    if len(text) > MAX_MARKDOWN_CHARS:
        text = text[:MAX_MARKDOWN_CHARS]
        notice = "<p><em>(This text was cut: it is longer than the app shows.)</em></p>"
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    raw = markdown.markdown(escaped, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(raw, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None)
    return clean + notice
