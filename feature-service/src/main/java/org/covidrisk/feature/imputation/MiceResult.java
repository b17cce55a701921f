package org.covidrisk.feature.imputation;

/**
 * Result of a MICE run on training data.
 *
 * @param completed the m completed data sets, {@code [imputation][row][column]}
 * @param missing which cells were missing (and so imputed), {@code [row][column]}
 * @param imputer the imputer for new patients (no outcome needed)
 */
public record MiceResult(double[][][] completed, boolean[][] missing, FittedImputer imputer) {

    /** Average of the m completed values of each cell (a single point estimate, e.g. for a descriptive table). */
    public double[][] mean() {
        int m = completed.length;
        int n = completed[0].length;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = completed[0][i].clone();
            for (int c = 1; c < m; c++) {
                for (int k = 0; k < out[i].length; k++) {
                    out[i][k] += completed[c][i][k];
                }
            }
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] /= m;
            }
        }
        return out;
    }
}
