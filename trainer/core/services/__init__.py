"""The services under :class:`trainer.core.service.Service`, one job each.

See ``docs/architecture.md`` for who calls which and where a new feature goes.
"""

from .data import Data, DataNotReadyError
from .packs import PackExistsError, PackLibrary, UnknownPackError, builtin_packs_dir
from .practice import Practice
from .profiles import Profiles
from .results import ExportOutcome, Results
from .scoring import Scoring
from .settings import Settings
from .writes import OFFLINE_MESSAGE, FlushOutcome, Writes

__all__ = [
    "OFFLINE_MESSAGE",
    "Data",
    "DataNotReadyError",
    "ExportOutcome",
    "FlushOutcome",
    "PackExistsError",
    "PackLibrary",
    "Practice",
    "Profiles",
    "Results",
    "Scoring",
    "Settings",
    "UnknownPackError",
    "Writes",
    "builtin_packs_dir",
]
