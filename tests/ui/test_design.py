"""The design system: verdict colours pass WCAG AA in both themes, icons draw, type follows the system font."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from trainer.ui import design, theme

PAIRS = [
    ("text", "surface"), ("text", "window"), ("muted", "surface"), ("muted", "window"), ("on_accent", "accent"),
    ("accent", "surface"), ("covered", "covered_bg"), ("partly", "partly_bg"), ("missed", "missed_bg"),
    ("supports", "supports_bg"), ("covered", "surface"), ("partly", "surface"), ("missed", "surface"),
]


@pytest.mark.parametrize("name", sorted(design.THEMES))
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0]}-on-{p[1]}")
def test_text_tokens_pass_wcag_aa(name: str, pair: tuple[str, str]) -> None:
    foreground, background = (design.THEMES[name][token] for token in pair)
    assert design.contrast(foreground, background) >= 4.5


def test_contrast_is_the_wcag_ratio() -> None:
    assert design.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert design.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert design.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_both_themes_have_the_same_tokens() -> None:
    assert set(design.LIGHT) == set(design.DARK)


@pytest.mark.parametrize("name", design.icon_names())
def test_every_icon_draws_in_the_token_colour(qapp: QApplication, name: str) -> None:
    image = design.pixmap(name, 24, "#ff0000").toImage()
    painted = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    inked = [c for c in painted if c.alpha() > 200]
    assert inked, f"{name}.svg drew nothing"
    assert all(c.red() > 200 and c.green() < 60 and c.blue() < 60 for c in inked)


def test_icon_set_covers_the_verdicts() -> None:
    assert set(design.STATUS_ICONS.values()) <= set(design.icon_names())


def test_type_roles_scale_with_the_system_font(qapp: QApplication) -> None:
    original = QApplication.font()
    try:
        for size in (10.0, 15.0):  # 100 % and 150 %
            base = QFont(original)
            base.setPointSizeF(size)
            QApplication.setFont(base)
            assert design.font("body").pointSizeF() == pytest.approx(size)
            assert design.font("title").pointSizeF() == pytest.approx(size * design.TYPE_SCALE["title"][0])
            assert design.font("caption").pointSizeF() < size < design.font("heading").pointSizeF()
    finally:
        QApplication.setFont(original)


def test_the_style_sheet_sets_no_font_sizes() -> None:
    for name in design.THEMES:
        sheet = design.stylesheet(name)
        assert "font-size" not in sheet and "pt;" not in sheet  # sizes come from the type roles


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_chip_says_its_verdict_and_takes_the_theme(qtbot, name: str) -> None:  # noqa: ANN001
    previous = theme.apply_theme(name)
    try:
        chip = design.StatusChip("partly")
        qtbot.addWidget(chip)
        chip.show()
        assert chip.text() == "Partly made" and chip.accessibleName() == "Partly made"
        colour = chip.text_label.palette().color(chip.text_label.foregroundRole()).name()
        assert colour == design.THEMES[name]["partly"]
        chip.set_status("covered")
        assert chip.text() == "Covered" and chip.property("chip") == "covered"
    finally:
        theme.apply_theme(previous)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_check_box_is_visible_and_shows_its_state_in_both_themes(qtbot, name: str) -> None:  # noqa: ANN001
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QCheckBox

    previous = theme.apply_theme(name)
    try:
        box = QCheckBox("Live check")
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)

        def colours() -> set[str]:
            image = QImage(box.size(), QImage.Format.Format_ARGB32)
            box.render(image)
            side = min(box.height(), 22)  # the indicator is at the left
            return {image.pixelColor(x, y).name() for x in range(side) for y in range(box.height())}

        t = design.THEMES[name]
        assert t["muted"] in colours()  # the box's edge, 3:1 or better on the surface (non-text contrast)
        assert design.contrast(t["muted"], t["window"]) >= 3 and design.contrast(t["muted"], t["surface"]) >= 3
        box.setChecked(True)
        ticked = colours()
        assert t["accent"] in ticked and QColor(t["on_accent"]).name() in ticked  # filled, with the tick drawn on it
    finally:
        theme.apply_theme(previous)
