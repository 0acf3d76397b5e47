"""The history page's design (issue 17): a chart with axis labels and dates,
progress per perspective and per kind of claim, a calendar of practice days,
an empty state that says what to do, and a page that still fits at 150 %."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from trainer.core.progress import ChartPoint, format_score, profile_overview, progress_by_kind, progress_by_perspective
from trainer.ui import design, theme
from trainer.ui.chart import ScoreChartWidget
from trainer.ui.history_view import EMPTY_TITLE, HistoryView
from trainer.ui.practice_calendar import PracticeCalendarWidget, count_words, level

from .helpers import HANG_MS, KOREA_PACK_ID, click, show_window
from .test_summary import record, svc  # noqa: F401 - the fixture

WEST = timezone(timedelta(hours=-5))


@pytest.fixture
def light() -> Iterator[None]:
    """The light theme, and whatever was applied before afterwards."""
    app = QApplication.instance()
    before = app.property("steelmanTheme") or "light"
    theme.apply_theme("light")
    yield
    theme.apply_theme(before)


def points(*scores: float, start: datetime = datetime(2025, 3, 1, 15, tzinfo=UTC), step: timedelta = timedelta(days=2)) -> tuple[ChartPoint, ...]:
    out, total, best = [], 0.0, 0.0
    for i, s in enumerate(scores, start=1):
        total += s
        best = max(best, s)
        out.append(ChartPoint(start + step * (i - 1), s, total / i, best))
    return tuple(out)


def render(widget: QWidget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    widget.render(image)
    return image


def pixels_near(image: QImage, colour: QColor, tolerance: int = 40) -> int:
    n = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < tolerance:
                n += 1
    return n


# -- the chart ---------------------------------------------------------------------


def test_the_chart_names_its_axes_and_dates(qtbot, light) -> None:  # noqa: ANN001
    chart = ScoreChartWidget(tz=UTC)
    qtbot.addWidget(chart)
    chart.resize(640, 300)
    chart.set_points(points(0.2, 0.5, 0.4, 0.7))
    labels = chart.axis_labels()
    assert labels.title == "Scores over time"
    assert labels.y_axis == "Score" and labels.y_ticks == ("0%", "25%", "50%", "75%", "100%")
    assert labels.x_axis.startswith("Date")
    assert labels.x_ticks == ("1 Mar", "3 Mar", "5 Mar", "7 Mar")  # every attempt's day fits at this width
    assert "4 attempts from 1 Mar 2025 to 7 Mar 2025" in chart.accessibleDescription()
    assert "Sat 1 Mar 2025, 15:00: 20%" in chart.point_text(0)

    chart.resize(240, 300)  # narrow: fewer dates, never one over another
    narrow = chart.axis_labels().x_ticks
    assert 1 <= len(narrow) < 4 and set(narrow) <= set(labels.x_ticks)


def test_the_chart_paints_with_the_current_theme(qtbot, light) -> None:  # noqa: ANN001
    """Tokens are read at paint time: the same widget repaints in the dark theme's colours."""
    chart = ScoreChartWidget(tz=UTC)
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    empty = render(chart)
    chart.set_points(points(0.2, 0.5, 0.4, 0.7))
    drawn = render(chart)
    assert drawn != empty
    assert pixels_near(drawn, design.color("accent", "light")) > 20  # the running average
    assert pixels_near(drawn, design.color("covered", "light")) > 20  # the best so far
    theme.apply_theme("dark")
    dark = render(chart)
    assert pixels_near(dark, design.color("accent", "dark")) > 20
    assert pixels_near(dark, design.color("accent", "light"), tolerance=12) < pixels_near(drawn, design.color("accent", "light"), tolerance=12)


# -- the calendar --------------------------------------------------------------------


def test_calendar_words_and_levels() -> None:
    day = date(2026, 12, 1)
    assert count_words(3, day) == "3 attempts on Tue 1 Dec"
    assert count_words(1, day) == "1 attempt on Tue 1 Dec"
    assert count_words(0, day, today=day) == "No attempts on Tue 1 Dec (today)"
    assert [level(n) for n in (0, 1, 2, 3, 4, 5, 9)] == [0, 1, 2, 3, 3, 4, 4]


def test_the_calendar_reads_with_the_keyboard(qtbot, light) -> None:  # noqa: ANN001
    from trainer.core.progress import PracticeCalendar

    today = date(2025, 3, 6)
    widget = PracticeCalendarWidget()
    qtbot.addWidget(widget)
    widget.set_calendar(PracticeCalendar(first=date(2025, 2, 10), today=today, counts={date(2025, 2, 27): 3, today: 1}))
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.accessibleName() == "Calendar of practice days"
    assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert widget.summary_text().startswith("Practised on 2 days in the last 4 weeks (4 attempts).")
    assert "Busiest day: Thu 27 Feb (3 attempts)." in widget.summary_text()
    widget.setFocus()
    with qtbot.waitSignal(widget.day_changed, timeout=HANG_MS) as moved:
        qtbot.keyClick(widget, Qt.Key.Key_Left)  # a week back
    assert moved.args == [date(2025, 2, 27)]
    assert widget.day_text(widget.current) == "3 attempts on Thu 27 Feb"
    assert "Selected: 3 attempts on Thu 27 Feb." in widget.accessibleDescription()
    qtbot.keyClick(widget, Qt.Key.Key_Up)
    assert widget.current == date(2025, 2, 26)
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.current == today
    qtbot.keyClick(widget, Qt.Key.Key_Right)  # never past today
    assert widget.current == today
    assert widget.day_at(widget.cell_rect(date(2025, 2, 27)).center()) == date(2025, 2, 27)
    image = render(widget)
    centre = widget.cell_rect(date(2025, 2, 27)).center().toPoint()
    assert image.pixelColor(centre) == widget.colours()[level(3)]  # tinted by its count
    assert image.pixelColor(widget.cell_rect(date(2025, 2, 28)).center().toPoint()) == widget.colours()[0]


# -- the history page ------------------------------------------------------------------


def seed(service, clock):  # noqa: ANN001, ANN201
    """Ada: five attempts at the Korea pack over three days, as herself and as two perspectives."""
    ada = service.profiles.add("Ada")
    record(service, clock, ada.id, "modest-steps", 0.2)  # causal
    record(service, clock, ada.id, "modest-steps", 0.6, perspective_id="bolton")
    clock.advance(24 * 3600)
    record(service, clock, ada.id, "back-to-2017", 0.5, perspective_id="bolton")  # prediction
    record(service, clock, ada.id, "faithlessness", 0.3, perspective_id="seoul")  # factual
    clock.advance(2 * 24 * 3600)
    record(service, clock, ada.id, "arsenal", 0.9)  # prediction
    return ada


def test_history_shows_progress_per_perspective_kind_and_day(qtbot, svc, clock) -> None:  # noqa: ANN001, F811
    from trainer.ui.main_window import MainWindow

    ada = seed(svc, clock)
    win = show_window(qtbot, MainWindow(svc, timer_clock=clock.monotonic))
    win.show_history(profile_id=ada.id)
    history = win.history_view
    assert win.stack.currentWidget() is history and not history.is_empty
    assert history.tabs.currentWidget() is history.progress_page
    assert history.history_list.hasFocus()  # Ctrl+H, then the arrow keys, as before
    assert history.subheading.text() == "Ada"
    assert history.stats_text().startswith("5 attempts · 4 claims tried · 50% average score · 90% best score")

    attempts = svc.results.list_attempts(profile_id=ada.id)
    packs = {KOREA_PACK_ID: svc.packs.get(KOREA_PACK_ID)}
    by_perspective = history.perspective_bars.row_texts()
    assert by_perspective == [f"{g.label}: average {format_score(g.average_score)} · best {format_score(g.best_score)} · "
                              f"{g.attempts} attempt{'s' if g.attempts != 1 else ''}" for g in progress_by_perspective(attempts, packs)]
    assert by_perspective[0] == "My own view: average 55% · best 90% · 2 attempts"
    assert any(t.endswith("average 55% · best 60% · 2 attempts") and "Bolton" in t for t in by_perspective)
    kinds = dict(t.split(": ", 1) for t in history.kind_bars.row_texts())
    assert kinds["Prediction"] == "average 70% · best 90% · 2 attempts"
    assert kinds["Causal"] == "average 40% · best 60% · 2 attempts"
    assert kinds["Factual"] == "average 30% · best 30% · 1 attempt"
    assert kinds["Value judgement"] == "not tried yet"
    assert len(kinds) == len(progress_by_kind(attempts, packs))

    cal = history.calendar.calendar
    days = {a.submitted_at.astimezone().date() for a in attempts}  # local days, as the app shows them
    assert sum(cal.count(d) for d in days) == 5 and cal.attempts == 5
    assert cal.today == clock.now.astimezone().date()
    assert history.calendar_summary.text().startswith(f"Practised on {len(days)} days in the last 16 weeks (5 attempts).")
    assert history.chart.axis_labels().y_axis == "Score"
    assert len(history.chart._points) == len(profile_overview(attempts).points) == 5

    items = history.attempt_items()
    history.history_list.setCurrentItem(items[0])
    assert history.tabs.currentWidget() is history.response_text  # no breakdown stored: the text
    assert history.response_text.toPlainText().startswith("An answer to")
    qtbot.keyClick(history.history_list, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # the overview stays one key away
    assert history.tabs.currentWidget() is history.progress_page


def test_history_days_follow_the_time_zone(qtbot, svc, clock) -> None:  # noqa: ANN001, F811
    """An attempt at 02:00 UTC falls on the day before five hours west."""
    ada = svc.profiles.add("Ada")
    clock.now = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    record(svc, clock, ada.id, "modest-steps", 0.4)  # 02:00 UTC on the 5th
    view = HistoryView(svc, tz=WEST)
    qtbot.addWidget(view)
    view.show_profile(ada.id)
    cal = view.calendar.calendar
    assert cal.counts == {date(2025, 3, 4): 1}
    assert cal.today == date(2025, 3, 4)  # 21:00 on the 4th, out west
    assert view.calendar_day.text() == "1 attempt on Tue 4 Mar (today)"
    assert view.attempt_items()[0].text(0) == "04 Mar 2025 21:00"  # the list uses the same zone


def test_a_profile_without_attempts_sees_what_to_do(qtbot, svc, clock) -> None:  # noqa: ANN001, F811
    from trainer.ui.main_window import MainWindow

    ada = svc.profiles.add("Ada")
    win = show_window(qtbot, MainWindow(svc, timer_clock=clock.monotonic))
    win.show_history(profile_id=ada.id)
    history = win.history_view
    assert history.is_empty
    assert history.empty_state.isVisible() and not history.splitter.isVisible()
    texts = [label.text() for label in history.empty_state.findChildren(QLabel)]
    assert EMPTY_TITLE in texts and any("start page" in t for t in texts)
    assert history.empty_button.hasFocus()
    click(qtbot, history.empty_button)
    assert win.stack.currentWidget() is win.start_page

    record(svc, clock, ada.id, "arsenal", 0.5)  # the first attempt: the progress replaces the card
    win.show_history(profile_id=ada.id)
    assert not history.is_empty and history.splitter.isVisible()


@pytest.fixture
def large_font() -> Iterator[float]:
    """The application font at 150 % (the system's font size, scaled), restored afterwards."""
    app = QApplication.instance()
    before = app.font()
    bigger = app.font()
    if bigger.pointSizeF() > 0:
        bigger.setPointSizeF(bigger.pointSizeF() * 1.5)
    else:
        bigger.setPixelSize(round(bigger.pixelSize() * 1.5))
    app.setFont(bigger)
    yield 1.5
    app.setFont(before)


def test_history_fits_1280_by_800_at_150_percent(qtbot, svc, clock, large_font, light) -> None:  # noqa: ANN001, F811
    """At 150 % text the page still fits the window, nothing is cut off, and the chart's labels grow with the font."""
    from trainer.ui.main_window import MainWindow

    ada = seed(svc, clock)
    win = show_window(qtbot, MainWindow(svc, timer_clock=clock.monotonic))
    win.resize(1280, 800)
    win.show_history(profile_id=ada.id)
    history = win.history_view
    qtbot.waitUntil(lambda: history.isVisible() and history.width() > 1000, timeout=HANG_MS)
    hint = history.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800 - win.menuBar().height() - win.statusBar().height()
    scroll = history.progress_page
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()  # no sideways scrolling
    assert history.calendar.width() >= history.calendar.sizeHint().width()  # the calendar whole
    for tile in history.tiles:  # the headline figures are not cut off
        assert tile.value_label.width() >= tile.value_label.sizeHint().width(), tile.caption
    normal = design.font("caption", QApplication.font()).pointSizeF() / large_font
    assert history.chart.fontInfo().pointSizeF() >= normal  # the chart's text follows the app font
    chart_labels = history.chart.axis_labels()
    assert chart_labels.y_axis == "Score" and chart_labels.x_ticks  # dates still fit under the chart
    assert render(history.chart) != QImage()


def test_icons_follow_a_theme_switch(qtbot, svc, light) -> None:  # noqa: ANN001, F811
    """Custom-painted parts read the tokens when they paint; the icons are drawn again when the theme changes."""
    view = HistoryView(svc)
    qtbot.addWidget(view)
    mark = next(label for label in view.empty_state.findChildren(QLabel) if label.pixmap() is not None and not label.pixmap().isNull())

    def muted_pixels(theme_name: str) -> int:
        return pixels_near(mark.pixmap().toImage(), design.color("muted", theme_name), tolerance=30)

    assert muted_pixels("light") > 20 and muted_pixels("dark") == 0
    theme.apply_theme("dark")
    qtbot.waitUntil(lambda: muted_pixels("dark") > 20, timeout=HANG_MS)
    assert muted_pixels("light") == 0
