"""How far a strict debate judge would sign the matcher's feedback.

Scores the hand-labelled student-style responses in bench/data/ (written for
the Korea pack, not copied from its wording; see bench/data/README.md) through
the same path as the app (trainer.core.scoring.score_claim) and prints:

* key-point ROC AUC: the matcher's probability for each (response, key point)
  against the judge's label (covered = 1, missed = 0; "partly" left out);
* precision and recall of the verdict "covered";
* Spearman rho between the score and the judge's grade (0-4);
* the mean score by kind of response, and the decoys' mean against the strong
  responses' mean.

    .venv/bin/python bench/feedback_quality.py            # the dev set (report these)
    .venv/bin/python bench/feedback_quality.py --set tune  # the set the thresholds were tuned on
    .venv/bin/python bench/feedback_quality.py --show 5    # also the 5 worst misses and false alarms

The targets (issue 11) are printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data"
PACK_ID = "korea-summit-2019"
DECOYS = ("agree-decoy", "concede-dismiss")


def load_set(name: str) -> list[dict]:
    path = DATA / f"korea_feedback_{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney AUC with ties counted half."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    def ranks(x: np.ndarray) -> np.ndarray:
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        r[order] = np.arange(len(x), dtype=float)
        for v in np.unique(x):  # average ranks for ties
            idx = x == v
            r[idx] = r[idx].mean()
        return r

    ra, rb = ranks(np.asarray(a, float)), ranks(np.asarray(b, float))
    return float(np.corrcoef(ra, rb)[0, 1])


def collect(rows: list[dict], matcher, pack) -> list[tuple]:  # noqa: ANN001
    """The expensive part, once per response: the encoder's evidence for each row."""
    from trainer.core.scoring import background_texts, key_point_inputs

    out = []
    for row in rows:
        claim = pack.claim(row["claim_id"])
        kps = key_point_inputs(claim)
        ev = matcher.evidence(claim=claim.quote, key_points=kps, text=row["text"], background=background_texts(pack, claim))
        out.append((row, claim, kps, ev))
    return out


def evaluate(rows: list[dict], matcher, pack, collected: list[tuple] | None = None) -> dict:  # noqa: ANN001
    """Score every row as the app does (Matcher.score = evidence + judge) and compare with the labels."""
    known = {p.id for p in pack.perspectives}
    probs, labels, pred_cov, true_cov = [], [], [], []
    scores, grades, kinds = [], [], []
    misses, alarms = [], []
    for row, claim, kps, ev in collected if collected is not None else collect(rows, matcher, pack):
        perspective = row.get("perspective") if row.get("perspective") in known else None
        result = matcher.judge(ev, claim=claim.quote, key_points=kps, text=row["text"], perspective=perspective)
        covered, partly = set(row.get("covered", ())), set(row.get("partly", ()))
        for kp in claim.key_points:
            verdict = result.verdict_for(kp.id)
            p = verdict.probability if verdict else 0.0
            is_cov = verdict is not None and verdict.verdict == "covered"
            if kp.id not in partly:
                probs.append(p)
                labels.append(1 if kp.id in covered else 0)
                pred_cov.append(is_cov)
                true_cov.append(kp.id in covered)
                if kp.id in covered and not is_cov:
                    misses.append((p, row["id"], kp.id, row["text"]))
                if is_cov and kp.id not in covered:
                    alarms.append((p, row["id"], kp.id, row["text"]))
        scores.append(result.score)
        grades.append(row["grade"])
        kinds.append(row["kind"])
    probs_a, labels_a = np.array(probs), np.array(labels)
    pred, true = np.array(pred_cov), np.array(true_cov)
    tp = int((pred & true).sum())
    by_kind: dict[str, list[float]] = defaultdict(list)
    for k, s in zip(kinds, scores):
        by_kind[k].append(s)
    strong = float(np.mean(by_kind.get("strong", [0.0])))
    decoy = float(np.mean([s for k in DECOYS for s in by_kind.get(k, [])] or [0.0]))
    return {
        "n": len(rows),
        "auc": roc_auc(probs_a, labels_a),
        "precision": tp / max(int(pred.sum()), 1),
        "recall": tp / max(int(true.sum()), 1),
        "rho": spearman(np.array(scores), np.array(grades)),
        "by_kind": {k: float(np.mean(v)) for k, v in sorted(by_kind.items())},
        "strong": strong,
        "decoy": decoy,
        "misses": sorted(misses),
        "alarms": sorted(alarms, reverse=True),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("dev", "tune"), default="dev")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print the N worst misses and false alarms")
    args = parser.parse_args(argv)

    from trainer.core.matching import Matcher
    from trainer.core.packs import load_pack
    from trainer.resources import resource_path

    pack = load_pack(resource_path(f"packs/{PACK_ID}"))
    matcher = Matcher.load()
    rows = load_set(args.set)
    r = evaluate(rows, matcher, pack)
    print(f"matcher {matcher.version}; {args.set} set: {r['n']} responses")
    print(f"key-point ROC AUC            {r['auc']:.3f}   (target >= 0.93)")
    print(f"'covered' precision / recall {r['precision']:.3f} / {r['recall']:.3f}   (target >= 0.85 / >= 0.85)")
    print(f"Spearman rho score vs grade  {r['rho']:.3f}   (target >= 0.7)")
    print(f"decoys' mean / strong mean   {r['decoy']:.3f} / {r['strong']:.3f} = {r['decoy'] / max(r['strong'], 1e-9):.2f}   (target <= 0.5)")
    print("mean score by kind          " + ", ".join(f"{k} {v:.3f}" for k, v in r["by_kind"].items()))
    kw, off = r["by_kind"].get("keywords", 0.0), r["by_kind"].get("off-topic", 0.0)
    print(f"keywords / off-topic mean    {kw:.3f} / {off:.3f}   (target <= 0.15 each)")
    for title, items in (("worst misses", r["misses"]), ("worst false alarms", r["alarms"])):
        for p, rid, kp, text in items[: args.show]:
            print(f"  {title[:-2]}: {rid} {kp} p={p:.2f}: {text[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
