"""The feedback page's design (issue 17): the score dial with the verdict in words, key points as
cards (chips, the student's sentences, the model rebuttal behind a disclosure), keyboard use,
screen-reader names, disputes from a card, and the next step that fits the score."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from trainer.core.explain import verdict_words
from trainer.core.overview import STRONG_FROM
from trainer.core.service import Service
from trainer.ui import design
from trainer.ui.key_point_card import KeyPointCard
from trainer.ui.score_dial import BAND_TOKENS, ScoreDial
from trainer.ui.theme import LIGHT_MARKS

from .helpers import GOOD_TINY_RESPONSE, HANG_MS, click, focused, open_tiny, press

AGREEING = (
    "I agree with the claim completely. Uniforms really do stop children from expressing who they are, "
    "because every child is forced to look exactly the same every single day."
)


@pytest.fixture(autouse=True)
def _dialogs(dialog_log: dict[str, list]) -> dict[str, list]:
    return dialog_log


def submit(qtbot, win, text: str):  # noqa: ANN001, ANN201
    qtbot.keyClicks(win.findChild(QWidget, "responseEditor"), text)
    with qtbot.waitSignal(win.session_page.attempt_submitted, timeout=HANG_MS) as submitted:
        click(qtbot, win.findChild(QWidget, "submitButton"))
    return submitted.args[0], win.session_page.feedback_view


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def arc_colour(dial: ScoreDial) -> QColor:
    """The colour at the top of the ring, where the arc starts (12 o'clock)."""
    image = dial.grab().toImage()
    diameter, pen, _gap = dial._metrics()
    ratio = image.devicePixelRatio()
    top = (dial.height() - diameter) / 2
    return image.pixelColor(round((diameter / 2 + 2) * ratio), round((top + pen / 2) * ratio))


def test_the_dial_shows_the_score_and_the_verdict_in_words(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    attempt, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    dial = feedback.findChild(QWidget, "overallScore")
    assert dial is feedback.overall_score and isinstance(dial, ScoreDial)
    percent = f"{round(100 * attempt.score)}%"
    assert dial.text() == percent and dial.words() == verdict_words(attempt.score)
    assert dial.accessibleName() == f"Overall score {percent}: {verdict_words(attempt.score)}"
    assert dial.accessibleDescription()
    # sized from the font: the number in the display role fits inside the ring
    assert dial.height() >= dial.fontMetrics().height() * 2
    # the arc takes the band's colour, in the theme in use
    token = BAND_TOKENS[dial.band()]
    assert _distance(arc_colour(dial), design.color(token, "light")) < _distance(arc_colour(dial), design.color("border", "light"))
    try:
        win.set_theme("dark")
        assert _distance(arc_colour(dial), design.color(token, "dark")) < 60
    finally:
        win.set_theme("light")


def test_a_dial_without_a_score_and_at_each_band(qtbot) -> None:  # noqa: ANN001
    dial = ScoreDial()
    qtbot.addWidget(dial)
    assert dial.text() == "—" and dial.accessibleName() == "Overall score: not scored"
    for score, words in ((0.05, "Weak — key points missed"), (0.2, "Getting there"), (STRONG_FROM, "Strong rebuttal")):
        dial.set_score(score)
        assert dial.words() == words and words in dial.accessibleName()
        assert dial.sizeHint().width() > dial.sizeHint().height()  # the words sit beside the ring


def test_key_points_are_cards_with_chips_sentences_and_names(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    attempt, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    cards = feedback.key_point_list.cards()
    assert feedback.findChild(QWidget, "keyPointList") is feedback.key_point_list
    verdicts = {k["key_point_id"]: k for k in attempt.breakdown["key_points"]}
    assert sorted(c.key_point_id for c in cards) == sorted(verdicts)
    # the missed ones first (what to work on next), then partly made, then covered
    order = {"missed": 0, "partly": 1, "covered": 2}
    assert [order[c.status] for c in cards] == sorted(order[c.status] for c in cards)
    assert {c.status for c in cards} >= {"missed", "covered"}
    statements = {k.id: k.statement for k in app_service.packs.get("tiny-uniforms").claim("expression").key_points}
    for card in cards:
        entry = verdicts[card.key_point_id]
        assert card.status == entry["verdict"] and card.chip.status == entry["verdict"]
        assert card.chip.text() == {"covered": "Covered", "partly": "Partly made", "missed": "Missed"}[card.status]
        assert card.accessibleName() == f"{card.chip.text()}: {statements[card.key_point_id]}"
        sentences = [attempt.text[s["start"]:s["end"]] for s in entry["spans"]]
        if card.status == "missed":
            assert not card.quote_label.isVisibleTo(card)
        else:
            assert sentences and card.quotes == tuple(sentences)
            assert card.quote_label.isVisibleTo(card) and sentences[0].split()[0] in card.quote_label.text()
            assert sentences[0] in card.accessibleDescription()
    headings = [label.text() for label in feedback.key_point_list.section_labels]
    assert headings[0].startswith("Missed (")


def test_keyboard_moves_between_cards_and_opens_the_model_rebuttal(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    attempt, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    cards = feedback.key_point_list.cards()
    assert len(cards) >= 2
    assert focused() is cards[0] is feedback.current_card()
    # a roving tab stop: only the current card is on the Tab chain
    assert cards[0].focusPolicy() == Qt.FocusPolicy.StrongFocus and cards[1].focusPolicy() == Qt.FocusPolicy.ClickFocus
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is cards[1] is feedback.current_card()
    assert cards[1].focusPolicy() == Qt.FocusPolicy.StrongFocus and cards[0].focusPolicy() == Qt.FocusPolicy.ClickFocus
    # the selected card's sentence is highlighted (blue) in the response
    selected_bg = LIGHT_MARKS["selected"][0]
    covered = next(c for c in cards if c.status == "covered")
    feedback.key_point_list.set_current(covered, focus=True)
    assert selected_bg in feedback.response_view.toHtml()
    press(qtbot, Qt.Key.Key_Home)
    assert focused() is cards[0]
    press(qtbot, Qt.Key.Key_End)
    assert focused() is cards[-1]

    # Enter shows the model rebuttal (rendered off the GUI thread), Space hides it
    card = covered
    feedback.key_point_list.set_current(card, focus=True)
    assert card.rebuttal_view is None and "Show model rebuttal" in card.toggle_button.text()
    with qtbot.waitSignal(card.expanded_changed, timeout=HANG_MS):
        press(qtbot, Qt.Key.Key_Return)
    assert card.is_expanded() and card.toggle_button.text() == "Hide model rebuttal"
    qtbot.waitUntil(lambda: not card.rebuttal_view.pending, timeout=HANG_MS)
    kp = next(k for k in app_service.packs.get("tiny-uniforms").claim("expression").key_points if k.id == card.key_point_id)
    first_words = " ".join(kp.rebuttal_markdown.split("\n\n")[-1].replace("*", "").split()[:4])
    assert first_words in card.rebuttal_view.toPlainText().replace("\u2029", " ").replace("\n", " ")
    assert card.rebuttal_view.height() > card.rebuttal_view.fontMetrics().height()  # as tall as its text
    assert "hide the model rebuttal" in card.accessibleDescription()
    press(qtbot, Qt.Key.Key_Space)
    assert not card.is_expanded() and focused() is card

    # Tab leaves the cards for the dispute buttons, Shift+Tab comes back to the current card
    missed = next(c for c in cards if c.status == "missed")
    feedback.key_point_list.set_current(missed, focus=True)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is feedback.dispute_made_button
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is missed


def test_the_disclosure_opens_with_the_mouse_too(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    _attempt, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    card = feedback.key_point_list.cards()[-1]
    click(qtbot, card.toggle_button)
    assert feedback.current_card() is card and card.is_expanded()
    qtbot.waitUntil(lambda: not card.rebuttal_view.pending, timeout=HANG_MS)
    assert card.rebuttal_view.toPlainText().strip()


def test_a_dispute_is_filed_from_a_card(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    attempt, feedback = submit(qtbot, win, GOOD_TINY_RESPONSE)
    cards = feedback.key_point_list.cards()
    covered = next(c for c in cards if c.status == "covered")
    click(qtbot, covered.statement_label)
    assert feedback.current_card() is covered
    assert not feedback.dispute_made_button.isEnabled() and feedback.dispute_wrong_button.isEnabled()
    missed = next(c for c in cards if c.status == "missed")
    click(qtbot, missed.statement_label)
    assert feedback.current_card() is missed and feedback.dispute_made_button.isEnabled()
    qtbot.keyClicks(feedback.dispute_comment, "My last sentence is about teasing")
    with qtbot.waitSignal(feedback.dispute_filed, timeout=HANG_MS) as filed:
        click(qtbot, feedback.dispute_made_button)
    assert filed.args[0].key_point_id == missed.key_point_id
    stored = app_service.results.list_disputes(attempt_id=attempt.id)
    assert [(d.key_point_id, d.kind, d.comment) for d in stored] == [(missed.key_point_id, "did-make-point", "My last sentence is about teasing")]
    assert "waiting for your coach" in missed.text() and missed.note_label.isVisibleTo(missed)
    assert "waiting for your coach" in missed.accessibleDescription()
    assert feedback.dispute_status.isVisible() and feedback.dispute_comment.text() == ""


def test_the_next_step_fits_the_score(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    attempt, feedback = submit(qtbot, win, "Uniforms are bad.")
    assert attempt.score < STRONG_FROM
    assert feedback.try_again_button.property("primary") is True and not feedback.next_claim_button.property("primary")
    assert feedback.overall_score.words() != "Strong rebuttal"


def test_the_stance_banner_uses_the_theme_tokens(qtbot, make_window, app_service: Service) -> None:  # noqa: ANN001
    win = make_window()
    open_tiny(qtbot, win)
    _attempt, feedback = submit(qtbot, win, AGREEING)
    banner = feedback.stance_banner
    assert banner.isVisible() and "You argued <i>for</i> the claim" in banner.text()
    assert design.tokens("light")["supports_bg"] in banner.styleSheet()
    assert "#f6d0d0" not in banner.styleSheet()
    try:
        win.set_theme("dark")
        assert design.tokens("dark")["supports_bg"] in banner.styleSheet()
        assert design.tokens("dark")["supports"] in banner.styleSheet()
    finally:
        win.set_theme("light")


def test_an_off_list_card_cannot_be_disputed(qtbot) -> None:  # noqa: ANN001
    card = KeyPointCard("off-list:0", "off-list", "A point that is not in the key points", quotes=["Uniforms cost money."])
    qtbot.addWidget(card)
    assert card.accessibleName() == "Your own point: A point that is not in the key points"
    assert not card.toggle_button.isVisibleTo(card)  # nothing to disclose
    card.set_expanded(True)
    assert not card.is_expanded()
