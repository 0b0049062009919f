"""Prepare the breast-cancer challenge data: run by `forkboard init` as
`python prepare_data.py HUB/data`.

Source: the Wisconsin Diagnostic Breast Cancer data set (W. N. Street, W. H. Wolberg,
O. L. Mangasarian, 1995), UCI Machine Learning Repository, licence CC BY 4.0, read from the
copy bundled inside scikit-learn (`sklearn.datasets.load_breast_cancer`), so nothing is
downloaded. 569 rows, 30 numeric features, target benign/malignant.

Writes DATA/public/train.csv (about 80% of the rows, given to participants) and
DATA/private/test.csv (the rest, kept by the hub), split once, stratified, with a fixed seed.
"""
import os
import sys

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

SEED = 20261129


def main(data_directory):
    bunch = load_breast_cancer(as_frame=True)
    features = bunch.data.copy()
    features.columns = [name.replace(" ", "_") for name in features.columns]
    # scikit-learn codes 0 = malignant, 1 = benign.
    diagnosis = bunch.target.map({0: "malignant", 1: "benign"})
    table = features.assign(diagnosis=diagnosis)
    table.insert(0, "id", [f"patient-{index:04d}" for index in range(len(table))])
    train, test = train_test_split(table, test_size=0.2, random_state=SEED, stratify=table["diagnosis"])
    os.makedirs(os.path.join(data_directory, "public"), exist_ok=True)
    os.makedirs(os.path.join(data_directory, "private"), exist_ok=True)
    train.sort_values("id").to_csv(os.path.join(data_directory, "public", "train.csv"), index=False)
    test.sort_values("id").to_csv(os.path.join(data_directory, "private", "test.csv"), index=False)
    print(f"train: {len(train)} rows, test: {len(test)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
