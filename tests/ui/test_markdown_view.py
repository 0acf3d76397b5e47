"""Pack Markdown is rendered without raw HTML, links or remote loading."""

from __future__ import annotations

from trainer.ui.markdown_view import MarkdownBrowser, markdown_to_html


def test_raw_html_is_escaped() -> None:
    out = markdown_to_html('**Bold** <script>alert(1)</script> <img src="http://evil/x.png"> & more\n\n> quoted')
    assert "<strong>Bold</strong>" in out
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out or "&lt;script>" in out
    assert "<blockquote>" in out


def test_browser_never_follows_links(qtbot) -> None:  # noqa: ANN001
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown("[a link](https://example.org) and ![img](https://example.org/x.png)")
    assert not browser.openExternalLinks()
    assert not browser.openLinks()
    assert "a link" in browser.toPlainText()
