"""The score as a dial: the percentage in a ring coloured by its band, and the verdict in words.

The bands and words come from the core (``core/overview.py``, ``core/explain.py``),
so the class overview, the CLI and this dial agree: red under 15 %, amber under
40 %, green from 40 %. Sizes follow the font (150 % scaling), colours the
design tokens of the theme in use (repainted when the theme changes).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.explain import band_advice, verdict_words
from ..core.overview import SOME_FROM, STRONG_FROM, score_band
from ..core.progress import format_score
from . import design
from .plain import plain_tooltip

BAND_TOKENS = {"strong": "covered", "some": "partly", "little": "missed"}
BAND_SCALE = {
    "strong": f"{format_score(STRONG_FROM)} and up is a strong rebuttal",
    "some": f"{format_score(SOME_FROM)}–{format_score(STRONG_FROM - 0.01)}: some key points made",
    "little": f"under {format_score(SOME_FROM)}: little made yet",
}


class ScoreDial(QWidget):
    """A ring filled to the score, the percentage inside, the verdict in words beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overallScore")
        self._score: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._describe()

    # -- state ---------------------------------------------------------------------------------
    def set_score(self, score: float | None) -> None:
        self._score = score
        self._describe()
        self.updateGeometry()
        self.update()

    def score(self) -> float | None:
        return self._score

    def text(self) -> str:
        """The percentage as shown ("58%", "—")."""
        return format_score(self._score)

    def words(self) -> str:
        return verdict_words(self._score) if self._score is not None else ""

    def band(self) -> str | None:
        return score_band(self._score)

    def _describe(self) -> None:
        if self._score is None:
            self.setAccessibleName("Overall score: not scored")
            self.setAccessibleDescription("")
            return
        self.setAccessibleName(f"Overall score {self.text()}: {self.words()}")
        self.setAccessibleDescription(f"{BAND_SCALE[self.band() or 'little']}. {band_advice(self._score)}")
        self.setToolTip(plain_tooltip(f"{self.text()}: {self.words()}. {BAND_SCALE[self.band() or 'little']}."))

    # -- geometry (from the fonts) ---------------------------------------------------------------
    def _metrics(self) -> tuple[float, float, float]:
        """Ring diameter, pen width and the gap to the words."""
        number = QFontMetricsF(design.font("display", self.font()))
        diameter = round(number.height() * 2.5)
        return diameter, max(4.0, diameter / 11), design.L * diameter / 96

    def _text_width(self) -> float:
        """The width of the words and the band's caption beside the ring (none without a score)."""
        if self._score is None:
            return 0.0
        words = QFontMetricsF(design.font("heading", self.font())).horizontalAdvance(self.words())
        caption = QFontMetricsF(design.font("caption", self.font())).horizontalAdvance(BAND_SCALE[self.band() or "little"])
        return max(words, caption) + 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        diameter, _pen, gap = self._metrics()
        text = self._text_width()
        return QSize(round(diameter + (gap + text if text else 0)), round(diameter))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    # -- painting ----------------------------------------------------------------------------------
    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt override
        diameter, pen_width, gap = self._metrics()
        band = self.band()
        tint = design.color(BAND_TOKENS[band]) if band else design.color("muted")
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = (self.height() - diameter) / 2
        ring = QRectF(pen_width / 2, top + pen_width / 2, diameter - pen_width, diameter - pen_width)
        track = QPen(design.color("border"), pen_width)
        track.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawEllipse(ring)
        if self._score is not None and self._score > 0:
            arc = QPen(tint, pen_width)
            arc.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(arc)
            painter.drawArc(ring, 90 * 16, -round(360 * 16 * min(self._score, 1.0)))
        # the number, centred in the ring
        painter.setPen(design.color("text"))
        painter.setFont(design.font("display", self.font()))
        painter.drawText(QRectF(0, top, diameter, diameter), Qt.AlignmentFlag.AlignCenter, self.text())
        if self._score is None:
            painter.end()
            return
        # the verdict in words, and where the band sits on the scale
        left = diameter + gap
        heading = design.font("heading", self.font())
        caption = design.font("caption", self.font())
        h1 = QFontMetricsF(heading).height()
        h2 = QFontMetricsF(caption).height()
        y = top + (diameter - h1 - h2 - design.XS) / 2
        painter.setFont(heading)
        painter.setPen(tint)
        painter.drawText(QRectF(left, y, self.width() - left, h1), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.words())
        painter.setFont(caption)
        painter.setPen(design.color("muted"))
        painter.drawText(QRectF(left, y + h1 + design.XS, self.width() - left, h2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, BAND_SCALE[band or "little"])
        painter.end()
