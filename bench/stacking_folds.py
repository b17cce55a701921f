"""Writes the stacking peer's fold assignment (../shared/peers/stacking.py) to a CSV, so that our stack is
cross-validated on exactly the peer's folds. Rows and outcomes come from the peer's own loader (common.py) and
the folds from the same StratifiedKFold(folds, shuffle=True, random_state=7) as the peer's `cv`.
Usage: stacking_folds.py mexico|tongji PATH OUT.csv [--folds 10]
Output columns: row (index in the peer's matrix), key (Tongji: PATIENT_ID; Mexico: the row index), died, fold.
No patient data beyond the row key and the outcome is written."""
import argparse, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'peers'))
import numpy as np, pandas as pd
from sklearn.model_selection import StratifiedKFold
import common

ap = argparse.ArgumentParser()
ap.add_argument('dataset', choices=['mexico', 'tongji'])
ap.add_argument('path')
ap.add_argument('out')
ap.add_argument('--folds', type=int, default=10)
a = ap.parse_args()
X, y, _ = common.mexico(a.path) if a.dataset == 'mexico' else common.tongji(a.path)
if a.dataset == 'tongji':
    # common.tongji groups by the carried-forward PATIENT_ID; groupby sorts its keys, so this is the row order
    keys = np.sort(pd.read_csv(a.path, usecols=['PATIENT_ID'])['PATIENT_ID'].ffill().unique())
    if len(keys) != len(y):
        sys.exit(f"tongji: {len(keys)} patient ids for {len(y)} rows")
    keys = [str(int(k)) for k in keys]
else:
    keys = [str(i) for i in range(len(y))]
fold = np.empty(len(y), dtype=int)
cv = StratifiedKFold(a.folds, shuffle=True, random_state=7)  # the peer's outer cv, verbatim
for k, (_, test) in enumerate(cv.split(X.values, y)):
    fold[test] = k
with open(a.out, 'w') as f:
    f.write(f"# stacking.py {a.dataset} folds={a.folds} StratifiedKFold(shuffle=True, random_state=7) "
            f"rows={len(y)} features={X.shape[1]} deaths={int(y.sum())}\n")
    f.write("row,key,died,fold\n")
    for i in range(len(y)):
        f.write(f"{i},{keys[i]},{int(y[i])},{fold[i]}\n")
print(f"[folds] {a.dataset}: {len(y)} rows, {int(y.sum())} deaths, {a.folds} folds -> {a.out}")
