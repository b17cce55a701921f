"""Independent reference values for BinaryMetricsTest and EvaluationTest.

Run with Debian's /usr/bin/python3 (python3-sklearn 1.2.1, python3-statsmodels 0.13.5, numpy 1.24):
    /usr/bin/python3 sklearn_reference.py
The printed numbers are pasted as constants into the Java tests; the data set is printed too.
"""
import numpy as np
import statsmodels.api as sm
from scipy.special import logit
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, brier_score_loss, confusion_matrix, f1_score, log_loss,
                             precision_score, recall_score, roc_auc_score, roc_curve)

rng = np.random.default_rng(20240)
n = 60
p = np.round(rng.beta(0.9, 1.4, n), 2)
# keep probabilities off the bin edges (multiples of 0.05): sklearn 1.2 puts an edge value in the lower bin,
# newer releases and numpy.histogram in the upper one
p = np.where(np.isclose((p * 100) % 5, 0), np.round(p + 0.01, 2), p)
p = np.clip(p, 0.01, 0.99)
y = (rng.random(n) < np.clip(1.3 * p - 0.1, 0, 1)).astype(int)
print("p =", ", ".join(f"{v:.2f}" for v in p))
print("y =", ", ".join("true" if v else "false" for v in y))

pred = (p >= 0.5).astype(int)
tn, fp, fn, tp = confusion_matrix(y, pred).ravel()
q = np.clip(p, 1e-15, 1 - 1e-15)
x = logit(q)
slope = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial()).fit(tol=1e-12).params[1]
citl = sm.GLM(y, np.ones((n, 1)), family=sm.families.Binomial(), offset=x).fit(tol=1e-12).params[0]
prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
binids = np.searchsorted(np.linspace(0, 1, 11)[1:-1], p)
counts = np.bincount(binids, minlength=10)
counts = counts[counts > 0]
ece = np.sum(counts / n * np.abs(prob_pred - prob_true))
ref = {
    "n": n, "auroc": roc_auc_score(y, p), "brier": brier_score_loss(y, p), "log_loss": log_loss(y, p),
    "accuracy": accuracy_score(y, pred), "sensitivity": recall_score(y, pred),
    "specificity": recall_score(y, pred, pos_label=0), "precision": precision_score(y, pred),
    "recall": recall_score(y, pred), "f1": f1_score(y, pred), "macro_f1": f1_score(y, pred, average="macro"),
    "micro_f1": f1_score(y, pred, average="micro"), "calibration_intercept": citl, "calibration_slope": slope,
    "ece": ece, "tp": tp, "fp": fp, "tn": tn, "fn": fn, "prevalence": y.mean(),
}
for k, v in ref.items():
    print(f'"{k}", {float(v)!r},')
print("reliability counts", counts.tolist())
print("prob_pred", prob_pred.tolist())
print("prob_true", prob_true.tolist())
fpr, tpr, thr = roc_curve(y, p, drop_intermediate=False)
print("roc points", len(fpr), "first threshold", thr[0], "sum fpr", fpr.sum(), "sum tpr", tpr.sum(),
      "sum thresholds", thr.sum(), "trapz", np.trapz(tpr, fpr))

# reliability profile: confidence max(p, 1-p) in 10 bins over [0.5, 1]
conf = np.maximum(p, 1 - p)
cbin = np.minimum(((conf - 0.5) / 0.05).astype(int), 9)
hit = (pred == y)
print("profile counts", np.bincount(cbin, minlength=10).tolist())
print("profile hits", np.bincount(cbin, weights=hit, minlength=10).astype(int).tolist())

# hypothesis test with p as estimator: Type-I = survivors with p >= b, Type-II = deaths with p < b
for b in (0.3, 0.5, 0.7):
    print("bound", b, "typeI", np.mean(p[y == 0] >= b), "typeII", np.mean(p[y == 1] < b))
for alpha in (0.05, 0.1, 0.25):
    values = np.unique(p)
    ok = [v for v in values if np.mean(p[y == 0] >= v) <= alpha]
    b = min(ok)
    print("alpha", alpha, "bound", b, "typeI", np.mean(p[y == 0] >= b), "typeII", np.mean(p[y == 1] < b))

# degenerate cases
print("one class, all right: macro_f1", f1_score([0, 0, 0], [0, 0, 0], average="macro"),
      "f1", f1_score([0, 0, 0], [0, 0, 0], zero_division=0),
      "precision", precision_score([0, 0, 0], [0, 0, 0], zero_division=0))
print("no predicted deaths: precision", precision_score([1, 0, 0], [0, 0, 0], zero_division=0),
      "macro_f1", f1_score([1, 0, 0], [0, 0, 0], average="macro", zero_division=0))
