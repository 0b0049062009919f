"""Forkboard harness for RAMP kits, predict step (runs in the sandbox, working directory = the
submission).

Loads FORKBOARD_MODEL_DIR/model.pkl, reads FORKBOARD_INPUT (CSV: id, the kit's columns),
predicts with the kit's workflow (`problem.workflow.test_submission`), and writes
FORKBOARD_PREDICTIONS: id, then one column per label of FORKBOARD_LABELS in the kit's label
order (classification), or `prediction` (regression).
"""
import json
import os
import pickle
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, "/harness/kit")
sys.path.insert(0, os.getcwd())
import problem  # noqa: E402  (the kit's problem.py, as published)

id_column = os.environ["FORKBOARD_ID_COLUMN"]
labels = json.loads(os.environ["FORKBOARD_LABELS"])
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "rb") as file:
    trained = pickle.load(file)
table = pd.read_csv(os.environ["FORKBOARD_INPUT"])
X = table.drop(columns=[id_column])
predicted = np.asarray(problem.workflow.test_submission(trained, X), dtype=float)
output = pd.DataFrame({id_column: table[id_column]})
if labels:
    for index, label in enumerate(labels):
        output[label] = predicted[:, index]
else:
    output["prediction"] = predicted.reshape(len(table))
output.to_csv(os.environ["FORKBOARD_PREDICTIONS"], index=False, float_format="%.17g")
