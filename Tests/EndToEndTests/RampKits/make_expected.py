#!/usr/bin/env python3
"""What `ramp-test` scores for each RAMP kit's starting kit: the expected values of
RampKitTests.

For each kit of ../shared/ramp-kits/ (beside the repository), copies it to a temporary
directory (the kits are never changed), runs

    ramp-test --submission starting_kit --save-output

there with the interpreter running this script (its environment must have the kit's
requirements and ramp-workflow), and writes <kit>.json beside this script: for each fold,
the validation and test scores of `training_output/fold_<k>/scores.csv`, and the bagged
validation and test scores of `training_output/bagged_scores.csv` (all folds bagged), at
full precision, keyed by the kit's score names.

Run from the repository root, for instance:

    /path/to/venv/bin/python Tests/EndToEndTests/RampKits/make_expected.py

With `--kit PATH`, does the same for the one kit at PATH (for instance one that make_kits.py
wrote) and prints its JSON to standard output instead of writing a file:

    /path/to/venv/bin/python Tests/EndToEndTests/RampKits/make_expected.py --kit /tmp/kits/light_curves

The committed files were made with ramp-workflow 0.7.0, scikit-learn 1.9.1, numpy 2.4.6
and pandas 3.1.1 (recorded in each file under "versions").
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
KITS = HERE.parents[2].parent / "shared" / "ramp-kits"


def read_scores(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def score_names(kit):
    """The kit's score type names, in its order (the first is official)."""
    output = subprocess.run([sys.executable, "-B", "-c", "import problem; print('\\n'.join(s.name for s in problem.score_types))"],
                            cwd=kit, check=True, capture_output=True, text=True).stdout
    return output.splitlines()


def expected_for(kit):
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / kit.name
        shutil.copytree(kit, copy)
        ramp_test = Path(sys.executable).parent / "ramp-test"
        subprocess.run([str(ramp_test), "--submission", "starting_kit", "--save-output"], cwd=copy, check=True,
                       stdout=subprocess.DEVNULL)
        output = copy / "submissions" / "starting_kit" / "training_output"
        folds = []
        for fold in sorted(output.glob("fold_*"), key=lambda path: int(path.name.split("_")[1])):
            rows = {row["step"]: row for row in read_scores(fold / "scores.csv")}
            folds.append({step: {key: float(value) for key, value in rows[step].items() if key not in ("step", "time")}
                          for step in ("valid", "test")})
        bagged_rows = read_scores(output / "bagged_scores.csv")
        last = max(int(row["n_bag"]) for row in bagged_rows)
        bagged = {row["step"]: {key: float(value) for key, value in row.items() if key not in ("step", "n_bag")}
                  for row in bagged_rows if int(row["n_bag"]) == last}
        # (Read from the copy: importing problem.py would leave a __pycache__ in the kit.)
        names = score_names(copy)
    return {
        "versions": {name: version(name) for name in ("ramp-workflow", "scikit-learn", "numpy", "pandas")},
        "command": "ramp-test --submission starting_kit --save-output",
        "score_names": names,
        "folds": folds,
        "bagged": bagged,
    }


def main():
    if sys.argv[1:2] == ["--kit"]:
        if len(sys.argv) != 3:
            sys.exit("usage: make_expected.py [--kit PATH]")
        print(json.dumps(expected_for(Path(sys.argv[2]).resolve()), indent=2, sort_keys=True))
        return
    if len(sys.argv) != 1:
        sys.exit("usage: make_expected.py [--kit PATH]")
    for kit in sorted(path for path in KITS.iterdir() if (path / "problem.py").exists()):
        target = HERE / f"{kit.name}.json"
        target.write_text(json.dumps(expected_for(kit), indent=2, sort_keys=True) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
