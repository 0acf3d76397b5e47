"""Untrusted Markdown from packs renders to safe HTML."""

from __future__ import annotations

import pytest

from trainer.core.rendering import MAX_MARKDOWN_CHARS, render_markdown


def test_markdown_renders() -> None:
    out = render_markdown("**Bold** and *em*\n\n- one\n- two\n\n[Cato](https://www.cato.org)")
    assert "<strong>Bold</strong>" in out and "<li>one</li>" in out
    assert '<a href="https://www.cato.org">Cato</a>' in out


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>hello", "script"),
        ("alert(1)<script>alert(2)</script>", "alert(2)"),
        ("<img src=http://evil.example/x.png>", "img"),
        ("![tracker](http://evil.example/pixel.gif)", "evil.example"),
        ("<a href=javascript:alert(1)>x</a>", "javascript"),
        ("[x](javascript:alert(1))", "javascript"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("<iframe src=http://evil.example></iframe>", "iframe"),
        ('<p onclick="steal()">hi</p>', "onclick"),
        ('<a href="https://ok.example" onmouseover="x()">ok</a>', "onmouseover"),
        ("<style>body{display:none}</style>", "display:none"),
    ],
)
def test_hostile_markup_is_removed(source: str, forbidden: str) -> None:
    assert forbidden not in render_markdown(source)


def test_huge_table_is_cut() -> None:
    row = "| a | b |\n"
    table = "| h1 | h2 |\n|---|---|\n" + row * 20_000
    out = render_markdown(table)
    assert "This text was cut" in out
    assert out.count("<tr>") < MAX_MARKDOWN_CHARS // len(row) + 2
