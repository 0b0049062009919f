#!/usr/bin/env python3
"""Writes two ramp-workflow kits for the RAMP kit tests, made deterministically from
scikit-learn's bundled data sets (nothing is downloaded):

    python make_kits.py DIRECTORY     ->  DIRECTORY/light_curves/, DIRECTORY/regression/

- `light_curves`: multi-class classification of objects whose data are not a table, shaped
  like ramp-kits/variable_stars: per object a few scalar columns (a float period, magnitudes
  with missing values, an int, a string) and, per band, a variable number of irregularly
  sampled time points and light points, stored in data/*_curves.csv as strings
  ("[0.1, 2.3]") that the kit's own `_read_data` parses into lists. The light curves are
  periodic signals whose shape over one period is a digit of `load_digits` (0 to 3), read by
  rows in band r and by columns in band b. The labels are floats (1.0 to 4.0) while y holds
  ints (1 to 4); the starting kit folds the curves by their period with
  `FunctionTransformer(lambda X_df: ...)`; the folds are a StratifiedShuffleSplit (overlapping
  validation sets); the score types are Accuracy, then MacroAveragedRecall (no Forkboard
  equivalent).
- `regression`: `load_diabetes` (raw values) as a table, `make_regression()`, a Ridge
  starting kit, KFold folds, RMSE then RelativeRMSE (no Forkboard equivalent).

Each kit has problem.py, data/, requirements.txt (unpinned, as published kits) and
submissions/starting_kit/, and runs with `ramp-test --submission starting_kit`. The data
depend only on scikit-learn's bundled files and numpy's legacy RandomState, and are written
with fixed formats, so the same files come out everywhere.
"""
import csv
import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_diabetes, load_digits

REQUIREMENTS = "numpy\npandas\nscikit-learn\nramp-workflow\n"

LIGHT_CURVES_PROBLEM = '''\
import os

import pandas as pd
import rampwf as rw
from sklearn.model_selection import StratifiedShuffleSplit

problem_title = 'Classification of periodic light curves'
_target_column_name = 'type'
_prediction_label_names = [1.0, 2.0, 3.0, 4.0]
Predictions = rw.prediction_types.make_multiclass(
    label_names=_prediction_label_names)
workflow = rw.workflows.Estimator()

score_types = [
    rw.score_types.Accuracy(name='acc', precision=4),
    rw.score_types.MacroAveragedRecall(name='mar', precision=4),
]


def get_cv(X, y):
    cv = StratifiedShuffleSplit(n_splits=3, test_size=0.25, random_state=57)
    return cv.split(X, y)


def _parse_points(text):
    return [float(value) for value in text[1:-1].split(',')]


def _read_data(path, scalars_name, curves_name):
    scalars = pd.read_csv(os.path.join(path, 'data', scalars_name), index_col=0)
    y_array = scalars[_target_column_name].values.astype(int)
    records = scalars.drop(_target_column_name, axis=1).to_dict(orient='records')
    curves = pd.read_csv(os.path.join(path, 'data', curves_name), index_col=0)
    curve_records = curves.map(_parse_points).to_dict(orient='records')
    rows = [dict(scalar, **curve) for scalar, curve in zip(records, curve_records)]
    return pd.DataFrame(rows), y_array


def get_train_data(path='.'):
    return _read_data(path, 'train.csv', 'train_curves.csv')


def get_test_data(path='.'):
    return _read_data(path, 'test.csv', 'test_curves.csv')
'''

LIGHT_CURVES_ESTIMATOR = '''\
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer


def fold_and_bin(X_df, n_bins, band):
    """Mean light per phase bin, the curve folded by the object's period."""
    features = np.full((len(X_df), n_bins), np.nan)
    periods = X_df['period'].to_numpy()
    times = X_df['time_points_' + band].to_numpy()
    lights = X_df['light_points_' + band].to_numpy()
    for row in range(len(X_df)):
        phase = np.mod(np.asarray(times[row]), periods[row]) / periods[row]
        bins = np.minimum((phase * n_bins).astype(int), n_bins - 1)
        light = np.asarray(lights[row])
        for index in range(n_bins):
            if np.any(bins == index):
                features[row, index] = light[bins == index].mean()
    return features


def get_estimator():
    curve_columns_r = ['period', 'time_points_r', 'light_points_r']
    curve_columns_b = ['period', 'time_points_b', 'light_points_b']
    transformer = make_column_transformer(
        (FunctionTransformer(lambda X_df: fold_and_bin(X_df, 6, 'r')), curve_columns_r),
        (FunctionTransformer(lambda X_df: fold_and_bin(X_df, 6, 'b')), curve_columns_b),
        ('passthrough', ['period', 'magnitude_r', 'magnitude_b']),
    )
    return make_pipeline(
        transformer,
        SimpleImputer(strategy='median'),
        RandomForestClassifier(max_depth=6, n_estimators=20, random_state=61),
    )
'''

REGRESSION_PROBLEM = '''\
import os

import pandas as pd
import rampwf as rw
from sklearn.model_selection import KFold

problem_title = 'Diabetes progression after one year'
_target_column_name = 'progression'
Predictions = rw.prediction_types.make_regression()
workflow = rw.workflows.Estimator()

score_types = [
    rw.score_types.RMSE(name='rmse', precision=3),
    rw.score_types.RelativeRMSE(name='rel_rmse', precision=4),
]


def get_cv(X, y):
    cv = KFold(n_splits=3, shuffle=True, random_state=42)
    return cv.split(X, y)


def _read_data(path, f_name):
    data = pd.read_csv(os.path.join(path, 'data', f_name))
    y_array = data[_target_column_name].values
    X_df = data.drop([_target_column_name], axis=1)
    return X_df, y_array


def get_train_data(path='.'):
    return _read_data(path, 'train.csv')


def get_test_data(path='.'):
    return _read_data(path, 'test.csv')
'''

REGRESSION_ESTIMATOR = '''\
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def get_estimator():
    return make_pipeline(StandardScaler(), Ridge(alpha=1.0))
'''


def number(value, digits=4):
    return f"{value:.{digits}f}"


def points(values):
    return "[" + ", ".join(number(value) for value in values) + "]"


def write_csv(path, header, rows):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def light_curves(directory):
    digits = load_digits()
    keep = digits.target < 4
    images, classes = digits.images[keep] / 16.0, digits.target[keep]
    random = np.random.RandomState(20240611)
    order = random.permutation(len(classes))
    # Each type has its own typical period (as variable stars do) and its own light curve
    # shape (a digit drawn over one period).
    log_periods = np.array([0.0, 0.7, 1.4, 2.1])
    objects = []
    for position, index in enumerate(order):
        kind = int(classes[index])
        period = float(np.exp(log_periods[kind] + random.normal(0.0, 0.45)))
        magnitudes, curves = {}, {}
        for band, shape in (("r", images[index].ravel()), ("b", images[index].T.ravel())):
            count = int(random.randint(18, 40))
            times = np.sort(random.uniform(0.0, 90.0, count))
            phase = np.mod(times, period) / period
            base = random.uniform(11.0, 16.0)
            light = base - 1.5 * np.interp(phase * 64.0, np.arange(65), np.append(shape, shape[0])) \
                + random.normal(0.0, 0.08, count)
            magnitudes[band] = float(np.mean(light))
            curves[band] = (times, light)
        if random.uniform() < 0.08:  # some objects lack a blue magnitude
            magnitudes["b"] = None
        objects.append({
            "id": 1000 + position,
            "period": number(period, 5),
            "magnitude_r": number(magnitudes["r"]),
            "magnitude_b": "" if magnitudes["b"] is None else number(magnitudes["b"]),
            "n_epochs": len(curves["r"][0]) + len(curves["b"][0]),
            "field": f"F{int(random.randint(1, 5))}",
            "type": kind + 1,
            "curves": curves,
        })
    kit = directory / "light_curves"
    (kit / "data").mkdir(parents=True, exist_ok=True)
    split = {"train": objects[:480], "test": objects[480:]}
    for name, rows in split.items():
        write_csv(kit / "data" / f"{name}.csv", ["id", "period", "magnitude_r", "magnitude_b", "n_epochs", "field", "type"],
                  [[row[key] for key in ("id", "period", "magnitude_r", "magnitude_b", "n_epochs", "field", "type")] for row in rows])
        write_csv(kit / "data" / f"{name}_curves.csv", ["id", "time_points_r", "light_points_r", "time_points_b", "light_points_b"],
                  [[row["id"], points(row["curves"]["r"][0]), points(row["curves"]["r"][1]),
                    points(row["curves"]["b"][0]), points(row["curves"]["b"][1])] for row in rows])
    write_kit(kit, LIGHT_CURVES_PROBLEM, LIGHT_CURVES_ESTIMATOR,
              "Periodic light curves (made by make_kits.py from scikit-learn's digits): one row per object, "
              "scalar columns and variable-length arrays of time and light points per band; four types.\n")


def regression(directory):
    diabetes = load_diabetes(scaled=False)
    random = np.random.RandomState(20240612)
    order = random.permutation(len(diabetes.target))
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    kit = directory / "regression"
    (kit / "data").mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", order[:342]), ("test", order[342:])):
        write_csv(kit / "data" / f"{name}.csv", names + ["progression"],
                  [[repr(float(value)) for value in diabetes.data[row]] + [repr(float(diabetes.target[row]))] for row in rows])
    write_kit(kit, REGRESSION_PROBLEM, REGRESSION_ESTIMATOR,
              "Diabetes progression after one year (scikit-learn's diabetes data, raw values), as a table.\n")


def write_kit(kit, problem, estimator, readme):
    (kit / "problem.py").write_text(problem)
    (kit / "requirements.txt").write_text(REQUIREMENTS)
    (kit / "README.md").write_text(f"# {kit.name}\n\n{readme}\nMade by Forkboard's Tests/EndToEndTests/RampKits/make_kits.py.\n")
    starting_kit = kit / "submissions" / "starting_kit"
    starting_kit.mkdir(parents=True, exist_ok=True)
    (starting_kit / "estimator.py").write_text(estimator)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_kits.py DIRECTORY")
    directory = Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    light_curves(directory)
    regression(directory)
    print(f"wrote {directory / 'light_curves'} and {directory / 'regression'}")


if __name__ == "__main__":
    main()
