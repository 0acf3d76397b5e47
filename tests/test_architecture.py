"""The layering rules, enforced by reading the source with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "trainer"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(folder)} imports {name}")
    return found


def test_core_never_imports_qt() -> None:
    assert offenders(ROOT / "core", ("PySide6", "shiboken6", "PyQt5", "PyQt6")) == []


def test_ui_never_imports_sqlalchemy() -> None:
    assert offenders(ROOT / "ui", ("sqlalchemy", "alembic", "psycopg", "sqlite3")) == []


def test_cli_never_imports_qt_at_module_level() -> None:
    tree = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    for node in top_level:
        module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        assert not (module or "").startswith(("PySide6", "ui")), module


@pytest.mark.parametrize("rule", ["core", "ui"])
def test_the_checker_catches_a_violation(tmp_path: Path, rule: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.py").write_text("import PySide6.QtCore\nfrom sqlalchemy import select\n", encoding="utf-8")
    forbidden = ("PySide6",) if rule == "core" else ("sqlalchemy",)
    assert len(offenders(tmp_path, forbidden)) == 1
