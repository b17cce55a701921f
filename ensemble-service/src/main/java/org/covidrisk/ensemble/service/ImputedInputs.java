package org.covidrisk.ensemble.service;

import java.util.ArrayList;
import java.util.List;

import org.covidrisk.feature.v1.ImputedMatrix;

/**
 * Turns MICE's m completed matrices into the one matrix a model trains or predicts on: the cell-wise mean. An
 * observed value is the same in every matrix and stays as it is; a missing one becomes the mean of its m draws
 * (for a yes/no input, the share of draws that said yes). Training on the mean costs one fit instead of m, and
 * scoring averages a patient's m completed rows the same way, so a model sees the same kind of input at both.
 */
final class ImputedInputs {

    private ImputedInputs() {
    }

    /** Cell-wise mean of the completed matrices; each must have {@code rows} rows. */
    static List<double[]> mean(List<ImputedMatrix> imputations, int rows) {
        if (imputations.isEmpty()) {
            throw new IllegalStateException("feature-service returned no imputation");
        }
        List<double[]> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] sum = null;
            for (ImputedMatrix m : imputations) {
                if (m.getRowsCount() != rows) {
                    throw new IllegalStateException("feature-service returned " + m.getRowsCount() + " rows for "
                            + rows);
                }
                var v = m.getRows(i);
                if (sum == null) {
                    sum = new double[v.getValuesCount()];
                }
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += v.getValues(j);
                }
            }
            for (int j = 0; j < sum.length; j++) {
                sum[j] /= imputations.size();
            }
            out.add(sum);
        }
        return out;
    }
}
