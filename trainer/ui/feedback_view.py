"""The feedback on one attempt: score, key points, highlighted sentences, rubric, model rebuttals, disputes.

Used after a submission and, read-only, from the history.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import describe
from ..core.packs import Citation, Claim, Pack
from ..core.progress import format_score
from ..core.records import AttemptInfo, DisputeInfo
from ..core.service import Service
from . import dialogs
from .formatting import display_quote, dispute_outcome
from .markdown_view import MarkdownBrowser
from .plain import plain_label, plain_tooltip, rich_label
from .theme import current_marks

if TYPE_CHECKING:
    from ..core.matching import MatchResult

ID_ROLE = Qt.ItemDataRole.UserRole
SOURCE_LINK = "steelman-source:"  # links the feedback view handles itself (open/N, copy/N)

VERDICT_LABELS = {"covered": ("✔", "Covered"), "partly": ("◐", "Partly covered"), "missed": ("✘", "Missed")}
RUBRIC_LABELS = {
    "restates": "Restates the claim",
    "counters": "Counters the claim",
    "reason": "Gives a reason",
    "evidence": "Uses evidence",
    "impact": "Explains why it matters",
    "on_claim": "Stays on the claim",
    "length": "Length",
}
DISPUTE_LABELS = {"did-make-point": "you said you made this point", "verdict-wrong": "you said this verdict is wrong"}


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


def _heading_font(widget: QWidget, scale: float) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font


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
        self._result: MatchResult | None = None
        self._disputed: dict[str, DisputeInfo] = {}  # the latest dispute per key point

        self.title = plain_label("", self)
        self.title.setObjectName("feedbackTitle")
        self.title.setWordWrap(True)
        self.title.setFont(_heading_font(self, 1.15))
        self.overall_score = plain_label("—", self)
        self.overall_score.setObjectName("overallScore")
        self.overall_score.setAccessibleName("Overall score")
        self.overall_score.setFont(_heading_font(self, 2.2))
        self.summary = plain_label("", self)
        self.summary.setObjectName("feedbackSummary")
        self.summary.setWordWrap(True)
        # What a judge would say first: the answer argued for the claim; how the chosen side argues.
        self.stance_banner = rich_label("", self)  # app-built HTML, no pack text
        self.stance_banner.setObjectName("stanceBanner")
        self.stance_banner.setWordWrap(True)
        self.stance_banner.setStyleSheet("QLabel#stanceBanner { background: #f6d0d0; color: #5c0a0a; border-radius: 4px; padding: 6px; }")
        self.stance_banner.hide()
        self.perspective_note = rich_label("", self)  # app-built HTML: every pack value escaped
        self.perspective_note.setObjectName("feedbackPerspectiveNote")
        self.perspective_note.setWordWrap(True)
        self.perspective_note.hide()

        kp_label = plain_label("&Key points", self)
        self.key_point_list = QListWidget(self)
        self.key_point_list.setObjectName("keyPointList")
        self.key_point_list.setAccessibleName("Key points and verdicts")
        self.key_point_list.setWordWrap(True)
        kp_label.setBuddy(self.key_point_list)
        self.key_point_list.currentItemChanged.connect(self.on_key_point_list_current_changed)

        self.dispute_comment = QLineEdit(self)
        self.dispute_comment.setObjectName("disputeComment")
        self.dispute_comment.setAccessibleName("Dispute comment (optional)")
        self.dispute_comment.setPlaceholderText("Comment (optional)")
        self.dispute_made_button = QPushButton("I &did make this point", self)
        self.dispute_made_button.setObjectName("disputeMadeButton")
        self.dispute_made_button.setAccessibleName("I did make this point")
        self.dispute_made_button.clicked.connect(lambda: self.file_dispute("did-make-point"))
        self.dispute_wrong_button = QPushButton("This is &wrong", self)
        self.dispute_wrong_button.setObjectName("disputeWrongButton")
        self.dispute_wrong_button.setAccessibleName("This verdict is wrong")
        self.dispute_wrong_button.clicked.connect(lambda: self.file_dispute("verdict-wrong"))
        self.dispute_status = plain_label("", self)
        self.dispute_status.setObjectName("disputeStatus")
        self.dispute_status.setWordWrap(True)

        rubric_label = plain_label("&Rubric", self)
        self.rubric_list = QListWidget(self)
        self.rubric_list.setObjectName("rubricList")
        self.rubric_list.setAccessibleName("Rubric signals")
        self.rubric_list.setWordWrap(True)
        rubric_label.setBuddy(self.rubric_list)

        response_label = plain_label("Your response (green: a key point made; red: argues for the claim)", self)
        self.response_view = QTextBrowser(self)
        self.response_view.setObjectName("responseView")
        self.response_view.setAccessibleName("Your response with matching sentences highlighted")
        self.response_view.setOpenLinks(False)
        rebuttal_label = plain_label("&Model rebuttals", self)
        self.rebuttal_view = MarkdownBrowser(self)
        self.rebuttal_view.setObjectName("rebuttalView")
        self.rebuttal_view.setAccessibleName("Model rebuttals")
        self.rebuttal_view.anchorClicked.connect(self._on_rebuttal_link)
        self._source_urls: list[str] = []
        rebuttal_label.setBuddy(self.rebuttal_view)

        self.try_again_button = QPushButton("&Try again", self)
        self.try_again_button.setObjectName("tryAgainButton")
        self.try_again_button.setAccessibleName("Try again")
        self.try_again_button.clicked.connect(self.try_again_requested.emit)
        self.next_claim_button = QPushButton("Next &claim ▶", self)
        self.next_claim_button.setObjectName("nextClaimButton")
        self.next_claim_button.setAccessibleName("Next claim")
        self.next_claim_button.clicked.connect(self.next_requested.emit)
        for button in (self.dispute_made_button, self.dispute_wrong_button, self.try_again_button, self.next_claim_button):
            button.setAutoDefault(True)

        # -- layout
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(kp_label)
        left_layout.addWidget(self.key_point_list, 3)
        row = QHBoxLayout()
        row.addWidget(self.dispute_made_button)
        row.addWidget(self.dispute_wrong_button)
        left_layout.addLayout(row)
        left_layout.addWidget(self.dispute_comment)
        left_layout.addWidget(self.dispute_status)
        left_layout.addWidget(rubric_label)
        left_layout.addWidget(self.rubric_list, 2)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(response_label)
        right_layout.addWidget(self.response_view, 2)
        right_layout.addWidget(rebuttal_label)
        right_layout.addWidget(self.rebuttal_view, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("feedbackSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        header = QHBoxLayout()
        header.addWidget(self.overall_score)
        texts = QVBoxLayout()
        texts.addWidget(self.title)
        texts.addWidget(self.summary)
        texts.addWidget(self.stance_banner)
        texts.addWidget(self.perspective_note)
        header.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.try_again_button)
        buttons.addWidget(self.next_claim_button)
        layout.addLayout(buttons)
        self.try_again_button.setVisible(not read_only)
        self.next_claim_button.setVisible(not read_only)

        QWidget.setTabOrder(self.key_point_list, self.dispute_made_button)
        QWidget.setTabOrder(self.dispute_made_button, self.dispute_wrong_button)
        QWidget.setTabOrder(self.dispute_wrong_button, self.dispute_comment)
        QWidget.setTabOrder(self.dispute_comment, self.rubric_list)
        QWidget.setTabOrder(self.rubric_list, self.response_view)
        QWidget.setTabOrder(self.response_view, self.rebuttal_view)
        QWidget.setTabOrder(self.rebuttal_view, self.try_again_button)
        QWidget.setTabOrder(self.try_again_button, self.next_claim_button)

    # -- rendering ---------------------------------------------------------
    def show_attempt(self, *, pack: Pack, attempt: AttemptInfo, result: MatchResult, disputes: list[DisputeInfo] | None = None, at_end: bool = False) -> None:
        self._attempt, self._result = attempt, result
        self._claim = claim = pack.claim(attempt.claim_id)
        self._disputed = {d.key_point_id: d for d in disputes or []}
        perspective = "my own view" if attempt.perspective_id is None else _perspective_name(pack, attempt.perspective_id)
        when = attempt.submitted_at.astimezone().strftime("%d %b %Y, %H:%M")
        self.title.setText(f"“{display_quote(claim.quote)}”")
        self.title.setToolTip(plain_tooltip(f"Claim {pack.claim_index(claim.id) + 1} of {len(pack.claims)}"))
        self.overall_score.setText(format_score(result.score))
        self.overall_score.setAccessibleDescription(f"Overall score {format_score(result.score)}")
        covered = sum(1 for k in result.key_points if k.verdict == "covered")
        partly = sum(1 for k in result.key_points if k.verdict == "partly")
        extra = f", {partly} partly" if partly else ""
        # the banner below says "you argued for the claim" more plainly than the notice
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
        self.next_claim_button.setText("&Finish ▶" if at_end else "Next &claim ▶")

        self._fill_key_point_list(pack, claim, result, attempt.perspective_id)
        self._show_stance_and_perspective(pack, claim, result, attempt.perspective_id)

        self.rubric_list.clear()
        for signal in result.rubric:
            mark = "✔" if signal.passed else "✘"
            item = QListWidgetItem(f"{mark} {RUBRIC_LABELS.get(signal.name, signal.name)}: {signal.explanation}")
            item.setToolTip(plain_tooltip(signal.explanation))
            self.rubric_list.addItem(item)

        self._show_rebuttals()
        self.dispute_comment.clear()
        self.dispute_status.setText("")
        if attempt.pending:
            self.dispute_status.setText("This attempt is saved on this computer only; disputes open once it is stored.")
        for widget in (self.dispute_made_button, self.dispute_wrong_button, self.dispute_comment):
            widget.setEnabled(not attempt.pending)
        first = next((i for i in range(self.key_point_list.count()) if self.key_point_list.item(i).data(ID_ROLE) is not None), None)
        if first is not None:
            self.key_point_list.setCurrentRow(first)
        self._render_response()

    def _show_rebuttals(self) -> None:
        """The model rebuttals with their sources (links take the theme's colours
        when the HTML is set, so a theme change shows them again)."""
        claim, result = self._claim, self._result
        self._source_urls = []
        parts: list[tuple[str, str]] = []  # rendered off the GUI thread unless cached
        for kp in self._ordered_key_points(claim, result):
            verdict = result.verdict_for(kp.id)
            icon, label = VERDICT_LABELS.get(verdict.verdict if verdict else "missed", ("?", ""))
            parts.append(("html", f'<a name="kp-{html.escape(kp.id)}"></a><h3>{icon} {html.escape(kp.statement)}</h3>'))
            if kp.rebuttal_markdown.strip():
                parts.append(("markdown", kp.rebuttal_markdown))
            else:
                parts.append(("html", "<p><i>No model rebuttal for this key point.</i></p>"))
            if kp.sources:
                parts.append(("html", self._sources_html(kp.sources)))
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

    def _add_header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a group title: shown in full colour, never selected
        font = QFont(self.key_point_list.font())
        font.setBold(True)
        item.setFont(font)
        self.key_point_list.addItem(item)

    def _fill_key_point_list(self, pack: Pack, claim: Claim, result: MatchResult, perspective_id: str | None) -> None:
        mine = set(result.perspective_key_points)
        self.key_point_list.blockSignals(True)
        self.key_point_list.clear()
        ordered = self._ordered_key_points(claim, result)
        for index, kp in enumerate(ordered):
            if mine and index == 0:
                self._add_header(f"{_perspective_name(pack, perspective_id or '')}: this side's key points")
            if mine and kp.id not in mine and ordered[index - 1].id in mine:
                self._add_header("Other key points")
            verdict = result.verdict_for(kp.id)
            name = verdict.verdict if verdict is not None else "missed"
            icon, label = VERDICT_LABELS.get(name, ("?", name))
            item = QListWidgetItem(self._key_point_text(icon, label, kp.statement, kp.id))
            item.setData(ID_ROLE, kp.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, name)
            item.setToolTip(plain_tooltip(f"{label}: {kp.statement}"))
            self.key_point_list.addItem(item)
        off_list = result.off_list()
        if off_list:
            self._add_header("Your points that are not in the key points")
            text = self._attempt.text if self._attempt else ""
            for i, note in enumerate(off_list):
                excerpt = " ".join(text[note.span.start:note.span.end].split())
                excerpt = excerpt if len(excerpt) <= 140 else excerpt[:137] + "…"
                item = QListWidgetItem(f"➕ A point not in the key points: “{excerpt}”")
                item.setData(ID_ROLE, f"off-list:{i}")
                item.setData(Qt.ItemDataRole.UserRole + 1, "off-list")
                item.setToolTip("An argument against the claim that the pack's key points do not list. "
                                "The score gives it a little credit; your coach can judge it.")
                self.key_point_list.addItem(item)
        self.key_point_list.blockSignals(False)

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

    def _key_point_text(self, icon: str, label: str, statement: str, kp_id: str) -> str:
        d = self._disputed.get(kp_id)
        suffix = ""
        if d is not None:
            outcome = dispute_outcome(d.status, d.resolved_by, d.override_verdict, d.resolution_note)
            suffix = f"\n     Disputed ({DISPUTE_LABELS.get(d.kind, d.kind)}): {outcome}"
        return f"{icon} {label}: {statement}{suffix}"

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
        self._render_response()
        if self._attempt is not None:
            bar = self.rebuttal_view.verticalScrollBar()
            position = bar.value()
            self._show_rebuttals()  # cached: shown at once, so the place can be kept
            bar.setValue(position)

    # -- questions -----------------------------------------------------------
    def current_key_point_id(self) -> str | None:
        item = self.key_point_list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    @property
    def attempt(self) -> AttemptInfo | None:
        return self._attempt

    # -- slots / actions -------------------------------------------------------
    def on_key_point_list_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        kp_id = current.data(ID_ROLE)
        verdict = current.data(Qt.ItemDataRole.UserRole + 1)
        pending = self._attempt is not None and self._attempt.pending
        is_key_point = kp_id is not None and verdict != "off-list"
        self.dispute_made_button.setEnabled(is_key_point and verdict != "covered" and not pending)
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
        item = self.key_point_list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole + 1)
        icon, label = VERDICT_LABELS.get(name, ("?", name))
        statement = next((k.statement for k in self._claim.key_points if k.id == kp_id), kp_id) if self._claim else kp_id
        item.setText(self._key_point_text(icon, label, statement, kp_id))
        self.dispute_comment.clear()
        self.dispute_status.setText("Thanks: your dispute is saved. When a coach answers it, the answer shows here, in your history.")
        self.dispute_filed.emit(dispute)


def _perspective_name(pack: Pack, perspective_id: str) -> str:
    try:
        return pack.perspective(perspective_id).name
    except KeyError:
        return perspective_id
