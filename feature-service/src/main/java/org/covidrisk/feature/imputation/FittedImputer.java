package org.covidrisk.feature.imputation;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * A MICE imputer fitted on a training population, applied to new patients at scoring time. It holds, per chain
 * (one per imputation), an imputation model of every variable fitted on that chain's completed training data
 * <em>without</em> the outcome, so a new patient needs no outcome: the outcome is a predictor while the training
 * data are imputed, never afterwards. A new patient's missing inputs start at the training mean or most frequent
 * level and are then updated by a few chained passes.
 */
public final class FittedImputer {

    private final List<Column> columns;
    private final Encoding encoding;
    private final double[] start;
    /** [chain][column]. */
    private final ColumnModel[][] models;
    private final MiceOptions options;

    FittedImputer(List<Column> columns, Encoding encoding, double[] start, ColumnModel[][] models,
            MiceOptions options) {
        this.columns = List.copyOf(columns);
        this.encoding = encoding;
        this.start = start;
        this.models = models;
        this.options = options;
    }

    /** Rebuilds an imputer from its stored parts (see {@link #parts()}). */
    public static FittedImputer of(Parts p) {
        Column[] cols = p.columns().toArray(Column[]::new);
        return new FittedImputer(p.columns(), new Encoding(cols, p.mean(), p.sd(), p.levels()), p.start(),
                p.models(), p.options());
    }

    /** What a fitted imputer consists of, for storage with a model. */
    public record Parts(List<Column> columns, double[] mean, double[] sd, double[][] levels, double[] start,
            ColumnModel[][] models, MiceOptions options) {
    }

    public Parts parts() {
        return new Parts(columns, encoding.mean, encoding.sd, encoding.levels, start, models, options);
    }

    public List<Column> columns() {
        return columns;
    }

    public int imputations() {
        return models.length;
    }

    public MiceOptions options() {
        return options;
    }

    /**
     * The m completed versions of each row (NaN = missing): {@code [imputation][row][column]}. Observed values are
     * kept; rows without missing values come back unchanged. Deterministic for a given seed.
     */
    public double[][][] impute(double[][] rows, long seed) {
        int p = columns.size();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != p) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + p);
            }
        }
        double[][][] out = new double[models.length][rows.length][];
        for (int c = 0; c < models.length; c++) {
            JDKRandomGenerator rng = new JDKRandomGenerator();
            rng.setSeed(Mice.chainSeed(seed, c));
            for (int i = 0; i < rows.length; i++) {
                out[c][i] = imputeRow(rows[i], models[c], rng);
            }
        }
        return out;
    }

    private double[] imputeRow(double[] in, ColumnModel[] chain, JDKRandomGenerator rng) {
        double[] row = in.clone();
        int[] missing = java.util.stream.IntStream.range(0, row.length).filter(k -> Double.isNaN(row[k])).toArray();
        if (missing.length == 0) {
            return row;
        }
        for (int k : missing) {
            row[k] = start[k];
        }
        double[][] design = new double[row.length][];
        int passes = missing.length == 1 ? 1 : options.scoringIterations();
        for (int pass = 0; pass < passes; pass++) {
            for (int k : missing) {
                if (design[k] == null) {
                    design[k] = new double[encoding.designWidth(k, false)];
                }
                encoding.design(row, k, Double.NaN, design[k]);
                row[k] = chain[k].impute(design[k], options.donors(), rng);
            }
        }
        return row;
    }

    @Override
    public String toString() {
        return "FittedImputer" + Arrays.toString(columns.stream().map(Column::name).toArray());
    }
}
