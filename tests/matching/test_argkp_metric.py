"""The ArgKP metric (bench/argkp.py) on a tiny hand-made folder in the ArgKP layout."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from bench.argkp import average_precision, evaluate, load_subset, main


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def tiny_argkp(tmp_path: Path) -> Path:
    t = "We should ban fossil fuel cars"
    write(tmp_path / "arguments_tiny.csv", ["arg_id", "argument", "topic", "stance"], [
        ["a1", "Car exhaust makes the air in cities unhealthy to breathe.", t, 1],
        ["a2", "Petrol engines pump carbon into the atmosphere and heat the planet.", t, 1],
        ["a3", "Dirty air from traffic causes asthma in children.", t, 1],
        ["a4", "Burning gasoline is a major cause of climate change.", t, 1],
        ["c1", "Electric cars are too expensive for ordinary families.", t, -1],
        ["c2", "Poor people could not afford to replace their cars.", t, -1],
    ])
    write(tmp_path / "key_points_tiny.csv", ["key_point_id", "key_point", "topic", "stance"], [
        ["k1", "Fossil fuel cars pollute the air", t, 1],
        ["k2", "Fossil fuel cars contribute to global warming", t, 1],
        ["k3", "A ban would hurt poor people", t, -1],
    ])
    write(tmp_path / "labels_tiny.csv", ["arg_id", "key_point_id", "label"], [
        ["a1", "k1", 1], ["a1", "k2", 0], ["a2", "k2", 1], ["a2", "k1", 0],
        ["a3", "k1", 1], ["a4", "k2", 1], ["c1", "k3", 1],  # c2/k3 unlabelled (disagreement)
    ])
    return tmp_path


def test_average_precision_matches_sklearn() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    for _ in range(20):
        y = rng.integers(0, 2, 15)
        y[0] = 1
        s = np.round(rng.random(15), 1)  # ties included
        assert average_precision(y, s) == pytest.approx(sklearn_metrics.average_precision_score(y, s))


def test_evaluate_by_hand(tiny_argkp: Path) -> None:
    args, kps, labels = load_subset(tiny_argkp, "tiny")
    preds = {
        "a1": {"k1": 0.9, "k2": 0.1},   # right, 0.9
        "a2": {"k1": 0.8, "k2": 0.2},   # wrong (labelled 0), 0.8
        "a3": {"k1": 0.3, "k2": 0.1},
        "a4": {"k1": 0.1, "k2": 0.2},
        "c1": {"k3": 0.4},
        "c2": {"k3": 0.7},              # unlabelled: strict 0, relaxed 1
    }
    m = evaluate(preds, args, labels)
    # pro: top 2 of 4 = a1 (1) and a2 (0): AP = 1.0; share of matches 0.5
    # con: top 1 of 2 = c2 (unlabelled): strict AP 0, relaxed AP 1
    assert m["v2021_strict"] == pytest.approx((1.0 + 0.0) / 2)
    assert m["v2021_relaxed"] == pytest.approx((1.0 + 1.0) / 2)
    assert m["current_strict"] == pytest.approx((1.0 * 0.5 + 0.0) / 2)
    assert m["current_relaxed"] == pytest.approx((1.0 * 0.5 + 1.0) / 2)
    # an argument without predictions counts as a non-match with score 0
    del preds["a1"]
    assert evaluate(preds, args, labels)["v2021_strict"] < 0.5


def test_bench_runs_on_an_unseen_folder(tiny_argkp: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "pred.json"
    assert main(["--data", str(tiny_argkp), "--subset", "tiny", "--predictions", str(out)]) == 0
    preds = json.loads(out.read_text())
    assert set(preds) == {"a1", "a2", "a3", "a4", "c1", "c2"}
    assert set(preds["a1"]) == {"k1", "k2"} and set(preds["c1"]) == {"k3"}
    printed = capsys.readouterr().out
    assert "mAP v2021" in printed and "mAP current" in printed
    assert preds["a1"]["k1"] > preds["a1"]["k2"]
    assert preds["a2"]["k2"] > preds["a2"]["k1"]
