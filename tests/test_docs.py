"""Docs that exist twice stay the same."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_guide_in_docs_is_the_one_the_app_shows() -> None:
    assert (ROOT / "docs" / "guide.md").read_text(encoding="utf-8") == (ROOT / "resources" / "help" / "guide.md").read_text(encoding="utf-8")


def test_the_architecture_page_names_every_service_and_every_ui_rule() -> None:
    import re

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in sorted((ROOT / "trainer" / "core" / "services").glob("*.py")):
        if module.name != "__init__.py":
            assert f"`{module.name}`" in page, module.name
    from test_architecture import UI_SERVICES

    for ui_module in UI_SERVICES:
        if ui_module not in ("app.py", "smoke.py"):
            assert re.search(rf"`ui/{re.escape(ui_module)}`", page), ui_module
