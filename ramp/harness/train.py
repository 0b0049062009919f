"""Forkboard harness for RAMP kits, train step (runs in the sandbox, working directory = the
submission, which holds the files of the kit's submissions/<name>/).

Reads FORKBOARD_TRAIN (the fold's training rows, in the order the kit's get_cv lists them),
rebuilds the kit's X and y as its get_train_data gave them (forkboard_ramp_data.py), trains
the submission with the kit's own workflow (`problem.workflow.train_submission`, from the
kit's problem.py in /harness/kit), and saves what it returns to FORKBOARD_MODEL_DIR/model.pkl
with cloudpickle (ramp-workflow's dependency; functions and classes defined in the submission,
lambdas included, are saved by value), or pickle when cloudpickle is absent.
"""
import os
import sys

import forkboard_ramp_data  # (beside this file)

try:
    import cloudpickle as pickler
except ImportError:  # pragma: no cover
    import pickle as pickler

sys.path.insert(0, os.getcwd())
sys.path.insert(0, forkboard_ramp_data.KIT_DIRECTORY)
import problem  # noqa: E402  (the kit's problem.py, as published)

_, X, y = forkboard_ramp_data.read(os.environ["FORKBOARD_TRAIN"], os.environ["FORKBOARD_ID_COLUMN"],
                                   os.environ["FORKBOARD_TARGET_COLUMN"])
trained = problem.workflow.train_submission(os.getcwd(), X, y)
with open(os.path.join(os.environ["FORKBOARD_MODEL_DIR"], "model.pkl"), "wb") as file:
    pickler.dump(trained, file)
