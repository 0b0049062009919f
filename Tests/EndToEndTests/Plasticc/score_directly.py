#!/usr/bin/env python3
"""The scores of a scored PLAsTiCC-shaped evaluation, computed here from its predictions files
and the hub's data, independently of the hub's Swift code: what PlasticcTests compares the
hub's scores with.

    python score_directly.py HUB RUN_DIRECTORY

HUB is the hub home (its data/public/training_set_metadata.csv and
data/private/test_set_metadata.csv give the targets, its challenge.yaml the labels and the
class weights); RUN_DIRECTORY is the evaluation's job directory, which keeps each fold's
validation predictions (fold-<k>/validation.predictions, 64-bit) and the bagged test
predictions (test.predictions, 32-bit), read here by their documented format (a JSON header
line, then zlib-compressed little-endian floats with their bytes grouped by position). The
validation objects of fold k are those of its predict input (fold-<k>/input/predict/predict.csv).
Prints JSON: for each fold, the `valid` scores; then the bagged scores (`valid`: each training
object's out-of-fold prediction; `test`: the kept bagged test predictions).

The scores, by their definitions:
- plasticc_log_loss: Malz et al. 2019 (AJ 158:171), the weighted log loss as Kaggle's
  PLAsTiCC computed it: probabilities clipped to [1e-15, 1 - 1e-15], rows renormalised, the
  mean of -ln p(true class) over each class's objects, averaged over the classes present
  with the class weights of challenge.yaml (`class_weights`, 1 for a class not named);
- log_loss: scikit-learn's log_loss(y, p, labels=all labels) (clipping to [1e-15, 1 - 1e-15]
  after renormalising the rows, as scikit-learn 1.9 does);
- accuracy: the fraction of objects whose largest probability (the first on ties) is their
  class.
"""
import json
import os
import re
import sys
import zlib

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss


def plasticc_log_loss(y, probabilities, class_weights, eps=1e-15):
    clipped = np.clip(probabilities, eps, 1 - eps)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    total, weights = 0.0, 0.0
    for index in np.unique(y):
        rows = y == index
        total += class_weights[index] * np.mean(np.log(clipped[rows, index]))
        weights += class_weights[index]
    return -total / weights


def scores(y, probabilities, labels, class_weights):
    return {
        "plasticc_log_loss": float(plasticc_log_loss(y, probabilities, class_weights)),
        "log_loss": float(log_loss(y, probabilities, labels=list(range(len(labels))))),
        "accuracy": float(np.mean(np.argmax(probabilities, axis=1) == y)),
    }


def stored(path):
    """The predictions stored at `path` (Sources/Evaluation/Scoring/StoredPredictions.swift)."""
    with open(path, "rb") as file:
        data = file.read()
    newline = data.index(b"\n")
    header = json.loads(data[:newline])
    assert header["format"] == "forkboard-predictions" and header["shuffle"] == "bytes" and header["compression"] == "zlib", header
    width = 8 if header["precision"] == "float64" else 4
    count = header["rows"] * header["columns"]
    shuffled = np.frombuffer(zlib.decompress(data[newline + 1:]), dtype=np.uint8).reshape(width, count)
    values = np.frombuffer(shuffled.T.copy().tobytes(), dtype="<f8" if width == 8 else "<f4").astype(float)
    return values.reshape(header["rows"], header["columns"])


def main(hub, run):
    with open(os.path.join(hub, "challenge.yaml")) as file:
        text = file.read()
    labels = json.loads(text.split("labels: ", 1)[1].split("\n", 1)[0])
    position = {label: index for index, label in enumerate(labels)}
    class_weights = [1.0] * len(labels)
    declared = re.search(r"class_weights: \{([^}]*)\}", text)
    for label, weight in re.findall(r'"([^"]+)": *([0-9.]+)', declared.group(1) if declared else ""):
        class_weights[position[label]] = float(weight)
    train = pd.read_csv(os.path.join(hub, "data/public/training_set_metadata.csv"), dtype={"object_id": str})
    test = pd.read_csv(os.path.join(hub, "data/private/test_set_metadata.csv"), dtype={"object_id": str})
    train_y = dict(zip(train["object_id"], (position[str(t)] for t in train["target"])))
    test_y = np.array([position[str(t)] for t in test["target"]])
    folds, out_of_fold = [], {}
    fold = 0
    while os.path.exists(os.path.join(run, f"fold-{fold}/validation.predictions")):
        objects = pd.read_csv(os.path.join(run, f"fold-{fold}/input/predict/predict.csv"), dtype={"object_id": str})
        valid_ids = [identifier for identifier in objects["object_id"] if identifier in train_y]
        valid_p = stored(os.path.join(run, f"fold-{fold}/validation.predictions"))
        assert valid_p.shape == (len(valid_ids), len(labels)), valid_p.shape
        valid_y = np.array([train_y[identifier] for identifier in valid_ids])
        folds.append({"valid": scores(valid_y, valid_p, labels, class_weights)})
        for identifier, row in zip(valid_ids, valid_p):
            out_of_fold.setdefault(identifier, []).append(row)
        fold += 1
    order = [identifier for identifier in train["object_id"] if identifier in out_of_fold]
    bagged_valid = np.array([np.mean(out_of_fold[identifier], axis=0) for identifier in order])
    bagged_test = stored(os.path.join(run, "test.predictions"))
    assert bagged_test.shape == (len(test_y), len(labels)), bagged_test.shape
    bagged = {
        "valid": scores(np.array([train_y[identifier] for identifier in order]), bagged_valid, labels, class_weights),
        "test": scores(test_y, bagged_test, labels, class_weights),
    }
    print(json.dumps({"folds": folds, "bagged": bagged}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
