"""Forkboard harness for RAMP kits, train step (runs in the sandbox, working directory = the
submission, which holds the files of the kit's submissions/<name>/).

Reads FORKBOARD_TRAIN (CSV: id, the kit's columns, target), trains the submission with the
kit's own workflow (`problem.workflow.train_submission`, from the kit's problem.py in
/harness/kit), and pickles what it returns to FORKBOARD_MODEL_DIR/model.pkl.
"""
import os
import pickle
import sys

import pandas as pd

sys.path.insert(0, "/harness/kit")
sys.path.insert(0, os.getcwd())
import problem  # noqa: E402  (the kit's problem.py, as published)

table = pd.read_csv(os.environ["FORKBOARD_TRAIN"])
X = table.drop(columns=[os.environ["FORKBOARD_ID_COLUMN"], os.environ["FORKBOARD_TARGET_COLUMN"]])
y = table[os.environ["FORKBOARD_TARGET_COLUMN"]].to_numpy()
trained = problem.workflow.train_submission(os.getcwd(), X, y)
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "wb") as file:
    pickle.dump(trained, file)
