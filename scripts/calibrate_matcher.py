"""Fit the matcher's combiner and thresholds (resources/matcher/calibration.json).

Reads the *tune* set only (bench/data/korea_feedback_tune.jsonl: 70 labelled
student-style responses on 10 claims of the Korea pack that the dev set does
not use) and the shipped encoder, then:

1. for each (response, key point), takes the features of the response's best
   sentence for that key point (gated sentences left out, as at run time) and
   fits a logistic regression (L2, numpy) on the judge's label: covered 1,
   partly 0.5, missed 0;
2. picks the gate thresholds (support, restatement) and the off-list credit
   by a small grid search that maximises F1 of "covered" plus the Spearman rho
   of score against grade on the same tune set.

Deterministic; runs in seconds. `scripts/train_matcher.py` calls it at the end.

    python scripts/calibrate_matcher.py [--out resources/matcher/calibration.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _design(matcher, rows):  # noqa: ANN001
    cal = matcher.calibration
    X, y = [], []
    for row, claim, _kps, ev in rows:
        if not len(ev.texts):
            continue
        allowed = ~ev.keyword & ~ev.reported & (ev.stance[:, 1] < cal.support_gate)
        covered, partly = set(row.get("covered", ())), set(row.get("partly", ()))
        for j, kp in enumerate(claim.key_points):
            sims = np.where(allowed, ev.sim[:, j], -np.inf)
            if not np.isfinite(sims).any():
                continue
            i = int(np.argmax(sims))
            X.append(ev.features[i, j])
            y.append(1.0 if kp.id in covered else 0.5 if kp.id in partly else 0.0)
    return np.array(X), np.array(y)


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000) -> tuple[np.ndarray, float]:
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    w, b = np.zeros(Z.shape[1]), 0.0
    lr = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        g = p - y
        w -= lr * (Z.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    # back to raw feature units
    return w / sd, float(b - (w * mu / sd).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "matcher" / "calibration.json")
    parser.add_argument("--windows", choices=("text", "mean", "none"), default="mean",
                        help="adjacent sentence pairs: approximated by the mean of their sentences (default, fast), embedded as one text, or none")
    parser.add_argument("--no-stance-model", action="store_true",
                        help="ignore the encoder's stance head; stance comes from the rules in gates.py only")
    args = parser.parse_args(argv)

    from feedback_quality import PACK_ID, collect, evaluate, load_set

    from trainer.core.matching.matcher import Calibration, Matcher
    from trainer.core.packs import load_pack

    pack = load_pack(ROOT / "resources" / "packs" / PACK_ID)
    matcher = Matcher.load(calibration_path=Path("/nonexistent"))  # start from the defaults
    matcher.calibration = replace(Calibration.default(), windows=args.windows, stance_model=not args.no_stance_model)
    tune = load_set("tune")
    rows = collect(tune, matcher, pack)

    best = None
    for support_gate, restate_cos in itertools.product((0.5, 0.6, 0.7, 0.8, 1.01), (0.75, 0.8, 0.85, 0.9)):
        base = replace(matcher.calibration, support_gate=support_gate, restate_cos=restate_cos)
        matcher.calibration = base
        X, y = _design(matcher, rows)
        w, b = fit_logistic(X, y)
        for credit in (0.0, 0.1, 0.15, 0.2):
            cal = replace(base, weights=tuple(round(float(v), 6) for v in w), bias=round(b, 6), off_list_credit=credit)
            matcher.calibration = cal
            r = evaluate(tune, matcher, pack, rows)
            f1 = 2 * r["precision"] * r["recall"] / max(r["precision"] + r["recall"], 1e-9)
            objective = f1 + r["rho"]
            if best is None or objective > best[0] + 1e-9:
                best = (objective, cal, r)
    assert best is not None
    objective, cal, r = best
    print(f"tune: F1 {2 * r['precision'] * r['recall'] / max(r['precision'] + r['recall'], 1e-9):.3f} "
          f"(P {r['precision']:.3f} R {r['recall']:.3f}), AUC {r['auc']:.3f}, rho {r['rho']:.3f}; "
          f"support_gate {cal.support_gate}, restate_cos {cal.restate_cos}, off_list_credit {cal.off_list_credit}")
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(Calibration.FEATURES, cal.weights)) + f", bias {cal.bias:+.2f}")
    args.out.write_text(json.dumps(cal.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
