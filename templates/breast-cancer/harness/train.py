"""Forkboard harness, train step (runs in the sandbox, working directory = the submission).

Reads FORKBOARD_TRAIN (CSV: id, features, target), fits the submission's
classifier.Classifier with fit(X, y), and pickles it to FORKBOARD_MODEL_DIR/model.pkl.
"""
import os
import pickle
import sys

import pandas as pd

sys.path.insert(0, os.getcwd())
from classifier import Classifier  # noqa: E402  (the participant's file)

id_column = os.environ["FORKBOARD_ID_COLUMN"]
target_column = os.environ["FORKBOARD_TARGET_COLUMN"]
table = pd.read_csv(os.environ["FORKBOARD_TRAIN"])
X = table.drop(columns=[id_column, target_column])
y = table[target_column].to_numpy()
model = Classifier()
model.fit(X, y)
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "wb") as file:
    pickle.dump(model, file)
