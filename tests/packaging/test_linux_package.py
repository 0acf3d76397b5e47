"""Build the Linux installers and smoke-test them (packaging/linux/build.sh, smoke.sh).

Slow (about 5 minutes on 2 cores, most of it the .deb's zstd -19 compression):
deselect with ``-m "not slow"``. Skips only when PyInstaller cannot run here
(not Linux/Debian, or build.sh cannot set up its build venv: exit status 3).
smoke.sh installs the .deb (root or password-less sudo), runs ``steelman --smoke``
offscreen, under Xvfb and without network, and always purges the package again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "packaging" / "dist"
BUNDLE_LIMIT_MB = 150
DEB_LIMIT_MB = 60
BUILD_TIMEOUT_S = 20 * 60
SMOKE_TIMEOUT_S = 5 * 60

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # The suite's own settings must not leak into the frozen app's runs.
    for name in ("STEELMAN_DATA_DIR", "STEELMAN_DATABASE_URL", "STEELMAN_RESOURCES", "QT_QPA_PLATFORM", "PYTHONPATH"):
        env.pop(name, None)
    return env


def _mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def _deb_installed() -> bool:
    if not shutil.which("dpkg-query"):
        return False
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "steelman"], capture_output=True, text=True)
    return "install ok installed" in out.stdout


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess[str]:
    if not sys.platform.startswith("linux"):
        pytest.skip(f"PyInstaller cannot build the Linux installers on {sys.platform}")
    if not shutil.which("dpkg-deb"):
        pytest.skip("PyInstaller's output cannot be packaged: dpkg-deb is missing (not Debian/Ubuntu)")
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "linux" / "build.sh")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    print(result.stdout[-6000:])
    if result.returncode == 3:
        reason = next((line for line in result.stderr.splitlines() if "PyInstaller cannot run" in line), result.stderr[-500:])
        pytest.skip(reason.strip())
    assert result.returncode == 0, f"build.sh failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def test_build_makes_the_bundle_the_deb_and_the_tarball(built: subprocess.CompletedProcess[str]) -> None:
    assert (DIST / "steelman" / "steelman").is_file()
    assert os.access(DIST / "steelman" / "steelman", os.X_OK)
    assert list(DIST.glob("steelman_*.deb")), "no .deb"
    assert list(DIST.glob("steelman-*-linux-*.tar.gz")), "no .tar.gz"
    assert "== summary" in built.stdout and " MB" in built.stdout and "times:" in built.stdout


def test_bundle_contents(built: subprocess.CompletedProcess[str]) -> None:
    internal = DIST / "steelman" / "_internal"
    assert (internal / "trainer" / "resources_data" / "packs").is_dir()
    assert (internal / "trainer" / "resources_data" / "matcher").is_dir()
    assert list((internal / "wordllama" / "weights").glob("*.safetensors"))
    assert list((internal / "wordllama" / "tokenizers").glob("*.json"))
    assert list((internal / "wordllama" / "config").rglob("*.toml"))
    assert (internal / "trainer" / "core" / "storage" / "migrations" / "env.py").is_file()
    assert list((internal / "trainer" / "core" / "storage" / "migrations" / "versions").glob("0001_*.py"))
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert (plugins / "platforms" / "libqoffscreen.so").is_file()
    trimmed = [
        plugins / "platformthemes" / "libqgtk3.so",
        plugins / "platforms" / "libqwayland.so",
        plugins / "egldeviceintegrations",
        plugins / "networkinformation",
        plugins / "tls",
        internal / "PySide6" / "Qt" / "translations",
        internal / "PySide6" / "Qt" / "lib" / "libQt6Network.so.6",
        internal / "libgtk-3.so.0",
    ]
    assert [p for p in trimmed if p.exists()] == []
    assert not list(internal.rglob("libssl.so*")), "OpenSSL is not needed: the app never uses the network"
    for unused in ("tkinter", "sklearn", "scipy", "torch", "huggingface_hub"):
        assert not (internal / unused).exists(), unused


def test_sizes_within_limits(built: subprocess.CompletedProcess[str]) -> None:
    bundle = _mb(DIST / "steelman")
    deb = _mb(next(DIST.glob("steelman_*.deb")))
    tarball = _mb(next(DIST.glob("steelman-*-linux-*.tar.gz")))
    print(f"bundle {bundle:.1f} MB, .deb {deb:.1f} MB, .tar.gz {tarball:.1f} MB")
    assert bundle <= BUNDLE_LIMIT_MB and deb <= DEB_LIMIT_MB, (
        f"bundle {bundle:.1f} MB (limit {BUNDLE_LIMIT_MB}), .deb {deb:.1f} MB (limit {DEB_LIMIT_MB}), .tar.gz {tarball:.1f} MB"
    )


def test_smoke_installed_offscreen_xvfb_and_offline(built: subprocess.CompletedProcess[str]) -> None:
    assert not _deb_installed(), "a steelman package is already installed; smoke.sh will not touch it"
    try:
        result = subprocess.run(
            ["bash", str(ROOT / "packaging" / "linux" / "smoke.sh")],
            cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=SMOKE_TIMEOUT_S,
        )
    finally:
        if _deb_installed():  # smoke.sh purges it; this is the belt to its braces
            subprocess.run(["dpkg", "--purge", "steelman"], capture_output=True)
    print(result.stdout[-6000:])
    assert result.returncode == 0, f"smoke.sh failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    for run in ("offscreen (cold)", "xvfb (xcb)", "strace", "portable (tar.gz)"):
        assert f"ok   {run}: smoke: ok" in result.stdout, run
    assert "no network" in result.stdout
    assert not _deb_installed(), "smoke.sh left the .deb installed"
