"""The main window: the installed packs and the profiles on this machine."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.errors import describe
from ..core.service import Service
from . import dialogs


class MainWindow(QMainWindow):
    profile_added = Signal(str)

    def __init__(self, service: Service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("mainWindow")
        self.setWindowTitle("Steelman")
        self.resize(960, 640)
        self.setMinimumSize(640, 420)

        central = QWidget(self)
        layout = QHBoxLayout(central)

        packs_box = QVBoxLayout()
        packs_label = QLabel("&Packs", central)
        self.pack_list = QListWidget(central)
        self.pack_list.setObjectName("packList")
        self.pack_list.setAccessibleName("Installed packs")
        packs_label.setBuddy(self.pack_list)
        packs_box.addWidget(packs_label)
        packs_box.addWidget(self.pack_list)

        profiles_box = QVBoxLayout()
        profiles_label = QLabel("P&rofiles", central)
        self.profile_list = QListWidget(central)
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName("Profiles")
        profiles_label.setBuddy(self.profile_list)
        self.add_profile_button = QPushButton("&New profile…", central)
        self.add_profile_button.setObjectName("addProfileButton")
        self.add_profile_button.setAccessibleName("New profile")
        self.add_profile_button.clicked.connect(self.on_add_profile_clicked)
        profiles_box.addWidget(profiles_label)
        profiles_box.addWidget(self.profile_list)
        profiles_box.addWidget(self.add_profile_button)

        layout.addLayout(packs_box, 3)
        layout.addLayout(profiles_box, 2)
        self.setCentralWidget(central)
        self._build_menus()
        self.refresh()
        self._restore_geometry()

    # -- building ----------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new_profile = QAction("&New Profile…", self)
        new_profile.setShortcut(QKeySequence.StandardKey.New)
        new_profile.triggered.connect(self.on_add_profile_clicked)
        file_menu.addAction(new_profile)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Steelman", self)
        about.triggered.connect(self.on_about_triggered)
        help_menu.addAction(about)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- rendering ---------------------------------------------------------
    def refresh(self) -> None:
        self.pack_list.clear()
        for entry in self.service.pack_entries():
            if entry.pack is not None:
                pack = entry.pack
                item = QListWidgetItem(f"{pack.title}\n{pack.source.author}, {pack.source.outlet} · {len(pack.claims)} claims")
                item.setData(Qt.ItemDataRole.UserRole, pack.id)
                item.setToolTip(pack.description or pack.title)
            else:
                item = QListWidgetItem(f"⚠ {entry.path.name}: cannot be loaded ({len(entry.problems)} problem(s))")
                item.setToolTip("\n".join(str(p) for p in entry.problems[:20]))
            self.pack_list.addItem(item)
        self.profile_list.clear()
        for profile in self.service.store.list_profiles():
            item = QListWidgetItem(profile.name)
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            self.profile_list.addItem(item)
        if self.pack_list.count():
            self.pack_list.setCurrentRow(0)
        if self.profile_list.count():
            self.profile_list.setCurrentRow(0)

    # -- slots -------------------------------------------------------------
    def on_add_profile_clicked(self) -> None:
        name = dialogs.ask_text(self, "New profile", "Name:")
        if name is None:
            return
        try:
            profile = self.service.store.add_profile(name=name)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.show_error(self, "Cannot add the profile", describe(exc))
            return
        self.refresh()
        matches = self.profile_list.findItems(profile.name, Qt.MatchFlag.MatchExactly)
        if matches:
            self.profile_list.setCurrentItem(matches[0])
        self.profile_added.emit(profile.name)

    def on_about_triggered(self) -> None:
        dialogs.show_info(self, "About Steelman", f"Steelman {__version__}\nAn offline trainer for debaters.")

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        super().closeEvent(event)
