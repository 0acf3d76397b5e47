"""The learned combiner, evaluated with numpy only (no scikit-learn at run time).

Two kinds are understood, both produced by scripts/train_matcher.py:

* ``logreg``: ``p = sigmoid(bias + X @ weights)``;
* ``gbm``: gradient-boosted regression trees (scikit-learn's
  GradientBoostingClassifier, exported node by node), ``p = sigmoid(init +
  learning_rate * sum(tree values))``.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class Combiner:
    def __init__(self, spec: dict):
        self.kind = spec["kind"]
        if self.kind == "logreg":
            self.w = np.asarray(spec["weights"], dtype=np.float64)
            self.b = float(spec["bias"])
        elif self.kind == "gbm":
            self.init = float(spec["init"])
            self.lr = float(spec["learning_rate"])
            self.trees = []
            for t in spec["trees"]:
                self.trees.append((
                    np.asarray(t["feature"], dtype=np.int64),
                    np.asarray(t["threshold"], dtype=np.float64),
                    np.asarray(t["left"], dtype=np.int64),
                    np.asarray(t["right"], dtype=np.int64),
                    np.asarray(t["value"], dtype=np.float64),
                ))
        else:
            raise ValueError(f"unknown combiner kind {self.kind!r}")

    @classmethod
    def from_dict(cls, spec: dict) -> "Combiner":
        return cls(spec)

    def decision(self, X: np.ndarray) -> np.ndarray:
        shape = X.shape[:-1]
        X2 = X.reshape(-1, X.shape[-1]).astype(np.float64)
        if self.kind == "logreg":
            z = self.b + X2 @ self.w
        else:
            z = np.full(X2.shape[0], self.init)
            rows = np.arange(X2.shape[0])
            for feat, thr, left, right, val in self.trees:
                node = np.zeros(X2.shape[0], dtype=np.int64)
                while True:
                    f = feat[node]
                    inner = left[node] >= 0
                    if not inner.any():
                        break
                    go_left = X2[rows, np.where(inner, f, 0)] <= thr[node]
                    nxt = np.where(go_left, left[node], right[node])
                    node = np.where(inner, nxt, node)
                z += self.lr * val[node]
        return z.reshape(shape)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return _sigmoid(self.decision(X))
