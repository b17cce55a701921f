package org.covidrisk.ensemble.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ROC curve points as sklearn's {@code roc_curve(drop_intermediate=False)}: one point per distinct predicted
 * probability, in decreasing threshold order, after a first point (0, 0) whose threshold is the highest
 * probability + 1 (sklearn 1.2, which Debian ships; sklearn ≥ 1.3 writes infinity there, which JSON cannot
 * hold). Empty when one class is absent, the curve being undefined then.
 *
 * @param points from (0, 0) to (1, 1)
 */
public record RocCurve(List<Point> points) {

    /**
     * One operating point: predicting death when {@code p >= threshold}.
     *
     * @param fpr false-positive rate, 1 − specificity
     * @param tpr true-positive rate, sensitivity
     * @param threshold the probability bound
     */
    public record Point(double fpr, double tpr, double threshold) {
    }

    public RocCurve {
        points = List.copyOf(points);
    }

    /** The curve of predictions against outcomes. */
    public static RocCurve of(double[] p, boolean[] died) {
        BinaryMetrics.check(p, died);
        int n = p.length;
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        long pos = 0;
        for (boolean d : died) {
            pos += d ? 1 : 0;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return new RocCurve(List.of());
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<Point> points = new ArrayList<>();
        points.add(new Point(0, 0, sorted[n - 1] + 1));
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < n; i++) {
            if (died[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            // one point after the last row of each tied group of probabilities
            if (i == n - 1 || p[order[i + 1]] != p[order[i]]) {
                points.add(new Point((double) fp / neg, (double) tp / pos, p[order[i]]));
            }
        }
        return new RocCurve(points);
    }
}
