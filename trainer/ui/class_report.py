"""Coach ▸ Print Class Report (PDF)…: the class overview on paper.

``write_class_report`` lays one ``ClassOverview`` (every figure comes from
``trainer/core/overview.py``) out as an A4 landscape PDF with Qt's own
``QPdfWriter``, no other dependency:

* a title block: the pack, the date range, when and by whom it was made, and
  the club's totals;
* the student × claim grid of best scores, in the overview window's colour
  bands (mixed onto white, so they print), "·" for a claim not tried; at most
  ``GRID_COLUMNS`` claims per table, and a key giving each claim's quote;
* the key points most often missed, with an example response;
* each student's progress: attempts, average, the weekly average first →
  last with a small bar per week, the change, time spent, last active.

Each section starts on a new page. The pages are HTML (every pack or user
value passed through ``html.escape``) laid out by ``QTextDocument``, one
document per page: the tables are split between rows here, measuring how many
rows fit, and repeat their header row on the next page. (Qt's own page breaks
inside a table stretch the last row across the break and leave clipped text in
the PDF.) Each page gets a footer ("Page 2 of 3"). The PDF is written to a
temporary file next to ``out`` and moved into place, so a failed report never
leaves half a file.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from ..core.overview import (
    SOME_FROM,
    STRONG_FROM,
    ClassOverview,
    Column,
    StudentFigures,
    score_band,
    shorten,
)
from ..core.progress import format_duration, format_score
from .class_overview import BAND_COLOURS, weeks_text
from .formatting import display_quote

RESOLUTION = 300  # dots per inch of the PDF's layout
MARGIN_MM = 12.0
GRID_COLUMNS = 30  # claims per grid table; more start another table below
BODY_PT = 8.5
EXAMPLE_CHARS = 170
INK = "#1f2328"
MUTED = "#5b636d"
RULE = "#c9ced6"
STRIPE = "#f3f5f8"
HEAD = "#e6e9ee"
RISE, FALL = "#1e7b34", "#b02a37"


def print_colour(band: str) -> str:
    """A band's colour as the window shows it on a white page (its alpha mixed onto white), ``#rrggbb``."""
    r, g, b, a = BAND_COLOURS[band]
    mix = a / 255
    return QColor(*(round(255 - mix * (255 - c)) for c in (r, g, b))).name()


def suggested_file_name(day: date) -> str:
    return f"class-report-{day.isoformat()}.pdf"


def _day(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y").lstrip("0")


def report_heading(
    overview: ClassOverview,
    *,
    pack_id: str | None,
    since: datetime | None,
    until: datetime | None,
    coach: str,
    now: datetime,
) -> tuple[str, str]:
    """The report's title (the pack, or "All packs" and the packs tried) and
    subtitle (the date range, when and by whom) for the overview's filters
    (``until``: the midnight after the last day)."""
    if pack_id is not None:
        packs = overview.pack_titles.get(pack_id, pack_id)
    else:
        tried = list(dict.fromkeys(overview.pack_titles.get(c.pack_id, c.pack_id) for c in overview.columns))
        packs = "All packs" + (f" ({', '.join(tried)})" if tried else "")
    last = _day(until - timedelta(days=1)) if until is not None else None
    if since is not None and last is not None:
        span = f"{_day(since)} – {last}"
    elif since is not None:
        span = f"from {_day(since)}"
    elif last is not None:
        span = f"up to {last}"
    else:
        span = "all dates"
    made = now.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")
    return packs, f"Attempts: {span} · made {made} by {coach}"


# -- the pieces of HTML -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Table:
    """A table the pages may split between rows: each page's part repeats ``head``.

    ``lead`` (a heading, a caption) stays on the page of the first rows; a
    later page starts with ``more`` instead."""

    start: str  # the opening <table …> tag
    head: str  # the header row(s), "" for none
    rows: tuple[str, ...]
    lead: str = ""
    more: str = ""

    def part(self, rows: tuple[str, ...], *, first: bool) -> str:
        head = f"<thead>{self.head}</thead>" if self.head else ""
        return f"{self.lead if first else self.more}{self.start}{head}<tbody>{''.join(rows)}</tbody></table>"


Piece = str | Table


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _column_label(overview: ClassOverview, column: Column, several: bool) -> str:
    title = overview.pack_titles.get(column.pack_id, column.pack_id)
    return f"{title[:1]}{column.number}" if several else str(column.number)


def _title_block(overview: ClassOverview, title: str, subtitle: str) -> str:
    active = sum(1 for s in overview.students if s.attempts)
    tried = len({(pack_id, claim_id) for _, pack_id, claim_id in overview.cells})
    figures = [
        (f"{overview.attempts:,}", "attempts"),
        (f"{active} of {len(overview.students)}", "students practised"),
        (f"{tried} of {len(overview.columns)}" if tried != len(overview.columns) else f"{tried}", "claims tried"),
    ]
    cells = "".join(
        f"<td align='right' valign='bottom' style='padding-left: 22px;'><span style='font-size: 15pt; font-weight: 600; color: {INK};'>{_e(value)}</span>"
        f"<br><span style='font-size: 7.5pt; color: {MUTED};'>{_e(label)}</span></td>"
        for value, label in figures
    )
    return (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td valign='bottom' width='70%'><p style='font-size: 7.5pt; color: {MUTED}; margin: 0;'>STEELMAN · CLASS REPORT</p>"
        f"<p style='font-size: 16pt; font-weight: 600; color: {INK}; margin-top: 2px; margin-bottom: 2px;'>{_e(title)}</p>"
        f"<p style='font-size: 9pt; color: {MUTED}; margin: 0;'>{_e(subtitle)}</p></td>"
        f"{cells}</tr></table>"
        "<table width='100%' cellspacing='0' cellpadding='0' style='margin-top: 6px; margin-bottom: 2px;'>"
        f"<tr><td style='background-color: {INK}; font-size: 1pt;'>&nbsp;</td></tr></table>"
    )


def _heading(text: str, note: str = "") -> str:
    extra = f" <span style='font-size: 8pt; font-weight: 400; color: {MUTED};'>{_e(note)}</span>" if note else ""
    return f"<p style='font-size: 12pt; font-weight: 600; color: {INK}; margin-top: 10px; margin-bottom: 5px;'>{_e(text)}{extra}</p>"


def _continued(text: str) -> str:
    return f"<p style='font-size: 8pt; color: {MUTED}; margin-top: 0; margin-bottom: 4px;'>{_e(text)}, continued</p>"


def _note(text: str) -> str:
    return f"<p style='color: {MUTED};'>{_e(text)}</p>"


def _legend() -> str:
    def swatch(band: str, text: str) -> str:
        return (f"<td style='background-color: {print_colour(band)}; border: 1px solid {RULE};' width='22'>&nbsp;</td>"
                f"<td style='padding-left: 4px; padding-right: 14px; color: {MUTED};'>{_e(text)}</td>")

    return (
        "<table cellspacing='0' cellpadding='2' style='font-size: 7.5pt; margin-bottom: 5px;'><tr>"
        + swatch("strong", f"from {format_score(STRONG_FROM)}: a strong rebuttal")
        + swatch("some", f"{format_score(SOME_FROM)}–{format_score(STRONG_FROM - 0.01)}: some key points")
        + swatch("little", f"under {format_score(SOME_FROM)}: little made")
        + f"<td style='color: {MUTED}; padding-left: 4px;'>· not tried. The best score per claim counts every key point of the claim.</td>"
        "</tr></table>"
    )


def _th(text: str, *, align: str = "left", width: str = "", extra: str = "") -> str:
    w = f" width='{width}'" if width else ""
    return (f"<th align='{align}'{w} style='{extra}background-color: {HEAD}; color: {INK}; font-weight: 600; "
            f"border-bottom: 1px solid {RULE};'>{_e(text)}</th>")


def _start(*, width: str = "100%", padding: int, size: str, extra: str = "") -> str:
    return f"<table width='{width}' cellspacing='0' cellpadding='{padding}' style='border-collapse: collapse; font-size: {size};{extra}'>"


GRID = "Best score per student and claim"


def _padding(overview: ClassOverview) -> int:
    """Cell padding of the grid and the progress table: closer rows so that a class of 30 fits on a page."""
    return 3 if len(overview.students) <= 24 else 2


def _grid(overview: ClassOverview) -> list[Piece]:
    lead = _heading(GRID) + _legend()
    if not overview.students or not overview.columns:
        return [lead + _note("No student has tried a claim in this range." if overview.students else "There are no students yet.")]
    several = len({c.pack_id for c in overview.columns}) > 1
    columns = list(overview.columns)
    pieces: list[Piece] = []
    for start in range(0, len(columns), GRID_COLUMNS):
        chunk = columns[start:start + GRID_COLUMNS]
        each = min(85 / len(chunk), 6.0)  # % of the page: 29 claims fill it, 2 claims stay narrow
        name = 15.0
        size = "7.5pt" if len(chunk) <= 20 else "6.5pt"  # so that "100%" fits in a claim's column
        table_width = name + each * len(chunk)  # the cells' widths are shares of the table
        head = _th("Student", width=f"{100 * name / table_width:.2f}%") + "".join(
            _th(_column_label(overview, c, several), align="center", width=f"{100 * each / table_width:.2f}%") for c in chunk
        )
        rows = []
        for i, student in enumerate(overview.students):
            stripe = STRIPE if i % 2 else "#ffffff"
            cells = [f"<td style='background-color: {stripe}; border-bottom: 1px solid {RULE};'>{_e(student.name)}</td>"]
            for column in chunk:
                cell = overview.cell(student.profile_id, column)
                if cell is None:
                    cells.append(f"<td align='center' style='background-color: {stripe}; color: {MUTED}; border-bottom: 1px solid {RULE}; border-left: 1px solid #ffffff;'>·</td>")
                else:
                    band = score_band(cell.best)
                    fill = print_colour(band) if band is not None else stripe
                    cells.append(f"<td align='center' style='font-size: {size}; background-color: {fill}; color: {INK}; border-bottom: 1px solid {RULE}; border-left: 1px solid #ffffff;'>{_e(format_score(cell.best))}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = ""
        if len(columns) > GRID_COLUMNS:
            first, last = (_column_label(overview, c, several) for c in (chunk[0], chunk[-1]))
            caption = f"<p style='font-size: 7.5pt; color: {MUTED}; margin-top: 6px; margin-bottom: 2px;'>Claims {_e(first)} to {_e(last)}</p>"
        pieces.append(Table(
            _start(width=f"{table_width:.1f}%", padding=_padding(overview), size="7.5pt"), f"<tr>{head}</tr>", tuple(rows),
            lead=(lead if start == 0 else "") + caption, more=_continued(GRID) + caption,
        ))
    pieces.append(_claims_key(overview, several))
    return pieces


def _claims_key(overview: ClassOverview, several: bool) -> Table:
    """Each claim number's quote, in three columns (read down, then across)."""
    columns = list(overview.columns)
    per = 3
    count = -(-len(columns) // per)
    rows = []
    for r in range(count):
        cells = []
        for k in range(per):
            i = k * count + r
            if i < len(columns):
                c = columns[i]
                quote = shorten(display_quote(c.quote), 95) if c.quote else f"{c.claim_id} (not in the installed pack)"
                where = f"{overview.pack_titles.get(c.pack_id, c.pack_id)}: " if several else ""
                cells.append(f"<td width='3%' align='right' style='color: {INK}; font-weight: 600; padding-right: 4px;'>{_e(_column_label(overview, c, several))}</td>"
                             f"<td width='30%' style='color: {MUTED}; padding-right: 10px;'>{_e(where + quote)}</td>")
            else:
                cells.append("<td></td><td></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = f"<p style='font-size: 8pt; font-weight: 600; color: {INK}; margin-top: 10px; margin-bottom: 2px;'>The claims</p>"
    return Table(_start(padding=1, size="6.5pt", extra=" border-collapse: separate;"), "", tuple(rows), lead=title, more=_continued("The claims"))


MISSED = "Key points most often missed"


def _most_missed(overview: ClassOverview) -> list[Piece]:
    lead = _heading(MISSED, "what the club has not made yet: what to teach next")
    if not overview.most_missed:
        return [lead + _note("No key point was missed in this range.")]
    head = (_th("Claim", align="right", width="5%") + _th("Key point", width="29%") + _th("Not yet made by", align="right", width="11%")
            + _th("Missed in", align="right", width="11%") + _th("A response that missed it", width="44%"))
    rows = []
    for i, m in enumerate(overview.most_missed):
        stripe = STRIPE if i % 2 else "#ffffff"
        share = m.students_never_made / m.students_tried if m.students_tried else 0.0
        example = f"<i>{_e(m.example_student)}:</i> “{_e(shorten(m.example, EXAMPLE_CHARS))}”" if m.example else _e(m.example_student or "—")
        td = f"style='background-color: {stripe}; border-bottom: 1px solid {RULE};'"
        rows.append(
            "<tr>"
            f"<td align='right' {td}><b>{_e(m.claim_number or m.claim_id)}</b></td>"
            f"<td {td}>{_e(m.statement)}</td>"
            f"<td align='right' {td}><b>{_e(format_score(share))}</b><br>"
            f"<span style='color: {MUTED};'>{_e(m.students_never_made)} of {_e(_plural(m.students_tried, 'student'))}</span></td>"
            f"<td align='right' {td}>{_e(m.attempts_missed)} of {_e(_plural(m.attempts, 'attempt'))}</td>"
            f"<td {td}><span style='color: {MUTED};'>{example}</span></td>"
            "</tr>"
        )
    return [Table(_start(padding=4, size="8pt"), f"<tr>{head}</tr>", tuple(rows), lead=lead, more=_continued(MISSED))]


BARS_PX = (110, 14)  # the week bars' size, in the document's (96 dpi) pixels


def _week_bars(student: StudentFigures, resolution: int) -> QImage:
    """Small bars, one a week (0 to 100%), coloured by band, under a dotted line at
    the strong band: the student's weekly average at a glance."""
    scale = resolution / 96
    width, height = round(BARS_PX[0] * scale), round(BARS_PX[1] * scale)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    if not student.weeks:
        return image  # blank: every row as tall as the others
    painter = QPainter(image)
    base = height - scale
    slot = width / max(len(student.weeks), 8)
    for i, week in enumerate(student.weeks):
        r, g, b, _a = BAND_COLOURS[score_band(week.average) or "little"]
        bar = max(1.5 * scale, base * min(1.0, week.average))
        painter.fillRect(QRectF(i * slot + slot * 0.12, base - bar, slot * 0.76, bar), QColor(r, g, b))
    painter.setPen(QPen(QColor(RULE), scale * 0.8))
    painter.drawLine(QPointF(0, base + scale * 0.4), QPointF(width, base + scale * 0.4))
    painter.setPen(QPen(QColor(MUTED), scale * 0.6, Qt.PenStyle.DotLine))
    strong = base * (1 - STRONG_FROM)
    painter.drawLine(QPointF(0, strong), QPointF(width, strong))
    painter.end()
    return image


PROGRESS = "Each student's progress"
GAP = "padding-left: 12px; "  # between the right-aligned average and the weeks


def _students(overview: ClassOverview, images: dict[str, QImage], resolution: int) -> list[Piece]:
    lead = _heading(PROGRESS, f"the average score per week; a bar per week, the dotted line at {format_score(STRONG_FROM)}")
    if not overview.students:
        return [lead + _note("There are no students yet.")]
    head = (_th("Student", width="19%") + _th("Attempts", align="right", width="8%") + _th("Claims tried", align="right", width="9%")
            + _th("Average", align="right", width="8%") + _th("Weekly average: first → last", width="20%", extra=GAP) + _th("Each week", width="12%")
            + _th("Change", align="right", width="8%") + _th("Time spent", align="right", width="8%") + _th("Last active", align="right", width="8%"))
    rows = []
    for i, s in enumerate(overview.students):
        stripe = STRIPE if i % 2 else "#ffffff"
        td = f"valign='middle' style='background-color: {stripe}; border-bottom: 1px solid {RULE};'"
        gap = f"valign='middle' style='{GAP}background-color: {stripe}; border-bottom: 1px solid {RULE};'"
        points = None if s.change is None else round(100 * s.change)
        change = "—" if points is None else "no change" if points == 0 else f"{points:+d} points"
        colour = INK if not points else RISE if points > 0 else FALL
        url = f"steelman-weeks:{i}"
        images[url] = _week_bars(s, resolution)
        spark = f"<img src='{_e(url)}' width='{BARS_PX[0]}' height='{BARS_PX[1]}'>"
        rows.append(
            "<tr>"
            f"<td {td}>{_e(s.name)}</td>"
            f"<td align='right' {td}>{_e(f'{s.attempts:,}')}</td>"
            f"<td align='right' {td}>{_e(s.claims_tried)}</td>"
            f"<td align='right' {td}><b>{_e(format_score(s.average))}</b></td>"
            f"<td {gap}>{_e(weeks_text(s))}</td>"
            f"<td {td}>{spark}</td>"
            f"<td align='right' {td}><span style='color: {colour};'>{_e(change)}</span></td>"
            f"<td align='right' {td}>{_e(format_duration(s.time_seconds) if s.attempts else '—')}</td>"
            f"<td align='right' {td}>{_e(_day(s.last_active) if s.last_active else 'never')}</td>"
            "</tr>"
        )
    return [Table(_start(padding=_padding(overview), size="8pt"), f"<tr>{head}</tr>", tuple(rows), lead=lead, more=_continued(PROGRESS))]


def report_sections(overview: ClassOverview, *, title: str, subtitle: str, images: dict[str, QImage] | None = None,
                    resolution: int = RESOLUTION) -> list[list[Piece]]:
    """The report's three sections, each to start on a new page, as pieces of
    HTML (every value escaped); the week bars' images are put in ``images`` by URL."""
    images = {} if images is None else images
    return [
        [_title_block(overview, title, subtitle), *_grid(overview)],
        _most_missed(overview),
        _students(overview, images, resolution),
    ]


# -- pages ------------------------------------------------------------------------

# A line 1 pt high: laid out after it, a piece keeps the top margin it has on a page
# (a document drops the top margin of its first block), so its height adds up.
ANCHOR = "<p style='margin: 0; font-size: 1pt;'>&nbsp;</p>"


def paginate(sections: list[list[Piece]], height: Callable[[list[str]], float], page_height: float) -> list[list[str]]:
    """The pages, as HTML pieces: each section starts a page; a table goes on
    with as many rows as fit (at least one on a page of its own), its header
    repeated; a heading stays with the first rows of its table."""
    pages: list[list[str]] = []
    for section in sections:
        page: list[str] = []
        for piece in section:
            if isinstance(piece, str):
                if page and height([*page, piece]) > page_height:
                    pages.append(page)
                    page = []
                page.append(piece)
                continue
            done, first = 0, True
            while done < len(piece.rows):
                left = len(piece.rows) - done

                def part(n: int, piece: Table = piece, done: int = done, first: bool = first) -> str:
                    return piece.part(piece.rows[done:done + n], first=first)

                def measure(n: int, page: list[str] = page) -> float:
                    return height([*page, part(n)])

                if page and height(page) + height([ANCHOR, part(1)]) - height([ANCHOR]) > page_height:
                    # cheap: the first row (and the heading) laid out on their own do not fit under what is there
                    pages.append(page)
                    page = []
                    continue
                tallest = measure(left)
                if tallest <= page_height:
                    n = left
                else:  # rows are about as tall as each other: start from the share that fits, then step
                    bare = measure(0)
                    n = max(0, min(left - 1, int((page_height - bare) / max((tallest - bare) / left, 1.0))))
                    while n < left - 1 and measure(n + 1) <= page_height:
                        n += 1
                    while n > 0 and measure(n) > page_height:
                        n -= 1
                if n == 0 and page:  # not even one row (with its heading) fits under what is there: a new page
                    pages.append(page)
                    page = []
                    continue
                n = max(n, 1)  # a row taller than a page goes alone, cut at the foot
                page.append(part(n))
                done += n
                first = False
                if done < len(piece.rows):
                    pages.append(page)
                    page = []
        pages.append(page)
    return pages


class _Pages:
    """QTextDocuments at the PDF's resolution, with the report's font and images;
    each laid out once (a page measured while paginating is the page drawn)."""

    def __init__(self, writer: QPdfWriter, width: float, images: dict[str, QImage]) -> None:
        self.writer, self.width, self.images = writer, width, images
        self.font = QFont(QGuiApplication.font())
        self.font.setPointSizeF(BODY_PT)
        self.laid_out: dict[tuple[str, ...], QTextDocument] = {}

    def document(self, pieces: list[str]) -> QTextDocument:
        key = tuple(pieces)
        if key not in self.laid_out:
            self.laid_out[key] = self._lay_out(pieces)
        return self.laid_out[key]

    def _lay_out(self, pieces: list[str]) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)  # fonts, borders and padding at the PDF's resolution
        doc.setDefaultFont(self.font)
        doc.setDocumentMargin(0)
        for url, image in self.images.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        doc.setHtml(f"<html><body style='color: {INK};'>{''.join(pieces)}</body></html>")
        doc.setTextWidth(self.width)
        return doc

    def height(self, pieces: list[str]) -> float:
        return self.document(pieces).size().height()


def _render(overview: ClassOverview, path: str, title: str, subtitle: str) -> int:
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"Class report: {title}")
    writer.setCreator("Steelman")
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter,
    ))
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer = writer.resolution() * 0.22  # inches → device pixels
    body = QSizeF(area.width(), area.height() - footer)
    images: dict[str, QImage] = {}
    sections = report_sections(overview, title=title, subtitle=subtitle, images=images, resolution=writer.resolution())
    documents = _Pages(writer, body.width(), images)
    pages = paginate(sections, documents.height, body.height())
    footer_font = QFont(QGuiApplication.font())
    footer_font.setPointSizeF(7)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write a PDF to {path}")
    try:
        for number, pieces in enumerate(pages, start=1):
            if number > 1 and not writer.newPage():
                raise OSError(f"cannot add page {number} to {path}")
            documents.document(pieces).drawContents(painter, QRectF(0, 0, body.width(), body.height()))
            _footer(painter, area.width(), area.height(), footer, footer_font, f"Steelman class report · {title}", f"Page {number} of {len(pages)}")
    finally:
        painter.end()
    return len(pages)


def _footer(painter: QPainter, width: float, height: float, footer: float, font: QFont, left: str, right: str) -> None:
    line_y = height - footer * 0.62
    painter.setPen(QPen(QColor(RULE), max(1.0, footer / 60)))
    painter.drawLine(QPointF(0, line_y), QPointF(width, line_y))
    painter.setPen(QColor(MUTED))
    painter.setFont(font)
    box = QRectF(0, line_y, width, height - line_y)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right)


def write_class_report(overview: ClassOverview, out: Path, *, title: str, subtitle: str) -> int:
    """Write the overview to ``out`` as an A4 landscape PDF; return its page count.

    Needs a ``QGuiApplication`` (fonts) and runs on the GUI thread; works on
    the offscreen platform. The PDF is written next to ``out`` first and moved
    into place when complete.
    """
    out = Path(out)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".pdf.part", dir=out.parent)
    os.close(handle)
    try:
        pages = _render(overview, temporary, title, subtitle)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return pages
