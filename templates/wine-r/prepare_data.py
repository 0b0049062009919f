"""Prepare the wine recognition challenge data: run by `forkboard init` as
`python prepare_data.py HUB/data`.

Source: the UCI wine recognition data set (M. Forina et al., PARVUS, 1988; UCI Machine
Learning Repository, licence CC BY 4.0), read from the copy bundled inside scikit-learn
(`sklearn.datasets.load_wine`), so nothing is downloaded. 178 wines grown in one region of
Italy by three cultivators, 13 chemical measurements each.

Writes DATA/public/train.csv (about 75% of the rows) and DATA/private/test.csv (the rest),
split once, stratified, with a fixed seed.
"""
import os
import sys

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

SEED = 20261130


def main(data_directory):
    bunch = load_wine(as_frame=True)
    features = bunch.data.copy()
    features.columns = [name.replace("/", "_per_") for name in features.columns]
    cultivar = bunch.target.map({index: f"class_{index}" for index in range(3)})
    table = features.assign(cultivar=cultivar)
    table.insert(0, "id", [f"wine-{index:03d}" for index in range(len(table))])
    train, test = train_test_split(table, test_size=0.25, random_state=SEED, stratify=table["cultivar"])
    os.makedirs(os.path.join(data_directory, "public"), exist_ok=True)
    os.makedirs(os.path.join(data_directory, "private"), exist_ok=True)
    train.sort_values("id").to_csv(os.path.join(data_directory, "public", "train.csv"), index=False)
    test.sort_values("id").to_csv(os.path.join(data_directory, "private", "test.csv"), index=False)
    print(f"train: {len(train)} rows, test: {len(test)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
