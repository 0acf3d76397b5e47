"""``steelman --smoke``: prove the app starts, loads a pack and the matcher, and scores."""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication

SMOKE_RESPONSE = (
    "Kim may never give up every weapon, but sanctions and verification can still cap and roll back "
    "the programme, because the 2017 UN resolutions cut North Korea's exports. That matters: a freeze "
    "is far safer than an arsenal that keeps growing."
)


def run_smoke(app: QApplication, window, service, *, started: float, shown: float) -> int:  # noqa: ANN001
    """Runs once the window is shown and the data is open; ``shown`` is when the window was."""
    try:
        app.processEvents()
        opened = time.perf_counter()
        packs = service.packs.all()
        if not packs:
            raise RuntimeError("no pack could be loaded")
        pack = packs[0]
        claim = pack.claims[0]
        t0 = time.perf_counter()
        service.scoring.matcher()
        loaded = time.perf_counter()
        result = service.scoring.score(pack_id=pack.id, claim_id=claim.id, text=SMOKE_RESPONSE)
        scored = time.perf_counter()
    except Exception as exc:  # noqa: BLE001
        from ..core.errors import describe

        sys.stderr.write(f"smoke: FAILED: {describe(exc)}\n")
        return 1
    finally:
        window.close()
        service.close()
    sys.stdout.write(
        f"smoke: ok window={1000 * (shown - started):.0f}ms data={1000 * (opened - started):.0f}ms pack={pack.id} claims={len(pack.claims)} "
        f"matcher_load={1000 * (loaded - t0):.0f}ms score={1000 * (scored - loaded):.1f}ms "
        f"result={result.score:.2f} matcher={result.matcher_version}\n"
    )
    return 0
