"""Content packs: the format (see docs/pack-format.md), loading and validation."""

from .loader import load_pack, validate_pack
from .model import (
    CLAIM_KINDS,
    SCHEMA_VERSION,
    WEAK_KINDS,
    Citation,
    Claim,
    KeyPoint,
    Pack,
    Perspective,
    Source,
    WeakExample,
)
from .problems import PackValidationError, Problem
from .registry import PackEntry, discover_packs
from .source import ARCHIVE_SUFFIX, build_archive

__all__ = [
    "ARCHIVE_SUFFIX",
    "CLAIM_KINDS",
    "SCHEMA_VERSION",
    "WEAK_KINDS",
    "Citation",
    "Claim",
    "KeyPoint",
    "Pack",
    "PackEntry",
    "PackValidationError",
    "Perspective",
    "Problem",
    "Source",
    "WeakExample",
    "build_archive",
    "discover_packs",
    "load_pack",
    "validate_pack",
]
