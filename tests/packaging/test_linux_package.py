"""Build the Linux installers and smoke-test them (packaging/linux/build.sh, smoke.sh).

Slow (a few minutes on 2 cores, most of it the .deb's zstd -19 compression):
deselect with ``-m "not slow"``. Skips only when PyInstaller cannot run here
(not Linux/Debian, or build.sh cannot set up its build venv: exit status 3).

Everything is built in a temporary folder outside the checkout and removed
afterwards. smoke.sh unpacks the .deb into a temporary root (``dpkg-deb -x``)
and runs ``steelman --smoke`` from there offscreen, under Xvfb and without
network; only with ``CI=true`` or ``STEELMAN_TEST_SYSTEM_INSTALL=1`` does it
install the package into the real system (``dpkg -i``) and purge it again.
Each long step says what it is doing on the terminal as it starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Size limits, in MiB. Measured for 0.1.0 with the MiniLM matcher: bundle 186,
# .deb 67 (zstd -19), .tar.gz 80. The bundle is PySide6/Qt 55, onnxruntime's
# Python extension 35 (the whole CPU runtime in one library), NumPy with OpenBLAS
# 37, the matcher's model 22 (int8 encoder.onnx), tokenizers 8, Python itself
# and the rest 29. The .deb limit of 110 is the product's decision (room for a
# bigger model); the int8 model barely compresses but the libraries do, so the
# bundle is ~2.8x the .deb, and its limit is the measured size plus ~7% for
# dependency updates, not 2.8x the .deb's limit.
BUNDLE_LIMIT_MB = 200
DEB_LIMIT_MB = 110
BUILD_TIMEOUT_S = 40 * 60  # a hang guard, not a performance limit
SMOKE_TIMEOUT_S = 15 * 60

pytestmark = pytest.mark.slow


def _system_install() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("STEELMAN_TEST_SYSTEM_INSTALL") == "1"


def _mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def _deb_installed() -> bool:
    if not shutil.which("dpkg-query"):
        return False
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "steelman"], capture_output=True, text=True)
    return "install ok installed" in out.stdout


class Packaging:
    """The temporary build and dist folders, and a runner that shows progress."""

    def __init__(self, config: pytest.Config, work: Path) -> None:
        self.capture = config.pluginmanager.getplugin("capturemanager")
        self.build = work / "build"
        self.dist = work / "dist"

    def say(self, message: str) -> None:
        with self.capture.global_and_fixture_disabled():
            print(f"\n[packaging] {message}", flush=True)

    def env(self) -> dict[str, str]:
        env = dict(os.environ, STEELMAN_BUILD_DIR=str(self.build), STEELMAN_DIST_DIR=str(self.dist))
        # zstd -9 instead of the release's -19: about 4 minutes less on 2 cores, and a slightly larger
        # .deb, so the size limit checked here is stricter than the release build needs.
        env.setdefault("STEELMAN_DEB_LEVEL", "9")
        # The suite's own settings must not leak into the frozen app's runs.
        for name in ("STEELMAN_DATA_DIR", "STEELMAN_DATABASE_URL", "STEELMAN_RESOURCES", "QT_QPA_PLATFORM", "PYTHONPATH"):
            env.pop(name, None)
        return env

    def run(self, script: str, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a packaging script; its "== step" lines reach the terminal as they come."""
        lines: list[str] = []
        with subprocess.Popen(["bash", str(ROOT / script)], cwd=ROOT, env=self.env(), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) as proc:
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    lines.append(line)
                    if line.startswith("== "):
                        self.say(f"{Path(script).name}: {line[3:].strip()}")
                proc.wait(timeout=timeout)
            except BaseException:
                proc.kill()
                raise
        return subprocess.CompletedProcess(proc.args, proc.returncode, "".join(lines), "")


@pytest.fixture(scope="module")
def packaging(pytestconfig: pytest.Config) -> Iterator[Packaging]:
    work = Path(tempfile.mkdtemp(prefix="steelman-packaging-"))
    try:
        yield Packaging(pytestconfig, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def built(packaging: Packaging) -> subprocess.CompletedProcess[str]:
    if not sys.platform.startswith("linux"):
        pytest.skip(f"PyInstaller cannot build the Linux installers on {sys.platform}")
    if not shutil.which("dpkg-deb"):
        pytest.skip("PyInstaller's output cannot be packaged: dpkg-deb is missing (not Debian/Ubuntu)")
    packaging.say(f"building the bundle, the .deb and the .tar.gz in {packaging.build.parent} (a few minutes)")
    result = packaging.run("packaging/linux/build.sh", BUILD_TIMEOUT_S)
    print(result.stdout[-6000:])
    if result.returncode == 3:
        reason = next((line for line in result.stdout.splitlines() if "PyInstaller cannot run" in line), result.stdout[-500:])
        pytest.skip(reason.strip())
    assert result.returncode == 0, f"build.sh failed:\n{result.stdout[-6000:]}"
    return result


def test_build_makes_the_bundle_the_deb_and_the_tarball(built: subprocess.CompletedProcess[str], packaging: Packaging) -> None:
    dist = packaging.dist
    assert (dist / "steelman" / "steelman").is_file()
    assert os.access(dist / "steelman" / "steelman", os.X_OK)
    assert list(dist.glob("steelman_*.deb")), "no .deb"
    assert list(dist.glob("steelman-*-linux-*.tar.gz")), "no .tar.gz"
    assert "== summary" in built.stdout and " MB" in built.stdout and "times:" in built.stdout


def test_bundle_contents(built: subprocess.CompletedProcess[str], packaging: Packaging) -> None:
    internal = packaging.dist / "steelman" / "_internal"
    assert (internal / "trainer" / "resources_data" / "packs").is_dir()
    matcher = internal / "trainer" / "resources_data" / "matcher"
    for name in ("encoder.onnx", "tokenizer.json", "stance_head.json", "calibration.json"):
        assert (matcher / name).is_file(), name
    assert (matcher / "encoder.onnx").stat().st_size > 10 * 2**20, "encoder.onnx is not the model (a Git LFS pointer?)"
    # onnxruntime: its Python extension and the provider bridge it loads, nothing else
    # (no libonnxruntime.so C API, no CUDA/TensorRT providers, no tools or training code)
    capi = internal / "onnxruntime" / "capi"
    assert list(capi.glob("onnxruntime_pybind11_state*.so")), "onnxruntime's Python extension is missing"
    assert (capi / "libonnxruntime_providers_shared.so").is_file()
    assert sorted(p.name for p in capi.glob("libonnxruntime*")) == ["libonnxruntime_providers_shared.so"]
    assert list((internal / "tokenizers").glob("tokenizers*.so")), "tokenizers' extension is missing"
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
    for unused in ("tkinter", "sklearn", "scipy", "torch", "transformers", "huggingface_hub", "wordllama",
                   "onnx", "google", "flatbuffers", "sympy", "onnxruntime/tools", "onnxruntime/transformers",
                   "onnxruntime/quantization", "onnxruntime/training"):
        assert not (internal / unused).exists(), unused


def test_sizes_within_limits(built: subprocess.CompletedProcess[str], packaging: Packaging) -> None:
    dist = packaging.dist
    bundle = _mb(dist / "steelman")
    deb = _mb(next(dist.glob("steelman_*.deb")))
    tarball = _mb(next(dist.glob("steelman-*-linux-*.tar.gz")))
    print(f"bundle {bundle:.1f} MB, .deb {deb:.1f} MB, .tar.gz {tarball:.1f} MB")
    assert bundle <= BUNDLE_LIMIT_MB and deb <= DEB_LIMIT_MB, (
        f"bundle {bundle:.1f} MB (limit {BUNDLE_LIMIT_MB}), .deb {deb:.1f} MB (limit {DEB_LIMIT_MB}), .tar.gz {tarball:.1f} MB"
    )


def test_smoke_offscreen_xvfb_and_offline(built: subprocess.CompletedProcess[str], packaging: Packaging) -> None:
    system = _system_install()
    if system:
        assert not _deb_installed(), "a steelman package is already installed; smoke.sh will not touch it"
    packaging.say("smoke-testing the .deb's program and the .tar.gz" + (" (dpkg -i into the system)" if system else ""))
    try:
        result = packaging.run("packaging/linux/smoke.sh", SMOKE_TIMEOUT_S)
    finally:
        if system and _deb_installed():  # smoke.sh purges it; this is the belt to its braces
            subprocess.run(["dpkg", "--purge", "steelman"], capture_output=True)
    print(result.stdout[-6000:])
    assert result.returncode == 0, f"smoke.sh failed:\n{result.stdout[-8000:]}"
    for run in ("offscreen (cold)", "xvfb (xcb)", "strace", "portable (tar.gz)"):
        assert f"ok   {run}: smoke: ok" in result.stdout, run
    assert "no network" in result.stdout
    assert ("into the system (dpkg -i)" in result.stdout) == system
    if system:
        assert not _deb_installed(), "smoke.sh left the .deb installed"
