"""Start the Qt application.

Startup is kept light: the window is shown first, then the matcher (numpy,
wordllama) loads on the background worker.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import __version__

_T0 = time.perf_counter()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("Steelman")
        QCoreApplication.setApplicationName("Steelman")
        QCoreApplication.setApplicationVersion(__version__)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setDesktopFileName("steelman")
    return app  # type: ignore[return-value]


def run_app(*, data_dir: str | None = None, database_url: str | None = None, smoke: bool = False) -> int:
    app = make_application()
    from ..core.errors import describe
    from ..core.paths import resolve_locations
    from ..core.service import Service
    from . import theme
    from .dialogs import show_error
    from .main_window import MainWindow

    theme.apply_theme(theme.saved_theme())
    locations = resolve_locations(data_dir=data_dir, database_url=database_url)
    try:
        service = Service.open(locations)
    except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
        show_error(None, "Steelman cannot open its data", describe(exc))
        return 1
    window = MainWindow(service)
    window.show()
    if smoke:
        from .smoke import run_smoke

        return run_smoke(app, window, service, started=_T0)
    window.start_background_loading()
    follow_system = app.styleHints().colorSchemeChanged
    follow_system.connect(lambda _scheme: theme.saved_theme() == "system" and window.set_theme("system"))
    try:
        return app.exec()
    finally:
        service.close()
