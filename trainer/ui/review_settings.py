"""Practice ▸ Review Settings…: the scores that rate an answer for spaced review.

Three whole percents (``core/review.py``): a score under *Again* rates the
answer Again, under *Hard* Hard, under *Good* Good, otherwise Easy. They must
go up; OK is disabled (and the reason shown) while they do not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from ..core.errors import describe
from ..core.review import Thresholds
from . import dialogs
from .plain import plain_label

if TYPE_CHECKING:
    from ..core.service import Service


class ReviewSettingsDialog(QDialog):
    def __init__(self, current: Thresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewSettingsDialog")
        self.setWindowTitle("Review Settings")
        intro = plain_label(
            "Each answer you submit schedules its claim for review: a weak answer comes back tomorrow, a strong "
            "one after days or weeks. Your score rates the answer:", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        for name, text in (("again", "&Again (back tomorrow) below:"), ("hard", "&Hard below:"), ("good", "&Good below (Easy from there):")):
            spin = QSpinBox(self)
            spin.setObjectName(f"{name}Threshold")
            spin.setRange(0, 100)
            spin.setSuffix("%")
            spin.setValue(getattr(current, name))
            spin.setAccessibleName(f"{name.capitalize()} threshold, percent")
            spin.valueChanged.connect(self._check)
            label = plain_label(text, self)
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.spins[name] = spin
        self.problem = plain_label("", self)
        self.problem.setObjectName("reviewSettingsProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def values(self) -> dict[str, int]:
        return {name: spin.value() for name, spin in self.spins.items()}

    def restore_defaults(self) -> None:
        default = Thresholds()
        for name, spin in self.spins.items():
            spin.setValue(getattr(default, name))

    def _check(self) -> None:
        try:
            Thresholds(**self.values())
            problem = ""
        except ValueError as exc:
            problem = f"⚠ {str(exc)[:1].upper()}{str(exc)[1:]}."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


def run_dialog(dialog: ReviewSettingsDialog) -> bool:
    """Show the dialog modally (tests replace this)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def edit_review_settings(parent: QWidget, service: Service) -> Thresholds | None:
    """Ask for new thresholds and store them; the new ones, or ``None`` if nothing changed."""
    if not service.review.may_change_thresholds():
        dialogs.show_info(parent, "Review settings", "The review thresholds apply to every student on this computer, so "
                          "only a coach may change them here: Coach ▸ Unlock as Coach… first.")
        return None
    try:
        dialog = ReviewSettingsDialog(service.review.thresholds(), parent)
    except Exception as exc:  # noqa: BLE001 - shown to the user
        dialogs.show_error(parent, "Cannot open the review settings", describe(exc))
        return None
    if not run_dialog(dialog):
        return None
    try:
        return service.review.set_thresholds(**dialog.values())
    except Exception as exc:  # noqa: BLE001 - shown to the user
        dialogs.show_error(parent, "The review settings were not saved", describe(exc))
        return None
