"""Forkboard harness for RAMP kits: reads a step's input file back into the kit's own X and y,
as the kit's get_train_data gave them, from what ramp/prepare_kit.py wrote (the data files and
kit/forkboard_kit.json beside this file, /harness/kit/ in the sandbox).

- A tabular kit ("layout": "table", or no forkboard_kit.json: hubs made before it): X is the
  CSV's columns but the id and target, read by pandas, as ramp-workflow's kits read theirs.
- Any other kit ("layout": "objects"): each row's `forkboard_x` cell is the base64 of the pickle
  of its part of X (a DataFrame row as a dict column -> value, X[i] of an array or a list);
  X is rebuilt in the rows' order: a DataFrame with the recorded columns and dtypes (and a
  fresh RangeIndex), np.stack of the arrays, or a list.
- When the test rows' X differs in types from the training rows' (a column with missing values
  only there), forkboard_kit.json has "x_test" too: the rows whose id starts with
  "test_id_prefix" are rebuilt with it and predicted apart (read_for_prediction), as
  ramp-workflow predicts X_test apart from X_train.
- y (train step): the recorded container and dtype, and for classification the kit's value of
  each label string (so 3 stays the int 3 when the kit's label is 3.0).
"""
import base64
import json
import os
import pickle

import numpy as np
import pandas as pd

KIT_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kit")
METADATA_FILE = "forkboard_kit.json"


def metadata():
    """forkboard_kit.json, or None for a hub made before it (a tabular kit)."""
    path = os.path.join(KIT_DIRECTORY, METADATA_FILE)
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def rebuild_x(parts, description):
    kind = description["kind"]
    if kind == "dataframe":
        frame = pd.DataFrame(parts, columns=description["columns"])
        for name, dtype in zip(description["columns"], description["dtypes"]):
            if str(frame[name].dtype) != dtype:
                frame[name] = frame[name].astype(dtype)
        return frame
    if kind == "ndarray":
        dtype = np.dtype(description["dtype"])
        shape = (len(parts),) + tuple(description["shape"][1:])
        if dtype == object or not parts:
            array = np.empty(shape, dtype=dtype)
            for row, part in enumerate(parts):
                array[row] = part
            return array
        array = np.stack(parts)
        return array if array.dtype == dtype else array.astype(dtype)
    if kind == "list":
        return list(parts)
    raise ValueError(f"{METADATA_FILE}: unknown kind of X '{kind}'")


def rebuild_y(values, description):
    container = description["container"]
    if container == "list":
        return list(values)
    dtype = description["dtype"]
    if container == "ndarray":
        if dtype == "object":
            array = np.empty(len(values), dtype=object)
            array[:] = values
            return array
        return np.array(values, dtype=np.dtype(dtype))
    if container == "extension_array":
        return pd.array(values, dtype=dtype)
    if container == "series":
        return pd.Series(values, dtype=object if dtype == "object" else dtype, name=description.get("name"))
    raise ValueError(f"{METADATA_FILE}: unknown container of y '{container}'")


def y_from_targets(targets, meta):
    """The kit's y from the target column's text (label strings, or numbers)."""
    description = meta["y"]
    if "labels" in description:
        values = [description["labels"][target] for target in targets]
    else:
        values = [float(target) for target in targets]
    return rebuild_y(values, description)


def decode(cells):
    return [pickle.loads(base64.b64decode(cell)) for cell in cells]


def read(path, id_column, target_column=None):
    """(ids, X, y) of a step's input file; y is None without a target column."""
    meta = metadata()
    if meta is not None and meta.get("layout") == "objects":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        X = rebuild_x(decode(table[meta["x_column"]]), meta["x"])
        y = y_from_targets(table[target_column].tolist(), meta) if target_column else None
        return table[id_column], X, y
    # Tabular: the kit's columns as pandas reads them, as today.
    table = pd.read_csv(path)
    X = table.drop(columns=[id_column] + ([target_column] if target_column else []))
    y = None
    if target_column:
        if meta is None:
            y = table[target_column].to_numpy()
        else:
            targets = pd.read_csv(path, usecols=[target_column], dtype=str, keep_default_na=False)[target_column].tolist()
            y = y_from_targets(targets, meta)
    return table[id_column], X, y


def read_for_prediction(path, id_column):
    """(ids, groups) of a predict step's input file: each group (positions, X) is predicted
    with one call of the workflow; one group but when the test rows have their own types."""
    meta = metadata()
    if meta is None or meta.get("layout") != "objects" or "x_test" not in meta:
        ids, X, _ = read(path, id_column)
        return ids, [(np.arange(len(ids)), X)]
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    ids = table[id_column]
    is_test = ids.str.startswith(meta["test_id_prefix"]).to_numpy(dtype=bool)
    groups = []
    for mask, description in ((~is_test, meta["x"]), (is_test, meta["x_test"])):
        positions = np.flatnonzero(mask)
        if len(positions):
            groups.append((positions, rebuild_x(decode(table[meta["x_column"]].iloc[positions]), description)))
    return ids, groups
