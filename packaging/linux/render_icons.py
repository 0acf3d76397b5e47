"""Render packaging/linux/icons/steelman.svg to PNGs (16-512 px) and a Windows .ico.

Run with a Python that has PySide6 (e.g. the build venv):
    QT_QPA_PLATFORM=offscreen python packaging/linux/render_icons.py
The outputs are committed, so builds do not need to run this.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - needed for painting
    svg = HERE / "icons" / "steelman.svg"
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    pngs = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = HERE / "icons" / f"steelman-{size}.png"
        image.save(str(out), "PNG")
        pngs.append(out)
        print(f"wrote {out.relative_to(HERE.parent.parent)}")
    convert = shutil.which("convert") or shutil.which("magick")
    ico = HERE.parent / "windows" / "steelman.ico"
    if convert:
        ico.parent.mkdir(exist_ok=True)
        wanted = [p for p in pngs if int(p.stem.rsplit("-", 1)[1]) in (16, 24, 32, 48, 64, 256)]
        subprocess.run([convert, *map(str, wanted), str(ico)], check=True)
        print(f"wrote {ico.relative_to(HERE.parent.parent)}")
    else:
        print("imagemagick not found: steelman.ico not rebuilt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
