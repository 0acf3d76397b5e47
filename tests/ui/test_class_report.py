"""Coach ▸ Print Class Report (PDF)…: the class overview as a PDF, read back as
a user would see it. The report is written by the real action (the save dialog
patched), then its text is read with ``pdftotext`` and its first page is
rendered with ``pdftoppm`` and looked at as an image: A4 in proportion, the
colour bands of the grid, dark text.

``pdftoppm`` and ``pdftotext`` come with poppler-utils (``scripts/test.sh``
installs it). Without them these tests skip, unless
``STEELMAN_REQUIRE_PDF_TOOLS=1`` says they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QImage

from trainer.core.overview import (
    Cell,
    ClassOverview,
    Column,
    MissedKeyPoint,
    StudentFigures,
    WeekPoint,
)
from trainer.core.packs import load_pack
from trainer.core.service import Service, builtin_packs_dir
from trainer.ui import dialogs
from trainer.ui.class_report import Table, paginate, print_colour, report_heading, write_class_report

from .helpers import HANG_MS, KOREA_PACK_ID, TINY_PACK_ID
from .test_coach_club import coach, unlock_coach  # noqa: F401 - the coach fixture

A4_LANDSCAPE = 297 / 210


@pytest.fixture
def pdf_tools() -> dict[str, str]:
    """``pdftoppm`` and ``pdftotext``; skip (with the reason) if missing, fail if they are required."""
    tools = {name: shutil.which(name) for name in ("pdftoppm", "pdftotext")}
    missing = sorted(name for name, path in tools.items() if path is None)
    if missing:
        reason = f"{' and '.join(missing)} not installed (Debian: apt-get install poppler-utils)"
        if os.environ.get("STEELMAN_REQUIRE_PDF_TOOLS") == "1":
            pytest.fail(f"STEELMAN_REQUIRE_PDF_TOOLS=1 but {reason}")
        pytest.skip(reason)
    return tools  # type: ignore[return-value]


def pdf_text(tools: dict[str, str], pdf: Path, page: int | None = None, *, layout: bool = True) -> str:
    """The text of ``pdf`` (or of one page): laid out as on the page, or in reading order (``layout=False``)."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    mode = ["-layout"] if layout else []
    return subprocess.run([tools["pdftotext"], *mode, *pages, str(pdf), "-"], check=True, capture_output=True, text=True, timeout=120).stdout


def render_page(tools: dict[str, str], pdf: Path, out: Path, page: int = 1) -> QImage:
    prefix = out / f"page{page}"
    subprocess.run([tools["pdftoppm"], "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    image = QImage(str(prefix.with_suffix(".png")))
    assert not image.isNull()
    return image


def colours(image: QImage) -> dict[tuple[int, int, int], Counter[int]]:
    """Each colour of the image: how many pixels of it on each row (y)."""
    found: dict[tuple[int, int, int], Counter[int]] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            found.setdefault((c.red(), c.green(), c.blue()), Counter())[y] += 1
    return found


def rows_of(found: dict[tuple[int, int, int], Counter[int]], colour: str, tolerance: int = 4) -> Counter[int]:
    """The rows (y) holding pixels of ``colour`` (give or take ``tolerance``), with how many."""
    want = QColor(colour)
    rows: Counter[int] = Counter()
    for (r, g, b), ys in found.items():
        if abs(r - want.red()) <= tolerance and abs(g - want.green()) <= tolerance and abs(b - want.blue()) <= tolerance:
            rows.update(ys)
    return rows


def runs(ys: Iterable[int]) -> int:
    """How many separate stretches of rows: the legend's swatch is one, a row of the grid another."""
    ordered = sorted(ys)
    return sum(1 for i, y in enumerate(ordered) if i == 0 or y != ordered[i - 1] + 1)


def seed(app_service: Service) -> dict[str, int]:
    """Four students on the tiny pack: Ann strong, Bo some, Cy little, Dee nothing."""
    ids = {n: app_service.profiles.add(n).id for n in ("Ann", "Bo", "Cy", "Dee")}
    now = app_service.clock()

    def attempt(name: str, claim: str, score: float, days_ago: float, **verdicts: str) -> None:
        app_service.store.record_attempt(
            profile_id=ids[name], pack_id=TINY_PACK_ID, pack_version="1", claim_id=claim, perspective_id=None,
            text=f"{name}'s answer about {claim}.", started_at=now - timedelta(days=days_ago, minutes=3),
            submitted_at=now - timedelta(days=days_ago), score=score, matcher_version="m",
            breakdown={"score": score, "key_points": [{"key_point_id": k.replace("_", "-"), "probability": 0.5, "verdict": v, "spans": []} for k, v in verdicts.items()]},
        )

    attempt("Ann", "expression", 0.35, 20, expression_bullying="missed")
    attempt("Ann", "expression", 0.75, 2, expression_bullying="covered")
    attempt("Ann", "cost", 0.5, 1, cost_cheaper="missed")
    attempt("Bo", "expression", 0.2, 1, expression_bullying="missed")
    attempt("Cy", "cost", 0.05, 3, cost_cheaper="missed", cost_second_hand="missed")
    return ids


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Answer the save dialog with ``path``; return the suggested names it was shown."""
    suggested: list[str] = []

    def choose(parent, title, name, filters):  # noqa: ANN001, ANN202
        suggested.append(name)
        assert "*.pdf" in filters
        return str(path)

    monkeypatch.setattr(dialogs, "choose_save_file", choose)
    return suggested


def test_the_coach_prints_the_class_report_and_its_pages_render(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log, pdf_tools, tmp_path: Path  # noqa: ANN001, F811
) -> None:
    seed(app_service)
    win = make_window()
    unlock_coach(qtbot, win, monkeypatch)
    assert win.class_report_action in win.coach_menu.actions()
    out = tmp_path / "reports" / "club"  # no suffix typed: ".pdf" is added
    out.parent.mkdir()
    suggested = save_to(monkeypatch, out)
    with qtbot.waitSignal(win.class_report_written, timeout=HANG_MS) as written:
        win.class_report_action.trigger()
    pdf = Path(written.args[0])
    pages = written.args[1]
    assert pdf == out.with_suffix(".pdf") and pages >= 1
    assert re.fullmatch(r"class-report-\d{4}-\d\d-\d\d\.pdf", suggested[0])
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in pdf.parent.iterdir()] == ["club.pdf"]  # the temporary file is gone
    assert dialog_log["errors"] == []
    assert dialog_log["infos"] == [("Print Class Report", f"The class report ({pages} page{'s' if pages != 1 else ''}) is saved as {pdf}.")]

    text = pdf_text(pdf_tools, pdf)
    assert text.count("\f") == pages  # pdftotext ends each page with a form feed
    for name in ("Ann", "Bo", "Cy", "Dee"):
        assert re.search(rf"^\s*{name}\b", text, re.MULTILINE), name  # a row of the grid and of the progress table
    flat = " ".join(pdf_text(pdf_tools, pdf, layout=False).split())  # a wrapped cell's text stays together
    assert "School uniform reduces bullying" in flat  # most missed: Bo never made it
    assert "School uniforms are cheaper than buying fashionable clothes" in flat
    assert "Bo: “Bo's answer about expression.”" in flat  # the example response
    assert "1 of 2 students" in text and "of 3 attempts" in text
    assert "75%" in text and re.search(r"\b5%", text)  # Ann's and Cy's best scores
    assert "All packs (School uniforms (test pack))" in text and "all dates" in text and "Coach Lee" in text
    assert f"Page 1 of {pages}" in text

    image = render_page(pdf_tools, pdf, tmp_path)
    assert image.width() > image.height()
    assert abs(image.width() / image.height() - A4_LANDSCAPE) < 0.02
    found = colours(image)
    total = image.width() * image.height()
    assert sum(found[(255, 255, 255)].values()) > total / 2  # a page, mostly paper
    for band in ("strong", "some", "little"):
        # the legend's swatch, and below it the grid's cells in the band's colour: Ann's 75% and 50%, Bo's 20%, Cy's 5%
        assert runs(rows_of(found, print_colour(band))) >= 2, band
    dark = sum(sum(ys.values()) for (r, g, b), ys in found.items() if r + g + b < 200)
    assert dark > total / 400  # text, not an empty page


def test_the_report_follows_the_open_overview_filters(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log, pdf_tools, tmp_path: Path  # noqa: ANN001, F811
) -> None:
    seed(app_service)
    win = make_window()
    unlock_coach(qtbot, win, monkeypatch)
    win.class_overview_action.trigger()
    view = win.overview_window
    qtbot.waitUntil(lambda: view.overview is not None and not view.loading, timeout=HANG_MS)
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        view.pack_combo.setCurrentIndex(view.pack_combo.findData(TINY_PACK_ID))
    since = QDate(app_service.clock().astimezone().date()).addDays(-7)
    with qtbot.waitSignal(view.loaded, timeout=HANG_MS):
        view.from_date.setDate(since)
        view.from_check.setChecked(True)
    qtbot.waitUntil(lambda: not view.loading, timeout=HANG_MS)

    save_to(monkeypatch, tmp_path / "week.pdf")
    with qtbot.waitSignal(win.class_report_written, timeout=HANG_MS) as written:
        win.class_report_action.trigger()
    text = " ".join(pdf_text(pdf_tools, Path(written.args[0]), layout=False).split())
    assert "STEELMAN · CLASS REPORT School uniforms (test pack)" in text
    assert f"Attempts: from {since.toPython().strftime('%d %b %Y').lstrip('0')}" in text
    assert "20%" in text and "35%" not in text  # Ann's attempt of 20 days ago is outside the range
    assert dialog_log["errors"] == []


def test_a_report_that_cannot_be_saved_says_why_and_leaves_nothing(
    qtbot, make_window, app_service: Service, coach: int, monkeypatch: pytest.MonkeyPatch, dialog_log, tmp_path: Path  # noqa: ANN001, F811
) -> None:
    seed(app_service)
    win = make_window()
    unlock_coach(qtbot, win, monkeypatch)
    save_to(monkeypatch, tmp_path / "no such folder" / "report.pdf")
    win.class_report_action.trigger()
    qtbot.waitUntil(lambda: dialog_log["errors"] != [], timeout=HANG_MS)
    assert dialog_log["errors"][0][0] == "The class report was not saved"
    assert dialog_log["infos"] == [] and not (tmp_path / "no such folder").exists()


def test_only_a_coach_prints_the_class_report(make_window, app_service: Service, monkeypatch: pytest.MonkeyPatch, dialog_log) -> None:  # noqa: ANN001
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: asked.append("asked"))
    win = make_window()
    win.on_class_report_triggered()
    assert asked == [] and "Only a coach" in dialog_log["infos"][0][1]


def big_club(students: int) -> ClassOverview:
    """``students`` students with scores on every other claim of the Korea pack (29 claims), one with a hostile name."""
    pack = load_pack(builtin_packs_dir() / KOREA_PACK_ID)
    columns = tuple(Column(pack.id, c.id, n, c.quote) for n, c in enumerate(pack.claims, start=1))
    now = datetime(2026, 12, 2, 15, tzinfo=UTC)
    cells, rows = {}, []
    for i in range(students):
        for j, column in enumerate(columns):
            if (i + j) % 2 == 0:
                cells[(i, column.pack_id, column.claim_id)] = Cell(((i * 7 + j * 3) % 100) / 100, 1 + j % 3, now, None)
        weeks = tuple(WeekPoint((now - timedelta(weeks=4 - w)).date(), 0.1 + 0.05 * w + 0.01 * (i % 5), 3) for w in range(1 + i % 4))
        name = "<b>Bold</b> & Co" if i == 0 else f"Student {i:02d}"
        rows.append(StudentFigures(i, name, 3 * len(weeks), (len(columns) + 1 - i % 2) // 2, 0.3, 600.0 * len(weeks), now, weeks))
    claim = pack.claims[0]
    missed = (MissedKeyPoint(pack.id, claim.id, 1, claim.key_points[0].id, claim.key_points[0].statement, 7, 10, 9, 14,
                             "A response that <i>missed</i> the point. " * 10, "Student 03"),)
    return ClassOverview(tuple(rows), columns, cells, missed, sum(r.attempts for r in rows), {pack.id: pack.title})


def test_a_big_club_fits_the_page_width_and_repeats_the_grid_header(qapp, pdf_tools, tmp_path: Path) -> None:  # noqa: ANN001
    overview = big_club(45)
    title, subtitle = report_heading(overview, pack_id=KOREA_PACK_ID, since=None, until=None, coach="Coach <Lee>", now=datetime.now(UTC))
    pdf = tmp_path / "big.pdf"
    pages = write_class_report(overview, pdf, title=title, subtitle=subtitle)
    assert pages >= 3
    first, second = pdf_text(pdf_tools, pdf, 1), pdf_text(pdf_tools, pdf, 2)
    header = next(line for line in first.splitlines() if line.strip().startswith("Student"))
    assert header.split() == ["Student", *(str(n) for n in range(1, 30))]  # all 29 claims across one page
    assert second.split()[:37] == ["Best", "score", "per", "student", "and", "claim,", "continued", "Student", *(str(n) for n in range(1, 30))]
    text = pdf_text(pdf_tools, pdf)
    assert "<b>Bold</b> & Co" in text and "Coach <Lee>" in text and "<i>missed</i>" in text  # shown literally, never as markup
    assert "Student 44" in text and f"Page {pages} of {pages}" in text
    image = render_page(pdf_tools, pdf, tmp_path, page=2)
    assert abs(image.width() / image.height() - A4_LANDSCAPE) < 0.02


def test_pages_split_tables_between_rows_repeat_the_header_and_keep_a_heading_with_its_rows() -> None:
    """``paginate`` with a stand-in for the layout: a row or a header is 10 high, a paragraph 5."""
    def height(pieces: list[str]) -> float:
        html = "".join(pieces)
        return 10 * html.count("<tr>") + 5 * html.count("<p>")

    def table(rows: int, name: str) -> Table:
        return Table("<table>", "<tr>head</tr>", tuple(f"<tr>{name}{i}</tr>" for i in range(rows)), lead=f"<p>{name}</p>", more=f"<p>{name} continued</p>")

    def rows(page: list[str]) -> list[int]:
        return [piece.count("<tr>") - 1 for piece in page if "<table>" in piece]

    pages = paginate([["<p>title</p>", table(10, "grid")], [table(2, "missed")]], height, 60)
    assert [rows(p) for p in pages] == [[4], [4], [2], [2]]  # 5 + 5 + 10 + 4×10; 5 + 10 + 4×10; the rest; a new section
    assert all(p[-1].count("<tr>head</tr>") == 1 for p in pages)  # every part has its header
    assert "<p>grid</p>" in pages[0][1] and pages[1][0].startswith("<p>grid continued</p>")
    assert all(height(p) <= 60 for p in pages)
    # a heading never waits alone at the foot of a page for its rows on the next
    tall = "<p>x</p>" * 10  # 50 high: the table's heading, header and first row (25) do not fit under it
    pages = paginate([[tall, table(1, "key")]], height, 60)
    assert pages == [[tall], ["<p>key</p><table><thead><tr>head</tr></thead><tbody><tr>key0</tr></tbody></table>"]]
