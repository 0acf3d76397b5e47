"""The Qt-free core of Steelman. Nothing under this package may import PySide6."""
