package org.covidrisk.platform.analysis;

import java.util.Arrays;

/**
 * Feature analysis for the reports: mutual information (information gain, stacking paper Eq. 8-9) and Pearson
 * correlation (Eq. 10) of a feature with death, and the first four central moments of each patient's feature
 * vector (PLOS ONE 2021, Fig. 1), whose per-class distributions show why they fail as estimators.
 */
public final class FeatureAnalysis {

    /** Bins used to discretise a continuous feature for mutual information (equal-frequency). */
    public static final int BINS = 10;

    private FeatureAnalysis() {
    }

    /**
     * Mutual information I(X; Y) in bits between a feature and the outcome. A feature with at most {@link #BINS}
     * distinct values is used as it is; otherwise it is cut into equal-frequency bins. NaN is its own category.
     */
    public static double mutualInformation(double[] x, boolean[] died) {
        return mutualInformation(categories(x), died);
    }

    /**
     * Mutual information in bits between a categorical feature (codes 0..k-1, e.g. a state or sector) and the
     * outcome; used for a group of indicators as one characteristic.
     */
    public static double mutualInformation(int[] cat, boolean[] died) {
        int n = cat.length;
        int k = Arrays.stream(cat).max().orElse(0) + 1;
        double[][] joint = new double[k][2];
        for (int i = 0; i < n; i++) {
            joint[cat[i]][died[i] ? 1 : 0]++;
        }
        double mi = 0;
        double py1 = 0;
        for (double[] row : joint) {
            py1 += row[1];
        }
        double[] py = {(n - py1) / n, py1 / n};
        for (double[] row : joint) {
            double px = (row[0] + row[1]) / n;
            for (int y = 0; y < 2; y++) {
                double pxy = row[y] / n;
                if (pxy > 0) {
                    mi += pxy * log2(pxy / (px * py[y]));
                }
            }
        }
        return Math.max(0, mi);
    }

    /**
     * Area under the ROC curve of a score for death (Mann-Whitney, ties counted half). NaN scores are left out.
     * 0.5 is no discrimination; below 0.5 the feature discriminates in the other direction.
     */
    public static double auroc(double[] score, boolean[] died) {
        Integer[] idx = java.util.stream.IntStream.range(0, score.length).filter(i -> !Double.isNaN(score[i]))
                .boxed().toArray(Integer[]::new);
        Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (died[idx[t]]) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = idx.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Pearson correlation of a feature with death (1/0); NaN rows are left out; NaN when a side is constant. */
    public static double pearson(double[] x, boolean[] died) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) {
                continue;
            }
            double y = died[i] ? 1 : 0;
            sx += x[i];
            sy += y;
            sxx += x[i] * x[i];
            syy += y * y;
            sxy += x[i] * y;
            n++;
        }
        double cov = sxy - sx * sy / n;
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        return vx <= 0 || vy <= 0 ? Double.NaN : cov / Math.sqrt(vx * vy);
    }

    /** Mean, variance, skewness and (non-excess) kurtosis of the elements of one feature vector. */
    public static double[] centralMoments(double[] v) {
        int n = v.length;
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double x : v) {
            double d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double skew = m2 == 0 ? 0 : m3 / Math.pow(m2, 1.5);
        double kurt = m2 == 0 ? 0 : m4 / (m2 * m2);
        return new double[]{mean, m2, skew, kurt};
    }

    private static int[] categories(double[] x) {
        double[] distinct = Arrays.stream(x).filter(v -> !Double.isNaN(v)).distinct().sorted().toArray();
        int[] out = new int[x.length];
        if (distinct.length <= BINS) {
            for (int i = 0; i < x.length; i++) {
                out[i] = Double.isNaN(x[i]) ? distinct.length : Arrays.binarySearch(distinct, x[i]);
            }
            return out;
        }
        double[] sorted = Arrays.stream(x).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] cuts = new double[BINS - 1];
        for (int b = 1; b < BINS; b++) {
            cuts[b - 1] = sorted[(int) ((long) b * sorted.length / BINS)];
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) {
                out[i] = BINS;
                continue;
            }
            int bin = 0;
            while (bin < cuts.length && x[i] >= cuts[bin]) {
                bin++;
            }
            out[i] = bin;
        }
        return out;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
