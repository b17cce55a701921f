package org.covidrisk.ensemble.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of predicted death probabilities against outcomes. AUROC by the rank-sum (Mann-Whitney) statistic
 * with ties averaged; Brier score; accuracy, sensitivity and specificity at a 0.5 threshold; log loss.
 */
public final class BinaryMetrics {

    private BinaryMetrics() {
    }

    public static Map<String, Double> of(double[] p, boolean[] died) {
        if (p.length != died.length || p.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays");
        }
        for (double x : p) {
            if (!(x >= 0 && x <= 1)) {
                throw new IllegalArgumentException("a prediction is not a probability: " + x);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("n", (double) p.length);
        m.put("auroc", auroc(p, died));
        double brier = 0;
        double logLoss = 0;
        long tp = 0;
        long tn = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < p.length; i++) {
            double y = died[i] ? 1 : 0;
            brier += (p[i] - y) * (p[i] - y);
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            logLoss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
            boolean predicted = p[i] >= 0.5;
            if (predicted && died[i]) {
                tp++;
            } else if (!predicted && !died[i]) {
                tn++;
            } else if (predicted) {
                fp++;
            } else {
                fn++;
            }
        }
        m.put("brier", brier / p.length);
        m.put("log_loss", logLoss / p.length);
        m.put("accuracy", (double) (tp + tn) / p.length);
        m.put("sensitivity", tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn));
        m.put("specificity", tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp));
        return m;
    }

    /** Area under the ROC curve; NaN when only one class is present. */
    public static double auroc(double[] p, boolean[] died) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (died[order[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
