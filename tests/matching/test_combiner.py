"""The numpy combiner reproduces scikit-learn's models exactly."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.core.matching.combiner import Combiner


def test_gbm_export_matches_sklearn() -> None:
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from train_matcher import fit_gbm, fit_logreg  # type: ignore[import-not-found]

    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 5))
    y = (X[:, 0] + 0.5 * X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=300) > 0).astype(int)
    spec = fit_gbm(X, y, n_estimators=20, max_depth=3, learning_rate=0.1)
    from sklearn.ensemble import GradientBoostingClassifier

    ref = GradientBoostingClassifier(n_estimators=20, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=0).fit(X, y)
    assert np.allclose(Combiner.from_dict(spec).predict(X), ref.predict_proba(X)[:, 1], atol=1e-6)
    lr = Combiner.from_dict(fit_logreg(X, y))
    p = lr.predict(X.reshape(30, 10, 5))
    assert p.shape == (30, 10) and np.all((p > 0) & (p < 1))
