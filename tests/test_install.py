"""``pip install .`` (not editable) into a fresh virtualenv gives a working app."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_plain_pip_install_works_outside_the_checkout(tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
        check=True, env=env, timeout=900,
    )
    steelman = target / "bin" / "steelman"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = lambda *args: subprocess.run(  # noqa: E731
        [str(steelman), *args], cwd=outside, env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    from trainer import __version__

    assert run("--version").strip() == f"steelman {__version__}"
    assert "korea-summit-2019" in run("packs", "--data-dir", str(tmp_path / "data"))
    where = subprocess.run(
        [str(python), "-c", "from trainer.resources import resources_dir; print(resources_dir())"],
        cwd=outside, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where.startswith(str(target)) and where.endswith("resources_data")
    migrations = subprocess.run(
        [str(python), "-c", "import trainer.core.storage.migrations as m, pathlib; print(len(list(pathlib.Path(m.__path__[0]).rglob('*.py'))))"],
        cwd=outside, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert int(migrations) >= 3  # env.py and the revisions ship in the wheel
