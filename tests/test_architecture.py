"""The layering rules, enforced by reading the source with ``ast``."""

from __future__ import annotations

import ast
import re
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


# Which services each UI module may use (``service.<name>``). A view that
# starts using another service is a design change: add it here on purpose,
# and to docs/architecture.md. ``store``, ``data`` and ``database`` are never
# allowed in the UI: views call services, which check PINs and keep writes in
# order with the outbox.
UI_SERVICES: dict[str, set[str]] = {
    "app.py": {"close"},
    "data_actions.py": {"clock", "locations", "packs", "profiles", "restore_backup", "results", "scoring"},
    "feedback_view.py": {"results"},
    "score_dial.py": set(),  # paints a score it is given
    "key_point_card.py": set(),  # lays out key points it is given
    "score_explanation.py": set(),  # shows an explanation core/explain.py built
    "history_view.py": {"clock", "packs", "profiles", "results"},
    "practice_calendar.py": set(),  # paints the figures history_view.py gives it
    "coach_actions.py": {"club", "profiles", "ready"},
    "class_overview.py": {"assignments", "clock", "club", "packs"},
    "class_report.py": set(),  # lays out an overview it is given; asks no service
    "dispute_queue.py": {"club", "packs"},
    "results_actions.py": {"clock", "profiles", "transfer"},
    "assignment_actions.py": {"assignments", "clock", "packs", "profiles"},
    "main_window.py": {"packs", "profiles", "ready", "results", "review", "scoring", "settings", "writes"},
    "session_page.py": {"assignments", "clock", "packs", "practice", "results", "scoring", "settings", "writes"},
    "smoke.py": {"close", "packs", "scoring"},
    "start_page.py": {"assignments", "packs", "profiles", "ready", "review"},
    "review_settings.py": {"review"},
}
NEVER_IN_UI = {"store", "data", "database"}


def services_used(path: Path) -> set[str]:
    """The ``X`` of every ``service.X`` / ``self.service.X`` in the module."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "service") or (
                isinstance(owner, ast.Attribute) and owner.attr == "service"
            ):
                used.add(node.attr)
    return used


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "ui").glob("*.py")))
def test_each_ui_module_uses_only_its_services(module: str) -> None:
    used = services_used(ROOT / "ui" / module)
    assert not used & NEVER_IN_UI, f"{module} reaches past the services: {sorted(used & NEVER_IN_UI)}"
    assert used <= UI_SERVICES.get(module, set()), f"{module} uses {sorted(used - UI_SERVICES.get(module, set()))}"


def test_the_service_checker_sees_self_service_and_service(tmp_path: Path) -> None:
    (tmp_path / "view.py").write_text(
        "self.service.practice.save_draft()\nservice.store.get_setting(key='k')\nx = self.service.results\n",
        encoding="utf-8",
    )
    assert services_used(tmp_path / "view.py") == {"practice", "store", "results"}


# Drafts, attempts and disputes go through the service, which checks the PIN
# and keeps writes in order with the outbox; settings and profiles may use .store.
STORE_BYPASS = re.compile(
    r"\.store\s*\.\s*(get_draft|save_draft|delete_draft|list_drafts|get_attempt|list_attempts"
    r"|record_attempt|rescore_attempt|list_disputes|add_dispute)\b"
)


def store_bypasses(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if STORE_BYPASS.search(line):
                found.append(f"{path.relative_to(folder)}:{number}: {line.strip()}")
    return found


def test_ui_reads_and_writes_drafts_attempts_and_disputes_through_the_service() -> None:
    assert store_bypasses(ROOT / "ui") == []


def test_the_store_checker_catches_a_bypass_and_allows_settings(tmp_path: Path) -> None:
    (tmp_path / "view.py").write_text(
        "a = self.service.store.get_attempt(attempt_id=1)\n"
        "b = self.service.store.list_disputes(attempt_id=1)\n"
        "c = self.service.store.get_setting(key='k')\n"
        "d = self.service.store.list_profiles()\n"
        "e = self.service.results.get_attempt(attempt_id=1)\n",
        encoding="utf-8",
    )
    assert [f.split(":")[1] for f in store_bypasses(tmp_path)] == ["1", "2"]


# A class this long is doing more than one job. The repository is the one
# known exception (every query of the storage layer, one transaction each).
CLASS_LINES = 300
LONGER_CLASSES = {("storage/repository.py", "Repository"): 345}


def long_classes(folder: Path) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                name = path.relative_to(folder).as_posix()
                if size > LONGER_CLASSES.get((name, node.name), CLASS_LINES):
                    found.append((name, node.name, size))
    return found


def test_no_core_class_grows_past_about_300_lines() -> None:
    assert long_classes(ROOT / "core") == []


def test_the_class_length_checker_counts_lines(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("class Big:\n" + "    x = 1\n" * 300, encoding="utf-8")
    assert long_classes(tmp_path) == [("big.py", "Big", 301)]
