package org.covidrisk.imaging.model;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve as the Mann-Whitney statistic with ties counted half. Hand-written because Tribuo's
 * evaluator needs Prediction objects and the patient-level scores here are plain numbers (means of image scores).
 */
public final class Auroc {

    private Auroc() {
    }

    /** AUROC of {@code scores} for {@code positive}; NaN when one class is absent. */
    public static double of(double[] scores, boolean[] positive) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average rank of a tie group
            for (int k = i; k <= j; k++) {
                if (positive[idx[k]]) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
