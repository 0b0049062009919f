#!/usr/bin/env python3
"""Reference vectors for the ScoreTypes tests.

Builds small deterministic inputs (seeded numpy) and writes vectors.json beside this
script with the scores that scikit-learn (and, for PLAsTiCC and the older log-loss
variants, the numpy references below) computes for them. ScoreTypesTests reads the JSON
and checks every Swift score type against it.

Run from the repository root:

    .runtime/venv/bin/python Tests/ScoreTypesTests/Vectors/make_vectors.py

The committed vectors.json was made with scikit-learn 1.9.1 and numpy 2.4.6 (the file
records the versions it was made with under "versions").

Expected values are keyed by the test's name for a configured score type; a null value
means the score is undefined (scikit-learn returns NaN) and the Swift type must throw
ScoreTypeError.undefined. "sources" says what computed each key.
"""

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)

MACHINE_EPSILON = float(np.finfo(np.float64).eps)

SOURCES = {
    "accuracy": "sklearn accuracy_score(y, P.argmax(1))",
    "balanced_accuracy": "sklearn balanced_accuracy_score(y, P.argmax(1))",
    "balanced_accuracy_adjusted": "sklearn balanced_accuracy_score(y, P.argmax(1), adjusted=True)",
    "roc_auc": "binary: sklearn roc_auc_score(y, P[:, 1]); multi-class with rows summing to 1: "
    "roc_auc_score(y, P, multi_class='ovr', average='macro', labels=range(k)); multi-class with "
    "rows not summing to 1 (sklearn refuses them): roc_auc_score(one_hot(y), P, average='macro')",
    "log_loss_sklearn": "sklearn log_loss(y, P, labels=range(k)) of the installed version "
    "(>= 1.5: clip to machine epsilon, no renormalisation)",
    "log_loss": "numpy copy of sklearn 1.2-1.4 log_loss: clip to [eps, 1-eps] with eps = machine "
    "epsilon, then divide rows by their sums",
    "log_loss_rampwf": "numpy copy of sklearn < 1.2 log_loss as ramp-workflow called it: clip to "
    "[1e-15, 1-1e-15], then divide rows by their sums",
    "log_loss_rampwf_legacy": "numpy copy of ramp-workflow's first NegativeLogLikelihood: divide "
    "rows by their sums, then clip to [1e-15, 1-1e-15]",
    "f1": "sklearn f1_score(y, P.argmax(1)) (binary, pos_label=1, zero_division='warn')",
    "f1_macro": "sklearn f1_score(y, P.argmax(1), average='macro')",
    "classification_error": "ramp-workflow ClassificationError: 1 - sklearn accuracy_score(y, P.argmax(1))",
    "f1_above_0.5": "ramp-workflow F1Above(threshold=0.5): f1 = sklearn f1_score(y, P.argmax(1), average=None); "
    "len(f1[f1 > 0.5]) / len(f1)",
    "f1_above_0.7": "ramp-workflow F1Above(threshold=0.7), as f1_above_0.5",
    "brier_score": "binary: sklearn brier_score_loss(y, P[:, 1], pos_label=1); multi-class: "
    "brier_score_loss(y, P, labels=range(k))",
    "plasticc_log_loss": "numpy reference plasticc_reference(y, P, weights=1)",
    "plasticc_log_loss_weighted": "numpy reference plasticc_reference(y, P, weights=case's plasticc_weights)",
    "rmse": "sklearn root_mean_squared_error(y, p)",
    "mae": "sklearn mean_absolute_error(y, p)",
    "r2": "sklearn r2_score(y, p)",
}


def finite_or_none(value):
    value = float(value)
    return value if np.isfinite(value) else None


def clipped_log_loss(y, probabilities, eps, normalise_first):
    """Mean of -ln p(true class) after clipping and row normalisation (either order)."""
    p = np.asarray(probabilities, dtype=np.float64)
    if normalise_first:
        p = np.clip(p / p.sum(axis=1, keepdims=True), eps, 1 - eps)
    else:
        p = np.clip(p, eps, 1 - eps)
        p = p / p.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))


def f1_above(y, predicted, threshold):
    """ramp-workflow's F1Above: the fraction of classes whose F1 is above the threshold."""
    f1 = f1_score(y, predicted, average=None)
    return 1.0 * len(f1[f1 > threshold]) / len(f1)


def plasticc_reference(y, probabilities, weights, eps=1e-15):
    """PLAsTiCC weighted log loss; classes absent from y count in neither sum."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), eps, 1 - eps)
    p = p / p.sum(axis=1, keepdims=True)
    numerator = 0.0
    denominator = 0.0
    for j in range(p.shape[1]):
        mask = y == j
        if mask.sum() == 0:
            continue
        numerator += weights[j] * np.log(p[mask, j]).sum() / mask.sum()
        denominator += weights[j]
    return float(-numerator / denominator)


def roc_auc(y, p, k):
    if k == 2:
        return roc_auc_score(y, p[:, 1])
    if np.allclose(1, p.sum(axis=1)):
        return roc_auc_score(y, p, multi_class="ovr", average="macro", labels=list(range(k)))
    return roc_auc_score(np.eye(k, dtype=int)[y], p, average="macro")


def classification_case(name, y, p, weights):
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    k = p.shape[1]
    predicted = p.argmax(axis=1)
    labels = list(range(k))
    expected = {
        "accuracy": accuracy_score(y, predicted),
        "balanced_accuracy": balanced_accuracy_score(y, predicted),
        "balanced_accuracy_adjusted": balanced_accuracy_score(y, predicted, adjusted=True),
        "roc_auc": roc_auc(y, p, k),
        "log_loss_sklearn": log_loss(y, p, labels=labels),
        "log_loss": clipped_log_loss(y, p, MACHINE_EPSILON, normalise_first=False),
        "log_loss_rampwf": clipped_log_loss(y, p, 1e-15, normalise_first=False),
        "log_loss_rampwf_legacy": clipped_log_loss(y, p, 1e-15, normalise_first=True),
        "f1_macro": f1_score(y, predicted, average="macro"),
        "classification_error": 1 - accuracy_score(y, predicted),
        "f1_above_0.5": f1_above(y, predicted, 0.5),
        "f1_above_0.7": f1_above(y, predicted, 0.7),
        "plasticc_log_loss": plasticc_reference(y, p, np.ones(k)),
        "plasticc_log_loss_weighted": plasticc_reference(y, p, weights),
    }
    if k == 2:
        expected["f1"] = f1_score(y, predicted)
        expected["brier_score"] = brier_score_loss(y, p[:, 1], pos_label=1)
    else:
        expected["brier_score"] = brier_score_loss(y, p, labels=labels)
    rows_sum_to_one = bool(np.allclose(p.sum(axis=1), 1, rtol=0, atol=1e-12))
    if rows_sum_to_one:
        # On normalised rows renormalising changes nothing beyond rounding.
        assert np.isclose(expected["log_loss"], expected["log_loss_sklearn"], rtol=1e-13, atol=0)
    return {
        "name": name,
        "class_count": k,
        "truth": y.tolist(),
        "probabilities": p.tolist(),
        "rows_sum_to_one": rows_sum_to_one,
        "plasticc_weights": [float(w) for w in weights],
        "expected": {key: finite_or_none(value) for key, value in expected.items()},
    }


def dirichlet_rows(rng, n, k):
    return rng.dirichlet(np.ones(k), size=n)


def classification_cases(rng):
    cases = []

    y = rng.integers(0, 2, size=40)
    cases.append(classification_case("binary_random", y, dirichlet_rows(rng, 40, 2), [1.0, 2.0]))

    # Scores on a coarse grid: many ties, including exactly 0 and 1 and argmax ties at 0.5.
    y = rng.integers(0, 2, size=30)
    positive = rng.integers(0, 5, size=30) / 4.0
    p = np.column_stack([1 - positive, positive])
    cases.append(classification_case("binary_ties_and_extremes", y, p, [3.0, 1.0]))

    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    p = np.tile([0.3, 0.7], (8, 1))
    cases.append(classification_case("binary_all_scores_tied", y, p, [1.0, 1.0]))

    # Only the negative class in the truth: ROC AUC undefined; F1 0/0 -> 0.
    y = np.zeros(6, dtype=int)
    p = np.column_stack([np.full(6, 0.8), np.full(6, 0.2)])
    p[2] = [0.6, 0.4]
    cases.append(classification_case("binary_single_class_none_predicted", y, p, [1.0, 1.0]))

    y = np.zeros(5, dtype=int)
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.4, 0.6], [1.0, 0.0]])
    cases.append(classification_case("binary_single_class_some_predicted", y, p, [1.0, 1.0]))

    # Rows that do not sum to 1.
    y = rng.integers(0, 2, size=20)
    p = rng.uniform(0.05, 0.95, size=(20, 2))
    cases.append(classification_case("binary_unnormalised", y, p, [1.0, 1.0]))

    y = rng.integers(0, 3, size=60)
    cases.append(classification_case("three_class_random", y, dirichlet_rows(rng, 60, 3), [1.0, 2.0, 0.5]))

    # Coarse grid: ties in every column and argmax ties.
    y = rng.integers(0, 3, size=36)
    grid = rng.integers(0, 5, size=(36, 3)).astype(float)
    grid[grid.sum(axis=1) == 0] = [1.0, 1.0, 1.0]
    p = grid / grid.sum(axis=1, keepdims=True)
    cases.append(classification_case("three_class_ties", y, p, [2.0, 1.0, 1.0]))

    # Exactly 0 and 1, including confident wrong predictions: clipping decides the loss.
    y = np.array([0, 1, 2, 0, 1, 2, 2, 1, 0])
    p = np.array([
        [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0],
        [0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.0, 0.25, 0.75],
    ])
    cases.append(classification_case("three_class_clipping", y, p, [1.0, 1.0, 4.0]))

    y = rng.integers(0, 3, size=25)
    p = rng.uniform(0.0, 1.0, size=(25, 3))
    cases.append(classification_case("three_class_unnormalised", y, p, [1.0, 3.0, 1.0]))

    # Rows not summing to 1 with exact zeros: the clipping/normalisation order matters.
    y = np.array([0, 1, 2, 1, 0, 2])
    p = np.array([
        [0.0, 0.5, 0.0], [0.2, 0.2, 0.0], [0.3, 0.3, 0.9],
        [0.0, 0.3, 0.0], [0.6, 0.6, 0.6], [1.0, 0.0, 0.0],
    ])
    cases.append(classification_case("three_class_unnormalised_with_zeros", y, p, [1.0, 1.0, 1.0]))

    # Class 2 never true but sometimes predicted (argmax).
    y = rng.choice([0, 1, 3], size=40)
    p = dirichlet_rows(rng, 40, 4)
    cases.append(classification_case("four_class_one_absent", y, p, [1.0, 2.0, 5.0, 1.0]))

    return cases


def regression_case(name, y, prediction):
    y = np.asarray(y, dtype=np.float64)
    prediction = np.asarray(prediction, dtype=np.float64)
    expected = {
        "rmse": root_mean_squared_error(y, prediction),
        "mae": mean_absolute_error(y, prediction),
        "r2": r2_score(y, prediction),
    }
    return {
        "name": name,
        "truth": y.tolist(),
        "predictions": prediction.tolist(),
        "expected": {key: finite_or_none(value) for key, value in expected.items()},
    }


def regression_cases(rng):
    y = rng.normal(10.0, 3.0, size=50)
    cases = [regression_case("random", y, y + rng.normal(0.0, 1.5, size=50))]
    cases.append(regression_case("worse_than_mean", y[:10], rng.normal(0.0, 5.0, size=10)))
    cases.append(regression_case("constant_truth_imperfect", np.full(7, 2.5), rng.normal(2.5, 1.0, size=7)))
    cases.append(regression_case("constant_truth_perfect", np.full(4, -1.25), np.full(4, -1.25)))
    cases.append(regression_case("two_rows", [1.0, 4.0], [2.0, 2.5]))
    cases.append(regression_case("one_row", [3.0], [5.5]))
    return cases


def main():
    rng = np.random.default_rng(20240611)
    with warnings.catch_warnings():
        # sklearn warns for the undefined and ill-defined cases on purpose.
        warnings.simplefilter("ignore")
        vectors = {
            "versions": {
                "scikit-learn": sklearn.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
            },
            "sources": SOURCES,
            "classification": classification_cases(rng),
            "regression": regression_cases(rng),
        }
    output = Path(__file__).with_name("vectors.json")
    output.write_text(json.dumps(vectors, indent=1, allow_nan=False) + "\n")
    print(f"wrote {output} with scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
