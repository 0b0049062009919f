"""Forkboard harness, predict step (runs in the sandbox, working directory = the submission).

Loads FORKBOARD_MODEL_DIR/model.pkl, reads FORKBOARD_INPUT (CSV: id, features), and writes
FORKBOARD_PREDICTIONS: id, then one probability column per label of FORKBOARD_LABELS, in
that order. A label the model never saw gets probability 0.
"""
import json
import os
import pickle
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.getcwd())

id_column = os.environ["FORKBOARD_ID_COLUMN"]
labels = json.loads(os.environ["FORKBOARD_LABELS"])
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "rb") as file:
    model = pickle.load(file)
table = pd.read_csv(os.environ["FORKBOARD_INPUT"])
X = table.drop(columns=[id_column])
probabilities = np.asarray(model.predict_proba(X), dtype=float)
classes = [str(label) for label in getattr(model, "classes_", labels)]
if not set(classes) & set(labels):
    sys.exit(f"the model's classes_ {classes} are none of the labels {labels}: fit it on the labels it is given")
output = pd.DataFrame({id_column: table[id_column]})
for label in labels:
    output[label] = probabilities[:, classes.index(label)] if label in classes else 0.0
output.to_csv(os.environ["FORKBOARD_PREDICTIONS"], index=False, float_format="%.17g")
