"""Turn a ramp-workflow starting kit into a Forkboard challenge: run by `forkboard init HUB
--ramp-kit KIT` with the challenge's runtime, as `python prepare_kit.py HUB/data`, with
FORKBOARD_RAMP_KIT (the kit, read only) and FORKBOARD_RAMP_TEMPLATE (where the challenge's
challenge.yaml is written) in its environment.

The kit's own functions give everything, so that any tabular kit works as it is:
`get_train_data`/`get_test_data` give the rows (written as CSV with an added id and target
column), `get_cv` gives the folds (data/public/folds.json, in the order it lists the rows),
`Predictions` gives the labels (classification) or says regression, `score_types` give the
score types (mapped to Forkboard's by class; the first is official), `problem_title` the
title. A kit whose data are not tables, or whose score types or prediction type have no
Forkboard equivalent, is refused with what is missing.
"""
import importlib.util
import json
import os
import re
import sys

import numpy as np
import pandas as pd

ID_COLUMN = "forkboard_id"
TARGET_COLUMN = "forkboard_target"


def fail(message):
    print(f"cannot use this RAMP kit: {message}", file=sys.stderr)
    sys.exit(1)


def load_problem(kit):
    sys.path.insert(0, kit)
    spec = importlib.util.spec_from_file_location("problem", os.path.join(kit, "problem.py"))
    problem = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(problem)
    return problem


def table(X, what):
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
    elif isinstance(X, np.ndarray) and X.ndim == 2:
        frame = pd.DataFrame(X, columns=[f"x{index}" for index in range(X.shape[1])])
    else:
        fail(f"{what} is a {type(X).__name__}, not a table (a pandas DataFrame or a 2-D array): Forkboard runs tabular kits")
    clash = {ID_COLUMN, TARGET_COLUMN} & set(map(str, frame.columns))
    if clash:
        fail(f"{what} has a column named {sorted(clash)}, which Forkboard uses")
    return frame


def score_type_name(score_type, kind):
    """Forkboard's name of a ramp-workflow score type computing the same function."""
    name = type(score_type).__name__
    if name == "Accuracy":
        return "accuracy"
    if name == "ClassificationError":
        return "classification_error"
    if name == "NegativeLogLikelihood":
        return "log_loss"
    if name == "ROCAUC":
        return "roc_auc"
    if name == "BalancedAccuracy" and not getattr(score_type, "adjusted", False):
        return "balanced_accuracy"
    if name == "F1Above":
        return f"f1_above_{float(score_type.threshold)}"
    if name == "BrierScore":
        return "brier_score"
    if name == "RMSE":
        return "rmse"
    fail(f"score type {name} ('{score_type.name}') has no Forkboard equivalent (see docs/ramp-kits.md for those that map)")


def yaml_string(text):
    return json.dumps(str(text))


def main(data_directory):
    kit = os.environ["FORKBOARD_RAMP_KIT"]
    template = os.environ["FORKBOARD_RAMP_TEMPLATE"]
    problem = load_problem(kit)
    X_train, y_train = problem.get_train_data(kit)
    X_test, y_test = problem.get_test_data(kit)
    train = table(X_train, "get_train_data's X")
    test = table(X_test, "get_test_data's X")
    predictions = problem.Predictions
    module = predictions.__module__
    if module.endswith("multiclass"):
        kind = "classification"
        labels = [str(label) for label in predictions.label_names]
    elif module.endswith("regression") and getattr(predictions, "n_columns", 0) == 0:
        kind = "regression"
        labels = []
    else:
        fail(f"prediction type {module} is not multiclass classification or single-target regression")
    folds = [{"train": [int(row) for row in train_rows], "valid": [int(row) for row in valid_rows]}
             for train_rows, valid_rows in problem.get_cv(X_train, y_train)]
    if not folds:
        fail("get_cv gives no fold")
    score_types = [score_type_name(score_type, kind) for score_type in problem.score_types]

    for frame, y, prefix, directory in ((train, y_train, "train", "public"), (test, y_test, "test", "private")):
        frame.insert(0, ID_COLUMN, [f"{prefix}-{row}" for row in range(len(frame))])
        frame[TARGET_COLUMN] = [str(value) for value in y] if kind == "classification" else np.asarray(y, dtype=float)
        os.makedirs(os.path.join(data_directory, directory), exist_ok=True)
        frame.to_csv(os.path.join(data_directory, directory, f"{prefix}.csv"), index=False)
    with open(os.path.join(data_directory, "public", "folds.json"), "w") as file:
        json.dump(folds, file)

    question = re.sub(r"[^a-z0-9_]+", "_", os.path.basename(os.path.normpath(kit)).lower()).strip("_") or "prediction"
    starting_kit = os.path.join(kit, "submissions", "starting_kit")
    required = sorted(name for name in os.listdir(starting_kit) if os.path.isfile(os.path.join(starting_kit, name)))
    lines = [
        f"# Made by 'forkboard init --ramp-kit' from {kit}: its problem.py, data, get_cv and score types.",
        f"title: {yaml_string(getattr(problem, 'problem_title', question))}",
        "questions:",
        f"  - name: {question}",
        f"    kind: {kind}",
    ]
    if kind == "classification":
        lines.append(f"    labels: [{', '.join(yaml_string(label) for label in labels)}]")
    lines += [
        f"    id_column: {ID_COLUMN}",
        f"    target_column: {TARGET_COLUMN}",
        "    # The kit's score types, mapped; the first is official.",
        f"    score_types: [{', '.join(score_types)}]",
        "    # The kit's get_cv, as it listed the rows.",
        f"    folds: {{method: explicit, count: {len(folds)}, file: folds.json}}",
        f"    required_files: [{', '.join(yaml_string(name) for name in required)}]",
        "    data:",
        "      train: data/public/train.csv",
        "      test: data/private/test.csv",
        "      starting_kit: data/train.csv",
        "    workflow:",
        "      train: [python, /harness/train.py]",
        "      predict: [python, /harness/predict.py]",
        "phases:",
        "  - name: competitive",
        "    kind: closed",
        "    start: init",
        "  - name: collaborative",
        "    kind: open",
        "    start: init+14d",
        "    end: init+28d",
        "quotas:",
        "  minimum_interval_seconds: 900",
        "test_split:",
        "  public_fraction: 0.5",
        "  seed: 20261130",
    ]
    with open(os.path.join(template, "challenge.yaml"), "w") as file:
        file.write("\n".join(lines) + "\n")
    print(f"{kind}: {len(train)} training rows, {len(test)} test rows, {len(folds)} folds, score types {', '.join(score_types)}")


if __name__ == "__main__":
    main(sys.argv[1])
