"""Forkboard harness, train step (runs in the sandbox, working directory = the submission).

Reads FORKBOARD_TRAIN (CSV: the fold's training objects: object_id, metadata, target) and
light_curves.csv in FORKBOARD_INPUT_DIRECTORY (their observations: object_id, mjd, passband,
flux, flux_err, detected), fits the submission's feature_extractor.FeatureExtractor with
fit(metadata, light_curves, y), then classifier.Classifier with fit(X, y) on the features it
returns, and pickles both to FORKBOARD_MODEL_DIR/model.pkl.
"""
import os
import pickle
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.getcwd())
from feature_extractor import FeatureExtractor  # noqa: E402  (the participant's files)
from classifier import Classifier  # noqa: E402

id_column = os.environ["FORKBOARD_ID_COLUMN"]
target_column = os.environ["FORKBOARD_TARGET_COLUMN"]
train_path = os.environ["FORKBOARD_TRAIN"]
input_directory = os.environ.get("FORKBOARD_INPUT_DIRECTORY") or os.path.dirname(train_path)

table = pd.read_csv(train_path)
y = table[target_column].to_numpy()
metadata = table.drop(columns=[target_column])
# Compact types: the light curves are the large table.
ids = metadata[id_column]
id_type = "int32" if ids.dtype.kind == "i" and (ids.empty or (ids.min() >= -2**31 and ids.max() < 2**31)) else (
    "int64" if ids.dtype.kind == "i" else "str")
started = time.process_time()
light_curves = pd.read_csv(
    os.path.join(input_directory, "light_curves.csv"),
    dtype={id_column: id_type, "mjd": "float64", "passband": "int8", "flux": "float32", "flux_err": "float32",
           "detected": "int8"})

reading = time.process_time() - started
started = time.process_time()
extractor = FeatureExtractor()
extractor.fit(metadata, light_curves, y)
X = extractor.transform(metadata, light_curves)
features = time.process_time() - started
if len(X) != len(metadata):
    sys.exit(f"FeatureExtractor.transform returned {len(X)} rows for {len(metadata)} objects: return one row per object")
del light_curves
started = time.process_time()
model = Classifier()
model.fit(X, y)
fitting = time.process_time() - started
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "wb") as file:
    pickle.dump({"feature_extractor": extractor, "classifier": model}, file)
print(f"trained on {len(metadata)} objects, {np.shape(X)[1]} features; CPU seconds: reading {reading:.1f}, features {features:.1f}, "
      f"model {fitting:.1f}")
