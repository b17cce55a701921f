package org.covidrisk.ensemble.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Mean / standard-deviation scaling of the columns a model uses (population standard deviation), for the learners
 * that call their library on plain arrays (kNN's scan, the linear SVM on LibLinear). Columns named
 * {@code unscaled} keep their values (mean 0, scale 1).
 *
 * @param mean per used column
 * @param scale per used column (never 0: constant columns are not used)
 */
record Standardisation(double[] mean, double[] scale) {

    /** Fitted on the given columns of the training rows. */
    static Standardisation fit(TrainingData data, List<String> used, Set<String> unscaled) {
        int n = data.size();
        double[] mean = new double[used.size()];
        double[] scale = new double[used.size()];
        for (int j = 0; j < used.size(); j++) {
            int c = data.featureNames().indexOf(used.get(j));
            if (unscaled.contains(used.get(j))) {
                scale[j] = 1;
                continue;
            }
            double sum = 0;
            for (double[] r : data.rows()) {
                sum += r[c];
            }
            mean[j] = sum / n;
            double ss = 0;
            for (double[] r : data.rows()) {
                ss += (r[c] - mean[j]) * (r[c] - mean[j]);
            }
            scale[j] = Math.sqrt(ss / n);
        }
        return new Standardisation(mean, scale);
    }

    /** The used columns ({@code index} into the full row) of one row, scaled. */
    double[] apply(double[] row, int[] index) {
        double[] x = new double[index.length];
        for (int j = 0; j < index.length; j++) {
            x[j] = (row[index[j]] - mean[j]) / scale[j];
        }
        return x;
    }

    void write(DataOutputStream out) throws IOException {
        for (int j = 0; j < mean.length; j++) {
            out.writeDouble(mean[j]);
            out.writeDouble(scale[j]);
        }
    }

    static Standardisation read(DataInputStream in, int columns) throws IOException {
        double[] mean = new double[columns];
        double[] scale = new double[columns];
        for (int j = 0; j < columns; j++) {
            mean[j] = in.readDouble();
            scale[j] = in.readDouble();
        }
        return new Standardisation(mean, scale);
    }
}
