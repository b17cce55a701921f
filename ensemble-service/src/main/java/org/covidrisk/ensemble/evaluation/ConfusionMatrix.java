package org.covidrisk.ensemble.evaluation;

/**
 * Counts of a thresholded prediction, death being the positive class: true/false positives and negatives.
 *
 * @param threshold a death is predicted when {@code p >= threshold}
 */
public record ConfusionMatrix(double threshold, long tp, long fp, long tn, long fn) {

    /** Counts the predictions {@code p >= threshold} against the outcomes. */
    public static ConfusionMatrix of(double[] p, boolean[] died, double threshold) {
        if (p.length != died.length) {
            throw new IllegalArgumentException("need equal arrays");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < p.length; i++) {
            boolean predicted = p[i] >= threshold;
            if (predicted) {
                if (died[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (died[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(threshold, tp, fp, tn, fn);
    }

    /** Share of correct predictions; 0 for an empty matrix. */
    public double accuracy() {
        long n = tp + fp + tn + fn;
        return n == 0 ? 0 : (double) (tp + tn) / n;
    }
}
