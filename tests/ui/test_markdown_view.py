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
    with qtbot.waitSignal(browser.rendered, timeout=10_000):
        browser.set_markdown("[a link](https://example.org) and ![img](https://example.org/x.png)")
    assert not browser.openExternalLinks()
    assert not browser.openLinks()
    assert "a link" in browser.toPlainText()


def test_markdown_renders_off_the_gui_thread_and_from_the_cache(qtbot, monkeypatch) -> None:  # noqa: ANN001
    """Uncached Markdown is rendered on the render thread, with a 'Preparing'
    line meanwhile; the same text again comes from the cache, at once. Only
    the newest request is shown, even if an older one finishes later."""
    import threading

    from trainer.core import rendering

    threads: list[str] = []
    real = rendering._render

    def recording(text: str) -> str:
        threads.append(threading.current_thread().name)
        return real(text)

    monkeypatch.setattr(rendering, "_render", recording)
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    text = "**Unique** text for the render-thread test"
    with qtbot.waitSignal(browser.rendered, timeout=10_000):
        browser.show_parts([("html", "<h3>Head</h3>"), ("markdown", text)])
        assert browser.pending and "Preparing" in browser.toPlainText()
    assert threads and all(name.startswith("steelman-render") for name in threads)
    assert "Head" in browser.toPlainText() and "Unique text" in browser.toPlainText()

    with qtbot.waitSignal(browser.rendered, timeout=1000):
        browser.show_parts([("markdown", text)])  # cached: synchronous, no new render
    assert len(threads) == 1 and not browser.pending

    with qtbot.waitSignal(browser.rendered, timeout=10_000):
        browser.set_markdown("first *request*, superseded")
        browser.set_markdown("second *request*, shown")
    # one render thread, results queued in order: the first request's result
    # arrived (and was dropped) before the second's was shown
    assert len(threads) == 3
    assert "second request" in browser.toPlainText() and "first" not in browser.toPlainText()
