"""The feedback on one attempt, in the order a coach would give it.

1. the score as a dial with the verdict in words ("How is this scored?" opens
   the formula with the student's own numbers);
2. the key points as cards: the missed ones first (what to work on next),
   then partly made, then covered, each with the student's sentence and the
   model rebuttal behind a disclosure; disputes about the selected card;
3. the response with the sentences highlighted, the rubric, and every model
   rebuttal with its sources;
4. the next step: "Try again" after a weak score, "Next claim" after a strong one.

Used after a submission and, read-only, from the history.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.explain import RUBRIC_LABELS, ScoreExplanation, explain, off_list_credit
from ..core.overview import score_band
from ..core.packs import Citation, Claim, KeyPoint, Pack
from ..core.progress import format_score
from ..core.records import AttemptInfo, DisputeInfo
from ..core.service import Service
from . import design, dialogs
from .formatting import display_quote, dispute_outcome
from .key_point_card import KeyPointCard, KeyPointCardList, text_label
from .markdown_view import MarkdownBrowser
from .plain import plain_label, plain_tooltip, rich_label
from .score_dial import ScoreDial
from .score_explanation import ScoreExplanationDialog
from .theme import current_marks

if TYPE_CHECKING:
    from ..core.matching import MatchResult

SOURCE_LINK = "steelman-source:"  # links the feedback view handles itself (open/N, copy/N)

VERDICT_LABELS = {"covered": ("✔", "Covered"), "partly": ("◐", "Partly covered"), "missed": ("✘", "Missed")}
__all__ = ["FeedbackView", "RUBRIC_LABELS", "highlighted_response_html"]
DISPUTE_LABELS = {"did-make-point": "you said you made this point", "verdict-wrong": "you said this verdict is wrong"}
SECTIONS = (("missed", "Missed ({n}): work on these next"), ("partly", "Partly made ({n})"), ("covered", "Covered ({n})"))


def highlighted_response_html(
    text: str,
    covered: list[tuple[int, int]],
    partly: list[tuple[int, int]],
    selected: list[tuple[int, int]],
    marks: dict[str, tuple[str, str]],
    supports: list[tuple[int, int]] | None = None,
) -> str:
    """``text`` as HTML with the character ranges marked (selected > covered > partly > supports)."""
    supports = supports or []
    n = len(text)
    cuts = {0, n}
    for start, end in covered + partly + selected + supports:
        cuts.update((max(0, min(n, start)), max(0, min(n, end))))
    points = sorted(cuts)

    def inside(ranges: list[tuple[int, int]], a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in ranges)

    out: list[str] = []
    anchored = False
    for a, b in zip(points, points[1:]):
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        kind = ("selected" if inside(selected, a, b) else "covered" if inside(covered, a, b)
                else "partly" if inside(partly, a, b) else "supports" if inside(supports, a, b) else None)
        if kind is None:
            out.append(piece)
            continue
        bg, fg = marks[kind]
        if kind == "selected" and not anchored:
            out.append('<a name="selected"></a>')
            anchored = True
        out.append(f'<span style="background-color:{bg}; color:{fg}">{piece}</span>')
    return "".join(out)


class FeedbackView(QWidget):
    try_again_requested = Signal()
    next_requested = Signal()
    dispute_filed = Signal(object)  # DisputeInfo

    def __init__(self, service: Service, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self.service = service
        self.read_only = read_only
        self.setObjectName("feedbackView")
        self.setAccessibleName("Feedback")
        self._attempt: AttemptInfo | None = None
        self._claim: Claim | None = None
        self._pack: Pack | None = None
        self._result: MatchResult | None = None
        self._disputed: dict[str, DisputeInfo] = {}  # the latest dispute per key point
        self._source_urls: list[str] = []
        self._banner_sheet = ""
        self.score_dialog: ScoreExplanationDialog | None = None

        # -- the header: the claim, the dial, what it means
        self.title = plain_label("", self)
        self.title.setObjectName("feedbackTitle")
        self.title.setWordWrap(True)
        design.set_role(self.title, "heading")
        self.overall_score = ScoreDial(self)
        self.summary = plain_label("", self)
        self.summary.setObjectName("feedbackSummary")
        self.summary.setWordWrap(True)
        design.set_role(self.summary, "body")
        self.perspective_note = rich_label("", self)  # app-built HTML: every pack value escaped
        self.perspective_note.setObjectName("feedbackPerspectiveNote")
        self.perspective_note.setWordWrap(True)
        design.set_role(self.perspective_note, "small")
        self.perspective_note.hide()
        self.explain_button = QPushButton("How is this scored?", self)
        self.explain_button.setObjectName("explainScoreButton")
        self.explain_button.setAccessibleName("How is this scored?")
        self.explain_button.setProperty("link", True)
        design.set_icon(self.explain_button, "help", "accent", 16)
        self.explain_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.explain_button.clicked.connect(self.show_score_explanation)
        # What a judge would say first: the answer argued for the claim.
        self.stance_banner = rich_label("", self)  # app-built HTML, no pack text
        self.stance_banner.setObjectName("stanceBanner")
        self.stance_banner.setWordWrap(True)
        self.stance_banner.hide()

        # -- the key points (left)
        kp_label = text_label("&Key points", "small", muted=True, wrap=False, parent=self)
        self.key_point_list = KeyPointCardList(self)
        self.key_point_list.current_changed.connect(self.on_key_point_list_current_changed)
        kp_label.setBuddy(self.key_point_list)
        self.key_point_heading = kp_label

        self.dispute_hint = text_label("Think a verdict is wrong? Select its card, then:", "small", muted=True, parent=self)
        self.dispute_comment = QLineEdit(self)
        self.dispute_comment.setObjectName("disputeComment")
        self.dispute_comment.setAccessibleName("Dispute comment (optional)")
        self.dispute_comment.setPlaceholderText("Comment for your coach (optional)")
        self.dispute_made_button = QPushButton("I &did make this point", self)
        self.dispute_made_button.setObjectName("disputeMadeButton")
        self.dispute_made_button.setAccessibleName("I did make this point")
        design.set_icon(self.dispute_made_button, "flag", "text", 16)
        self.dispute_made_button.clicked.connect(lambda: self.file_dispute("did-make-point"))
        self.dispute_wrong_button = QPushButton("This is &wrong", self)
        self.dispute_wrong_button.setObjectName("disputeWrongButton")
        self.dispute_wrong_button.setAccessibleName("This verdict is wrong")
        self.dispute_wrong_button.clicked.connect(lambda: self.file_dispute("verdict-wrong"))
        self.dispute_status = plain_label("", self)
        self.dispute_status.setObjectName("disputeStatus")
        self.dispute_status.setWordWrap(True)
        design.set_role(self.dispute_status, "small")
        self.dispute_status.hide()

        # -- the response, the rubric, the model rebuttals (right)
        response_label = text_label("Green: a key point made · amber: partly · blue: the selected card · red: argues for the claim", "caption", muted=True, parent=self)
        self.response_view = QTextBrowser(self)
        self.response_view.setObjectName("responseView")
        self.response_view.setAccessibleName("Your response with matching sentences highlighted")
        self.response_view.setOpenLinks(False)
        rubric_label = text_label("&Rubric: advice on how a judge hears it (not part of the score)", "small", muted=True, parent=self)
        self.rubric_list = QListWidget(self)
        self.rubric_list.setObjectName("rubricList")
        self.rubric_list.setAccessibleName("Rubric signals")
        self.rubric_list.setWordWrap(True)
        rubric_label.setBuddy(self.rubric_list)
        self.rubric_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.rubric_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rubric_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.rebuttal_view = MarkdownBrowser(self)
        self.rebuttal_view.setObjectName("rebuttalView")
        self.rebuttal_view.setAccessibleName("Model rebuttals")
        self.rebuttal_view.anchorClicked.connect(self._on_rebuttal_link)

        self.try_again_button = QPushButton("&Try again", self)
        self.try_again_button.setObjectName("tryAgainButton")
        self.try_again_button.setAccessibleName("Try again")
        design.set_icon(self.try_again_button, "retry", "text", 16)
        self.try_again_button.clicked.connect(self.try_again_requested.emit)
        self.next_claim_button = QPushButton("Next &claim", self)
        self.next_claim_button.setObjectName("nextClaimButton")
        self.next_claim_button.setAccessibleName("Next claim")
        self.next_claim_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # the arrow after the words
        self.next_claim_button.clicked.connect(self.next_requested.emit)
        for button in (self.dispute_made_button, self.dispute_wrong_button, self.try_again_button, self.next_claim_button):
            button.setAutoDefault(True)

        # -- layout
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(design.S)
        left_layout.addWidget(kp_label)
        left_layout.addWidget(self.key_point_list, 1)
        self.dispute_box = design.Card(left)
        self.dispute_box.setObjectName("disputeBox")
        box = QVBoxLayout(self.dispute_box)
        box.setContentsMargins(design.M, design.S, design.M, design.S)
        box.setSpacing(design.S)
        box.addWidget(self.dispute_hint)
        row = QHBoxLayout()
        row.setSpacing(design.S)
        row.addWidget(self.dispute_made_button)
        row.addWidget(self.dispute_wrong_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.dispute_comment)
        box.addWidget(self.dispute_status)
        left_layout.addWidget(self.dispute_box)

        response_tab = QWidget(self)
        response_layout = QVBoxLayout(response_tab)
        response_layout.setContentsMargins(design.S, design.S, design.S, design.S)
        response_layout.setSpacing(design.XS)
        response_layout.addWidget(response_label)
        response_layout.addWidget(self.response_view, 3)
        response_layout.addSpacing(design.S)
        response_layout.addWidget(rubric_label)
        response_layout.addWidget(self.rubric_list, 2)
        rebuttals_tab = QWidget(self)
        rebuttals_layout = QVBoxLayout(rebuttals_tab)
        rebuttals_layout.setContentsMargins(design.S, design.S, design.S, design.S)
        rebuttals_layout.addWidget(self.rebuttal_view)
        self.right_tabs = QTabWidget(self)
        self.right_tabs.setObjectName("feedbackTabs")
        self.right_tabs.setAccessibleName("Your response and the model rebuttals")
        self.right_tabs.addTab(response_tab, "Your &response")
        self.right_tabs.addTab(rebuttals_tab, "All &model rebuttals")
        self.response_tab, self.rebuttals_tab = response_tab, rebuttals_tab

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("feedbackSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(design.L)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right_tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)

        header = QHBoxLayout()
        header.setSpacing(design.XL)
        header.addWidget(self.overall_score, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(design.XS)
        texts.addWidget(self.summary)
        texts.addWidget(self.perspective_note)
        link_row = QHBoxLayout()
        link_row.setContentsMargins(-design.XS, 0, 0, 0)
        link_row.addWidget(self.explain_button)
        link_row.addStretch(1)
        texts.addLayout(link_row)
        texts.addStretch(1)
        header.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(design.L, design.M, design.L, design.M)
        layout.setSpacing(design.M)
        layout.addWidget(self.title)
        layout.addLayout(header)
        layout.addWidget(self.stance_banner)
        layout.addWidget(self.splitter, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(design.S)
        buttons.addStretch(1)
        buttons.addWidget(self.try_again_button)
        buttons.addWidget(self.next_claim_button)
        layout.addLayout(buttons)
        self.try_again_button.setVisible(not read_only)
        self.next_claim_button.setVisible(not read_only)
        self._style_banner()
        self._set_tab_order()

    # -- rendering ---------------------------------------------------------
    def show_attempt(self, *, pack: Pack, attempt: AttemptInfo, result: MatchResult, disputes: list[DisputeInfo] | None = None, at_end: bool = False) -> None:
        self._attempt, self._result, self._pack = attempt, result, pack
        self._claim = claim = pack.claim(attempt.claim_id)
        self._disputed = {d.key_point_id: d for d in disputes or []}
        if self.score_dialog is not None:
            self.score_dialog.close()
        perspective = "my own view" if attempt.perspective_id is None else _perspective_name(pack, attempt.perspective_id)
        when = attempt.submitted_at.astimezone().strftime("%d %b %Y, %H:%M")
        self.title.setText(f"“{display_quote(claim.quote)}”")
        self.title.setToolTip(plain_tooltip(f"Claim {pack.claim_index(claim.id) + 1} of {len(pack.claims)}"))
        self.overall_score.set_score(result.score)
        covered = sum(1 for k in result.key_points if k.verdict == "covered")
        partly = sum(1 for k in result.key_points if k.verdict == "partly")
        extra = f", {partly} partly" if partly else ""
        # the banner says "you argued for the claim" more plainly than the notice
        notices = "".join(f"\n{n}" for n in result.notices if not (result.argued_for and n.startswith("You argued for the claim")))
        coach = ""
        overrides = attempt.breakdown.get("overrides") if isinstance(attempt.breakdown, dict) else None
        if overrides and isinstance(overrides, list) and isinstance(overrides[0], dict):
            before = overrides[0].get("score_before")
            was = f" (the matcher gave {format_score(float(before))})" if isinstance(before, int | float) else ""
            coach = f"\nYour coach changed the verdict on {len(overrides)} key point{'s' if len(overrides) != 1 else ''}: the score is now {format_score(result.score)}{was}."
        self.summary.setText(
            f"{covered} of {len(claim.key_points)} key points covered{extra}. Argued as {perspective}; submitted {when}.{coach}{notices}"
        )
        self.next_claim_button.setText("&Finish" if at_end else "Next &claim")
        strong = score_band(result.score) == "strong"
        self._set_primary(self.next_claim_button if strong else self.try_again_button)

        self._source_urls = []
        self._fill_cards(pack, claim, result, attempt.perspective_id)
        self._show_stance_and_perspective(pack, claim, result, attempt.perspective_id)

        self.rubric_list.clear()
        for signal in result.rubric:
            item = QListWidgetItem(f"{RUBRIC_LABELS.get(signal.name, signal.name)}: {signal.explanation}")
            item.setIcon(design.icon("covered" if signal.passed else "missed", "covered" if signal.passed else "missed", 16))
            item.setToolTip(plain_tooltip(("Done: " if signal.passed else "Not yet: ") + signal.explanation))
            self.rubric_list.addItem(item)

        self._show_rebuttals()
        self.dispute_comment.clear()
        self._set_dispute_status("This attempt is saved on this computer only; disputes open once it is stored."
                                 if attempt.pending else "")
        for widget in (self.dispute_made_button, self.dispute_wrong_button, self.dispute_comment):
            widget.setEnabled(not attempt.pending)
        cards = self.key_point_list.cards()
        self.key_point_list.set_current(cards[0] if cards else None)
        self.key_point_list.verticalScrollBar().setValue(0)
        self._set_tab_order()
        self._render_response()

    def _set_dispute_status(self, text: str) -> None:
        self.dispute_status.setText(text)
        self.dispute_status.setVisible(bool(text))

    def _set_primary(self, button: QPushButton) -> None:
        for b in (self.try_again_button, self.next_claim_button):
            b.setProperty("primary", b is button)
            design.repolish(b)
        design.set_icon(self.try_again_button, "retry", "on_accent" if button is self.try_again_button else "text", 16)
        design.set_icon(self.next_claim_button, "next", "on_accent" if button is self.next_claim_button else "text", 16)

    def _fill_cards(self, pack: Pack, claim: Claim, result: MatchResult, perspective_id: str | None) -> None:
        mine = set(result.perspective_key_points)
        names = {p.id: p.name for p in pack.perspectives}
        text = self._attempt.text if self._attempt else ""
        by_status: dict[str, list[KeyPointCard]] = {"missed": [], "partly": [], "covered": []}
        for kp in self._ordered_key_points(claim, result):
            verdict = result.verdict_for(kp.id)
            status = verdict.verdict if verdict is not None and verdict.verdict in by_status else "missed"
            quotes = [text[s.start:s.end] for s in verdict.spans] if verdict is not None and status != "missed" else []
            if kp.id in mine:
                where = "Your side's key point · counts double"
            else:
                others = [names.get(p, p) for p in kp.perspectives]
                where = ("Argued by " + ", ".join(others)) if others else ""
            card = KeyPointCard(
                kp.id, status, kp.statement, quotes=quotes, perspective=where, own_side=kp.id in mine,
                note=self._dispute_note(kp.id), rebuttal_parts=self._rebuttal_parts(kp), on_link=self._on_rebuttal_link,
            )
            by_status[status].append(card)
        sections = [(title.format(n=len(by_status[s])), by_status[s]) for s, title in SECTIONS]
        own: list[KeyPointCard] = []
        credit = off_list_credit() > 0
        for i, note in enumerate(result.off_list()):
            own.append(KeyPointCard(
                f"off-list:{i}", "off-list", "A point that is not in the key points", quotes=[text[note.span.start:note.span.end]],
                perspective=("The score gives it a little credit; " if credit else "The score does not count it; ")
                + "your coach can judge it.",
            ))
        sections.append((f"Your own points ({len(own)})", own))
        self.key_point_list.set_sections(sections)

    def _rebuttal_parts(self, kp: KeyPoint) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        if kp.rebuttal_markdown.strip():
            parts.append(("markdown", kp.rebuttal_markdown))
        else:
            parts.append(("html", "<p><i>No model rebuttal for this key point.</i></p>"))
        if kp.sources:
            parts.append(("html", self._sources_html(kp.sources)))
        return parts

    def _dispute_note(self, kp_id: str) -> str:
        d = self._disputed.get(kp_id)
        if d is None:
            return ""
        outcome = dispute_outcome(d.status, d.resolved_by, d.override_verdict, d.resolution_note)
        return f"Disputed ({DISPUTE_LABELS.get(d.kind, d.kind)}): {outcome}"

    def _show_rebuttals(self) -> None:
        """Every model rebuttal with its sources (links take the theme's colours
        when the HTML is set, so a theme change shows them again)."""
        claim, result = self._claim, self._result
        parts: list[tuple[str, str]] = []  # rendered off the GUI thread unless cached
        for kp in self._ordered_key_points(claim, result):
            verdict = result.verdict_for(kp.id)
            icon, label = VERDICT_LABELS.get(verdict.verdict if verdict else "missed", ("?", ""))
            parts.append(("html", f'<a name="kp-{html.escape(kp.id)}"></a><h3>{icon} {html.escape(kp.statement)}</h3>'))
            parts += self._rebuttal_parts(kp)
        if claim.note:
            parts.append(("html", f"<h3>Coach's note</h3><p>{html.escape(claim.note)}</p>"))
            if claim.note_sources:
                parts.append(("html", self._sources_html(claim.note_sources)))
        self.rebuttal_view.show_parts(parts)

    def _sources_html(self, sources: tuple[Citation, ...]) -> str:
        """A rebuttal's sources: title, publisher and date, what each supports,
        and its address as selectable text with Open… (asks first) and Copy."""
        items = []
        for source in sources:
            line = f"<i>{html.escape(source.title)}</i>, {html.escape(source.publisher)}"
            if source.date:
                line += f", {html.escape(source.date)}"
            if source.supports:
                line += f"<br><i>Supports:</i> {html.escape(source.supports)}"
            if source.url:
                n = len(self._source_urls)
                self._source_urls.append(source.url)
                line += (
                    f"<br><code>{html.escape(source.url)}</code>&nbsp; "
                    f'<a href="{SOURCE_LINK}open/{n}">Open…</a> · <a href="{SOURCE_LINK}copy/{n}">Copy address</a>'
                )
            items.append(f"<li>{line}</li>")
        return f"<p style='margin-bottom:0'><b>Sources</b></p><ol style='margin-top:2px'>{''.join(items)}</ol>"

    def _on_rebuttal_link(self, url: QUrl) -> None:
        """Source links: open (after asking) or copy. A link inside a model
        rebuttal also opens only after asking; nothing else is followed."""
        text = url.toString()
        if text.startswith(SOURCE_LINK):
            action, _, index = text[len(SOURCE_LINK):].partition("/")
            if not index.isdigit() or int(index) >= len(self._source_urls):
                return
            address = self._source_urls[int(index)]
            if action == "copy":
                QGuiApplication.clipboard().setText(address)
                window = self.window()
                if hasattr(window, "statusBar"):
                    window.statusBar().showMessage(f"Copied {address}", 5000)
                return
        else:
            address = text
        if url.scheme() in ("http", "https") or text.startswith(SOURCE_LINK):
            dialogs.open_in_browser(self, address)

    @staticmethod
    def _ordered_key_points(claim: Claim, result: MatchResult) -> list:
        """The perspective's own key points first (in pack order), then the others."""
        mine = set(result.perspective_key_points)
        return [k for k in claim.key_points if k.id in mine] + [k for k in claim.key_points if k.id not in mine]

    def _show_stance_and_perspective(self, pack: Pack, claim: Claim, result: MatchResult, perspective_id: str | None) -> None:
        if result.argued_for:
            self.stance_banner.setText(
                "<b>You argued <i>for</i> the claim.</b> A rebuttal must argue against it: the sentences marked in red "
                "support the claim and earn no credit, even when they use the key points' words."
            )
        self.stance_banner.setVisible(result.argued_for)
        if perspective_id is None or not result.perspective_key_points:
            self.perspective_note.hide()
            return
        try:
            perspective = pack.perspective(perspective_id)
        except KeyError:
            self.perspective_note.hide()
            return
        statements = {k.id: k.statement for k in claim.key_points}
        own = [result.verdict_for(k) for k in result.perspective_key_points]
        made = sum(1 for v in own if v is not None and v.verdict == "covered")
        missed = [statements[v.key_point_id] for v in own if v is not None and v.verdict != "covered"]
        line = f"<b>Argued as {html.escape(perspective.name)}</b>: {made} of {len(own)} of this side's key points made"
        if missed:
            line += "; missed: " + "; ".join(f"“{html.escape(m.rstrip('.'))}”" for m in missed)
        line += f".<br><i>How this side argues:</i> {html.escape(perspective.how_to_argue())}"
        self.perspective_note.setText(line)
        self.perspective_note.show()

    def _style_banner(self) -> None:
        t = design.tokens()
        sheet = (f"QLabel#stanceBanner {{ background: {t['supports_bg']}; color: {t['supports']}; "
                 f"border: 1px solid {t['supports']}; border-radius: {design.RADIUS_SMALL}px; padding: {design.S}px {design.M}px; }}")
        if sheet != self._banner_sheet:  # setting a sheet sends a StyleChange: only when it differs
            self._banner_sheet = sheet
            self.stance_banner.setStyleSheet(sheet)

    def _render_response(self) -> None:
        if self._attempt is None or self._result is None:
            return
        covered: list[tuple[int, int]] = []
        partly: list[tuple[int, int]] = []
        for verdict in self._result.key_points:
            ranges = [(s.start, s.end) for s in verdict.spans]
            if verdict.verdict == "covered":
                covered += ranges
            elif verdict.verdict == "partly":
                partly += ranges
        supports = [(s.span.start, s.span.end) for s in self._result.sentences if s.role == "supports"]
        selected: list[tuple[int, int]] = []
        kp_id = self.current_key_point_id()
        if kp_id is not None and kp_id.startswith("off-list:"):
            notes = self._result.off_list()
            index = int(kp_id.split(":", 1)[1])
            if index < len(notes):
                selected = [(notes[index].span.start, notes[index].span.end)]
        elif kp_id is not None:
            verdict = self._result.verdict_for(kp_id)
            if verdict is not None and verdict.verdict != "missed":
                selected = [(s.start, s.end) for s in verdict.spans]
        self.response_view.setHtml(
            highlighted_response_html(self._attempt.text, covered, partly, selected, current_marks(), supports)
        )
        if selected:
            self.response_view.scrollToAnchor("selected")

    def refresh_theme(self) -> None:
        self._style_banner()
        self.overall_score.update()
        self.key_point_list.refresh_theme()
        if self._attempt is not None:
            self._set_primary(self.next_claim_button if self.next_claim_button.property("primary") else self.try_again_button)
            self._render_response()
            bar = self.rebuttal_view.verticalScrollBar()
            position = bar.value()
            self._show_rebuttals()  # cached: shown at once, so the place can be kept
            bar.setValue(position)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._style_banner()
        super().changeEvent(event)

    def _set_tab_order(self) -> None:
        """Header link, the current card (one tab stop: arrows move between cards), the dispute, the rest."""
        chain: list[QWidget] = [self.explain_button, *self.key_point_list.cards(), self.dispute_made_button,
                                self.dispute_wrong_button, self.dispute_comment, self.right_tabs, self.response_view,
                                self.rubric_list, self.rebuttal_view, self.try_again_button, self.next_claim_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- questions -----------------------------------------------------------
    def current_key_point_id(self) -> str | None:
        return self.key_point_list.current_key_point_id()

    def current_card(self) -> KeyPointCard | None:
        return self.key_point_list.current_card()

    def score_explanation(self) -> ScoreExplanation | None:
        """The stored score, term by term (``core/explain.py``)."""
        if self._attempt is None or self._claim is None or self._result is None:
            return None
        breakdown = self._attempt.breakdown if isinstance(self._attempt.breakdown, dict) and self._attempt.breakdown else self._result.to_dict()
        score = self._attempt.score if self._attempt.score is not None else self._result.score
        return explain(score=score, breakdown=breakdown, text=self._attempt.text, key_points=self._claim.key_points)

    @property
    def attempt(self) -> AttemptInfo | None:
        return self._attempt

    # -- slots / actions -------------------------------------------------------
    def show_score_explanation(self) -> ScoreExplanationDialog | None:
        explanation = self.score_explanation()
        if explanation is None:
            return None
        if self.score_dialog is not None:
            self.score_dialog.close()
        self.score_dialog = ScoreExplanationDialog(explanation, self)
        self.score_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.score_dialog.destroyed.connect(self._on_score_dialog_destroyed)
        self.score_dialog.open()
        return self.score_dialog

    def _on_score_dialog_destroyed(self) -> None:
        self.score_dialog = None

    def on_key_point_list_current_changed(self, card: KeyPointCard | None) -> None:
        kp_id = None if card is None else card.key_point_id
        status = None if card is None else card.status
        pending = self._attempt is not None and self._attempt.pending
        is_key_point = kp_id is not None and status != "off-list"
        self.dispute_made_button.setEnabled(is_key_point and status != "covered" and not pending)
        self.dispute_wrong_button.setEnabled(is_key_point and not pending)
        if is_key_point:
            self.rebuttal_view.scrollToAnchor(f"kp-{kp_id}")
        self._render_response()

    def file_dispute(self, kind: str) -> None:
        kp_id = self.current_key_point_id()
        if self._attempt is None or kp_id is None or kp_id.startswith("off-list:") or self._attempt.pending:
            return
        try:
            dispute = self.service.results.add_dispute(
                attempt_id=self._attempt.id, key_point_id=kp_id, kind=kind, comment=self.dispute_comment.text().strip()
            )
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Cannot save the dispute", describe(exc))
            return
        self._disputed[kp_id] = dispute
        card = self.key_point_list.current_card()
        if card is not None:
            card.set_note(self._dispute_note(kp_id))
        self.dispute_comment.clear()
        self._set_dispute_status("Thanks: your dispute is saved. When a coach answers it, the answer shows on its card, here and in your history.")
        self.dispute_filed.emit(dispute)


def _perspective_name(pack: Pack, perspective_id: str) -> str:
    try:
        return pack.perspective(perspective_id).name
    except KeyError:
        return perspective_id
