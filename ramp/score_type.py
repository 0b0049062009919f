"""Forkboard score program for a RAMP kit's score type that has no Forkboard built-in
equivalent: computes the kit's own class, as ramp-workflow does.

    python scoring/score_type.py INDEX

Runs in the scoring sandbox, in /challenge, with the hub's scoring/ directory at
/challenge/scoring: this file, and in kit/ the kit's modules (problem.py and what it imports
beside it) and forkboard_kit.json (written by prepare_kit.py). Reads FORKBOARD_TRUTH (CSV: id,
target: the label string, or the value) and FORKBOARD_PREDICTIONS (CSV: id, then one column
per label of FORKBOARD_LABELS, or `prediction`), builds `problem.Predictions(y_true=...)` from
the truth (label strings back to the kit's y values, as its get_train_data gave them) and
`problem.Predictions(y_pred=...)` from the predictions (columns in the kit's label order), and
prints `problem.score_types[INDEX].score_function(ground_truth, predictions)` as its last line.
"""
import json
import os
import sys
import warnings

sys.dont_write_bytecode = True
KIT_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kit")
sys.path.insert(0, KIT_DIRECTORY)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import problem  # noqa: E402  (the kit's problem.py, as published)
from forkboard_ramp_data import metadata, rebuild_y  # noqa: E402  (the harness's, copied beside this file)


def main(index):
    score_type = problem.score_types[index]
    id_column = os.environ["FORKBOARD_ID_COLUMN"]
    target_column = os.environ["FORKBOARD_TARGET_COLUMN"]
    labels = json.loads(os.environ.get("FORKBOARD_LABELS", "[]"))
    truth = pd.read_csv(os.environ["FORKBOARD_TRUTH"], dtype=str, keep_default_na=False)
    predictions = pd.read_csv(os.environ["FORKBOARD_PREDICTIONS"], dtype={id_column: str})
    # The predictions in the truth's rows.
    predictions = predictions.set_index(id_column).loc[truth[id_column]]
    targets = truth[target_column].tolist()
    meta = metadata()
    if labels:
        if meta is not None:
            values = [meta["y"]["labels"][target] for target in targets]
        else:
            # Without recorded values: the kit's label objects (Predictions maps both alike).
            by_text = {str(label): label for label in problem.Predictions.label_names}
            values = [by_text[target] for target in targets]
        y_pred = predictions[labels].to_numpy(dtype=float)
    else:
        values = [float(target) for target in targets]
        y_pred = predictions["prediction"].to_numpy(dtype=float)
    y_true = rebuild_y(values, meta["y"]) if meta is not None else np.array(values)
    ground_truth = problem.Predictions(y_true=y_true)
    predicted = problem.Predictions(y_pred=y_pred)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = score_type.score_function(ground_truth, predicted)
    print(repr(float(value)), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scoring/score_type.py INDEX (of the kit's score type in problem.score_types)")
    main(int(sys.argv[1]))
