"""Forkboard harness for RAMP kits, predict step (runs in the sandbox, working directory = the
submission).

Loads FORKBOARD_MODEL_DIR/model.pkl, reads FORKBOARD_INPUT (the rows to predict, without
target) back into the kit's X (forkboard_ramp_data.py), predicts with the kit's workflow
(`problem.workflow.test_submission`; the test rows apart when their X has its own types), and
writes FORKBOARD_PREDICTIONS: id, then one column per label of FORKBOARD_LABELS in the kit's
label order (classification), or `prediction` (regression).
"""
import json
import os
import sys

import numpy as np
import pandas as pd

import forkboard_ramp_data  # (beside this file)

try:
    import cloudpickle as pickler
except ImportError:  # pragma: no cover
    import pickle as pickler

sys.path.insert(0, os.getcwd())
sys.path.insert(0, forkboard_ramp_data.KIT_DIRECTORY)
import problem  # noqa: E402  (the kit's problem.py, as published)

id_column = os.environ["FORKBOARD_ID_COLUMN"]
labels = json.loads(os.environ["FORKBOARD_LABELS"])
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "rb") as file:
    trained = pickler.load(file)
ids, groups = forkboard_ramp_data.read_for_prediction(os.environ["FORKBOARD_INPUT"], id_column)
predicted = None
for positions, X in groups:
    part = np.asarray(problem.workflow.test_submission(trained, X), dtype=float)
    if predicted is None:
        predicted = np.empty((len(ids),) + part.shape[1:])
    predicted[positions] = part
output = pd.DataFrame({id_column: ids})
if labels:
    for index, label in enumerate(labels):
        output[label] = predicted[:, index]
else:
    output["prediction"] = predicted.reshape(len(ids))
output.to_csv(os.environ["FORKBOARD_PREDICTIONS"], index=False, float_format="%.17g")
