package org.covidrisk.feature.imputation;

import java.util.Arrays;

/**
 * How the other variables enter the imputation model of one variable: an intercept, continuous variables
 * standardised with the training mean and deviation (keeps Newton steps well conditioned), binary variables as
 * 0/1, categorical variables as indicators of every level but the first, and, at training only, the outcome.
 * Fixed from the observed training values so that a fitted imputer encodes a new patient the same way.
 */
final class Encoding {

    final Column[] columns;
    final double[] mean;
    final double[] sd;
    /** Observed levels (ascending) of binary and categorical columns; empty for continuous ones. */
    final double[][] levels;

    Encoding(Column[] columns, double[] mean, double[] sd, double[][] levels) {
        this.columns = columns;
        this.mean = mean;
        this.sd = sd;
        this.levels = levels;
    }

    /** Statistics of the observed (non-NaN) values of each column. */
    static Encoding of(Column[] columns, double[][] data) {
        int p = columns.length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        double[][] levels = new double[p][];
        for (int k = 0; k < p; k++) {
            final int col = k;
            double[] obs = Arrays.stream(data).mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).toArray();
            if (obs.length == 0) {
                throw new IllegalArgumentException("column " + columns[k].name() + " has no observed value");
            }
            double m = Arrays.stream(obs).average().orElse(0);
            double v = Arrays.stream(obs).map(x -> (x - m) * (x - m)).sum() / Math.max(1, obs.length - 1);
            mean[k] = m;
            sd[k] = v > 0 ? Math.sqrt(v) : 1;
            if (columns[k].kind() == ColumnKind.CONTINUOUS) {
                levels[k] = new double[0];
            } else {
                levels[k] = Arrays.stream(obs).distinct().sorted().toArray();
                if (columns[k].kind() == ColumnKind.BINARY) {
                    for (double l : levels[k]) {
                        if (l != 0 && l != 1) {
                            throw new IllegalArgumentException("binary column " + columns[k].name()
                                    + " holds a value other than 0/1: " + l);
                        }
                    }
                }
            }
        }
        return new Encoding(columns, mean, sd, levels);
    }

    int width(int k) {
        return columns[k].kind() == ColumnKind.CATEGORICAL ? Math.max(0, levels[k].length - 1) : 1;
    }

    /** Columns of the design of the model of {@code target}. */
    int designWidth(int target, boolean withOutcome) {
        int q = 1;
        for (int k = 0; k < columns.length; k++) {
            if (k != target) {
                q += width(k);
            }
        }
        return withOutcome ? q + 1 : q;
    }

    /**
     * Writes the design row of {@code target}'s model for a completed data row into {@code out}. The outcome is
     * appended when {@code outcome} is not NaN (training only). An unseen categorical level encodes as the first.
     */
    void design(double[] row, int target, double outcome, double[] out) {
        int i = 0;
        out[i++] = 1;
        for (int k = 0; k < columns.length; k++) {
            if (k == target) {
                continue;
            }
            double v = row[k];
            switch (columns[k].kind()) {
                case CONTINUOUS -> out[i++] = (v - mean[k]) / sd[k];
                case BINARY -> out[i++] = v;
                case CATEGORICAL -> {
                    double[] lv = levels[k];
                    for (int l = 1; l < lv.length; l++) {
                        out[i++] = v == lv[l] ? 1 : 0;
                    }
                }
            }
        }
        if (!Double.isNaN(outcome)) {
            out[i] = outcome;
        }
    }

    /** Index of a value among the observed levels of column k, -1 when unseen. */
    int levelIndex(int k, double value) {
        int i = Arrays.binarySearch(levels[k], value);
        return i >= 0 ? i : -1;
    }

    /** Value used to start a chain and to start a new patient's missing inputs: mean or most frequent level. */
    double startValue(int k, double[][] data) {
        if (columns[k].kind() == ColumnKind.CONTINUOUS) {
            return mean[k];
        }
        double[] lv = levels[k];
        int[] counts = new int[lv.length];
        for (double[] r : data) {
            int i = Double.isNaN(r[k]) ? -1 : levelIndex(k, r[k]);
            if (i >= 0) {
                counts[i]++;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return lv[best];
    }
}
