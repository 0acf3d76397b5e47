"""ArgKP key-point matching benchmark for Steelman's matcher.

    python bench/argkp.py --data ../shared/data/argkp --subset dev --predictions /tmp/dev.json

Reads ``arguments_NAME.csv`` and ``key_points_NAME.csv`` from any folder in the
ArgKP layout, scores every argument against every key point of its topic and
stance with ``Matcher.score_pairs`` (the topic is the claim), writes the
predictions in the shared-task JSON format and, if ``labels_NAME.csv`` exists,
prints mAP strict/relaxed in both metric versions (v2021 and current).

The metric lives in :func:`evaluate` so tests and the training script reuse it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- data

def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def load_subset(data: Path, subset: str):
    """Return (arguments, key_points, labels or None) as lists of dicts / a dict."""
    data = Path(data)
    args = read_csv(data / f"arguments_{subset}.csv")
    kps = read_csv(data / f"key_points_{subset}.csv")
    labels = None
    lp = data / f"labels_{subset}.csv"
    if lp.exists():
        labels = {(r["arg_id"], r["key_point_id"]): int(r["label"]) for r in read_csv(lp)}
    return args, kps, labels


def group_by_topic_stance(args: list[dict], kps: list[dict]):
    """{(topic, stance): (argument rows, key point rows)} in file order."""
    groups: dict[tuple[str, str], tuple[list, list]] = {}
    for a in args:
        groups.setdefault((a["topic"], str(int(float(a["stance"])))), ([], []))[0].append(a)
    for k in kps:
        key = (k["topic"], str(int(float(k["stance"]))))
        groups.setdefault(key, ([], []))[1].append(k)
    return groups


# --------------------------------------------------------------------------- metric

def average_precision(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """scikit-learn's average_precision_score (step-wise, ties grouped), numpy only."""
    y_true = np.asarray(y_true, dtype=float)
    y_score = np.asarray(y_score, dtype=float)
    n_pos = y_true.sum()
    if n_pos == 0:
        return 0.0  # sklearn warns and returns 0 (recall undefined)
    order = np.argsort(-y_score, kind="mergesort")
    ys, yt = y_score[order], y_true[order]
    # thresholds at distinct score values
    distinct = np.where(np.diff(ys))[0]
    idx = np.r_[distinct, yt.size - 1]
    tps = np.cumsum(yt)[idx]
    fps = 1 + idx - tps
    precision = tps / (tps + fps)
    recall = tps / n_pos
    prev_recall = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - prev_recall) * precision))


def evaluate(predictions: dict, arguments: list[dict], labels: dict) -> dict:
    """mAP strict/relaxed, v2021 and current, following the shared task's script.

    ``predictions``: {arg_id: {kp_id: score}}; ``arguments``: rows with arg_id,
    topic, stance; ``labels``: {(arg_id, kp_id): 0/1} (missing pairs = disagreement).
    """
    per_group: dict[tuple[str, str], list[tuple[float, int | None]]] = defaultdict(list)
    for a in arguments:
        kp_scores = predictions.get(a["arg_id"]) or {}
        if kp_scores:
            # first maximum in insertion order, like max() in the official script
            best_kp, best = None, -np.inf
            for kp, s in kp_scores.items():
                if s > best:
                    best_kp, best = kp, float(s)
            lab = labels.get((a["arg_id"], best_kp))
        else:
            best, lab = 0.0, 0  # dummy key point: a non-match
        per_group[(a["topic"], str(int(float(a["stance"]))))].append((best, lab))
    out = {}
    for version in ("v2021", "current"):
        for mode in ("strict", "relaxed"):
            aps = []
            for key in sorted(per_group):
                rows = per_group[key]
                scores = np.array([r[0] for r in rows])
                lab = np.array([(r[1] if r[1] is not None else (0 if mode == "strict" else 1)) for r in rows])
                top = int(len(rows) * 0.5)
                order = np.argsort(-scores, kind="mergesort")[:top]
                ap = average_precision(lab[order], scores[order]) if top > 0 else 0.0
                if version == "current":
                    ap *= float(lab[order].mean()) if top > 0 else 0.0
                aps.append(ap)
            out[f"{version}_{mode}"] = float(np.mean(aps)) if aps else 0.0
    return out


def format_metrics(m: dict) -> str:
    return (
        f"mAP v2021:   strict {m['v2021_strict']:.3f}  relaxed {m['v2021_relaxed']:.3f}\n"
        f"mAP current: strict {m['current_strict']:.3f}  relaxed {m['current_relaxed']:.3f}"
    )


# --------------------------------------------------------------------------- predictions

def predict(matcher, arguments: list[dict], key_points: list[dict]) -> dict:
    preds: dict[str, dict[str, float]] = {}
    for (topic, _stance), (g_args, g_kps) in group_by_topic_stance(arguments, key_points).items():
        if not g_args:
            continue
        if not g_kps:
            for a in g_args:
                preds[a["arg_id"]] = {}
            continue
        P = matcher.score_pairs(
            topic=topic,
            arguments=[a["argument"] for a in g_args],
            key_points=[k["key_point"] for k in g_kps],
        )
        for a, row in zip(g_args, P):
            preds[a["arg_id"]] = {k["key_point_id"]: round(float(p), 6) for k, p in zip(g_kps, row)}
    return preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder in the ArgKP layout")
    ap.add_argument("--subset", default="dev", help="NAME in arguments_NAME.csv (default: dev)")
    ap.add_argument("--predictions", type=Path, help="write the predictions JSON here")
    ap.add_argument("--params", type=Path, default=None, help="matcher parameters (default: shipped)")
    ns = ap.parse_args(argv)

    from trainer.core.matching import Matcher

    t0 = time.perf_counter()
    matcher = Matcher.load(ns.params)
    t1 = time.perf_counter()
    args, kps, labels = load_subset(ns.data, ns.subset)
    preds = predict(matcher, args, kps)
    t2 = time.perf_counter()
    print(f"matcher {matcher.version}; load {t1 - t0:.2f} s; scored {len(args)} arguments in {t2 - t1:.1f} s")
    if ns.predictions:
        ns.predictions.parent.mkdir(parents=True, exist_ok=True)
        ns.predictions.write_text(json.dumps(preds, indent=0, sort_keys=True), encoding="utf-8")
        print(f"predictions written to {ns.predictions}")
    if labels is not None:
        print(f"subset {ns.subset}:")
        print(format_metrics(evaluate(preds, args, labels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
