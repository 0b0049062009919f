"""Turn a ramp-workflow starting kit into a Forkboard challenge: run by `forkboard init HUB
--ramp-kit KIT` with the challenge's runtime, as `python prepare_kit.py HUB/data`, with
FORKBOARD_RAMP_KIT (the kit, read only) and FORKBOARD_RAMP_TEMPLATE (where the challenge's
challenge.yaml is written) in its environment.

The kit's own functions give everything, so that any kit works as it is:
`get_train_data`/`get_test_data` give the rows, `get_cv` gives the folds
(data/public/folds.json, in the order it lists the rows), `Predictions` gives the labels
(classification) or says regression, `score_types` give the score types (mapped to
Forkboard's by class when one computes the same function, else run as the kit's own class by
the score program scoring/score_type.py; the first is official), `problem_title` the title.

Two layouts of the rows:
- tabular X (a DataFrame of scalar columns, or a 2-D array, columns `x0`, `x1`, ...): written
  as CSV, the kit's columns between an added id column and the target column;
- any other X (a DataFrame with a column of arrays, lists or other objects, an array that is
  not 2-D, a list): one objects table per split, `forkboard_id`, `forkboard_target`,
  `forkboard_x`, whose cell is the base64 of the pickle of the row's part of X (a DataFrame
  row as a dict column -> value, X[i] of an array or a list).
What the harness and the score program need to rebuild X and y exactly as get_train_data gave
them is written to HUB/harness/kit/forkboard_kit.json (HUB = the parent of the data directory),
and to HUB/scoring/kit/ when the kit has score types run as programs or HUB has a scoring/
directory. X and y rebuilt from what is written are checked equal to the kit's. A kit whose
data or prediction type Forkboard cannot run is refused with what is missing.
"""
import base64
import importlib.util
import json
import math
import numbers
import os
import pickle
import re
import sys

import numpy as np
import pandas as pd

# The kit is only read: no __pycache__ written beside its modules.
sys.dont_write_bytecode = True

ID_COLUMN = "forkboard_id"
TARGET_COLUMN = "forkboard_target"
X_COLUMN = "forkboard_x"
METADATA_FILE = "forkboard_kit.json"
PICKLE_PROTOCOL = 4
# Forkboard's built-in score type names (Sources/ScoreTypes/ScoreTypes.swift), which a score
# program may not take; `f1_above_<threshold>` is a family.
BUILT_IN_SCORE_TYPES = {
    "accuracy", "balanced_accuracy", "roc_auc", "log_loss", "f1", "f1_macro", "brier_score", "rmse",
    "mae", "r2", "plasticc_log_loss", "classification_error",
}
BUILT_IN_PREFIXES = ("f1_above_",)


def fail(message):
    print(f"cannot use this RAMP kit: {message}", file=sys.stderr)
    sys.exit(1)


def load_problem(kit):
    sys.path.insert(0, kit)
    spec = importlib.util.spec_from_file_location("problem", os.path.join(kit, "problem.py"))
    problem = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(problem)
    return problem


# --- X ------------------------------------------------------------------------------------

def scalar_cells(values):
    return all(pd.api.types.is_scalar(value) for value in values)


def layout_of(X, what):
    """"table" for tabular X (today's CSV path), "objects" for any other X."""
    if isinstance(X, pd.DataFrame):
        for position in range(X.shape[1]):
            column = X.iloc[:, position]
            if column.dtype == object and not scalar_cells(column):
                return "objects"
        return "table"
    if isinstance(X, np.ndarray):
        if X.ndim == 0:
            fail(f"{what} is a 0-dimensional array, not one row per instance")
        if X.ndim == 2 and (X.dtype != object or scalar_cells(X.flat)):
            return "table"
        return "objects"
    if isinstance(X, list):
        return "objects"
    fail(f"{what} is a {type(X).__name__}: Forkboard runs kits whose X is a pandas DataFrame, a numpy array or a list")


def table(X, what):
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
    else:
        frame = pd.DataFrame(X, columns=[f"x{index}" for index in range(X.shape[1])])
    clash = {ID_COLUMN, TARGET_COLUMN} & set(map(str, frame.columns))
    if clash:
        fail(f"{what} has a column named {sorted(clash)}, which Forkboard uses")
    return frame


def json_name(name, what):
    if isinstance(name, (str, int, float)) and not isinstance(name, bool):
        return name
    fail(f"{what} has a column named {name!r} ({type(name).__name__}): Forkboard needs column names that are strings or numbers")


def x_description(X, what):
    """How to rebuild X from its parts (the `x` entry of forkboard_kit.json)."""
    if isinstance(X, pd.DataFrame):
        if X.columns.has_duplicates:
            fail(f"{what} has duplicate column names")
        return {"kind": "dataframe", "columns": [json_name(name, what) for name in X.columns],
                "dtypes": [str(dtype) for dtype in X.dtypes]}
    if isinstance(X, np.ndarray):
        return {"kind": "ndarray", "dtype": str(X.dtype),
                "shape": [None] + [int(size) for size in X.shape[1:]]}
    return {"kind": "list"}


def x_parts(X):
    """The row's part of X, one per instance, in order."""
    if isinstance(X, pd.DataFrame):
        return X.to_dict(orient="records")
    return [X[row] for row in range(len(X))]


def same_x(rebuilt, X):
    if isinstance(X, pd.DataFrame):
        original = X.reset_index(drop=True)
        if list(rebuilt.columns) != list(original.columns) or list(map(str, rebuilt.dtypes)) != list(map(str, original.dtypes)):
            return False
        return all(rebuilt[name].dtype == object or rebuilt[name].equals(original[name]) for name in original.columns)
    if isinstance(X, np.ndarray):
        if rebuilt.shape != X.shape or rebuilt.dtype != X.dtype:
            return False
        return X.dtype == object or np.array_equal(rebuilt, X, equal_nan=X.dtype.kind in "fc")
    return len(rebuilt) == len(X)


def encode(part):
    return base64.b64encode(pickle.dumps(part, protocol=PICKLE_PROTOCOL)).decode("ascii")


# --- y ------------------------------------------------------------------------------------

def native(value):
    """A y value as JSON holds it (numpy scalars as Python's), or None when JSON cannot."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return None


def shown(value):
    return repr(value) if isinstance(value, str) else str(value)


def as_number(value):
    if isinstance(value, (str, bytes)) or isinstance(value, (numbers.Number, np.number, np.bool_)):
        try:
            return float(value)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def label_matching(value, labels, label_names):
    """The label string of label_names that equals `value` as text, else numerically, or None."""
    text = str(value)
    for label in labels:
        if label == text:
            return label
    number = as_number(value)
    if number is not None and not math.isnan(number):
        for label, name in zip(labels, label_names):
            if as_number(name) == number:
                return label
    return None


def y_container(y, what):
    if isinstance(y, np.ndarray):
        if y.ndim != 1:
            fail(f"{what} has shape {y.shape}: Forkboard runs kits with one target per instance")
        return {"container": "ndarray", "dtype": str(y.dtype)}
    if isinstance(y, pd.Series):
        name = y.name if isinstance(y.name, (str, int, float)) and not isinstance(y.name, bool) else None
        return {"container": "series", "dtype": str(y.dtype), "name": name}
    if isinstance(y, pd.api.extensions.ExtensionArray):
        return {"container": "extension_array", "dtype": str(y.dtype)}
    if isinstance(y, list):
        return {"container": "list"}
    fail(f"{what} is a {type(y).__name__}: Forkboard runs kits whose y is a numpy array, a pandas Series or array, or a list")


def same_y(rebuilt, y):
    if type(rebuilt) is not type(y) or getattr(rebuilt, "dtype", None) != getattr(y, "dtype", None):
        return False
    return len(rebuilt) == len(y) and all(a == b and type(native(a)) is type(native(b)) for a, b in zip(rebuilt, y))


# --- score types --------------------------------------------------------------------------

def built_in_score_type(score_type):
    """Forkboard's name of a ramp-workflow score type computing the same function, or None."""
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
    return None


def program_name(score_type, index, taken):
    """The kit score's name as a score program's: [a-z][a-z0-9_]*, not built-in, unique."""
    base = re.sub(r"[^a-z0-9_]+", "_", str(getattr(score_type, "name", "") or "").lower()).strip("_")
    base = re.sub(r"^[^a-z]+", "", base) or f"score_{index}"
    candidate, attempt = base, 1
    while candidate in taken or candidate in BUILT_IN_SCORE_TYPES or candidate.startswith(BUILT_IN_PREFIXES):
        candidate = f"{base}_kit" if attempt == 1 else f"{base}_kit{attempt}"
        attempt += 1
    return candidate


def yaml_string(text):
    return json.dumps(str(text))


def score_type_entries(problem):
    """challenge.yaml's score_types entries, and the names they give (in the kit's order)."""
    entries, names = [], []
    for index, score_type in enumerate(problem.score_types):
        built_in = built_in_score_type(score_type)
        if built_in is not None:
            entries.append(built_in)
            names.append(built_in)
            continue
        lower = getattr(score_type, "is_lower_the_better", None)
        if not isinstance(lower, (bool, np.bool_)):
            fail(f"score type {type(score_type).__name__} ('{getattr(score_type, 'name', '?')}') has no is_lower_the_better")
        name = program_name(score_type, index, set(names))
        entries.append(f"{{name: {name}, command: [python, scoring/score_type.py, \"{index}\"], "
                       f"lower_is_better: {'true' if lower else 'false'}}}")
        names.append(name)
    return entries, names


# --- main ---------------------------------------------------------------------------------

def main(data_directory):
    kit = os.environ["FORKBOARD_RAMP_KIT"]
    template = os.environ["FORKBOARD_RAMP_TEMPLATE"]
    hub = os.path.dirname(os.path.abspath(os.path.normpath(data_directory)))
    # The harness's own reading of X and y (HUB/harness, copied before this runs), to check
    # that what is written here gives back the kit's X and y exactly.
    sys.path.insert(0, os.path.join(hub, "harness"))
    from forkboard_ramp_data import rebuild_x, rebuild_y
    problem = load_problem(kit)
    X_train, y_train = problem.get_train_data(kit)
    X_test, y_test = problem.get_test_data(kit)
    layout = layout_of(X_train, "get_train_data's X")
    if layout_of(X_test, "get_test_data's X") != layout:
        fail("get_train_data's X and get_test_data's X are not of the same layout (a table and objects)")
    for X, y, what in ((X_train, y_train, "get_train_data"), (X_test, y_test, "get_test_data")):
        if len(X) != len(y):
            fail(f"{what} gives {len(X)} instances in X and {len(y)} in y")
    predictions = problem.Predictions
    module = predictions.__module__
    if module.endswith("multiclass"):
        kind = "classification"
        label_names = list(predictions.label_names)
        labels = [str(label) for label in label_names]
        if len(set(labels)) != len(labels):
            fail(f"the labels {labels} are not distinct as text")
    elif module.endswith("regression") and getattr(predictions, "n_columns", 0) == 0:
        kind = "regression"
        label_names, labels = [], []
    else:
        fail(f"prediction type {module} is not multiclass classification or single-target regression")
    folds = [{"train": [int(row) for row in train_rows], "valid": [int(row) for row in valid_rows]}
             for train_rows, valid_rows in problem.get_cv(X_train, y_train)]
    if not folds:
        fail("get_cv gives no fold")
    score_types, score_names = score_type_entries(problem)

    # y: the label string of each row (classification) or its value, and how to rebuild it.
    y_description = y_container(y_train, "get_train_data's y")
    if y_container(y_test, "get_test_data's y") != y_description:
        fail("get_train_data's y and get_test_data's y are not of the same type")
    targets, label_values, cache = {}, {}, {}
    for y, prefix in ((y_train, "train"), (y_test, "test")):
        if kind == "regression":
            targets[prefix] = np.asarray(y, dtype=float)
            if not np.all(np.isfinite(targets[prefix])):
                fail(f"{prefix} y has values that are not finite numbers")
            continue
        column = []
        for value in y:
            try:
                key = (type(value), value)
                label = cache[key] if key in cache else cache.setdefault(key, label_matching(value, labels, label_names))
            except TypeError:
                label = None
            if label is None:
                fail(f"y value {shown(value)} ({type(value).__name__}) of get_{prefix}_data is not one of the labels {labels} (as text or as a number)")
            if label not in label_values:
                stored = native(value)
                if stored is None and value is not None:
                    fail(f"y value {shown(value)} ({type(value).__name__}) cannot be recorded (Forkboard records strings, numbers and booleans)")
                label_values[label] = stored
            column.append(label)
        targets[prefix] = column
    if kind == "classification":
        y_description["labels"] = {label: label_values[label] for label in labels if label in label_values}
    for y, prefix in ((y_train, "train"), (y_test, "test")):
        values = [y_description["labels"][label] for label in targets[prefix]] if kind == "classification" else list(targets[prefix])
        if not same_y(rebuild_y(values, y_description), y):
            fail(f"get_{prefix}_data's y (a {type(y).__name__} of dtype {getattr(y, 'dtype', 'objects')}) cannot be rebuilt "
                 "exactly from its labels or values (does a label stand for values of several types?)")

    # X: the layout, and how to rebuild it.
    metadata = {"format": 1, "layout": layout, "kind": kind, "id_column": ID_COLUMN, "target_column": TARGET_COLUMN}
    frames = {}
    if layout == "table":
        frames["train"] = table(X_train, "get_train_data's X")
        frames["test"] = table(X_test, "get_test_data's X")
    else:
        descriptions = {"train": x_description(X_train, "get_train_data's X"), "test": x_description(X_test, "get_test_data's X")}
        metadata["x_column"] = X_COLUMN
        metadata["x"] = descriptions["train"]
        if descriptions["test"] != descriptions["train"]:
            # (Columns of other types in the test rows, as a column with missing values only
            # there: the test rows are rebuilt with their own, and predicted apart, as
            # ramp-workflow predicts X_test apart from X_train.)
            metadata["x_test"] = descriptions["test"]
            metadata["test_id_prefix"] = "test-"
        metadata["pickle_protocol"] = PICKLE_PROTOCOL
        for X, prefix in ((X_train, "train"), (X_test, "test")):
            parts = x_parts(X)
            if not same_x(rebuild_x(parts, descriptions[prefix]), X):
                fail(f"{prefix} X cannot be rebuilt exactly from its rows ({descriptions[prefix]})")
            frames[prefix] = pd.DataFrame({X_COLUMN: [encode(part) for part in parts]})
    metadata["y"] = y_description

    for prefix, directory in (("train", "public"), ("test", "private")):
        frame = frames[prefix]
        frame.insert(0, ID_COLUMN, [f"{prefix}-{row}" for row in range(len(frame))])
        if layout == "table":
            frame[TARGET_COLUMN] = targets[prefix]
        else:
            frame.insert(1, TARGET_COLUMN, targets[prefix])
        os.makedirs(os.path.join(data_directory, directory), exist_ok=True)
        frame.to_csv(os.path.join(data_directory, directory, f"{prefix}.csv"), index=False)
    with open(os.path.join(data_directory, "public", "folds.json"), "w") as file:
        json.dump(folds, file)
    # The harness's copy, and the score program's (scoring/kit/, when the kit has score types
    # run as programs or the hub has a scoring/ directory).
    programs = any(entry.startswith("{") for entry in score_types) or os.path.isdir(os.path.join(hub, "scoring"))
    for directory in [os.path.join(hub, "harness", "kit")] + ([os.path.join(hub, "scoring", "kit")] if programs else []):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, METADATA_FILE), "w") as file:
            json.dump(metadata, file, indent=2)
            file.write("\n")

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
        "    # The kit's score types, mapped, or run as the kit's own class by scoring/score_type.py; the first is official.",
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
    rows = "rows" if layout == "table" else f"objects ({metadata['x']['kind']})"
    print(f"{kind}: {len(frames['train'])} training {rows}, {len(frames['test'])} test {rows}, {len(folds)} folds, "
          f"score types {', '.join(score_names)}")


if __name__ == "__main__":
    main(sys.argv[1])
