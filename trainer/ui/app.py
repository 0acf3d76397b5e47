"""Start the Qt application.

Startup is kept light: the window is shown first, with "Opening your data…";
the database is opened, checked and backed up on the background worker, then
the matcher (numpy, onnxruntime) loads there too.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import __version__

if TYPE_CHECKING:
    from ..core.instance import InstanceLock
    from ..core.paths import Locations
    from ..core.service import Service
    from .main_window import MainWindow

_T0 = time.perf_counter()


def _set_window_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    from ..resources import ResourceError, resource_path

    try:
        icon = resource_path("icons/steelman.svg")
    except ResourceError:
        return
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("Steelman")
        QCoreApplication.setApplicationName("Steelman")
        QCoreApplication.setApplicationVersion(__version__)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setDesktopFileName("io.github.steelman.Steelman")  # matches packaging/linux/*.desktop
        _set_window_icon(app)
    return app  # type: ignore[return-value]


def use_portable_settings(locations: Locations) -> None:
    """In portable mode, QSettings writes an INI file inside steelman-data, not to the host."""
    from PySide6.QtCore import QSettings

    from ..core.paths import settings_path

    path = settings_path(locations)
    if path is not None:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path.parent))


def install_error_dialog() -> None:
    """Show any exception that escapes a slot as a plain dialog, never a traceback.

    The traceback still goes to stderr (for bug reports); the work in the
    window is untouched because nothing else is unwound.
    """
    import traceback

    from ..core.errors import describe
    from .dialogs import show_error

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        traceback.print_exception(kind, value, tb)  # type: ignore[arg-type]
        show_error(QApplication.activeWindow(), "Something went wrong", f"{describe(value)}\n\nYour text has not been lost.")

    sys.excepthook = hook


def start_window(locations: Locations, lock: InstanceLock | None, *, backup: bool = True) -> tuple[Service, MainWindow]:
    """The window, shown, with its database opening on the worker behind it."""
    from ..core.service import Service
    from .main_window import MainWindow

    service = Service.unopened(locations)
    window = MainWindow(service)
    window.show()
    QApplication.processEvents()  # drawn first: importing SQLAlchemy on the worker would hold the GIL
    window.shown_at = time.time()
    window.open_data(lock, backup=backup)
    return service, window


def run_app(*, data_dir: str | None = None, database_url: str | None = None, smoke: bool = False) -> int:
    """Show the window at once; the database opens on the worker behind it
    (``MainWindow.open_data``), then the matcher loads."""
    app = make_application()
    from ..core.errors import describe
    from ..core.instance import InstanceLock
    from ..core.paths import resolve_locations
    from . import theme
    from .dialogs import show_error

    locations = resolve_locations(data_dir=data_dir, database_url=database_url)
    use_portable_settings(locations)
    theme.apply_theme(theme.saved_theme())
    try:
        locations.data_dir.mkdir(parents=True, exist_ok=True)
        lock = InstanceLock(locations.data_dir)
        if not lock.acquire():
            show_error(None, "Steelman is already running", lock.busy_message())
            return 1
    except OSError as exc:
        show_error(None, "Steelman cannot use its data folder", describe(exc))
        return 1
    service, window = start_window(locations, lock, backup=not smoke)
    shown = time.perf_counter() - (time.time() - window.shown_at)

    def cannot_open(message: str) -> None:
        if smoke:
            sys.stderr.write(f"smoke: FAILED: {message}\n")
        else:
            show_error(window, "Steelman cannot open its data", message)
        window.close()
        app.exit(1)

    window.data_failed.connect(cannot_open)
    if smoke:
        from .smoke import run_smoke

        window.data_opened.connect(lambda: app.exit(run_smoke(app, window, service, started=_T0, shown=shown)))
    else:
        install_error_dialog()
        window.data_opened.connect(window.start_background_loading)
        follow_system = app.styleHints().colorSchemeChanged
        follow_system.connect(lambda _scheme: theme.saved_theme() == "system" and window.set_theme("system"))
    try:
        return app.exec()
    finally:
        service.close()
        lock.release()
