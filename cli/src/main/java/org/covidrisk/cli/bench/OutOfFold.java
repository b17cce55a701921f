package org.covidrisk.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pooled out-of-fold predictions: each model's probability for each row, written by the fold that held the row
 * out. Every row must be written exactly once per model before the pooled vector is read, so a fold that was
 * skipped or written twice is an error rather than a silent zero.
 */
public final class OutOfFold {

    private final int rows;
    private final Map<String, double[]> p = new LinkedHashMap<>();
    private final Map<String, boolean[]> written = new LinkedHashMap<>();

    public OutOfFold(int rows) {
        this.rows = rows;
    }

    /** Stores a fold's predictions {@code q} for the rows {@code testRows} (indices into the whole cohort). */
    public void put(String model, int[] testRows, double[] q) {
        if (testRows.length != q.length) {
            throw new IllegalArgumentException(model + ": " + q.length + " predictions for " + testRows.length
                    + " rows");
        }
        double[] v = p.computeIfAbsent(model, m -> new double[rows]);
        boolean[] w = written.computeIfAbsent(model, m -> new boolean[rows]);
        for (int i = 0; i < testRows.length; i++) {
            int r = testRows[i];
            if (w[r]) {
                throw new IllegalStateException(model + ": row " + r + " predicted by two folds");
            }
            if (Double.isNaN(q[i]) || q[i] < 0 || q[i] > 1) {
                throw new IllegalStateException(model + ": row " + r + " has probability " + q[i]);
            }
            w[r] = true;
            v[r] = q[i];
        }
    }

    /** The pooled predictions of a model, once every row has been predicted. */
    public double[] pooled(String model) {
        boolean[] w = written.get(model);
        if (w == null) {
            throw new IllegalStateException("no predictions of " + model);
        }
        for (int r = 0; r < rows; r++) {
            if (!w[r]) {
                throw new IllegalStateException(model + ": row " + r + " has no out-of-fold prediction");
            }
        }
        return Arrays.copyOf(p.get(model), rows);
    }

    /** Model names in the order they were first written. */
    public Iterable<String> models() {
        return p.keySet();
    }
}
