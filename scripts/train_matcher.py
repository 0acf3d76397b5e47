"""Rebuild resources/matcher/ (the matcher's learned combiner) from ArgKP train data.

    cd /work/main && /work/venv/bin/python scripts/train_matcher.py [--data ../shared/data/argkp] [--cv]

Deterministic: same data -> byte-identical params.json. Only the *train* split
is read. ``--cv`` prints leave-topics-out cross-validation (GroupKFold by topic)
for the candidate combiners (``--gbm``, ``--variants`` and ``--baselines`` add
more); model selection uses those figures only.
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
        b["Y"] = np.full(b["F"].shape[:2], -1.0)  # labels, -1 = unlabelled
        for i, a in enumerate(b["args"]):
            for j, k in enumerate(b["kps"]):
                lab = labels.get((a["arg_id"], k["key_point_id"]))
                if lab is None:
                    continue
                b["Y"][i, j] = lab
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


def fit_listwise(X, y, blocks, lam_ce=2.0, l2=1e-3):
    """Linear scores trained with pair BCE plus a softmax over each argument's key points.

    The softmax term (``lam_ce``) rewards ranking an argument's matching key point
    first, the first step of the shared-task metric. numpy + scipy (L-BFGS).
    Tried in CV (--variants); not shipped: the gain was within fold noise.
    """
    from scipy.optimize import minimize

    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    data = []
    for b in blocks:
        Y = b["Y"]
        data.append(((b["F"] - mu) / sd, Y, Y >= 0, (Y > 0).any(1)))
    n = sum(int(d[2].sum()) for d in data)
    dim = X.shape[1]

    def obj(theta):
        w, b0 = theta[:dim], theta[dim]
        loss, g = 0.0, np.zeros(dim + 1)
        for F, Y, lab, pos in data:
            z = F @ w + b0
            zl, yl = z[lab], Y[lab]
            loss += np.sum(np.logaddexp(0, zl) - yl * zl)
            dz = np.zeros_like(z)
            dz[lab] = 1 / (1 + np.exp(-zl)) - yl
            if lam_ce > 0 and pos.any():
                zz = z[pos]
                e = np.exp(zz - zz.max(1, keepdims=True))
                ep = np.where(Y[pos] > 0, e, 0.0)
                loss += lam_ce * np.sum(np.log(e.sum(1)) - np.log(ep.sum(1)))
                dz[pos] += lam_ce * (e / e.sum(1, keepdims=True) - ep / ep.sum(1, keepdims=True))
            g[:dim] += np.einsum("ij,ijk->k", dz, F)
            g[dim] += dz.sum()
        g /= n
        g[:dim] += 2 * l2 * w
        return loss / n + l2 * np.sum(w ** 2), g

    r = minimize(obj, np.zeros(dim + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    w = r.x[:dim] / sd
    return {"kind": "logreg", "weights": w.tolist(), "bias": float(r.x[dim] - (r.x[:dim] * mu / sd).sum())}


def fit_mlp(X, y, hidden=(32,), alpha=0.1):
    """A small MLP (scikit-learn), as a callable for CV only (not exportable here: never won CV)."""
    from sklearn.neural_network import MLPClassifier

    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    clf = MLPClassifier(hidden_layer_sizes=hidden, alpha=alpha, max_iter=300, random_state=0).fit((X - mu) / sd, y)
    return lambda F: clf.predict_proba((F.reshape(-1, F.shape[-1]) - mu) / sd)[:, 1].reshape(F.shape[:-1])


def predict_blocks(model, blocks):
    from trainer.core.matching.combiner import Combiner

    predict = model if callable(model) else Combiner.from_dict(model).predict
    preds = {}
    for b in blocks:
        P = predict(b["F"])
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
        te_topics = set(groups[te])
        if getattr(fit, "needs_blocks", False):
            model = fit(X[tr], y[tr], [b for b in blocks if b["topic"] not in te_topics])
        else:
            model = fit(X[tr], y[tr])
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
if "--variants" in sys.argv:
    def _listwise(lam, l2):
        def fit(X, y, blocks):
            return fit_listwise(X, y, blocks, lam, l2)
        fit.needs_blocks = True
        return fit

    CANDIDATES["linear BCE + 2x listwise softmax"] = _listwise(2.0, 1e-3)
    CANDIDATES["linear BCE + 4x listwise softmax"] = _listwise(4.0, 1e-4)
    CANDIDATES["MLP 32 alpha .1"] = lambda X, y: fit_mlp(X, y, (32,), 0.1)
    CANDIDATES["MLP 32-16 alpha .1"] = lambda X, y: fit_mlp(X, y, (32, 16), 0.1)
CHOSEN = "logreg C=1"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--cv", action="store_true", help="print leave-topics-out CV figures")
    ap.add_argument("--gbm", action="store_true", help="also CV a gradient-boosting combiner")
    ap.add_argument("--baselines", action="store_true", help="also CV single features")
    ap.add_argument("--variants", action="store_true", help="also CV listwise-trained linear and MLP combiners")
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
