"""Untrusted Markdown from packs renders to safe HTML."""

from __future__ import annotations

import pytest

from html.parser import HTMLParser

from trainer.core.rendering import MAX_MARKDOWN_BRACKETS, MAX_MARKDOWN_CHARS, markdown_problem, markdown_sections, render_markdown


class Elements(HTMLParser):
    """Collect the real elements and attributes of an HTML fragment."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(fragment)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(k, v or "") for k, v in attrs]


def assert_harmless(fragment: str) -> None:
    parsed = Elements(fragment)
    assert not {"script", "img", "iframe", "style", "object", "embed"} & set(parsed.tags), parsed.tags
    for name, value in parsed.attributes:
        assert not name.startswith("on"), name
        if name in ("href", "src"):
            assert value.startswith(("http:", "https:", "mailto:")), value


def test_markdown_renders() -> None:
    out = render_markdown("**Bold** and *em*\n\n- one\n- two\n\n[Cato](https://www.cato.org)")
    assert "<strong>Bold</strong>" in out and "<li>one</li>" in out
    assert '<a href="https://www.cato.org">Cato</a>' in out


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>hello",
        "<img src=http://evil.example/x.png>",
        "![tracker](http://evil.example/pixel.gif)",
        "<a href=javascript:alert(1)>x</a>",
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<iframe src=http://evil.example></iframe>",
        '<p onclick="steal()">hi</p>',
        '<a href="https://ok.example" onmouseover="x()">ok</a>',
        "<style>body{display:none}</style>",
        "<div>\n<script>alert(1)</script>\n</div>",
        "[x](JaVaScRiPt:alert(1))",
    ],
)
def test_hostile_markup_is_neutralised(source: str) -> None:
    assert_harmless(render_markdown(source))


def test_raw_html_shows_as_text() -> None:
    out = render_markdown("Use <b>bold</b> & <script>x</script>")
    assert "&lt;script&gt;" in out or "&lt;script>" in out
    assert "<b>" not in out


def test_remote_images_are_dropped_even_as_markdown() -> None:
    assert "evil.example" not in render_markdown("![tracker](http://evil.example/pixel.gif)")


def test_huge_table_is_shown_plain_not_parsed() -> None:
    row = "| a | b |\n"
    table = "| h1 | h2 |\n|---|---|\n" + row * 20_000
    out = render_markdown(table)
    assert "shown without formatting" in out
    assert "<tr>" not in out and "| a | b |" in out


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000,
        "[a](" * 12_500,
        "<" * 50_000,
        "&" * 50_000,
        "[" * 101 + "a" * 100,
        "<" * 1001,
        "x" * (MAX_MARKDOWN_CHARS + 1),
    ],
    ids=["brackets", "open-links", "angles", "ampersands", "101-brackets", "1001-angles", "too-long"],
)
def test_pathological_markdown_is_named_and_never_parsed(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What would take python-markdown seconds or minutes is refused by the
    validator (markdown_problem) and, if it arrives anyway, shown escaped
    without calling the Markdown parser at all."""
    import markdown

    assert markdown_problem(text) is not None

    def parser_must_not_run(*args: object, **kwargs: object) -> str:
        raise AssertionError("the Markdown parser ran on pathological text")

    monkeypatch.setattr(markdown, "markdown", parser_must_not_run)
    out = render_markdown(text + " ")  # a text not in the cache
    assert "shown without formatting" in out
    assert "<a" not in out and "<script" not in out


def test_text_at_the_limits_is_still_formatted() -> None:
    text = "[x](https://example.org) " * MAX_MARKDOWN_BRACKETS
    text += "&lt; " * 900
    text += "a" * (MAX_MARKDOWN_CHARS - len(text))
    assert len(text) <= MAX_MARKDOWN_CHARS and markdown_problem(text) is None
    assert render_markdown(text).count("<a href") == MAX_MARKDOWN_BRACKETS


def test_each_section_of_the_guide_is_within_the_limits() -> None:
    """The guide window renders it section by section (``## `` headings)."""
    from trainer.resources import resource_path

    text = resource_path("help/guide.md").read_text(encoding="utf-8")
    sections = markdown_sections(text)
    assert "".join(sections) == text and len(sections) >= 7
    assert [markdown_problem(s) for s in sections] == [None] * len(sections)


