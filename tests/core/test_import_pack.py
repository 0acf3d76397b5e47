"""Importing a pack: validated first, installed as a .steelpack, never clobbering silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.core.packs import PackValidationError, build_archive
from trainer.core.paths import resolve_locations
from trainer.core.service import PackExistsError, Service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service.open(resolve_locations(data_dir=tmp_path / "data"))
    yield svc
    svc.close()


def test_import_a_folder_and_an_archive(service: Service, tiny_pack_dir: Path, tmp_path: Path) -> None:
    pack = service.packs.import_pack(tiny_pack_dir)
    assert pack.id == "tiny-uniforms"
    assert (service.locations.packs_dir / "tiny-uniforms.steelpack").is_file()
    assert "tiny-uniforms" in [p.id for p in service.packs.all()]
    with pytest.raises(PackExistsError, match="already installed"):
        service.packs.import_pack(build_archive(tiny_pack_dir, tmp_path / "again.steelpack"))
    edited = tiny_pack_dir / "pack.toml"
    edited.write_text(edited.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.2.0"'), encoding="utf-8")
    assert service.packs.import_pack(build_archive(tiny_pack_dir, tmp_path / "v2.steelpack"), replace=True).version == "0.2.0"


def test_an_invalid_pack_is_not_installed(service: Service, tiny_pack_dir: Path) -> None:
    claim = tiny_pack_dir / "claims" / "01-expression.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("difficulty = 1", "difficulty = 5"), encoding="utf-8")
    with pytest.raises(PackValidationError):
        service.packs.import_pack(tiny_pack_dir)
    assert not service.locations.packs_dir.exists() or not any(service.locations.packs_dir.iterdir())


def test_a_builtin_id_cannot_be_taken(service: Service, tmp_path: Path) -> None:
    from trainer.core.service import builtin_packs_dir

    with pytest.raises(PackExistsError, match="built-in"):
        service.packs.import_pack(builtin_packs_dir() / "korea-summit-2019")


def test_replacing_a_pack_kept_as_a_folder_moves_the_old_copy_aside(service: Service, tiny_pack_dir: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(tiny_pack_dir, service.locations.packs_dir / "tiny")
    service.packs.import_pack(build_archive(tiny_pack_dir, tmp_path / "t.steelpack"), replace=True)
    entries = [e for e in service.packs.entries(reload=True) if not e.builtin]
    assert [e.path.name for e in entries] == ["tiny-uniforms.steelpack"]
    assert all(e.pack is not None for e in entries)
    assert any((service.locations.packs_dir / "replaced").iterdir())
