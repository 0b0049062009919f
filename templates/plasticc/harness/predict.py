"""Forkboard harness, predict step (runs in the sandbox, working directory = the submission).

Loads FORKBOARD_MODEL_DIR/model.pkl (the fitted feature extractor and classifier), reads
FORKBOARD_INPUT (CSV: the objects to predict: object_id and metadata, no target) and
light_curves.csv beside it, and writes FORKBOARD_PREDICTIONS: the id column, then one
probability column per label of FORKBOARD_LABELS, in that order. A label the model's
classes_ lack gets probability 0 (classes match labels as strings: 6 and 6.0 are "6").

The light curves are read in batches of whole objects (their rows are contiguous, as in the
data files), so that memory stays bounded however large the test set: the extractor's
transform and the classifier's predict_proba are called once per batch, and predictions are
written batch by batch (in the light curves' order of objects; objects without any
observation last).
"""
import json
import numbers
import os
import pickle
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.getcwd())

# Observations read at a time (about 50 MB in memory, plus what the extractor makes of them).
BATCH_ROWS = 2_000_000

id_column = os.environ["FORKBOARD_ID_COLUMN"]
labels = json.loads(os.environ["FORKBOARD_LABELS"])
input_path = os.environ["FORKBOARD_INPUT"]
input_directory = os.environ.get("FORKBOARD_INPUT_DIRECTORY") or os.path.dirname(input_path)
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "rb") as file:
    fitted = pickle.load(file)
extractor, model = fitted["feature_extractor"], fitted["classifier"]


def label_of(value):
    """A class as a label: numbers without their '.0' (6, 6.0 and "6" are all "6")."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    return str(value)


classes = [label_of(c) for c in getattr(model, "classes_", labels)]
if not set(classes) & set(labels):
    sys.exit(f"the model's classes_ {classes} are none of the labels {labels}: fit it on the labels it is given")
columns = [classes.index(label) if label in classes else -1 for label in labels]

metadata = pd.read_csv(input_path)
ids = metadata[id_column]
if not ids.is_unique:
    sys.exit(f"{input_path}: an object appears twice")
id_type = "int32" if ids.dtype.kind == "i" and (ids.empty or (ids.min() >= -2**31 and ids.max() < 2**31)) else (
    "int64" if ids.dtype.kind == "i" else "str")
light_curve_types = {id_column: id_type, "mjd": "float64", "passband": "int8", "flux": "float32",
                     "flux_err": "float32", "detected": "int8"}
position = pd.Index(ids)
done = np.zeros(len(metadata), dtype=bool)
output = open(os.environ["FORKBOARD_PREDICTIONS"], "w", newline="")
output.write(",".join([id_column] + labels) + "\n")


# CPU seconds by part, printed at the end (the log says where the time went).
spent = {"reading": 0.0, "features": 0.0, "model": 0.0, "writing": 0.0}


def predict(rows, light_curves):
    """Predicts the objects at `rows` of the metadata from `light_curves` (all their rows)."""
    if len(rows) == 0:
        return
    batch = metadata.iloc[rows].reset_index(drop=True)
    started = time.process_time()
    X = extractor.transform(batch, light_curves)
    spent["features"] += time.process_time() - started
    if len(X) != len(batch):
        sys.exit(f"FeatureExtractor.transform returned {len(X)} rows for {len(batch)} objects: return one row per object")
    started = time.process_time()
    probabilities = np.asarray(model.predict_proba(X), dtype=np.float64)
    spent["model"] += time.process_time() - started
    if probabilities.shape != (len(batch), len(classes)):
        sys.exit(f"predict_proba returned shape {probabilities.shape} for {len(batch)} objects and {len(classes)} classes_")
    bad = ~np.isfinite(probabilities).all(axis=1) | (probabilities < 0).any(axis=1)
    if bad.any():
        first = batch[id_column].iloc[int(np.argmax(bad))]
        sys.exit(f"predict_proba gave {int(bad.sum())} objects a probability that is negative or not a finite number "
                 f"(the first: {id_column} {first}); features may be NaN (no detection): the model must cope")
    started = time.process_time()
    table = pd.DataFrame({id_column: batch[id_column]})
    for label, column in zip(labels, columns):
        table[label] = probabilities[:, column] if column >= 0 else 0.0
    table.to_csv(output, header=False, index=False, float_format="%.8g")
    spent["writing"] += time.process_time() - started


def flush(light_curves):
    """Predicts every object of `light_curves`, whose rows are complete."""
    object_ids = light_curves[id_column].to_numpy()
    starts = np.flatnonzero(np.r_[True, object_ids[1:] != object_ids[:-1]]) if len(object_ids) else np.array([], dtype=int)
    rows = position.get_indexer(object_ids[starts])
    rows = rows[rows >= 0]  # observations of an object not to predict are ignored
    if len(np.unique(rows)) != len(rows) or done[rows].any():
        sys.exit("light_curves.csv: an object's observations are not on consecutive lines")
    done[rows] = True
    predict(rows, light_curves)


carry = None
reading = time.process_time()
for chunk in pd.read_csv(os.path.join(input_directory, "light_curves.csv"), dtype=light_curve_types, chunksize=BATCH_ROWS):
    spent["reading"] += time.process_time() - reading
    if carry is not None:
        chunk = pd.concat([carry, chunk], ignore_index=True)
    object_ids = chunk[id_column].to_numpy()
    # The last object may continue in the next chunk: keep its rows for then.
    changes = np.flatnonzero(object_ids[1:] != object_ids[:-1])
    if len(changes) == 0:
        carry = chunk
        continue
    cut = changes[-1] + 1
    flush(chunk.iloc[:cut])
    carry = chunk.iloc[cut:].reset_index(drop=True)
    reading = time.process_time()
if carry is not None:
    flush(carry)
# Objects without any observation: their features come from the metadata alone.
missing = np.flatnonzero(~done)
if len(missing):
    empty = pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in light_curve_types.items()})
    predict(missing, empty)
output.close()
print(f"predicted {len(metadata)} objects; CPU seconds: " + ", ".join(f"{part} {seconds:.1f}" for part, seconds in spent.items()))
