"""Docs that exist twice stay the same."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_guide_in_docs_is_the_one_the_app_shows() -> None:
    assert (ROOT / "docs" / "guide.md").read_text(encoding="utf-8") == (ROOT / "resources" / "help" / "guide.md").read_text(encoding="utf-8")
