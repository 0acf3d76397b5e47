"""The services under :class:`trainer.core.service.Service`, one job each.

See ``docs/architecture.md`` for who calls which and where a new feature goes.
The submodules are imported on first use (the window is shown before them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

if TYPE_CHECKING:
    from .assignments import Assignments
    from .club import Club
    from .data import Data, DataNotReadyError
    from .packs import PackExistsError, PackLibrary, UnknownPackError, builtin_packs_dir
    from .practice import Practice
    from .profiles import Profiles
    from .results import ExportOutcome, Results
    from .review import Review
    from .scoring import Scoring
    from .settings import Settings
    from .transfer import Transfer
    from .writes import OFFLINE_MESSAGE, FlushOutcome, Writes

_WHERE = {
    "Assignments": "assignments",
    "Club": "club",
    "Data": "data", "DataNotReadyError": "data",
    "PackExistsError": "packs", "PackLibrary": "packs", "UnknownPackError": "packs", "builtin_packs_dir": "packs",
    "Practice": "practice",
    "Profiles": "profiles",
    "ExportOutcome": "results", "Results": "results",
    "Review": "review",
    "Scoring": "scoring",
    "Settings": "settings",
    "Transfer": "transfer",
    "OFFLINE_MESSAGE": "writes", "FlushOutcome": "writes", "Writes": "writes",
}

__all__ = [
    "OFFLINE_MESSAGE",
    "Assignments",
    "Club",
    "Data",
    "DataNotReadyError",
    "ExportOutcome",
    "FlushOutcome",
    "PackExistsError",
    "PackLibrary",
    "Practice",
    "Profiles",
    "Results",
    "Review",
    "Scoring",
    "Settings",
    "Transfer",
    "UnknownPackError",
    "Writes",
    "builtin_packs_dir",
]


__getattr__ = lazy_attributes(__name__, _WHERE)
