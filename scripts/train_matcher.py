"""Rebuild resources/matcher/ (the matcher's learned combiner) from ArgKP train data.

    cd /work/main && /work/venv/bin/python scripts/train_matcher.py [--data ../shared/data/argkp] [--cv]

Deterministic: same data -> byte-identical params.json. Only the *train* split
is read. ``--cv`` prints leave-topics-out cross-validation (GroupKFold by topic)
for the candidate combiners; model selection uses those figures only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.argkp import evaluate, group_by_topic_stance, load_subset  # noqa: E402
from trainer.core.matching.embed import Embedder, content_words, represent  # noqa: E402
from trainer.core.matching.features import FEATURE_NAMES, pair_features  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "argkp"
OUT_DIR = ROOT / "resources" / "matcher"


def build_idf(texts: list[str], min_df: int = 2) -> tuple[dict[str, float], float]:
    df: Counter = Counter()
    for t in texts:
        df.update(set(content_words(t)[1]))
    n = len(texts)
    idf = {s: round(math.log((n + 1) / (c + 1)) + 1.0, 4) for s, c in sorted(df.items()) if c >= min_df}
    default = round(math.log((n + 1) / 2) + 1.0, 4)
    return idf, default


def featurize(embedder, args, kps, labels, idf, default_idf):
    """Feature rows for every labelled (argument, key point) pair, and per-group blocks."""
    groups = group_by_topic_stance(args, kps)
    blocks = []
    for (topic, stance), (g_args, g_kps) in sorted(groups.items()):
        if not g_args or not g_kps:
            continue
        t_rep = represent(embedder, [topic], idf, default_idf)[0]
        k_reps = represent(embedder, [k["key_point"] for k in g_kps], idf, default_idf)
        a_reps = represent(embedder, [a["argument"] for a in g_args], idf, default_idf)
        F = pair_features(t_rep, k_reps, a_reps)
        blocks.append(dict(topic=topic, stance=stance, args=g_args, kps=g_kps, F=F))
    X, y, groups_ = [], [], []
    for b in blocks:
        for i, a in enumerate(b["args"]):
            for j, k in enumerate(b["kps"]):
                lab = labels.get((a["arg_id"], k["key_point_id"]))
                if lab is None:
                    continue
                X.append(b["F"][i, j])
                y.append(lab)
                groups_.append(b["topic"])
    return blocks, np.array(X), np.array(y), np.array(groups_)


# --------------------------------------------------------------------------- combiners

def fit_logreg(X, y, C=1.0):
    from sklearn.linear_model import LogisticRegression

    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mu) / sd, y)
    w = clf.coef_[0] / sd
    b = float(clf.intercept_[0] - (clf.coef_[0] * mu / sd).sum())
    return {"kind": "logreg", "weights": w.tolist(), "bias": b}


def fit_gbm(X, y, n_estimators=200, max_depth=3, learning_rate=0.05, subsample=0.8, seed=0):
    from sklearn.ensemble import GradientBoostingClassifier

    clf = GradientBoostingClassifier(
        n_estimators=n_estimators, max_depth=max_depth, learning_rate=learning_rate,
        subsample=subsample, random_state=seed,
    )
    clf.fit(X, y)
    trees = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        trees.append({
            "feature": t.feature.tolist(),
            "threshold": [round(float(v), 8) for v in t.threshold],
            "left": t.children_left.tolist(),
            "right": t.children_right.tolist(),
            "value": [round(float(v), 8) for v in t.value[:, 0, 0]],
        })
    prior = clf.init_.class_prior_[1]
    return {"kind": "gbm", "init": float(math.log(prior / (1 - prior))),
            "learning_rate": learning_rate, "trees": trees}


def predict_blocks(model, blocks):
    from trainer.core.matching.combiner import Combiner

    comb = Combiner.from_dict(model)
    preds = {}
    for b in blocks:
        P = comb.predict(b["F"])
        for a, row in zip(b["args"], P):
            preds[a["arg_id"]] = {k["key_point_id"]: float(p) for k, p in zip(b["kps"], row)}
    return preds


def cross_validate(name, fit, blocks, X, y, groups, args, labels, n_splits=6):
    from sklearn.model_selection import GroupKFold

    topics = sorted(set(groups))
    # deterministic topic folds: GroupKFold on the labelled pairs
    gkf = GroupKFold(n_splits=n_splits)
    scores = []
    for tr, te in gkf.split(X, y, groups):
        model = fit(X[tr], y[tr])
        te_topics = set(groups[te])
        te_blocks = [b for b in blocks if b["topic"] in te_topics]
        preds = predict_blocks(model, te_blocks)
        te_args = [a for a in args if a["topic"] in te_topics]
        scores.append(evaluate(preds, te_args, labels))
    mean = {k: float(np.mean([s[k] for s in scores])) for k in scores[0]}
    print(f"CV {name:28s} v2021 strict {mean['v2021_strict']:.3f} relaxed {mean['v2021_relaxed']:.3f} | "
          f"current strict {mean['current_strict']:.3f} relaxed {mean['current_relaxed']:.3f}  ({len(topics)} topics)")
    return mean


def single_feature_model(idx):
    def fit(X, y):
        w = [0.0] * X.shape[1]
        w[idx] = 1.0
        return {"kind": "logreg", "weights": w, "bias": 0.0}
    return fit


CANDIDATES = {
    "logreg C=1": lambda X, y: fit_logreg(X, y, 1.0),
    "logreg C=0.1": lambda X, y: fit_logreg(X, y, 0.1),
}
if "--gbm" in sys.argv:
    CANDIDATES["gbm 400x2 lr.05"] = lambda X, y: fit_gbm(X, y, 400, 2, 0.05)
CHOSEN = "logreg C=1"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--cv", action="store_true", help="print leave-topics-out CV figures")
    ap.add_argument("--gbm", action="store_true", help="also CV a gradient-boosting combiner")
    ap.add_argument("--baselines", action="store_true", help="also CV single features")
    ns = ap.parse_args(argv)

    args, kps, labels = load_subset(ns.data, "train")
    idf, default_idf = build_idf([a["argument"] for a in args])
    embedder = Embedder()
    blocks, X, y, groups = featurize(embedder, args, kps, labels, idf, default_idf)
    print(f"{len(X)} labelled pairs, {int(y.sum())} matches, {len(set(groups))} topics, {X.shape[1]} features")

    if ns.baselines:
        for i, n in enumerate(FEATURE_NAMES):
            if n not in ("cos_raw", "cos_topic", "cos_content", "align_kp", "overlap_kp", "cos_content_centered"):
                continue
            cross_validate(f"feature {n}", single_feature_model(i), blocks, X, y, groups, args, labels)
    if ns.cv:
        for name, fit in CANDIDATES.items():
            cross_validate(name, fit, blocks, X, y, groups, args, labels)

    model = CANDIDATES[CHOSEN](X, y)
    from trainer.core.matching.matcher import PARAMS_FORMAT

    params = {
        "format": PARAMS_FORMAT,
        "combiner_name": CHOSEN,
        "features": list(FEATURE_NAMES),
        "idf": idf,
        "default_idf": default_idf,
        "combiner": model,
        "trained_on": "ArgKP train split (24 topics), CDLA-Sharing 1.0, IBM Research (Bar-Haim et al. 2020)",
    }
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "params.json").write_text(json.dumps(params, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {ns.out / 'params.json'} ({(ns.out / 'params.json').stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
